package org.orbita.content;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Function;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.orbita.common.Json;

/**
 * Signed links a message carries: click tracking ({@code /t/c/…} redirects to the target),
 * view in browser ({@code /t/v/…}) and unsubscribe ({@code /t/u/…}). The token is the link's
 * facts (who, which message, which send, where to) in base64url with an HMAC-SHA256 tag; a
 * changed byte makes it worthless.
 *
 * <p>A click link is made only for a send (a run and a recipient) and redirects until it
 * expires ({@code orbita.content.link-lifetime}); renders outside a send (previews, tests,
 * the render API) get the plain URL, so nobody can mint a redirect to a URL of their choice.
 */
public final class Links {

    /** Whom and what a link is about; {@code url} only for clicks. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Facts(String kind, String workspaceId, String database, String profileId, String messageId,
                        Long version, String channel, String url, String campaign, String run, Long expires) {

        public Facts(String kind, String workspaceId, String database, String profileId, String messageId, Long version, String channel,
                     String url, String campaign) {
            this(kind, workspaceId, database, profileId, messageId, version, channel, url, campaign, null, null);
        }
    }

    /** The message and recipient a render is for, and the send ({@code run}) when it is one: what every link of it carries. */
    public record Context(String workspaceId, String database, String profileId, String messageId, Long version, String channel,
                          String campaign, String run) {

        /** A recipient's render outside a campaign. */
        public Context(String workspaceId, String database, String profileId, String messageId, Long version, String channel) {
            this(workspaceId, database, profileId, messageId, version, channel, null, null);
        }

        public Context(String workspaceId, String database, String profileId, String messageId, Long version, String channel,
                       String campaign) {
            this(workspaceId, database, profileId, messageId, version, channel, campaign, null);
        }

        /** Whether the render is for a send to a recipient (click links redirect only then). */
        public boolean isSend() {
            return run != null && profileId != null;
        }

        public static Context preview(String workspaceId) {
            return new Context(workspaceId, null, null, null, null, null);
        }
    }

    public static final String CLICK = "c";
    public static final String VIEW = "v";
    public static final String UNSUBSCRIBE = "u";
    public static final String OPEN = "o";

    /** How long a click link redirects when no lifetime is configured. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(365);

    private final String baseUrl;
    private final byte[] key;
    private final Duration lifetime;
    private final Clock clock;

    /** @param baseUrl the public address of the tracking endpoints, e.g. {@code https://t.example.com} */
    public Links(String baseUrl, byte[] key) {
        this(baseUrl, key, DEFAULT_LIFETIME, Clock.systemUTC());
    }

