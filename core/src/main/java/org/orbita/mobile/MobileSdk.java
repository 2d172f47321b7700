package org.orbita.mobile;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.common.Storable;
import org.orbita.profiles.Channel;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.EventIngest;
import org.orbita.profiles.EventInput;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileKey;
import org.orbita.profiles.ProfileSource;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.Subscription;
import org.orbita.profiles.WriteMode;
import org.orbita.profiles.WriteResult;
import org.orbita.sending.SendKind;
import org.orbita.sending.SendLedger;
import org.orbita.settings.WorkspaceDocuments;
import org.orbita.settings.SettingsStore;
import org.orbita.tracking.SubscriptionMarks;

/**
 * The server side of a mobile app's SDK (K1). Each app has an app token (matching by device
 * token only: the SDK of an app whose users never sign in) and a key its backend signs JWTs with
 * (HS256 secret, or an RS256 / ES256 public key) naming a person by a unique field or profile id.
 *
 * <p>{@link #subscribe} makes the device's push subscription ({@code push}, address
 * {@code <provider>:<token>}) on its profile — created when missing — through the same profile
 * writing as the API (source {@code push}), so segments, triggers, journeys, webhooks and the
 * growth report hear of it; a refreshed token replaces the old one in place; a device that moves to
 * another person leaves its subscription suspended on the one it left. {@link #events} records what
 * the SDK saw of a push Orbita sent — delivered, opened, dismissed, a button tapped — attributed to
 * its campaign or journey by the message key the push carried ({@code orbita_key}), once per event
 * id, and only for the profile the caller proved it is.
 */
public final class MobileSdk {

    public static final Set<String> PROVIDERS = Set.of("fcm", "apns", "hms", "rustore");
    public static final int MAX_EVENTS = 100;
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{1,4096}");
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final String APP_TOKEN_PREFIX = "oat_";

    /** What a person gives; absent parts keep what they were. */
    public record Input(String id, String name, String database, String resource, List<String> matching, String jwtAlgorithm, String jwtPublicKey,
                        Boolean enabled) {}

    /** An app as people see it: never its secrets; the address its SDK calls. */
    public record View(String id, String name, String database, String resource, List<String> matching, String jwtAlgorithm, String jwtPublicKey,
                       boolean enabled, String path, long devices, Instant created, Instant updated) {}

    /** An app just made or with a new secret: what is shown this once (null: not changed). */
    public record Made(View app, String appToken, String jwtSecret) {}

    /** Who calls: a JWT from the customer's backend ({@code Authorization: Bearer}) or the app token. */
    public record Caller(String bearer, String appToken) {}

    /** A device to subscribe, or whose subscription changes. */
    public record DeviceInput(String provider, String token, String platform, String appVersion, Replaces replaces, Map<String, Object> fields) {}

    /** The token a refreshed one takes the place of. */
    public record Replaces(String provider, String token) {}

    public record Subscribed(String profileId, boolean created, String address, String status) {}

    /** What the SDK reports of one push: {@code delivered}, {@code opened}, {@code dismissed} or {@code button_clicked}. */
    public record PushEvent(String id, String type, String key, String provider, String token, String button, String url, Instant time) {}

    public record EventsOutcome(int accepted, int repeated, List<Rejected> rejected) {}

    public record Rejected(int index, List<FieldError> errors) {}

    /** A call the app does not let through: unknown app (404), switched off (403), unproven caller (401). */
    public static final class Refused extends RuntimeException {
        private final int status;

        public Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Who a checked call is for: a person named by the JWT, or only the device. */
    private record Identity(String matching, String value) {
        boolean byDeviceOnly() {
            return matching == null;
        }
    }

    private final WorkspaceDocuments<MobileApp> apps;
    private final DeviceRegistry devices;
    private final ClientDatabases databases;
    private final ProfileStore profiles;
    private final ProfileWriting writing;
    private final SubscriptionMarks marks;
    private final EventIngest ingest;
    private final SendLedger ledger;
    private final Access access;
    private final Clock clock;

