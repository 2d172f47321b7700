package org.orbita.retargeting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.ConflictException;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.outbound.NetworkGuard;
import org.orbita.profiles.Channel;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.Subscription;
import org.orbita.retargeting.AudienceDestination.Member;
import org.orbita.retargeting.SyncedMembers.Synced;
import org.orbita.settings.WorkspaceDocuments;
import org.orbita.settings.SettingsStore;

/**
 * Segments kept in advertising platforms' audiences (R1). A sync names a segment, a destination
 * (Meta, Yandex Audiences, Google Customer Match) and its credentials (write-only); each run walks
 * the segment's members and what the platform was last given side by side, both ordered by profile
 * id, and sends only the difference — members who joined (with marketing consent and an email or
 * phone) added, those who left, lost their consent or changed their identifiers removed — in the
 * platform's batches, recording each applied batch so a failed run resumes where it stopped. The
 * platform's minimum audience is checked first and warned about. Each run's counts and error are
 * kept on the sync. Nothing is held whole in memory: pages of 1,000 on both sides.
 */
public final class AudienceSyncs {

    private static final int PAGE = 1_000;

    /** The platforms and their settings: name → secret? required? default. */
    public enum Kind {
        META(Map.of("audienceId", new Setting(false, true, null), "accessToken", new Setting(true, true, null),
                "apiUrl", new Setting(false, false, "https://graph.facebook.com/v21.0"))),
        YANDEX(Map.of("token", new Setting(true, true, null), "segmentId", new Setting(false, false, null),
                "apiUrl", new Setting(false, false, "https://api-audience.yandex.ru"))),
        GOOGLE(Map.of("customerId", new Setting(false, true, null), "userListId", new Setting(false, true, null),
                "developerToken", new Setting(true, true, null), "clientId", new Setting(false, true, null),
                "clientSecret", new Setting(true, true, null), "refreshToken", new Setting(true, true, null),
                "loginCustomerId", new Setting(false, false, null), "apiUrl", new Setting(false, false, "https://googleads.googleapis.com/v18"),
                "tokenUrl", new Setting(false, false, "https://oauth2.googleapis.com/token"))),
        VK(Map.of("accessToken", new Setting(true, true, null), "type", new Setting(false, false, "email"), "usersListId", new Setting(false, false, null),
                "uploadOwed", new Setting(false, false, null),
                "apiUrl", new Setting(false, false, "https://ads.vk.com")));

        private final Map<String, Setting> settings;