    /** @param lifetime how long a click link redirects after its message was made */
    public Links(String baseUrl, byte[] key, Duration lifetime, Clock clock) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the link key must have at least 16 bytes");
        }
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("the link lifetime must be positive");
        }
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.key = key.clone();
        this.lifetime = lifetime;
        this.clock = clock;
    }

    private volatile Function<String, String> workspaceBase = ws -> null;

    /**
     * Where each workspace's links point when it has a tracking address of its own
     * ({@code https://click.shop.example}); null from {@code base} keeps the platform's.
     */
    public void workspaceBaseUrls(Function<String, String> base) {
        this.workspaceBase = base;
    }

    /** Whether a URL is one of these links already (the platform's or the workspace's address). */
    public boolean isOurs(String workspaceId, String url) {
        if (url.startsWith(baseUrl + "/t/")) {
            return true;
        }
        String own = workspaceId == null ? null : workspaceBase.apply(workspaceId);
        return own != null && url.startsWith(own + "/t/");
    }

    /** A click-tracking link to the URL for a send; outside a send, the URL itself (an unsigned preview link). */
    public String click(Context c, String url) {
        if (!c.isSend()) {
            return url;
        }
        long expires = clock.instant().plus(lifetime).getEpochSecond();
        return link(new Facts(CLICK, c.workspaceId(), c.database(), c.profileId(), c.messageId(), c.version(), c.channel(), url, c.campaign(),
                c.run(), expires));
    }

    public String view(Context c) {
        return link(new Facts(VIEW, c.workspaceId(), c.database(), c.profileId(), c.messageId(), c.version(), c.channel(), null, c.campaign(),
                c.run(), null));
    }

    public String unsubscribe(Context c) {
        return link(new Facts(UNSUBSCRIBE, c.workspaceId(), c.database(), c.profileId(), c.messageId(), c.version(), c.channel(), null,
                c.campaign(), c.run(), null));
    }

    /** The open-tracking pixel's address ({@code /t/o/…}, a 1×1 GIF). */
    public String open(Context c) {
        return link(new Facts(OPEN, c.workspaceId(), c.database(), c.profileId(), c.messageId(), c.version(), c.channel(), null, c.campaign(),
                c.run(), null));
    }

    /** What a click link leads to: the URL, or why it does not redirect. */
    public sealed interface Click {
        /** A click of a send, within its lifetime. */
        record Redirect(Facts facts) implements Click {}

        /** A click link past its lifetime: the URL is shown, not followed. */
        record Expired(Facts facts) implements Click {}

        /** No click link: a changed token, a link of another kind, or one made outside a send. */
        record NotValid() implements Click {}
    }

    /** Checks a click token: signed, made for a send, and within its lifetime. */
    public Click verifyClick(String token) {
        Facts f = verify(CLICK, token).orElse(null);
        if (f == null || f.run() == null || f.profileId() == null || f.expires() == null) {
            return new Click.NotValid();
        }
        return clock.instant().getEpochSecond() > f.expires() ? new Click.Expired(f) : new Click.Redirect(f);
    }

    private String link(Facts facts) {
        String own = facts.workspaceId() == null ? null : workspaceBase.apply(facts.workspaceId());
        return (own == null ? baseUrl : own) + "/t/" + facts.kind() + "/" + token(facts);
    }

    String token(Facts facts) {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(json(facts).getBytes(StandardCharsets.UTF_8));
        return payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(tag(payload));
    }

    /** The facts as JSON (what Jackson writes, written out: a message carries a dozen links, each its own token). */
    static String json(Facts f) {
        StringBuilder b = new StringBuilder(160).append('{');
        field(b, "kind", f.kind());
        field(b, "workspaceId", f.workspaceId());
        field(b, "database", f.database());
        field(b, "profileId", f.profileId());
        field(b, "messageId", f.messageId());
        if (f.version() != null) {
            b.append(b.length() > 1 ? "," : "").append("\"version\":").append(f.version());
        }
        field(b, "channel", f.channel());
        field(b, "url", f.url());
        field(b, "campaign", f.campaign());
        field(b, "run", f.run());
        if (f.expires() != null) {
            b.append(b.length() > 1 ? "," : "").append("\"expires\":").append(f.expires());
        }
        return b.append('}').toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        if (value == null) {
            return;
        }
        if (b.length() > 1) {
            b.append(',');
        }
        b.append('"').append(name).append("\":\"");
        JsonStringEncoder.getInstance().quoteAsString(value, b);
        b.append('"');
    }

    /** The facts of a token whose tag is right and whose kind is the one expected; empty for anything else. */
    public Optional<Facts> verify(String kind, String token) {
        if (token == null || token.length() > 8192) {
            return Optional.empty();
        }
        int dot = token.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String payload = token.substring(0, dot);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(tag(payload), given)) {
            return Optional.empty();
        }
        Facts facts = Json.read(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8), Facts.class);
        return kind.equals(facts.kind()) ? Optional.of(facts) : Optional.empty();
    }

    /** One keyed MAC per thread: looking the algorithm up and keying it for each link cost more than the MAC itself. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] tag(String payload) {
        return Arrays.copyOf(macs.get().doFinal(payload.getBytes(StandardCharsets.US_ASCII)), 16);
    }
}
