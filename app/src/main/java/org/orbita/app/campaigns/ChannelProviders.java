package org.orbita.app.campaigns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.orbita.access.Access;
import org.orbita.app.config.OrbitaProperties;
import org.orbita.channels.ApnsPush;
import org.orbita.channels.ChannelProvider;
import org.orbita.channels.FcmPush;
import org.orbita.channels.HmsPush;
import org.orbita.channels.InboxProvider;
import org.orbita.channels.ProviderAdmin;
import org.orbita.channels.ProviderSettings;
import org.orbita.channels.PushProvider;
import org.orbita.channels.SmppSmsProvider;
import org.orbita.channels.TelegramProvider;
import org.orbita.channels.TwilioSmsProvider;
import org.orbita.channels.WebPushKeys;
import org.orbita.channels.WebPushProvider;
import org.orbita.channels.WebhookProvider;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.events.EventLog;
import org.orbita.outbound.NetworkGuard;
import org.orbita.settings.KeptSecrets;
import org.orbita.settings.SettingsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers messages go out through, one slot per channel: the webhook, the in-app inbox
 * and web push always; Telegram, SMS (SMPP when an SMSC host is set, else Twilio's API) and
 * mobile push (each platform with credentials) when their settings are given — in the
 * configuration file or, winning over it, in Settings → Channel providers
 * ({@link ProviderSettings}). A change of settings rebuilds the channel's provider in place: its
 * worker sends through the new one from the next message; a channel left without a provider
 * keeps its messages waiting, then fails them with the reason.
 */
public final class ChannelProviders implements ProviderAdmin, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChannelProviders.class);

    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final InboxProvider inbox;
    private final String vapidPublicKey;
    private final ProviderSettings settings;
    private final KeptSecrets secrets;
    private final OrbitaProperties.Channels c;
    private final NetworkGuard guard;
    private final String publicUrl;

    ChannelProviders(Access access, OrbitaProperties props, SettingsStore store, NetworkGuard guard, EventLog events, Clock clock) {
        this.secrets = new KeptSecrets(store);
        this.c = props.channels();
        this.guard = guard;
        String base = props.content().publicUrl();
        this.publicUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.settings = new ProviderSettings(store, configured(c), guard, access);
        settings.checkWith((kind, values) -> close(build(kind, values)));
        for (String channel : List.of("webhook", "telegram", "sms", "push")) {
            slots.put(channel, new Slot(channel));
            rebuild(channel);
        }
        inbox = new InboxProvider(events, clock);
        slots.put(inbox.channel(), new Slot(inbox.channel(), inbox));
        OrbitaProperties.Webpush w = c.webpush();
        String[] made = set(w.publicKey()) ? null : WebPushKeys.generate();
        vapidPublicKey = set(w.publicKey()) ? w.publicKey().strip() : secrets.get("vapid-public-key", null, () -> made[0]);
        String vapidPrivate = set(w.privateKey()) ? w.privateKey() : secrets.get("vapid-private-key", null, () -> made[1]);
        WebPushProvider webpush = new WebPushProvider(vapidPublicKey, vapidPrivate, w.subject(), guard, w.ttl());
        slots.put(webpush.channel(), new Slot(webpush.channel(), webpush));
        settings.onChange(kind -> rebuild(kind.channel()));
    }

    /** The settings the UI and the API change. */
    @Override
    public ProviderSettings settings() {
        return settings;
    }

    /**
     * Sends a test through a provider of this kind made from its current settings (not
     * necessarily the one the channel uses: a Twilio account can be tried while SMPP sends), and
     * says what the service answered.
     */
    @Override
    public ChannelProvider.Result test(ProviderSettings.Kind kind, String to) {
        Map<String, String> values = settings.effective(kind)
                .orElseThrow(() -> new InvalidInputException("kind", kind.id(), "has no settings yet: save them first"));
        if (to == null || to.isBlank()) {
            throw new InvalidInputException("to", to, switch (kind.channel()) {
                case "sms" -> "is required: a phone number in international form (+…)";
                case "telegram" -> "is required: a chat id (the person wrote to the bot first)";
                case "webhook" -> "is required: an http or https URL";
                default -> kind == ProviderSettings.Kind.SNS_PUSH ? "is required: a platform endpoint's ARN (arn:aws:sns:…:endpoint/…)"
                        : "is required: a device token" + (kind == ProviderSettings.Kind.FCM ? "" : " (" + kind.id() + ":<token>)");
            });
        }
        ChannelProvider p = build(kind, values);
        try {
            String text = "A test from Orbita: the " + kind.id() + " provider works.";
            Map<String, Object> payload = new LinkedHashMap<>();
            switch (kind.channel()) {
                case "push" -> {
                    payload.put("title", "Orbita");
                    payload.put("body", text);
                    payload.put("actions", List.of());
                }
                case "webhook" -> {
                    payload.put("method", "POST");
                    payload.put("url", to.strip());
                    payload.put("headers", Map.of("Content-Type", "application/json"));
                    payload.put("body", "{\"test\":true,\"text\":\"" + text + "\"}");
                }
                default -> {
                    payload.put("text", text);
                    payload.put("buttons", List.of());
                }
            }
            String platform = kind == ProviderSettings.Kind.SNS_PUSH ? "sns" : kind.id();
            String address = kind.channel().equals("push") && !to.strip().startsWith(platform + ":") ? platform + ":" + to.strip() : to.strip();
            return p.send("test-" + Ids.next(), address, payload);
        } finally {
            close(p);
        }
    }

    /** Where a channel's provider stands: built, not configured, or refused by its settings. */
    @Override
    public Map<String, String> status() {
        Map<String, String> out = new LinkedHashMap<>();
        slots.forEach((channel, slot) -> out.put(channel, slot.problem != null ? slot.problem : slot.current == null ? "not configured" : "ready"));
        return out;
    }

    private void rebuild(String channel) {
        Slot slot = slots.get(channel);
        if (slot == null) {
            return;
        }
        try {
            ChannelProvider next = switch (channel) {
                case "webhook" -> build(ProviderSettings.Kind.WEBHOOK, settings.effective(ProviderSettings.Kind.WEBHOOK).orElseGet(() -> Map.of("secret",
                        secrets.get("webhook-key", c.webhook().secret(), ChannelProviders::newWebhookKey))));
                case "telegram" -> settings.effective(ProviderSettings.Kind.TELEGRAM).map(v -> build(ProviderSettings.Kind.TELEGRAM, v)).orElse(null);
                case "sms" -> SMS_ORDER.stream().map(k -> settings.effective(k).map(v -> build(k, v))).flatMap(java.util.Optional::stream).findFirst()
                        .orElse(null);
                default -> {
                    List<PushProvider.Platform> platforms = new ArrayList<>();
                    for (ProviderSettings.Kind k : List.of(ProviderSettings.Kind.FCM, ProviderSettings.Kind.APNS, ProviderSettings.Kind.HMS,
                            ProviderSettings.Kind.RUSTORE, ProviderSettings.Kind.SNS_PUSH)) {
                        settings.effective(k).ifPresent(v -> platforms.add(platform(k, v)));
                    }
                    yield platforms.isEmpty() ? null : new PushProvider(platforms);
                }
            };
            slot.use(next, null);
        } catch (RuntimeException e) {
            // a configuration file's setting the service cannot use: the channel says why
            log.error("the {} provider cannot be made from its settings: {}", channel, e.getMessage());
            slot.use(null, e.getMessage());
        }
    }

    private static String newWebhookKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return HexFormat.of().formatHex(key);
    }

    /** A provider of this kind from these values; a value it cannot use is refused by name. */
    private ChannelProvider build(ProviderSettings.Kind kind, Map<String, String> v) {
        return switch (kind) {
            case TELEGRAM -> new TelegramProvider(v.get("apiUrl"), v.get("botToken"));
            case TWILIO -> new TwilioSmsProvider(v.get("apiUrl"), v.get("accountSid"), v.get("authToken"), v.get("from"));
            case INFOBIP -> new org.orbita.channels.InfobipSmsProvider(checkedUrl("apiUrl", v.get("apiUrl")), v.get("apiKey"), v.get("from"),
                    receiptsUrl(kind));
            case SMSC -> new org.orbita.channels.SmscSmsProvider(checkedUrl("apiUrl", v.get("apiUrl")), v.get("login"), v.get("password"), v.get("sender"));
            case SMS_TRAFFIC -> new org.orbita.channels.SmsTrafficProvider(checkedUrl("apiUrl", v.get("apiUrl")),
                    v.get("failoverUrl") == null || v.get("failoverUrl").isBlank() ? null : checkedUrl("failoverUrl", v.get("failoverUrl")),
                    v.get("login"), v.get("password"), v.get("originator"));
            case DEVINO -> new org.orbita.channels.DevinoSmsProvider(checkedUrl("apiUrl", v.get("apiUrl")), v.get("login"), v.get("password"),
                    v.get("sender"), java.time.Clock.systemUTC());
            case EXOLVE -> new org.orbita.channels.ExolveSmsProvider(checkedUrl("apiUrl", v.get("apiUrl")), v.get("apiKey"), v.get("number"));
            case HTTP_SMS -> httpSms(v);
            case SMPP -> new SmppSmsProvider(new SmppSmsProvider.Settings(v.get("host"), Integer.parseInt(v.get("port")), v.get("systemId"),
                    v.get("password"), v.get("systemType"), v.get("source"), c.smpp().responseTimeout().toMillis()));
            case WEBHOOK -> new WebhookProvider(v.get("secret").getBytes(StandardCharsets.UTF_8), guard, c.webhook().timeout());
            case SNS_SMS -> sns(v).sms();
            case FCM, APNS, HMS, RUSTORE, SNS_PUSH -> new PushProvider(List.of(platform(kind, v)));
        };
    }

    /** The SMS providers in the order the channel takes the first one with settings. */
    static final List<ProviderSettings.Kind> SMS_ORDER = List.of(ProviderSettings.Kind.SMPP, ProviderSettings.Kind.TWILIO,
            ProviderSettings.Kind.INFOBIP, ProviderSettings.Kind.SMSC, ProviderSettings.Kind.SMS_TRAFFIC, ProviderSettings.Kind.DEVINO,
            ProviderSettings.Kind.EXOLVE, ProviderSettings.Kind.HTTP_SMS,
            ProviderSettings.Kind.SNS_SMS);

    /** Amazon SNS's Publish with these settings; a region or SMS type it cannot take is refused by name. */
    private static org.orbita.channels.SnsPublish sns(Map<String, String> v) {
        if (v.get("apiUrl") != null && !v.get("apiUrl").isBlank()) {
            checkedUrl("apiUrl", v.get("apiUrl"));
        }
        try {
            return new org.orbita.channels.SnsPublish(v.get("region"), v.get("accessKeyId"), v.get("secretAccessKey"), v.get("apiUrl"),
                    v.get("smsType"), v.get("senderId"), java.time.Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage().startsWith("region") ? "region" : "smsType", e.getMessage().startsWith("region")
                    ? v.get("region") : v.get("smsType"), e.getMessage());
        }
    }

    private static String checkedUrl(String field, String url) {
        if (url == null || !url.matches("(?i)https?://[^\\s/]+.*")) {
            throw new InvalidInputException(field, url, "an http or https URL");
        }
        return url;
    }

    private ChannelProvider httpSms(Map<String, String> v) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (v.get("headers") != null && !v.get("headers").isBlank()) {
            try {
                org.orbita.common.Json.readMap(v.get("headers")).forEach((k, x) -> headers.put(k, String.valueOf(x)));
            } catch (RuntimeException e) {
                throw new InvalidInputException("headers", "(secret)", "a JSON object of header names and values");
            }
        }
        try {
            return new org.orbita.channels.HttpSmsProvider(new org.orbita.channels.HttpSmsProvider.Settings(v.get("method").toUpperCase(java.util.Locale.ROOT),
                    checkedUrl("url", v.get("url")), v.get("contentType"), v.get("body"), headers, v.get("successPattern"), v.get("idPattern"),
                    v.get("unreachablePattern"), v.get("sender")), guard);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new InvalidInputException("successPattern", e.getPattern(), "a regular expression: " + e.getDescription());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("method", v.get("method"), e.getMessage());
        }
    }

    /** The key in the SMS gateways' receipts address, kept so every node and restart shares it. */
    private String receiptsKey() {
        return secrets.get("sms-receipts-key", null, () -> HexFormat.of().formatHex(randomBytes(16)));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    /** Where a gateway posts its delivery reports: {@code {public URL}/t/sms/{kind}/{key}} (Infobip is told it per message; SMSC's account is set to it). */
    public String receiptsUrl(ProviderSettings.Kind kind) {
        return publicUrl + "/t/sms/" + kind.id() + "/" + receiptsKey();
    }

    /** The receipts addresses of the gateways that post them. */
    public Map<String, String> receiptsUrls() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(ProviderSettings.Kind.INFOBIP.id(), receiptsUrl(ProviderSettings.Kind.INFOBIP));
        out.put(ProviderSettings.Kind.SMSC.id(), receiptsUrl(ProviderSettings.Kind.SMSC));
        out.put(ProviderSettings.Kind.SMS_TRAFFIC.id(), receiptsUrl(ProviderSettings.Kind.SMS_TRAFFIC));
        return out;
    }

    /**
     * A delivery report a gateway posted to its receipts address, handed to the SMS channel's
     * provider when it is that gateway; how many messages it told of.
     *
     * @throws SecurityException for a wrong key
     */
    public int smsReport(String kind, String key, String contentType, String body) {
        if (key == null || !java.security.MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), receiptsKey().getBytes(StandardCharsets.UTF_8))) {
            throw new SecurityException("this receipts address's key is not the platform's");
        }
        Slot slot = slots.get("sms");
        ChannelProvider current = slot == null ? null : slot.current;
        if (kind.equals(ProviderSettings.Kind.INFOBIP.id()) && current instanceof org.orbita.channels.InfobipSmsProvider infobip) {
            return infobip.report(body);
        }
        if (kind.equals(ProviderSettings.Kind.SMSC.id()) && current instanceof org.orbita.channels.SmscSmsProvider smsc) {
            return smsc.report(form(body)) ? 1 : 0;
        }
        if (kind.equals(ProviderSettings.Kind.SMS_TRAFFIC.id()) && current instanceof org.orbita.channels.SmsTrafficProvider traffic) {
            return traffic.report(form(body)) ? 1 : 0;
        }
        return 0;
    }

    /** A form post's fields. */
    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    /** Asks the SMS gateway whose statuses are asked for (SMS Traffic, Devino) for the ones still owed; how many it told. */
    public int pollSmsReceipts() {
        Slot slot = slots.get("sms");
        return slot != null && slot.current instanceof org.orbita.channels.SmsGateway gateway ? gateway.poll() : 0;
    }

    private static PushProvider.Platform platform(ProviderSettings.Kind kind, Map<String, String> v) {
        try {
            return switch (kind) {
                case FCM -> FcmPush.fcm(v.get("serviceAccount"), v.get("apiUrl"));
                case APNS -> new ApnsPush(v.get("teamId"), v.get("keyId"), v.get("key"), v.get("topic"), v.get("apiUrl"), null);
                case HMS -> new HmsPush(v.get("appId"), v.get("appSecret"), v.get("authUrl"), v.get("apiUrl"));
                case RUSTORE -> FcmPush.rustore(v.get("projectId"), v.get("serviceToken"), v.get("apiUrl"));
                case SNS_PUSH -> sns(v).push();
                default -> throw new IllegalArgumentException(kind.id() + " is not a push platform");
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(kind == ProviderSettings.Kind.FCM ? "serviceAccount" : kind == ProviderSettings.Kind.APNS ? "key" : "kind",
                    "(secret)", "cannot be used: " + e.getMessage());
        }
    }

    /** The configuration file's settings by kind; credentials given as a file's path are read here, once. */
    static Map<ProviderSettings.Kind, Map<String, String>> configured(OrbitaProperties.Channels c) {
        Map<ProviderSettings.Kind, Map<String, String>> out = new LinkedHashMap<>();
        out.put(ProviderSettings.Kind.TELEGRAM, values("botToken", c.telegram().botToken(), "apiUrl", c.telegram().apiUrl()));
        out.put(ProviderSettings.Kind.TWILIO, values("accountSid", c.sms().accountSid(), "authToken", c.sms().authToken(), "from", c.sms().from(),
                "apiUrl", c.sms().apiUrl()));
        out.put(ProviderSettings.Kind.SMPP, values("host", c.smpp().host(), "port", String.valueOf(c.smpp().port()), "systemId", c.smpp().systemId(),
                "password", c.smpp().password(), "systemType", c.smpp().systemType(), "source", c.smpp().source()));
        OrbitaProperties.Push p = c.push();
        out.put(ProviderSettings.Kind.FCM, values("serviceAccount", set(p.fcm().serviceAccount())
                ? inlineOrFile(p.fcm().serviceAccount(), "orbita.channels.push.fcm.service-account") : null, "apiUrl", p.fcm().apiUrl()));
        out.put(ProviderSettings.Kind.APNS, values("teamId", p.apns().teamId(), "keyId", p.apns().keyId(), "key", set(p.apns().key())
                ? inlineOrFile(p.apns().key(), "orbita.channels.push.apns.key") : null, "topic", p.apns().topic(), "apiUrl", p.apns().apiUrl()));
        out.put(ProviderSettings.Kind.HMS, values("appId", p.hms().appId(), "appSecret", p.hms().appSecret(), "authUrl", p.hms().authUrl(),
                "apiUrl", p.hms().apiUrl()));
        out.put(ProviderSettings.Kind.RUSTORE, values("projectId", p.rustore().projectId(), "serviceToken", p.rustore().serviceToken(),
                "apiUrl", p.rustore().apiUrl()));
        out.put(ProviderSettings.Kind.WEBHOOK, values("secret", c.webhook().secret()));
        return out;
    }

    private static Map<String, String> values(String... namesAndValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (set(namesAndValues[i + 1])) {
                out.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return out;
    }

    /** One channel's provider, switched in place when its settings change. */
    static final class Slot implements ChannelProvider {
        private final String channel;
        private volatile ChannelProvider current;
        private volatile String problem;
        private volatile Receipts receipts;

        Slot(String channel) {
            this.channel = channel;
        }

        Slot(String channel, ChannelProvider fixed) {
            this.channel = channel;
            this.current = fixed;
        }

        @Override
        public String channel() {
            return channel;
        }

        @Override
        public Result send(String key, String address, Map<String, Object> payload) {
            ChannelProvider p = current;
            if (p == null) {
                return new Result.Retry("no " + channel + " provider is configured (Settings → Channel providers)"
                        + (problem == null ? "" : ": " + problem), Duration.ofMinutes(1));
            }
            return p.send(key, address, payload);
        }

        @Override
        public void receipts(Receipts to) {
            receipts = to;
            ChannelProvider p = current;
            if (p != null) {
                p.receipts(to);
            }
        }

        synchronized void use(ChannelProvider next, String why) {
            if (next != null && receipts != null) {
                next.receipts(receipts);
            }
            ChannelProvider old = current;
            current = next;
            problem = why;
            if (old != null && old != next) {
                close(old);
            }
        }

        boolean ready() {
            return current != null;
        }
    }

    /** The channels campaigns can send in: email (through the MTA) and each provider's. */
    public Set<String> channels() {
        Set<String> out = new TreeSet<>(Set.of("email"));
        slots.values().stream().filter(Slot::ready).forEach(p -> out.add(p.channel()));
        return out;
    }

    /** Every channel's slot: a worker each, whether or not a provider is there yet. */
    public List<ChannelProvider> all() {
        return List.copyOf(slots.values());
    }

    public InboxProvider inbox() {
        return inbox;
    }

    /** The VAPID public key a site's page subscribes with ({@code applicationServerKey}). */
    public String vapidPublicKey() {
        return vapidPublicKey;
    }

    @Override
    public void close() {
        slots.values().forEach(slot -> slot.use(null, "closed"));
    }

    private static void close(ChannelProvider p) {
        if (p instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("closing the {} provider: {}", p.channel(), e.getMessage());
            }
        }
    }

    private static boolean set(String s) {
        return s != null && !s.isBlank();
    }

    /** A credential given inline (JSON or PEM) or as the path of a file holding it. */
    static String inlineOrFile(String value, String setting) {
        String v = value.strip();
        if (v.startsWith("{") || v.startsWith("-----")) {
            return v;
        }
        try {
            return Files.readString(Path.of(v));
        } catch (IOException | InvalidPathException e) {
            throw new IllegalArgumentException(setting + " is neither the credential itself nor a file that can be read: " + e.getMessage(), e);
        }
    }
}