    public MobileSdk(SettingsStore settings, DeviceRegistry devices, ClientDatabases databases, ProfileStore profiles, ProfileWriting writing,
                     SubscriptionMarks marks, EventIngest ingest, SendLedger ledger, Access access, Clock clock) {
        this.apps = new WorkspaceDocuments<>(settings, "mobile-apps", MobileApp.class, MobileApp::workspaceId, MobileApp::id, "mobile app");
        this.devices = devices;
        this.databases = databases;
        this.profiles = profiles;
        this.writing = writing;
        this.marks = marks;
        this.ingest = ingest;
        this.ledger = ledger;
        this.access = access;
        this.clock = clock;
    }

    // ---- apps

    public List<View> list(String workspaceId) {
        access.require(Resource.INTEGRATIONS, Action.READ);
        return apps.list(workspaceId).stream().map(this::view).toList();
    }

    public View get(String workspaceId, String id) {
        access.require(Resource.INTEGRATIONS, Action.READ);
        return view(app(workspaceId, id));
    }

    private MobileApp app(String workspaceId, String id) {
        return apps.get(workspaceId, id);
    }

    /** A new app with its app token and (for HS256) its JWT secret, shown this once. */
    public Made create(String workspaceId, Input in) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        String id = apps.newId(workspaceId, in.id());
        Instant now = clock.instant();
        String appToken = newToken(APP_TOKEN_PREFIX);
        MobileApp checked = checked(workspaceId, new MobileApp(workspaceId, id, null, null, null, null, null, null, null, sha256(appToken), true,
                now, now), in);
        String secret = checked.jwtAlgorithm().equals("HS256") ? newToken("") : null;
        MobileApp a = withSecret(checked, secret);
        apps.put(a);
        return new Made(access.recorded(Resource.INTEGRATIONS, Action.WRITE, null, view(a)), appToken, secret);
    }

