package org.orbita.app.campaigns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.orbita.app.config.OrbitaProperties;
import org.orbita.channels.ApnsPush;
import org.orbita.channels.ChannelProvider;
import org.orbita.channels.FcmPush;
import org.orbita.channels.HmsPush;
import org.orbita.channels.InboxProvider;
import org.orbita.channels.PushProvider;
import org.orbita.channels.SmppSmsProvider;
import org.orbita.channels.TelegramProvider;
import org.orbita.channels.TwilioSmsProvider;
import org.orbita.channels.WebPushKeys;
import org.orbita.channels.WebPushProvider;
import org.orbita.channels.WebhookProvider;
import org.orbita.outbound.NetworkGuard;
import org.orbita.events.EventLog;
import org.orbita.settings.KeptSecrets;
import org.orbita.settings.SettingsStore;
import org.slf4j.LoggerFactory;

/**
 * The providers the configuration turns on: the webhook and the in-app inbox always; Telegram
 * with a bot token; SMS over SMPP with an SMSC host, else over Twilio's API with an account;
 * mobile push with any platform's credentials; web push always (its VAPID keys made once and
 * kept in the settings store when not configured). A credential that cannot be read stops the
 * start with the setting's name.
 */
public final class ChannelProviders implements AutoCloseable {

    private final List<ChannelProvider> providers = new ArrayList<>();
    private final InboxProvider inbox;
    private final String vapidPublicKey;

    ChannelProviders(OrbitaProperties props, SettingsStore settings, NetworkGuard guard, EventLog events, Clock clock) {
        KeptSecrets secrets = new KeptSecrets(settings);
        OrbitaProperties.Channels c = props.channels();
        String secret = secrets.get("webhook-key", c.webhook().secret(), () -> {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            return HexFormat.of().formatHex(key);
        });
        providers.add(new WebhookProvider(secret.getBytes(StandardCharsets.UTF_8), guard, c.webhook().timeout()));
        inbox = new InboxProvider(events, clock);
        providers.add(inbox);
        if (set(c.telegram().botToken())) {
            providers.add(new TelegramProvider(c.telegram().apiUrl(), c.telegram().botToken()));
        }
        if (set(c.smpp().host())) {
            providers.add(new SmppSmsProvider(new SmppSmsProvider.Settings(c.smpp().host(), c.smpp().port(), c.smpp().systemId(), c.smpp().password(),
                    c.smpp().systemType(), c.smpp().source(), c.smpp().responseTimeout().toMillis())));
        } else if (set(c.sms().accountSid())) {
            providers.add(new TwilioSmsProvider(c.sms().apiUrl(), c.sms().accountSid(), c.sms().authToken(), c.sms().from()));
        }
        List<PushProvider.Platform> platforms = new ArrayList<>();
        OrbitaProperties.Push p = c.push();
        if (set(p.fcm().serviceAccount())) {
            platforms.add(FcmPush.fcm(inlineOrFile(p.fcm().serviceAccount(), "orbita.channels.push.fcm.service-account"), p.fcm().apiUrl()));
        }
        if (set(p.apns().keyId())) {
            platforms.add(new ApnsPush(p.apns().teamId(), p.apns().keyId(), inlineOrFile(p.apns().key(), "orbita.channels.push.apns.key"),
                    p.apns().topic(), p.apns().apiUrl(), null));
        }
        if (set(p.hms().appId())) {
            platforms.add(new HmsPush(p.hms().appId(), p.hms().appSecret(), p.hms().authUrl(), p.hms().apiUrl()));
        }
        if (set(p.rustore().projectId())) {
            platforms.add(FcmPush.rustore(p.rustore().projectId(), p.rustore().serviceToken(), p.rustore().apiUrl()));
        }
        if (!platforms.isEmpty()) {
            providers.add(new PushProvider(platforms));
        }
        OrbitaProperties.Webpush w = c.webpush();
        String[] made = set(w.publicKey()) ? null : WebPushKeys.generate();
        vapidPublicKey = set(w.publicKey()) ? w.publicKey().strip() : secrets.get("vapid-public-key", null, () -> made[0]);
        String vapidPrivate = set(w.privateKey()) ? w.privateKey() : secrets.get("vapid-private-key", null, () -> made[1]);
        providers.add(new WebPushProvider(vapidPublicKey, vapidPrivate, w.subject(), guard, w.ttl()));
    }

    /** The channels campaigns can send in: email (through the MTA) and each provider's. */
    public Set<String> channels() {
        Set<String> out = new TreeSet<>(Set.of("email"));
        providers.forEach(p -> out.add(p.channel()));
        return out;
    }

    public List<ChannelProvider> all() {
        return providers;
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
        for (ChannelProvider p : providers) {
            if (p instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LoggerFactory.getLogger(ChannelProviders.class).warn("closing the {} provider: {}", p.channel(), e.getMessage());
                }
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
