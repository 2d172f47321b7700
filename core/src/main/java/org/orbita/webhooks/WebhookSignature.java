package org.orbita.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a webhook's calls are signed, as the Standard Webhooks specification has it
 * (standardwebhooks.com): headers {@code webhook-id} (the delivery's id — the receiver's
 * idempotency key, the same on every retry), {@code webhook-timestamp} (seconds since the epoch
 * of this attempt) and {@code webhook-signature: v1,<Base64 HMAC-SHA256 of "id.timestamp.body">}
 * keyed by the secret {@code whsec_<Base64 key>}. Receivers check it with the specification's
 * libraries (any language) and refuse timestamps more than five minutes off.
 */
public final class WebhookSignature {

    public static final String PREFIX = "whsec_";
    /** How far a timestamp may be from the receiver's clock (the specification's tolerance). */
    public static final long TOLERANCE_SECONDS = 300;

    private WebhookSignature() {}

    /** A new secret: 24 random bytes, as {@code whsec_…}. */
    public static String newSecret() {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** Whether a secret is one this accepts: {@code whsec_} (optional) and 16 to 64 bytes in Base64. */
    public static boolean valid(String secret) {
        try {
            int n = key(secret).length;
            return n >= 16 && n <= 64;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] key(String secret) {
        String s = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        return Base64.getDecoder().decode(s);
    }

    /** The {@code webhook-signature} header's value for one call. */
    public static String sign(String secret, String id, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    }

    /**
     * What a receiver does (the specification's verify): one of the space-separated {@code v1,…}
     * signatures matches, and the timestamp is within the tolerance of {@code nowSeconds}.
     */
    public static boolean verify(String secret, String id, String timestamp, String signatures, String body, long nowSeconds) {
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(nowSeconds - ts) > TOLERANCE_SECONDS) {
            return false;
        }
        byte[] expected = sign(secret, id, ts, body).getBytes(StandardCharsets.US_ASCII);
        for (String s : signatures.split(" ")) {
            if (MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }
}