    public View update(String workspaceId, String id, Input in) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        MobileApp before = app(workspaceId, id);
        MobileApp checked = checked(workspaceId, before, in);
        // a change to HS256 needs a secret: one is made and must be fetched by rotating it
        MobileApp a = checked.jwtAlgorithm().equals("HS256") && before.jwtSecret() == null ? withSecret(checked, newToken("")) : checked;
        apps.put(a);
        return access.recorded(Resource.INTEGRATIONS, Action.WRITE, view(before), view(a));
    }

    /** A new app token, shown this once; the old one stops working now. */
    public Made rotateAppToken(String workspaceId, String id) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        String token = newToken(APP_TOKEN_PREFIX);
        MobileApp a = apps.update(workspaceId, id, s -> s == null ? null : new MobileApp(s.workspaceId(), s.id(), s.name(), s.database(),
                s.resource(), s.matching(), s.jwtAlgorithm(), s.jwtSecret(), s.jwtPublicKey(), sha256(token), s.enabled(), s.created(), clock.instant()));
        if (a == null) {
            throw new NotFoundException("mobile app", id);
        }
        access.changed(Resource.INTEGRATIONS, Action.WRITE, id, null, "app token rotated");
        return new Made(view(a), token, null);
    }

    /** A new HS256 secret, shown this once; tokens signed with the old one stop working now. */
    public Made rotateJwtSecret(String workspaceId, String id) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        if (!app(workspaceId, id).jwtAlgorithm().equals("HS256")) {
            throw new InvalidInputException("jwtAlgorithm", app(workspaceId, id).jwtAlgorithm(), "only an HS256 app has a secret; RS256 and ES256 take a public key");
        }
        String secret = newToken("");
        MobileApp a = apps.update(workspaceId, id, s -> s == null ? null : withSecret(s, secret));
        if (a == null) {
            throw new NotFoundException("mobile app", id);
        }
        access.changed(Resource.INTEGRATIONS, Action.WRITE, id, null, "JWT secret rotated");
        return new Made(view(a), null, secret);
    }

    public void delete(String workspaceId, String id) {
        access.require(Resource.INTEGRATIONS, Action.DELETE);
        MobileApp a = app(workspaceId, id);
        apps.delete(workspaceId, id);
        devices.forget(workspaceId, id);
        access.changed(Resource.INTEGRATIONS, Action.DELETE, id, view(a), null);
    }

    /** A profile's devices, for its card. */
    public List<DeviceRegistry.Device> devicesOf(String databaseId, String profileId) {
        access.require(Resource.PROFILES, Action.READ);
        return devices.ofProfile(databaseId, profileId);
    }

    private MobileApp withSecret(MobileApp s, String secret) {
        return new MobileApp(s.workspaceId(), s.id(), s.name(), s.database(), s.resource(), s.matching(), s.jwtAlgorithm(), secret,
                s.jwtPublicKey(), s.appTokenHash(), s.enabled(), s.created(), clock.instant());
    }

    private MobileApp checked(String workspaceId, MobileApp a, Input in) {
        List<FieldError> errors = new ArrayList<>();
        String name = in.name() != null ? in.name().strip() : a.name();
        if (name == null || name.isEmpty() || name.length() > 200) {
            errors.add(FieldError.of("name", name, "1 to 200 characters"));
        }
        ClientDatabase db = null;
        if (in.database() != null) {
            db = databases.resolve(workspaceId, in.database()).orElse(null);
            if (db == null) {
                errors.add(FieldError.of("database", in.database(), "a database of this workspace"));
            }
        } else if (a.database() != null) {
            db = databases.find(a.database()).orElse(null);
        } else {
            errors.add(FieldError.of("database", null, "the database the devices' profiles are in is required"));
        }
        String resource = in.resource() != null ? in.resource().strip() : a.resource() == null ? Subscription.DEFAULT_RESOURCE : a.resource();
        if (resource.isEmpty() || resource.length() > 64) {
            errors.add(FieldError.of("resource", resource, "1 to 64 characters: the subscription resource the devices subscribe to"));
        }
        List<String> matching = in.matching() != null ? in.matching().stream().map(String::strip).distinct().toList() : a.matching();
        if (db != null) {
            List<String> keys = new ArrayList<>(db.schema().uniqueFields().stream().map(FieldDefinition::name).toList());
            keys.add(ProfileKey.MERGED_ID);
            if (matching.isEmpty() && in.matching() == null) {
                matching = keys;
            }
            for (String m : matching) {
                if (!keys.contains(m)) {
                    errors.add(FieldError.of("matching", m, "the keys a JWT may name its person by: unique fields of the database, or id " + keys));
                }
            }
            if (matching.isEmpty()) {
                errors.add(FieldError.of("matching", matching, "at least one key a JWT may name its person by " + keys));
            }
        }
        String alg = in.jwtAlgorithm() != null ? in.jwtAlgorithm() : a.jwtAlgorithm() == null ? "HS256" : a.jwtAlgorithm();
        String publicKey = in.jwtPublicKey() != null ? (in.jwtPublicKey().isBlank() ? null : in.jwtPublicKey().strip()) : a.jwtPublicKey();
        try {
            alg = SdkTokens.algorithm(alg).name();
            if (!alg.equals("HS256")) {
                if (publicKey == null) {
                    errors.add(FieldError.of("jwtPublicKey", null, alg + " needs the public key of the backend's signing key (PEM)"));
                } else {
                    try {
                        SdkTokens.Key.publicKey(SdkTokens.algorithm(alg), publicKey);
                    } catch (IllegalArgumentException e) {
                        errors.add(FieldError.of("jwtPublicKey", "(key)", e.getMessage()));
                    }
                }
            } else if (in.jwtPublicKey() != null && !in.jwtPublicKey().isBlank()) {
                errors.add(FieldError.of("jwtPublicKey", "(key)", "HS256 verifies with a secret made here; a public key is for RS256 or ES256"));
            }
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.of("jwtAlgorithm", alg, e.getMessage()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new MobileApp(workspaceId, a.id(), name, db.id(), resource, matching, alg, alg.equals("HS256") ? a.jwtSecret() : null,
                alg.equals("HS256") ? null : publicKey, a.appTokenHash(), in.enabled() != null ? in.enabled() : a.enabled(), a.created(),
                clock.instant());
    }

    private View view(MobileApp a) {
        String db = databases.find(a.database()).map(ClientDatabase::publicId).orElse(a.database());
        return new View(a.id(), a.name(), db, a.resource(), a.matching(), a.jwtAlgorithm(), a.jwtPublicKey(), a.enabled(),
                "/t/sdk/" + a.workspaceId() + "/" + a.id(), devices.count(a.workspaceId(), a.id()), a.created(), a.updated());
    }

    // ---- the SDK's calls

    /**
     * Subscribes a device (status {@code active}), or sets its subscription {@code suspended} or
     * {@code unsubscribed}: the profile the JWT names (created when missing, unless named by id), or
     * with the app token the profile that has this device already (a new one when none has).
     *
     * @throws Refused when the app or the caller is refused
     * @throws InvalidInputException naming each bad field
     */
    public Subscribed subscribe(String workspaceId, String appId, Caller caller, DeviceInput in, Subscription.Status status) {
        MobileApp app = callable(workspaceId, appId);
        Identity who = identify(app, caller);
        ClientDatabase db = databases.find(app.database()).orElseThrow(() -> new Refused(404, "the app's database no longer exists"));
        List<FieldError> errors = new ArrayList<>();
        String address = address(in.provider(), in.token(), "", errors);
        String replacing = in.replaces() == null ? null : address(in.replaces().provider(), in.replaces().token(), "replaces.", errors);
        Map<String, Object> fields = in.fields() == null ? Map.of() : in.fields();
        if (who.byDeviceOnly() && !fields.isEmpty()) {
            errors.add(FieldError.of("fields", fields.keySet(), "profile fields need a JWT from the app's backend; an app token only subscribes the device"));
        }
        String platform = clip(in.platform(), 32, "platform", errors);
        String version = clip(in.appVersion(), 64, "appVersion", errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Optional<DeviceRegistry.Device> known = devices.find(workspaceId, appId, address);
        Optional<DeviceRegistry.Device> replaced = replacing == null ? Optional.empty() : devices.find(workspaceId, appId, replacing);
        String owner;
        WriteMode mode;
        String matching;
        Object value;
        Map<String, Object> written = new LinkedHashMap<>(fields);
        if (who.byDeviceOnly()) {
            owner = known.or(() -> replaced).map(DeviceRegistry.Device::profileId).filter(p -> profiles.find(db.id(), p).isPresent()).orElse(null);
            matching = ProfileKey.MERGED_ID;
            value = owner;
            mode = owner == null ? WriteMode.INSERT : WriteMode.UPDATE;
        } else {
            matching = who.matching();
            value = who.value();
            mode = matching.equals(ProfileKey.MERGED_ID) ? WriteMode.UPDATE : WriteMode.UPSERT;
            if (!matching.equals(ProfileKey.MERGED_ID)) {
                written.putIfAbsent(matching, value);
            }
            owner = null;
        }
        // the old token is replaced in place only on the profile that had it; elsewhere it is suspended below
        String replaceHere = replacing == null || replaced.isEmpty() ? replacing
                : (who.byDeviceOnly() ? replaced.get().profileId().equals(owner) : ownedBy(db, replaced.get().profileId(), matching, value))
                ? replacing : null;
        ProfileChange change = new ProfileChange(matching, value, written,
                List.of(new ProfileChange.SubscriptionInput(Channel.PUSH.id(), address, app.resource(), status.id(), replaceHere)), null, null);
        WriteResult w;
        try {
            w = writing.write(db, change, mode, ProfileSource.PUSH);
        } catch (NotFoundException e) {
            throw new Refused(404, "no profile has " + matching + " " + value + " (a profile named by id is not created)");
        }
        String profileId = w.profile().id();
        Instant now = clock.instant();
        // a device that moved leaves its subscription suspended on the profile it left
        for (DeviceRegistry.Device prior : List.of(known, replaced).stream().flatMap(Optional::stream).toList()) {
            if (!prior.profileId().equals(profileId)) {
                marks.mark(db.id(), prior.profileId(), Channel.PUSH, prior.address(), Subscription.Status.SUSPENDED);
            }
        }
        devices.put(new DeviceRegistry.Device(workspaceId, appId, address, db.id(), profileId, platform, version,
                known.map(DeviceRegistry.Device::created).orElse(now), now), replacing);
        Subscription s = w.profile().subscriptions().stream().filter(x -> x.channel() == Channel.PUSH && x.address().equals(address)
                && x.resource().equals(app.resource())).findFirst().orElseThrow();
        return new Subscribed(profileId, w.created(), address, s.status().id());
    }

    private boolean ownedBy(ClientDatabase db, String profileId, String matching, Object value) {
        if (matching.equals(ProfileKey.MERGED_ID)) {
            return profileId.equals(String.valueOf(value));
        }
        try {
            return profiles.findOwner(db.id(), new ProfileKey(matching, String.valueOf(db.schema().field(matching).orElseThrow().convert(value))))
                    .map(profileId::equals).orElse(false);
        } catch (IllegalArgumentException e) {
            return false; // a value the write refuses, naming it
        }
    }

    /**
     * What the SDK saw of pushes: each event for the push its {@code key} names (sent by Orbita to the
     * caller's own profile), recorded once per event id — {@code delivered} as {@code message.receipt},
     * {@code opened} as {@code message.opened}, {@code button_clicked} as {@code message.clicked},
     * {@code dismissed} as {@code push.dismissed} — with the campaign or journey it belongs to.
     */
    public EventsOutcome events(String workspaceId, String appId, Caller caller, List<PushEvent> given) {
        MobileApp app = callable(workspaceId, appId);
        Identity who = identify(app, caller);
        ClientDatabase db = databases.find(app.database()).orElseThrow(() -> new Refused(404, "the app's database no longer exists"));
        if (given == null || given.isEmpty() || given.size() > MAX_EVENTS) {
            throw new InvalidInputException("events", given == null ? null : given.size(), "1 to " + MAX_EVENTS + " events");
        }
        String person = who.byDeviceOnly() ? null : personOf(db, who);
        List<EventInput> inputs = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            List<FieldError> errors = new ArrayList<>();
            PushEvent e = given.get(i);
            EventInput in = e == null ? null : event(workspaceId, app, db, person, e, errors);
            if (e == null) {
                errors.add(FieldError.of("events[" + i + "]", null, "must be an object"));
            }
            if (!errors.isEmpty() || in == null) {
                if (!errors.isEmpty()) {
                    rejected.add(new Rejected(i, errors));
                }
                continue;
            }
            inputs.add(in);
            at.add(i);
        }
        EventIngest.Outcome o = inputs.isEmpty() ? new EventIngest.Outcome(List.of(), List.of(), List.of())
                : ingest.ingest(inputs, k -> Optional.of(db));
        o.rejected().forEach(r -> rejected.add(new Rejected(at.get(r.index()), r.errors())));
        rejected.sort(java.util.Comparator.comparingInt(Rejected::index));
        return new EventsOutcome(o.accepted(), o.repeats().size(), rejected);
    }

    private String personOf(ClientDatabase db, Identity who) {
        if (who.matching().equals(ProfileKey.MERGED_ID)) {
            return profiles.find(db.id(), String.valueOf(who.value())).map(Profile::id)
                    .or(() -> profiles.findOwner(db.id(), ProfileKey.mergedId(String.valueOf(who.value()))))
                    .orElseThrow(() -> new Refused(404, "no profile has id " + who.value()));
        }
        Object value;
        try {
            value = db.schema().field(who.matching()).orElseThrow().convert(who.value());
        } catch (IllegalArgumentException e) {
            throw new Refused(401, "the token's " + who.matching() + " is not valid: " + e.getMessage());
        }
        return profiles.findOwner(db.id(), new ProfileKey(who.matching(), String.valueOf(value)))
                .orElseThrow(() -> new Refused(404, "no profile has " + who.matching() + " " + value + "; subscribe the device first"));
    }

    /** One reported event as the event log takes it, or null for a test send's (nothing recorded); errors named in {@code errors}. */
    private EventInput event(String workspaceId, MobileApp app, ClientDatabase db, String person, PushEvent e, List<FieldError> errors) {
        String type = switch (e.type() == null ? "" : e.type()) {
            case "delivered" -> "message.receipt";
            case "opened" -> "message.opened";
            case "button_clicked" -> "message.clicked";
            case "dismissed" -> "push.dismissed";
            default -> null;
        };
        if (type == null) {
            errors.add(FieldError.of("type", e.type(), "delivered, opened, dismissed or button_clicked"));
        }
        if (e.id() == null || !EVENT_ID.matcher(e.id()).matches()) {
            errors.add(FieldError.of("id", e.id(), "the event's own id (a UUID): 1 to 128 letters, digits, _ . : -"));
        }
        if (e.time() != null && !Storable.isStorable(e.time())) {
            errors.add(FieldError.of("time", e.time(), Storable.TIME_RULE));
        }
        // the key: <run>/<profile>/push, as the push's data carried it (orbita_key)
        String key = e.key() == null ? "" : e.key();
        String[] parts = key.split("/");
        if (parts.length < 3 || !parts[parts.length - 1].equals("push")) {
            errors.add(FieldError.of("key", e.key(), "the orbita_key of the push this is about"));
            return null;
        }
        String profileId = parts[parts.length - 2];
        String run = key.substring(0, key.length() - profileId.length() - "/push".length() - 1);
        String owner = person;
        if (owner == null) {
            List<FieldError> device = new ArrayList<>();
            String address = address(e.provider(), e.token(), "", device);
            if (!device.isEmpty()) {
                errors.addAll(device);
                return null;
            }
            owner = devices.find(workspaceId, app.id(), address).map(DeviceRegistry.Device::profileId).orElse(null);
            if (owner == null) {
                errors.add(FieldError.of("token", "(token)", "no subscribed device of this app has this token"));
                return null;
            }
        }
        if (!owner.equals(profileId)) {
            errors.add(FieldError.of("key", e.key(), "a push sent to another profile than the caller's"));
            return null;
        }
        if (run.startsWith(SendKind.TEST_RUN_PREFIX)) {
            return null; // a test send: its ledger tells its sender; no history has it
        }
        Optional<SendLedger.Run> sent = ledger.run(run).filter(r -> r.databaseId() == null || r.databaseId().equals(db.id()));
        if (sent.isEmpty()) {
            errors.add(FieldError.of("key", e.key(), "no push of this app's database has this key"));
            return null;
        }
        if (!errors.isEmpty()) {
            return null;
        }
        Map<String, Object> props = new LinkedHashMap<>(sent.get().attribution());
        props.put("app", app.id());
        switch (e.type()) {
            case "delivered" -> {
                props.put("status", "delivered to the device");
                props.put("delivered", true);
            }
            case "opened", "button_clicked" -> {
                props.put("machine", false);
                props.put("device", "mobile");
                if (e.button() != null) {
                    props.put("button", e.button().length() > 200 ? e.button().substring(0, 200) : e.button());
                }
                if (e.url() != null) {
                    props.put("url", e.url().length() > 2000 ? e.url().substring(0, 2000) : e.url());
                }
            }
            default -> { }
        }
        return new EventInput(eventId(workspaceId, app.id(), e.id()), db.id(), ProfileKey.MERGED_ID, profileId, type, Channel.PUSH.id(), e.time(),
                props);
    }

    private MobileApp callable(String workspaceId, String appId) {
        MobileApp app = apps.find(workspaceId, appId).orElse(null);
        if (app == null) {
            throw new Refused(404, "no mobile app has this address");
        }
        if (!app.enabled()) {
            throw new Refused(403, "this mobile app is switched off");
        }
        return app;
    }

    private Identity identify(MobileApp app, Caller caller) {
        if (caller.bearer() != null) {
            SdkTokens.Key key = app.jwtAlgorithm().equals("HS256") ? SdkTokens.Key.hmac(app.jwtSecret().getBytes(StandardCharsets.UTF_8))
                    : SdkTokens.Key.publicKey(SdkTokens.algorithm(app.jwtAlgorithm()), app.jwtPublicKey());
            JsonNode claims;
            try {
                claims = SdkTokens.verify(caller.bearer(), key, clock.instant());
            } catch (SdkTokens.Refused e) {
                throw new Refused(401, e.getMessage());
            }
            if (claims.hasNonNull("aud") && !claims.get("aud").asText().equals(app.id())) {
                throw new Refused(401, "the token is for another audience than this app ('" + app.id() + "')");
            }
            String matching = claims.path("matching").asText(app.matching().get(0));
            if (!app.matching().contains(matching)) {
                throw new Refused(401, "this app's tokens name a person by " + app.matching() + ", not '" + matching + "'");
            }
            JsonNode value = claims.hasNonNull(matching) ? claims.get(matching) : claims.get("sub");
            if (value == null || value.isNull() || value.asText().isBlank()) {
                throw new Refused(401, "the token names no " + matching + " (a '" + matching + "' claim, or sub)");
            }
            return new Identity(matching, value.asText());
        }
        if (caller.appToken() != null && app.appTokenHash() != null
                && MessageDigest.isEqual(sha256(caller.appToken().strip()).getBytes(StandardCharsets.US_ASCII),
                        app.appTokenHash().getBytes(StandardCharsets.US_ASCII))) {
            return new Identity(null, null);
        }
        throw new Refused(401, caller.appToken() == null ? "a call needs the app token (X-App-Token) or a JWT (Authorization: Bearer)"
                : "the app token is not this app's");
    }

    /** A device's push address, {@code <provider>:<token>}; errors named with {@code prefix}. */
    private static String address(String provider, String token, String prefix, List<FieldError> errors) {
        String p = provider == null ? "" : provider.strip().toLowerCase(Locale.ROOT);
        if (!PROVIDERS.contains(p)) {
            errors.add(FieldError.of(prefix + "provider", provider, "fcm, apns, hms or rustore"));
        }
        if (token == null || !TOKEN.matcher(token.strip()).matches()) {
            errors.add(FieldError.of(prefix + "token", token == null ? null : "(token)", "the push service's device token: 1 to 4096 visible characters"));
            return null;
        }
        return p + ":" + token.strip();
    }

    private static String clip(String v, int max, String field, List<FieldError> errors) {
        if (v != null && v.length() > max) {
            errors.add(FieldError.of(field, v.substring(0, 20) + "…", "at most " + max + " characters"));
        }
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** The event log's id of a reported event: the same for a resent one, whatever the app's id looks like. */
    private static String eventId(String workspaceId, String appId, String id) {
        return "sdk-" + sha256(workspaceId + "/" + appId + "/" + id).substring(0, 40);
    }

    private static String newToken(String prefix) {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}