        Kind(Map<String, Setting> settings) {
            this.settings = settings;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public Map<String, Setting> settings() {
            return settings;
        }

        static Kind of(String id) {
            try {
                return valueOf(id.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new InvalidInputException("destination", id, "meta, yandex, google or vk");
            }
        }
    }

    public record Setting(boolean secret, boolean required, String fallback) {}

    /** What one run did. */
    public record Run(Instant at, String state, long size, long added, long removed, long withoutConsent, long withoutIdentifiers, String warning,
                      String error, String platformStatus) {}

    /** A sync as stored (its secrets among {@code settings}). */
    public record AudienceSync(String workspaceId, String id, String name, String database, String segment, String destination,
                               Map<String, String> settings, String consentField, String emailField, String phoneField, int everyMinutes,
                               boolean enabled, Run lastRun, Instant created, Instant updated) {
        public AudienceSync {
            settings = settings == null ? Map.of() : Map.copyOf(settings);
        }
    }

    /** What a person gives; absent parts keep what they were; a secret setting left out keeps its value. */
    public record Input(String id, String name, String database, String segment, String destination, Map<String, String> settings,
                        String consentField, String emailField, String phoneField, Integer everyMinutes, Boolean enabled) {}

    /** A sync as people see it: secret settings only as set or not. */
    public record View(String id, String name, String database, String segment, String destination, Map<String, Object> settings,
                       String consentField, String emailField, String phoneField, int everyMinutes, boolean enabled, long synced, Run lastRun,
                       Instant created, Instant updated) {}

    /** The segments a sync reads (the rules engine's, wired by the platform). */
    public interface SegmentSource {
        /** The database a segment belongs to; empty when there is no such segment. */
        Optional<String> databaseOf(String segmentId);

        /** A page of its members' profile ids in id order, after {@code after} (null: from the first). */
        List<String> members(String segmentId, String after, int limit);
    }

    /** Makes the connector a sync's settings describe (the platforms' own in production; the same with other URLs in tests). */
    @FunctionalInterface
    public interface Destinations {
        AudienceDestination of(AudienceSync sync);
    }

    private final WorkspaceDocuments<AudienceSync> syncs;
    private final SyncedMembers synced;
    private final ClientDatabases databases;
    private final ProfileStore profiles;
    private final SegmentSource segments;
    private final Destinations destinations;
    private final Access access;
    private final Clock clock;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public AudienceSyncs(SettingsStore settings, SyncedMembers synced, ClientDatabases databases, ProfileStore profiles, SegmentSource segments,
                         Destinations destinations, Access access, Clock clock) {
        this.syncs = new WorkspaceDocuments<>(settings, "audience-syncs", AudienceSync.class, AudienceSync::workspaceId, AudienceSync::id,
                "audience sync");
        this.synced = synced;
        this.databases = databases;
        this.profiles = profiles;
        this.segments = segments;
        this.destinations = destinations;
        this.access = access;
        this.clock = clock;
    }

    /** The connectors for the platforms' real APIs, behind the network guard. */
    public static Destinations platforms(NetworkGuard guard) {
        return s -> {
            Map<String, String> v = effective(s);
            return switch (Kind.of(s.destination())) {
                case META -> new MetaAudiences(v.get("apiUrl"), v.get("audienceId"), v.get("accessToken"), guard);
                case YANDEX -> new YandexAudiences(v.get("apiUrl"), v.get("token"), v.get("segmentId"), s.name(), guard);
                case GOOGLE -> new GoogleCustomerMatch(new GoogleCustomerMatch.Settings(v.get("apiUrl"), v.get("tokenUrl"), v.get("customerId"),
                        v.get("userListId"), v.get("developerToken"), v.get("clientId"), v.get("clientSecret"), v.get("refreshToken"),
                        v.get("loginCustomerId")), guard, Duration.ofSeconds(5), 12);
                case VK -> {
                    try {
                        yield new VkAdsAudiences(v.get("apiUrl"), v.get("accessToken"), v.get("type"), s.name(), v.get("usersListId"), guard);
                    } catch (IllegalArgumentException e) {
                        throw new InvalidInputException("settings.type", v.get("type"), "email or phone");
                    }
                }
            };
        };
    }

    /** A sync's settings with the kind's defaults filled in. */
    static Map<String, String> effective(AudienceSync s) {
        Map<String, String> v = new LinkedHashMap<>();
        Kind.of(s.destination()).settings().forEach((name, setting) -> {
            String given = s.settings().get(name);
            v.put(name, given != null && !given.isBlank() ? given : setting.fallback());
        });
        return v;
    }

    // ---- syncs

    public List<View> list(String workspaceId) {
        access.require(Resource.INTEGRATIONS, Action.READ);
        return syncs.list(workspaceId).stream().map(this::view).toList();
    }

    public View get(String workspaceId, String id) {
        access.require(Resource.INTEGRATIONS, Action.READ);
        return view(sync(workspaceId, id));
    }

    private AudienceSync sync(String workspaceId, String id) {
        return syncs.get(workspaceId, id);
    }

    public View create(String workspaceId, Input in) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        String id = syncs.newId(workspaceId, in.id());
        Instant now = clock.instant();
        AudienceSync s = checked(workspaceId, new AudienceSync(workspaceId, id, null, null, null, null, Map.of(), null, "email", "phone", 1440, true,
                null, now, now), in);
        syncs.put(s);
        return access.recorded(Resource.INTEGRATIONS, Action.WRITE, null, view(s));
    }

    public View update(String workspaceId, String id, Input in) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        AudienceSync before = sync(workspaceId, id);
        AudienceSync s = checked(workspaceId, before, in);
        syncs.put(s);
        return access.recorded(Resource.INTEGRATIONS, Action.WRITE, view(before), view(s));
    }

    public void delete(String workspaceId, String id) {
        access.require(Resource.INTEGRATIONS, Action.DELETE);
        AudienceSync s = sync(workspaceId, id);
        syncs.delete(workspaceId, id);
        synced.forget(key(s));
        access.changed(Resource.INTEGRATIONS, Action.DELETE, id, view(s), null);
    }

