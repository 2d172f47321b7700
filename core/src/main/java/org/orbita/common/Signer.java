package org.orbita.common;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures of the tokens the public endpoints hand out (a click carried onto a site, a tag
 * container's preview, the moment a form was shown): HMAC-SHA256 with a key kept with the settings, over the token's purpose
 * and body, so a token made for one purpose never checks for another.
 */
public final class Signer {

    /** One keyed MAC per thread: made once, reset by each {@code doFinal}. */
    private final ThreadLocal<Mac> macs;

    public Signer(byte[] secret) {
        SecretKeySpec key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        });
    }

    public String sign(String purpose, String body) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(macs.get().doFinal((purpose + "\n" + body).getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code signature} is the one of {@code body} for {@code purpose}, compared in constant time. */
    public boolean checks(String purpose, String body, String signature) {
        return MessageDigest.isEqual(sign(purpose, body).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A token for {@code body} good until {@code until}: {@code body.expiry.signature} — the shape
     * of every expiring link the platform hands out (previews of tag containers, forms and pop-ups,
     * a double opt-in's confirmation). The body may hold dots; it must be URL-safe.
     */
    public String expiring(String purpose, String body, java.time.Instant until) {
        String signed = body + "." + until.getEpochSecond();
        return signed + "." + sign(purpose, signed);
    }

    /** The body of a token {@link #expiring} made for {@code purpose}, when its signature checks and {@code now} is not past its time. */
    public java.util.Optional<String> unexpired(String purpose, String token, java.time.Instant now) {
        if (token == null || token.length() > 400) {
            return java.util.Optional.empty();
        }
        int last = token.lastIndexOf('.');
        int expiry = last <= 0 ? -1 : token.lastIndexOf('.', last - 1);
        if (expiry <= 0) {
            return java.util.Optional.empty();
        }
        String at = token.substring(expiry + 1, last);
        if (!at.matches("[0-9]{1,12}") || Long.parseLong(at) < now.getEpochSecond()
                || !checks(purpose, token.substring(0, last), token.substring(last + 1))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(token.substring(0, expiry));
    }
}
