package org.orbita.channels;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.orbita.common.Json;
import org.orbita.outbound.NetworkGuard;

/**
 * Web push ({@code webpush}) to a browser's push service. The subscription's address is the
 * browser's {@code PushSubscription} as JSON ({@code endpoint}, {@code keys.p256dh},
 * {@code keys.auth}). The payload — title, body, image, link, actions as JSON, for the site's
 * service worker — is encrypted as RFC 8291 says ({@code aes128gcm}, RFC 8188, a new ECDH key and
 * salt per message) and the request carries a VAPID token (RFC 8292, ES256, {@code aud} the push
 * service's origin). 201 is sent; 404 and 410 make the subscription unreachable; 429 and 5xx are
 * tried again; 413 and other 4xx fail. Endpoints are checked by the private-network guard: a
 * subscription is data a browser sent.
 */
public final class WebPushProvider implements ChannelProvider {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ECPrivateKey vapidPrivate;
    private final String vapidPublic;
    private final String subject;
    private final NetworkGuard guard;
    private final Duration ttl;

    /**
     * @param publicKey the VAPID public key, base64url (what the site's page subscribes with)
     * @param privateKey its private key, base64url
     * @param subject a {@code mailto:} or {@code https:} contact the push services can reach
     */
    public WebPushProvider(String publicKey, String privateKey, String subject, NetworkGuard guard, Duration ttl) {
        WebPushKeys.publicKey(WebPushKeys.decode(publicKey, "orbita.channels.webpush.public-key"), "orbita.channels.webpush.public-key");
        this.vapidPrivate = WebPushKeys.privateKey(privateKey, "orbita.channels.webpush.private-key");
        this.vapidPublic = publicKey.strip();
        if (subject == null || !subject.matches("(mailto:|https://).+")) {
            throw new IllegalArgumentException("orbita.channels.webpush.subject must be a mailto: or https: contact");
        }
        this.subject = subject;
        this.guard = guard;
        this.ttl = ttl;
    }

    @Override
    public String channel() {
        return "webpush";
    }

    @Override
    public Result send(String key, String subscription, Map<String, Object> payload) {
        URI endpoint;
        ECPublicKey ua;
        byte[] auth;
        try {
            JsonNode s = Json.MAPPER.readTree(subscription);
            endpoint = URI.create(s.path("endpoint").asText(""));
            if (!"https".equals(endpoint.getScheme()) && !"http".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
                return new Result.Failed("the subscription's endpoint is not an http(s) URL", true);
            }
            ua = WebPushKeys.publicKey(WebPushKeys.decode(s.path("keys").path("p256dh").asText(""), "keys.p256dh"), "keys.p256dh");
            auth = WebPushKeys.decode(s.path("keys").path("auth").asText(""), "keys.auth");
            if (auth.length != 16) {
                return new Result.Failed("keys.auth must be 16 bytes", true);
            }
        } catch (IOException | IllegalArgumentException e) {
            return new Result.Failed("not a push subscription: " + e.getMessage(), true);
        }
        try {
            guard.check(endpoint.getHost());
        } catch (UnknownHostException e) {
            return new Result.Retry("the push service's host is not known: " + e.getMessage(), null);
        } catch (SecurityException e) {
            return new Result.Failed(e.getMessage(), true);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        for (String k : new String[] {"title", "body", "image", "link", "actions"}) {
            if (payload.get(k) != null) {
                body.put(k, payload.get(k));
            }
        }
        body.put("key", key);
        byte[] encrypted;
        try {
            encrypted = encrypt(Json.write(body).getBytes(StandardCharsets.UTF_8), ua, auth);
        } catch (GeneralSecurityException e) {
            return new Result.Failed("cannot encrypt for this subscription: " + e.getMessage(), true);
        }
        if (encrypted.length > 4096) {
            return new Result.Failed("the message is " + encrypted.length + " bytes encrypted; push services take 4,096", false);
        }
        String audience = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
        String jwt = Jwt.sign(Map.of("typ", "JWT", "alg", "ES256"),
                Map.of("aud", audience, "exp", System.currentTimeMillis() / 1000 + 12 * 3600, "sub", subject), vapidPrivate);
        return ProviderCalls.call(http, () -> HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(20))
                .header("Authorization", "vapid t=" + jwt + ", k=" + vapidPublic).header("Content-Encoding", "aes128gcm")
                .header("Content-Type", "application/octet-stream").header("TTL", Long.toString(ttl.toSeconds())).header("Urgency", "normal")
                .header("Topic", topicOf(key)).POST(HttpRequest.BodyPublishers.ofByteArray(encrypted)).build(), r -> {
                    int code = r.statusCode();
                    if (code / 100 == 2) {
                        return new Result.Accepted(r.headers().firstValue("Location").orElse(null));
                    }
                    String reason = "HTTP " + code + (r.body() == null || r.body().isBlank() ? "" : ": " + r.body().strip());
                    if (code == 429 || code >= 500) {
                        return new Result.Retry(reason, r.headers().firstValue("Retry-After").map(ChannelProvider::retryAfter).orElse(null));
                    }
                    return new Result.Failed(reason, code == 404 || code == 410);
                });
    }

    /** A push message's Topic (at most 32 base64url characters): a message sent again replaces the first copy. */
    private static String topicOf(String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return Jwt.B64.encodeToString(Arrays.copyOf(h, 24));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 8291 §3.4: {@code salt ‖ rs ‖ idlen ‖ keyid (the sender's public key) ‖ AES-128-GCM(plaintext ‖ 0x02)}. */
    static byte[] encrypt(byte[] plaintext, ECPublicKey ua, byte[] authSecret) throws GeneralSecurityException {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return encrypt(plaintext, ua, authSecret, WebPushKeys.pair(), salt);
    }

    /** With the sender's key and the salt given (RFC 8291's example in Appendix A fixes both). */
    static byte[] encrypt(byte[] plaintext, ECPublicKey ua, byte[] authSecret, KeyPair as, byte[] salt) throws GeneralSecurityException {
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(as.getPrivate());
        ka.doPhase(ua, true);
        byte[] ecdh = ka.generateSecret();
        byte[] uaRaw = WebPushKeys.raw(ua);
        byte[] asRaw = WebPushKeys.raw((ECPublicKey) as.getPublic());
        byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaRaw, asRaw);
        byte[] ikm = hkdf(authSecret, ecdh, keyInfo, 32);
        byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
        byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        byte[] sealed = c.doFinal(concat(plaintext, new byte[] {2}));
        return ByteBuffer.allocate(16 + 4 + 1 + asRaw.length + sealed.length).put(salt).putInt(4096).put((byte) asRaw.length).put(asRaw)
                .put(sealed).array();
    }

    /** HKDF-SHA-256 (RFC 5869) for one output block. */
    static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        mac.update((byte) 1);
        return Arrays.copyOf(mac.doFinal(), length);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