    private AudienceSync checked(String workspaceId, AudienceSync s, Input in) {
        List<FieldError> errors = new ArrayList<>();
        String name = in.name() != null ? in.name().strip() : s.name();
        if (name == null || name.isEmpty() || name.length() > 200) {
            errors.add(FieldError.of("name", name, "1 to 200 characters"));
        }
        ClientDatabase db = null;
        if (in.database() != null) {
            db = databases.resolve(workspaceId, in.database()).orElse(null);
            if (db == null) {
                errors.add(FieldError.of("database", in.database(), "a database of this workspace"));
            }
        } else if (s.database() != null) {
            db = databases.find(s.database()).orElse(null);
        } else {
            errors.add(FieldError.of("database", null, "the database of the segment is required"));
        }
        String segment = in.segment() != null ? in.segment().strip() : s.segment();
        if (segment == null || segment.isEmpty()) {
            errors.add(FieldError.of("segment", segment, "the segment kept in the audience is required"));
        } else if (db != null && !segments.databaseOf(segment).map(db.id()::equals).orElse(false)) {
            errors.add(FieldError.of("segment", segment, "a segment of database '" + db.publicId() + "'"));
        }
        String destination = in.destination() != null ? in.destination().strip().toLowerCase(Locale.ROOT) : s.destination();
        Kind kind = null;
        try {
            kind = Kind.of(destination);
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        if (s.destination() != null && destination != null && !destination.equals(s.destination())) {
            errors.add(FieldError.of("destination", destination, "a sync keeps its platform; make another sync for another one"));
        }
        Map<String, String> settings = new LinkedHashMap<>(s.settings());
        if (in.settings() != null) {
            in.settings().forEach((k, v) -> {
                if (v == null || v.isEmpty()) {
                    settings.remove(k);
                } else {
                    settings.put(k, v.strip());
                }
            });
        }
        if (kind != null) {
            for (String k : settings.keySet()) {
                if (!kind.settings().containsKey(k)) {
                    errors.add(FieldError.of("settings." + k, k, "not a setting of " + kind.id() + ": " + kind.settings().keySet()));
                }
            }
            kind.settings().forEach((k, setting) -> {
                if (setting.required() && (settings.get(k) == null || settings.get(k).isBlank())) {
                    errors.add(FieldError.of("settings." + k, null, "is required for " + destination));
                }
            });
            for (String url : List.of("apiUrl", "tokenUrl")) {
                if (settings.get(url) != null && !settings.get(url).matches("(?i)https?://[^\\s/]+.*")) {
                    errors.add(FieldError.of("settings." + url, settings.get(url), "an http or https URL"));
                }
            }
            if (kind == Kind.VK && settings.get("type") != null && !settings.get("type").matches("email|phone")) {
                errors.add(FieldError.of("settings.type", settings.get("type"), "email or phone: the identifier VK's lists hold"));
            }
        }
        String consent = in.consentField() != null ? (in.consentField().isBlank() ? null : in.consentField().strip()) : s.consentField();
        String emailField = in.emailField() != null ? in.emailField().strip() : s.emailField();
        String phoneField = in.phoneField() != null ? in.phoneField().strip() : s.phoneField();
        if (db != null) {
            if (consent != null && db.schema().field(consent).isEmpty()) {
                errors.add(FieldError.of("consentField", consent, "a field of the database (true: consent to advertising), or nothing: an active email or SMS subscription"));
            }
        }
        int every = in.everyMinutes() != null ? in.everyMinutes() : s.everyMinutes();
        if (every < 15 || every > 10_080) {
            errors.add(FieldError.of("everyMinutes", every, "15 to 10080 (a week)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new AudienceSync(workspaceId, s.id(), name, db.id(), segment, destination, settings, consent, emailField, phoneField, every,
                in.enabled() != null ? in.enabled() : s.enabled(), s.lastRun(), s.created(), clock.instant());
    }

    private View view(AudienceSync s) {
        Map<String, Object> shown = new LinkedHashMap<>();
        Kind.of(s.destination()).settings().forEach((name, setting) -> {
            String v = s.settings().get(name);
            shown.put(name, setting.secret() ? Map.of("set", v != null) : v == null ? setting.fallback() : v);
        });
        String db = databases.find(s.database()).map(ClientDatabase::publicId).orElse(s.database());
        return new View(s.id(), s.name(), db, s.segment(), s.destination(), shown, s.consentField(), s.emailField(), s.phoneField(), s.everyMinutes(),
                s.enabled(), synced.count(key(s)), s.lastRun(), s.created(), s.updated());
    }

    private static String key(AudienceSync s) {
        return s.workspaceId() + "/" + s.id();
    }

    // ---- runs

    /** Runs a sync now (refused while it runs). */
    public Run run(String workspaceId, String id) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        return runSync(sync(workspaceId, id));
    }

    /** Runs the syncs whose time has come; how many ran. */
    public int runDue() {
        int ran = 0;
        Instant now = clock.instant();
        for (AudienceSync s : syncs.all()) {
            if (s.enabled() && !running.contains(key(s)) && (s.lastRun() == null
                    || !s.lastRun().at().plus(Duration.ofMinutes(s.everyMinutes())).isAfter(now))) {
                runSync(s);
                ran++;
            }
        }
        return ran;
    }

    private Run runSync(AudienceSync s) {
        if (!running.add(key(s))) {
            throw new ConflictException("the audience sync '" + s.id() + "' is running");
        }
        try {
            Run r = sync(s);
            syncs.update(s.workspaceId(), s.id(), stored -> stored == null ? null : new AudienceSync(stored.workspaceId(), stored.id(), stored.name(), stored.database(),
                    stored.segment(), stored.destination(), stored.settings(), stored.consentField(), stored.emailField(), stored.phoneField(),
                    stored.everyMinutes(), stored.enabled(), r, stored.created(), stored.updated()));
            return r;
        } finally {
            running.remove(key(s));
        }
    }

    /** One run: counted, then the differences sent batch by batch. */
    private Run sync(AudienceSync s) {
        Instant at = clock.instant();
        Optional<ClientDatabase> db = databases.find(s.database());
        if (db.isEmpty() || segments.databaseOf(s.segment()).isEmpty()) {
            return new Run(at, "failed", 0, 0, 0, 0, 0, null, "the sync's database or segment no longer exists", null);
        }
        AudienceDestination destination = destinations.of(s);
        // the first pass: how many would be in the audience (the platform's minimum warned about)
        long size = 0;
        long withoutConsent = 0;
        long withoutIdentifiers = 0;
        String after = null;
        for (List<String> page = segments.members(s.segment(), null, PAGE); !page.isEmpty(); page = segments.members(s.segment(), after, PAGE)) {
            for (String id : page) {
                Optional<Profile> p = profiles.find(db.get().id(), id);
                if (p.isEmpty()) {
                    continue;
                }
                if (!consents(s, p.get())) {
                    withoutConsent++;
                } else if (member(s, destination, p.get()) == null) {
                    withoutIdentifiers++;
                } else {
                    size++;
                }
            }
            after = page.get(page.size() - 1);
        }
        String warning = size < destination.minimumSize() ? "the audience would have " + size + " people; " + s.destination() + " serves ads to "
                + destination.minimumSize() + " or more" : null;
        Delta delta = new Delta(s, destination);
        try {
            walk(s, db.get(), destination, delta);
            delta.flush();
            if (destination instanceof AudienceDestination.WholeList whole && (delta.added + delta.removed > 0
                    || s.settings().get(WHOLE_LIST) == null || "true".equals(s.settings().get(UPLOAD_OWED)))) {
                remember(s, Map.of(UPLOAD_OWED, "true")); // until the platform has the whole list, the next run uploads it again
                String list = whole.replace(new StoredMembers(key(s)));
                remember(s, Map.of(WHOLE_LIST, list, UPLOAD_OWED, ""));
            }
            String status = destination.finish();
            return new Run(at, warning == null ? "done" : "warning", size, delta.added, delta.removed, withoutConsent, withoutIdentifiers, warning,
                    null, status);
        } catch (AudienceDestination.Refused e) {
            return new Run(at, "failed", size, delta.added, delta.removed, withoutConsent, withoutIdentifiers, warning,
                    e.getMessage() + (e.retry() ? " (tried again at the next run)" : ""), null);
        }
    }

    /** The setting a whole-list platform's current list is kept in, and the one saying its upload is still owed. */
    private static final String WHOLE_LIST = "usersListId";
    private static final String UPLOAD_OWED = "uploadOwed";

    /** Every member the platform was given, page by page in profile order (what a whole-list platform uploads). */
    private final class StoredMembers implements java.util.Iterator<Member> {
        private final String key;
        private List<Synced> page;
        private int i;

        StoredMembers(String key) {
            this.key = key;
            this.page = synced.page(key, null, PAGE);
        }

        @Override
        public boolean hasNext() {
            if (i == page.size() && !page.isEmpty()) {
                page = synced.page(key, page.get(page.size() - 1).profileId(), PAGE);
                i = 0;
            }
            return i < page.size();
        }

        @Override
        public Member next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            Synced m = page.get(i++);
            return new Member(m.profileId(), m.email(), m.phone());
        }
    }

    /** Both sides in profile order: what to add (new, or changed) and what to remove (gone, or changed). */
    private void walk(AudienceSync s, ClientDatabase db, AudienceDestination destination, Delta delta) {
        String key = key(s);
        String segAfter = null;
        String storedAfter = null;
        List<String> seg = segments.members(s.segment(), null, PAGE);
        List<Synced> stored = synced.page(key, null, PAGE);
        int i = 0;
        int j = 0;
        while (true) {
            if (i == seg.size() && !seg.isEmpty()) {
                segAfter = seg.get(seg.size() - 1);
                seg = segments.members(s.segment(), segAfter, PAGE);
                i = 0;
            }
            if (j == stored.size() && !stored.isEmpty()) {
                storedAfter = stored.get(stored.size() - 1).profileId();
                stored = synced.page(key, storedAfter, PAGE);
                j = 0;
            }
            String current = i < seg.size() ? seg.get(i) : null;
            Synced old = j < stored.size() ? stored.get(j) : null;
            if (current == null && old == null) {
                return;
            }
            int order = current == null ? 1 : old == null ? -1 : current.compareTo(old.profileId());
            if (order > 0) {
                delta.remove(old);
                j++;
                continue;
            }
            Member now = profiles.find(db.id(), current).filter(p -> consents(s, p)).map(p -> member(s, destination, p)).orElse(null);
            if (order < 0) {
                if (now != null) {
                    delta.add(now);
                }
                i++;
                continue;
            }
            if (now == null) {
                delta.remove(old);
            } else if (!java.util.Objects.equals(now.email(), old.email()) || !java.util.Objects.equals(now.phone(), old.phone())) {
                delta.remove(old);
                delta.add(now);
            }
            i++;
            j++;
        }
    }

    /** The differences gathered up to the platform's batch, then sent and recorded. */
    private final class Delta {
        private final AudienceSync sync;
        private final AudienceDestination destination;
        private final List<Member> adds = new ArrayList<>();
        private final List<Member> removes = new ArrayList<>();
        long added;
        long removed;

        Delta(AudienceSync sync, AudienceDestination destination) {
            this.sync = sync;
            this.destination = destination;
        }

        void add(Member m) {
            adds.add(m);
            if (adds.size() >= destination.batch()) {
                flush();
            }
        }

        void remove(Synced m) {
            removes.add(new Member(m.profileId(), m.email(), m.phone()));
            if (removes.size() >= destination.batch()) {
                flush();
            }
        }

        void flush() {
            if (!removes.isEmpty()) {
                destination.remove(removes);
                synced.delete(key(sync), removes.stream().map(Member::profileId).toList());
                removed += removes.size();
                removes.clear();
            }
            if (!adds.isEmpty()) {
                String made = destination.add(adds);
                if (made != null) {
                    remember(sync, Map.of("segmentId", made));
                }
                synced.put(key(sync), adds.stream().map(m -> new Synced(m.profileId(), m.email(), m.phone())).toList());
                added += adds.size();
                adds.clear();
            }
        }
    }

    /** The platform's own ids a sync made (Yandex's segment, VK's list), kept for the next runs; an empty value removes the setting. */
    private void remember(AudienceSync s, Map<String, String> remote) {
        syncs.update(s.workspaceId(), s.id(), stored -> {
            if (stored == null) {
                return null;
            }
            Map<String, String> settings = new LinkedHashMap<>(stored.settings());
            remote.forEach((k, v) -> {
                if (v.isEmpty()) {
                    settings.remove(k);
                } else {
                    settings.put(k, v);
                }
            });
            return new AudienceSync(stored.workspaceId(), stored.id(), stored.name(), stored.database(), stored.segment(), stored.destination(),
                    settings, stored.consentField(), stored.emailField(), stored.phoneField(), stored.everyMinutes(), stored.enabled(), stored.lastRun(),
                    stored.created(), clock.instant());
        });
    }

    /** Consent to advertising: the consent field true, or (without one) an active email or SMS subscription. */
    private static boolean consents(AudienceSync s, Profile p) {
        if (s.consentField() != null) {
            Object v = p.field(s.consentField());
            return Boolean.TRUE.equals(v) || "true".equalsIgnoreCase(String.valueOf(v));
        }
        return p.subscriptions().stream().anyMatch(x -> x.status() == Subscription.Status.ACTIVE
                && (x.channel() == Channel.EMAIL || x.channel() == Channel.SMS));
    }

    /** The person's identifiers as the platform takes them: the email and phone fields, else their email and SMS addresses. */
    private static Member member(AudienceSync s, AudienceDestination d, Profile p) {
        Object email = p.field(s.emailField());
        Object phone = p.field(s.phoneField());
        if (email == null) {
            email = p.subscriptions().stream().filter(x -> x.channel() == Channel.EMAIL).map(Subscription::address).findFirst().orElse(null);
        }
        if (phone == null) {
            phone = p.subscriptions().stream().filter(x -> x.channel() == Channel.SMS).map(Subscription::address).findFirst().orElse(null);
        }
        return d.member(p.id(), email, phone);
    }
}
