package org.orbita.mobile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The SDK's JWTs: RFC 7515's own HS256 example verifies (Appendix A.1: its key and its token,
 * signed over a header with line breaks in it — so the signed bytes are the token's, never a
 * re-serialization), RS256 and ES256 tokens verify with the public half of their key, and what
 * would let a caller forge one is refused: {@code none}, an algorithm other than the app's (an
 * RSA public key used as an HMAC secret), a DER-encoded ES256 signature, no expiry, a token not
 * yet valid or expired.
 */
class SdkTokensTest {

    /** RFC 7515, Appendix A.1: the JWK's {@code k} and the example JWS. */
    static final String RFC7515_A1_KEY = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
    static final String RFC7515_A1_TOKEN = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
            + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final Instant BEFORE_ITS_EXPIRY = Instant.ofEpochSecond(1300819380L - 3600);

    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Test
    void rfc7515sHs256ExampleVerifiesAndFailsOnceChangedOrExpired() {
        SdkTokens.Key key = SdkTokens.Key.hmac(Base64.getUrlDecoder().decode(RFC7515_A1_KEY));
        var claims = SdkTokens.verify(RFC7515_A1_TOKEN, key, BEFORE_ITS_EXPIRY);
        assertThat(claims.get("iss").asText()).isEqualTo("joe");
        assertThat(claims.get("http://example.com/is_root").asBoolean()).isTrue();
        String changed = RFC7515_A1_TOKEN.replace("eyJpc3MiOiJqb2Ui", "eyJpc3MiOiJqc2Ui"); // "joe" → "jse"
        assertThatThrownBy(() -> SdkTokens.verify(changed, key, BEFORE_ITS_EXPIRY)).isInstanceOf(SdkTokens.Refused.class)
                .hasMessageContaining("signature does not check");
        assertThatThrownBy(() -> SdkTokens.verify(RFC7515_A1_TOKEN, key, Instant.parse("2026-12-07T00:00:00Z")))
                .isInstanceOf(SdkTokens.Refused.class).hasMessageContaining("expired at 2011-03-22T18:43:00Z");
    }

    @Test
    void rs256AndEs256TokensVerifyWithThePublicHalfOfTheirKey() throws Exception {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        String claims = "{\"matching\":\"email\",\"email\":\"ann@example.com\",\"exp\":" + (now.getEpochSecond() + 600) + "}";
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        SdkTokens.Key rsaKey = SdkTokens.Key.publicKey(SdkTokens.Algorithm.RS256, pem(rsa.getPublic().getEncoded()));
        assertThat(SdkTokens.verify(sign("RS256", claims, rsa.getPrivate()), rsaKey, now).get("email").asText()).isEqualTo("ann@example.com");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair p256 = ec.generateKeyPair();
        SdkTokens.Key ecKey = SdkTokens.Key.publicKey(SdkTokens.Algorithm.ES256, pem(p256.getPublic().getEncoded()));
        assertThat(SdkTokens.verify(sign("ES256", claims, p256.getPrivate()), ecKey, now).get("email").asText()).isEqualTo("ann@example.com");
        // an ES256 signature in DER, as some libraries hand it out, is not the JWS form (r‖s)
        String input = part("{\"alg\":\"ES256\"}") + "." + part(claims);
        Signature der = Signature.getInstance("SHA256withECDSA");
        der.initSign(p256.getPrivate());
        der.update(input.getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> SdkTokens.verify(input + "." + B64.encodeToString(der.sign()), ecKey, now)).isInstanceOf(SdkTokens.Refused.class);
        // another key's token
        KeyPair other = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        assertThatThrownBy(() -> SdkTokens.verify(sign("RS256", claims, other.getPrivate()), rsaKey, now))
                .hasMessageContaining("signature does not check");
    }

    @Test
    void whatWouldForgeATokenIsRefused() throws Exception {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        long exp = now.getEpochSecond() + 600;
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String publicPem = pem(rsa.getPublic().getEncoded());
        SdkTokens.Key rsaKey = SdkTokens.Key.publicKey(SdkTokens.Algorithm.RS256, publicPem);
        String claims = "{\"sub\":\"ann\",\"exp\":" + exp + "}";
        // the public key (which anyone may know) used as an HMAC secret
        String confused = hs256(claims, publicPem.getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> SdkTokens.verify(confused, rsaKey, now)).hasMessageContaining("signed with RS256, not 'HS256'");
        String none = part("{\"alg\":\"none\"}") + "." + part(claims) + ".";
        assertThatThrownBy(() -> SdkTokens.verify(none, rsaKey, now)).isInstanceOf(SdkTokens.Refused.class);
        byte[] secret = "a-secret-of-at-least-thirty-two-bytes!".getBytes(StandardCharsets.US_ASCII);
        SdkTokens.Key hmac = SdkTokens.Key.hmac(secret);
        assertThatThrownBy(() -> SdkTokens.verify(hs256("{\"sub\":\"ann\"}", secret), hmac, now)).hasMessageContaining("needs an expiry");
        assertThatThrownBy(() -> SdkTokens.verify(hs256("{\"sub\":\"ann\",\"exp\":" + exp + ",\"nbf\":" + (exp + 3600) + "}", secret), hmac, now))
                .hasMessageContaining("not valid before");
        assertThatThrownBy(() -> SdkTokens.verify(hs256("{\"sub\":\"ann\",\"exp\":" + (now.getEpochSecond() - 61) + "}", secret), hmac, now))
                .hasMessageContaining("expired");
        assertThat(SdkTokens.verify(hs256("{\"sub\":\"ann\",\"exp\":" + (now.getEpochSecond() - 30) + "}", secret), hmac, now).get("sub").asText())
                .as("a minute's leeway for clocks apart").isEqualTo("ann");
        String critical = part("{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}") + "." + part(claims);
        assertThatThrownBy(() -> SdkTokens.verify(critical + "." + mac(critical, secret), hmac, now)).hasMessageContaining("critical");
        assertThatThrownBy(() -> SdkTokens.verify("not.a-token", hmac, now)).hasMessageContaining("three Base64url parts");
        assertThatThrownBy(() -> SdkTokens.Key.hmac("short".getBytes(StandardCharsets.US_ASCII))).hasMessageContaining("at least 32 bytes");
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        assertThatThrownBy(() -> SdkTokens.Key.publicKey(SdkTokens.Algorithm.RS256, pem(small.generateKeyPair().getPublic().getEncoded())))
                .hasMessageContaining("2048");
        assertThatThrownBy(() -> SdkTokens.Key.publicKey(SdkTokens.Algorithm.ES256, publicPem)).hasMessageContaining("EC public key");
    }

    static String pem(byte[] der) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
    }

    static String part(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A token as a customer's backend signs one with its shared secret. */
    static String hs256(String claims, byte[] secret) throws Exception {
        String input = part("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + part(claims);
        return input + "." + mac(input, secret);
    }

    static String mac(String input, byte[] secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    static String sign(String alg, String claims, PrivateKey key) throws Exception {
        String input = part("{\"alg\":\"" + alg + "\"}") + "." + part(claims);
        Signature s = Signature.getInstance(alg.equals("ES256") ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(s.sign());
    }
}
