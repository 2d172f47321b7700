package org.orbita.mobile;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.orbita.common.Json;

/**
 * The JSON Web Tokens (RFC 7519, signed as RFC 7515's compact JWS) a customer's backend signs so
 * its app's SDK may act for one person: HS256 with a secret shared with Orbita, or RS256 / ES256
 * with a private key whose public half Orbita holds. The algorithm is the app's, never the
 * token's ({@code none} and any other algorithm are refused, so a public key cannot be used as an
 * HMAC secret); {@code exp} is required; {@code nbf} and {@code iat} are checked with a minute's leeway.
 */
public final class SdkTokens {

    /** The algorithms an app may verify with. */
    public enum Algorithm { HS256, RS256, ES256 }

    /** A token that does not prove who it speaks for: its reason is safe to show the caller. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** What verifies an app's tokens. */
    public record Key(Algorithm algorithm, byte[] secret, PublicKey publicKey) {

        /** HS256 with a shared secret of at least 32 bytes (RFC 7518 §3.2: no shorter than the hash). */
        public static Key hmac(byte[] secret) {
            if (secret == null || secret.length < 32) {
                throw new IllegalArgumentException("an HS256 secret is at least 32 bytes");
            }
            return new Key(Algorithm.HS256, secret.clone(), null);
        }

        /** RS256 (an RSA key of 2048 bits or more) or ES256 (a P-256 key), from a PEM public key ({@code BEGIN PUBLIC KEY}). */
        public static Key publicKey(Algorithm algorithm, String pem) {
            if (algorithm == Algorithm.HS256) {
                throw new IllegalArgumentException("HS256 takes a secret, not a public key");
            }
            PublicKey key = readPublicKey(pem, algorithm == Algorithm.RS256 ? "RSA" : "EC");
            if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
                throw new IllegalArgumentException("an RS256 key has at least 2048 bits");
            }
            if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IllegalArgumentException("an ES256 key is on the P-256 curve");
            }
            return new Key(algorithm, null, key);
        }
    }

    private static final Base64.Decoder B64 = Base64.getUrlDecoder();
    private static final Duration LEEWAY = Duration.ofMinutes(1);

    private SdkTokens() {}

    /**
     * The token's claims when its signature checks with the key and it is current at {@code now}.
     *
     * @throws Refused saying what is wrong (never which part of a signature failed)
     */
    public static JsonNode verify(String token, Key key, Instant now) {
        if (token == null || token.length() > 8192) {
            throw new Refused("the token is missing or longer than 8192 characters");
        }
        String[] parts = token.strip().split("\\.", -1);
        if (parts.length != 3 || parts[2].isEmpty()) {
            throw new Refused("a token is three Base64url parts joined by dots (a signed JWT)");
        }
        JsonNode header = json(parts[0], "header");
        String alg = header.path("alg").asText("");
        if (!alg.equals(key.algorithm().name())) {
            throw new Refused("this app's tokens are signed with " + key.algorithm() + ", not '" + alg + "'");
        }
        if (header.has("crit")) {
            throw new Refused("no critical header extension is understood here");
        }
        byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] signature;
        try {
            signature = B64.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new Refused("the signature is not Base64url");
        }
        if (!checks(key, input, signature)) {
            throw new Refused("the signature does not check with this app's key");
        }
        JsonNode claims = json(parts[1], "payload");
        if (!claims.path("exp").isNumber()) {
            throw new Refused("the token needs an expiry (exp, seconds since 1970)");
        }
        long at = now.getEpochSecond();
        if (claims.get("exp").asLong() < at - LEEWAY.toSeconds()) {
            throw new Refused("the token expired at " + Instant.ofEpochSecond(claims.get("exp").asLong()));
        }
        if (claims.path("nbf").isNumber() && claims.get("nbf").asLong() > at + LEEWAY.toSeconds()) {
            throw new Refused("the token is not valid before " + Instant.ofEpochSecond(claims.get("nbf").asLong()));
        }
        if (claims.path("iat").isNumber() && claims.get("iat").asLong() > at + LEEWAY.toSeconds()) {
            throw new Refused("the token was issued in the future (iat); check the backend's clock");
        }
        return claims;
    }

    private static boolean checks(Key key, byte[] input, byte[] signature) {
        try {
            if (key.algorithm() == Algorithm.HS256) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
                return MessageDigest.isEqual(mac.doFinal(input), signature);
            }
            // ES256 signatures are r‖s, 64 bytes (RFC 7518 §3.4), not DER
            if (key.algorithm() == Algorithm.ES256 && signature.length != 64) {
                return false;
            }
            Signature s = Signature.getInstance(key.algorithm() == Algorithm.ES256 ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
            s.initVerify(key.publicKey());
            s.update(input);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature is a signature that does not check
        }
    }

    private static JsonNode json(String part, String what) {
        try {
            JsonNode node = Json.MAPPER.readTree(B64.decode(part));
            if (node == null || !node.isObject()) {
                throw new Refused("the token's " + what + " is not a JSON object");
            }
            return node;
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new Refused("the token's " + what + " is not Base64url JSON");
        }
    }

    /** A public key from PEM ({@code -----BEGIN PUBLIC KEY-----}, SubjectPublicKeyInfo). */
    static PublicKey readPublicKey(String pem, String algorithm) {
        if (pem == null || !pem.contains("BEGIN PUBLIC KEY")) {
            throw new IllegalArgumentException("a public key in PEM (-----BEGIN PUBLIC KEY-----)");
        }
        String body = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replace("\\n", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not " + (algorithm.equals("RSA") ? "an RSA" : "an EC") + " public key in PEM");
        }
    }

    /** An algorithm by its name, any case. */
    public static Algorithm algorithm(String name) {
        try {
            return Algorithm.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("HS256, RS256 or ES256");
        }
    }
}
