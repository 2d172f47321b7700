package org.orbita.channels;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.common.Storable;
import org.orbita.outbound.NetworkGuard;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;

/**
 * The channel providers' settings an administrator keeps in the UI or the API: per provider
 * kind its fields, secrets write-only (shown as set or not, never read back). What is saved
 * here wins over the configuration file; removing it falls back to the file. Service URLs are
 * checked against the network guard like any user-configured address.
 */
public final class ProviderSettings {

    /** One setting of a provider. */
    public record Field(String name, boolean secret, boolean required, String fallback) {}

    /** A provider kind, the channel it sends in and its settings. */
    public enum Kind {
        TELEGRAM("telegram", new Field("botToken", true, true, null), new Field("apiUrl", false, false, "https://api.telegram.org")),
        TWILIO("sms", new Field("accountSid", false, true, null), new Field("authToken", true, true, null), new Field("from", false, true, null),
                new Field("apiUrl", false, false, "https://api.twilio.com")),
        SMPP("sms", new Field("host", false, true, null), new Field("port", false, false, "2775"), new Field("systemId", false, true, null),
                new Field("password", true, false, null), new Field("systemType", false, false, ""), new Field("source", false, true, null)),
        FCM("push", new Field("serviceAccount", true, true, null), new Field("apiUrl", false, false, "https://fcm.googleapis.com")),
        APNS("push", new Field("teamId", false, true, null), new Field("keyId", false, true, null), new Field("key", true, true, null),
                new Field("topic", false, true, null), new Field("apiUrl", false, false, "https://api.push.apple.com")),
        HMS("push", new Field("appId", false, true, null), new Field("appSecret", true, true, null),
                new Field("authUrl", false, false, "https://oauth-login.cloud.huawei.com/oauth2/v3/token"),
                new Field("apiUrl", false, false, "https://push-api.cloud.huawei.com")),
        RUSTORE("push", new Field("projectId", false, true, null), new Field("serviceToken", true, true, null),
                new Field("apiUrl", false, false, "https://vkpns.rustore.ru")),
        INFOBIP("sms", new Field("apiKey", true, true, null), new Field("from", false, true, null),
                new Field("apiUrl", false, false, "https://api.infobip.com")),
        SMSC("sms", new Field("login", false, true, null), new Field("password", true, true, null), new Field("sender", false, false, null),
                new Field("apiUrl", false, false, "https://smsc.ru")),
        SMS_TRAFFIC("sms", new Field("login", false, true, null), new Field("password", true, true, null), new Field("originator", false, false, null),
                new Field("apiUrl", false, false, "https://api.smstraffic.ru/multi.php"),
                new Field("failoverUrl", false, false, "https://api2.smstraffic.ru/multi.php")),
        DEVINO("sms", new Field("login", false, true, null), new Field("password", true, true, null), new Field("sender", false, true, null),
                new Field("apiUrl", false, false, "https://integrationapi.net/rest/v2")),
        EXOLVE("sms", new Field("apiKey", true, true, null), new Field("number", false, true, null),
                new Field("apiUrl", false, false, "https://api.exolve.ru/messaging/v1")),
        HTTP_SMS("sms", new Field("url", false, true, null), new Field("method", false, false, "POST"),
                new Field("contentType", false, false, "application/x-www-form-urlencoded"), new Field("body", false, false, null),
                new Field("headers", true, false, null), new Field("successPattern", false, true, null), new Field("idPattern", false, false, null),
                new Field("unreachablePattern", false, false, null), new Field("sender", false, false, null)),
        SNS_SMS("sms", new Field("region", false, true, null), new Field("accessKeyId", false, true, null),
                new Field("secretAccessKey", true, true, null), new Field("smsType", false, false, "Transactional"), new Field("senderId", false, false, null),
                new Field("apiUrl", false, false, null)),
        SNS_PUSH("push", new Field("region", false, true, null), new Field("accessKeyId", false, true, null),
                new Field("secretAccessKey", true, true, null), new Field("apiUrl", false, false, null)),
        WEBHOOK("webhook", new Field("secret", true, true, null));

        private final String channel;
        private final List<Field> fields;

        Kind(String channel, Field... fields) {
            this.channel = channel;
            this.fields = List.of(fields);
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String channel() {
            return channel;
        }

        public List<Field> fields() {
            return fields;
        }

        public static Kind fromId(String id) {
            return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst().orElseThrow(() -> new NotFoundException("provider kind", id));
        }
    }

    /** A setting as shown: a secret's value is never given, only whether it is set. */
    public record ShownField(String name, boolean secret, boolean required, String value, boolean set) {}

    /** A provider kind as shown: where its settings come from ({@code settings}, {@code configuration} or {@code none}). */
    public record Shown(String kind, String channel, String source, Instant updatedAt, List<ShownField> fields) {}

    private record Saved(String kind, Map<String, String> values, Instant updatedAt) {}

    private final Documents<Saved> saved;
    private final Map<Kind, Map<String, String>> configured;
    private final NetworkGuard guard;
    private final Access access;
    private final List<Consumer<Kind>> listeners = new CopyOnWriteArrayList<>();
    private volatile BiConsumer<Kind, Map<String, String>> check = (kind, values) -> {};

    /** @param configured each kind's values from the configuration file (absent or empty: not configured there) */
    public ProviderSettings(SettingsStore settings, Map<Kind, Map<String, String>> configured, NetworkGuard guard, Access access) {
        this.access = access;
        this.saved = new Documents<>(settings, "channel-providers", Saved.class, Saved::kind);
        this.configured = Map.copyOf(configured);
        this.guard = guard;
    }

    /**
     * How a save is tried before it is kept: {@code check} makes a provider from the values (with
     * defaults filled in) and throws {@link InvalidInputException} naming what it cannot use.
     */
    public void checkWith(BiConsumer<Kind, Map<String, String>> check) {
        this.check = check;
    }

