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

    private final byte[] secret;

    public Signer(byte[] secret) {
        this.secret = secret.clone();
    }

    public String sign(String purpose, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal((purpose + "\n" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code signature} is the one of {@code body} for {@code purpose}, compared in constant time. */
    public boolean checks(String purpose, String body, String signature) {
        return MessageDigest.isEqual(sign(purpose, body).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
    }
}
