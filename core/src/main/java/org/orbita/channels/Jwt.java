package org.orbita.channels;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import org.orbita.common.Json;

/** The JSON web tokens push services take: RS256 (Google's service accounts) and ES256 (APNs, VAPID). */
final class Jwt {

    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Jwt() {}

    static String sign(Map<String, Object> header, Map<String, Object> claims, PrivateKey key) {
        String alg = String.valueOf(header.get("alg"));
        String input = B64.encodeToString(Json.write(header).getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        try {
            // ES256 signatures are r‖s (IEEE P1363), not DER
            Signature s = Signature.getInstance(alg.equals("ES256") ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a " + alg + " token: " + e.getMessage(), e);
        }
    }

    /** A PKCS #8 private key from PEM ({@code -----BEGIN PRIVATE KEY-----}, as service accounts and .p8 files hold them). */
    static PrivateKey pkcs8(String pem, String algorithm, String what) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replace("\\n", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not a PKCS #8 " + algorithm + " private key in PEM: " + e.getMessage(), e);
        }
    }
}