    /** Called with the kind after each save or removal (providers are rebuilt from it). */
    public void onChange(Consumer<Kind> listener) {
        listeners.add(listener);
    }

    /**
     * The values a provider of this kind is built from, defaults filled in: the saved ones, else
     * the configuration's; empty when neither sets the kind's required fields.
     */
    public Optional<Map<String, String>> effective(Kind kind) {
        Map<String, String> values = saved.get(kind.id()).map(Saved::values).orElseGet(() -> configured.getOrDefault(kind, Map.of()));
        Map<String, String> out = new LinkedHashMap<>();
        for (Field f : kind.fields()) {
            String v = values.get(f.name());
            if (v == null || v.isBlank()) {
                if (f.required()) {
                    return Optional.empty();
                }
                v = f.fallback();
            }
            out.put(f.name(), v);
        }
        return Optional.of(out);
    }

    public List<Shown> list() {
        access.require(Resource.SETTINGS, Action.READ);
        return Arrays.stream(Kind.values()).map(this::shown).toList();
    }

    public Shown shown(Kind kind) {
        Optional<Saved> s = saved.get(kind.id());
        Map<String, String> values = s.map(Saved::values).orElseGet(() -> configured.getOrDefault(kind, Map.of()));
        String source = s.isPresent() ? "settings" : effective(kind).isPresent() ? "configuration" : "none";
        List<ShownField> fields = new ArrayList<>();
        for (Field f : kind.fields()) {
            String v = values.get(f.name());
            boolean set = v != null && !v.isBlank();
            fields.add(new ShownField(f.name(), f.secret(), f.required(), f.secret() ? null : set ? v : f.fallback(), set));
        }
        return new Shown(kind.id(), kind.channel(), source, s.map(Saved::updatedAt).orElse(null), fields);
    }

    /**
     * Saves a kind's settings. A secret left out keeps the value it had (saved, else configured);
     * an empty string clears a setting. Unknown fields, missing required ones, URLs that are not
     * http(s) or reach a private address, and a port that is not one are refused by name.
     */
    public Shown save(Kind kind, Map<String, String> given, Instant now) {
        access.require(Resource.SETTINGS, Action.WRITE);
        Shown shownBefore = shown(kind);
        Map<String, String> before = saved.get(kind.id()).map(Saved::values).orElseGet(() -> configured.getOrDefault(kind, Map.of()));
        Map<String, String> values = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> in = given == null ? Map.of() : given;
        for (String name : in.keySet()) {
            if (kind.fields().stream().noneMatch(f -> f.name().equals(name))) {
                errors.add(FieldError.of(name, in.get(name), "is not a setting of " + kind.id() + ": "
                        + kind.fields().stream().map(Field::name).toList()));
            }
        }
        for (Field f : kind.fields()) {
            String v = in.containsKey(f.name()) ? in.get(f.name()) : f.secret() ? before.get(f.name()) : null;
            v = v == null ? null : v.strip();
            if (v != null && v.isEmpty()) {
                v = null;
            }
            String shownValue = f.secret() ? "(secret)" : v;
            if (v == null) {
                if (f.required()) {
                    errors.add(FieldError.of(f.name(), null, "is required"));
                }
                continue;
            }
            String problem = Storable.textProblem(v);
            if (problem == null && v.length() > 64 * 1024) {
                problem = "must be at most 65,536 characters";
            }
            if (problem == null && f.name().endsWith("Url") && !v.equals(f.fallback())) { // the service's own address needs no check
                problem = urlProblem(v);
            }
            if (problem == null && f.name().equals("port") && (!v.matches("\\d{1,5}") || Integer.parseInt(v) < 1 || Integer.parseInt(v) > 65535)) {
                problem = "must be a port number, 1 to 65535";
            }
            if (problem == null && f.name().equals("host")) {
                problem = hostProblem(v);
            }
            if (problem != null) {
                errors.add(FieldError.of(f.name(), shownValue, problem));
            }
            values.put(f.name(), v);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Map<String, String> filled = new LinkedHashMap<>(values);
        kind.fields().stream().filter(f -> !filled.containsKey(f.name())).forEach(f -> filled.put(f.name(), f.fallback()));
        check.accept(kind, filled);
        saved.put(new Saved(kind.id(), values, now));
        listeners.forEach(l -> l.accept(kind));
        Shown after = shown(kind);
        // what is shown, never the secrets themselves, is what the audit log digests
        access.changed(Resource.SETTINGS, Action.WRITE, "provider:" + kind.id(), shownBefore, after);
        return after;
    }

    /** Forgets the saved settings: the configuration's apply again. False when none were saved. */
    public boolean remove(Kind kind) {
        access.require(Resource.SETTINGS, Action.WRITE);
        boolean removed = saved.delete(kind.id());
        if (removed) {
            access.changed(Resource.SETTINGS, Action.WRITE, "provider:" + kind.id(), kind.id(), null);
            listeners.forEach(l -> l.accept(kind));
        }
        return removed;
    }

    private String urlProblem(String v) {
        try {
            URI u = new URI(v);
            if (u.getScheme() == null || !List.of("http", "https").contains(u.getScheme().toLowerCase(Locale.ROOT)) || u.getHost() == null) {
                return "must be an http or https URL";
            }
            return hostProblem(u.getHost());
        } catch (URISyntaxException e) {
            return "must be an http or https URL";
        }
    }

    private String hostProblem(String host) {
        try {
            guard.check(host);
            return null;
        } catch (SecurityException e) {
            return "must not reach a loopback or private address (" + e.getMessage() + ")";
        } catch (UnknownHostException e) {
            return "must be a host name that resolves";
        }
    }
}
