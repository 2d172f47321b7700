package org.orbita.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TOTP against the public reference: every test vector of RFC 6238 Appendix B, the Base32
 * vectors of RFC 4648 §10; then the rules of sign-in: a window of one step either side, and a
 * code taken once.
 */
class TotpTest {

    private static final Map<String, String> SEEDS = Map.of(
            "SHA1", "12345678901234567890",
            "SHA256", "12345678901234567890123456789012",
            "SHA512", "1234567890123456789012345678901234567890123456789012345678901234");

    @Test
    void everyVectorOfRfc6238AppendixB() throws IOException {
        List<String> rows;
        try (InputStream in = getClass().getResourceAsStream("/conformance/rfc6238-vectors.tsv")) {
            rows = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        }
        int passed = 0;
        for (String row : rows) {
            String[] f = row.split("\t");
            long time = Long.parseLong(f[0]);
            long step = Totp.step(Instant.ofEpochSecond(time));
            assertThat(step).as("T of %s", time).isEqualTo(Long.parseLong(f[1], 16));
            String code = Totp.code(SEEDS.get(f[3]).getBytes(StandardCharsets.US_ASCII), step, 8, "Hmac" + f[3]);
            assertThat(code).as("%s at %s", f[3], time).isEqualTo(f[2]);
            passed++;
        }
        assertThat(passed).isEqualTo(18);
        Files.writeString(Path.of("target", "totp-conformance.txt"), "RFC 6238 Appendix B: " + passed + "/" + rows.size() + " vectors\n");
    }

    @Test
    void base32AsRfc4648Section10() {
        Map<String, String> vectors = Map.of("", "", "f", "MY======", "fo", "MZXQ====", "foo", "MZXW6===", "foob", "MZXW6YQ=",
                "fooba", "MZXW6YTB", "foobar", "MZXW6YTBOI======");
        vectors.forEach((plain, encoded) -> {
            assertThat(Totp.base32(plain.getBytes(StandardCharsets.US_ASCII))).isEqualTo(encoded.replace("=", ""));
            assertThat(new String(Totp.fromBase32(encoded), StandardCharsets.US_ASCII)).isEqualTo(plain);
        });
    }

    @Test
    void aCodeIsTakenWithinOneStepEitherSideAndOnlyOnce() {
        String secret = Totp.newSecret();
        byte[] key = Totp.fromBase32(secret);
        Instant now = Instant.parse("2026-12-05T12:00:10Z");
        long step = Totp.step(now);
        String current = Totp.code(key, step, 6, "HmacSHA1");
        assertThat(Totp.verify(secret, current, now, 0)).hasValue(step);
        assertThat(Totp.verify(secret, Totp.code(key, step - 1, 6, "HmacSHA1"), now, 0)).hasValue(step - 1);
        assertThat(Totp.verify(secret, Totp.code(key, step + 1, 6, "HmacSHA1"), now, 0)).hasValue(step + 1);
        // out of the window
        assertThat(Totp.verify(secret, Totp.code(key, step - 2, 6, "HmacSHA1"), now, 0)).isEmpty();
        assertThat(Totp.verify(secret, Totp.code(key, step + 2, 6, "HmacSHA1"), now, 0)).isEmpty();
        // replayed: its step is already used
        assertThat(Totp.verify(secret, current, now, step)).isEmpty();
        // not six digits
        assertThat(Totp.verify(secret, "12345", now, 0)).isEmpty();
        assertThat(Totp.verify(secret, "abcdef", now, 0)).isEmpty();
        assertThat(Totp.uri("Orbita", "ann@shop.example", secret))
                .isEqualTo("otpauth://totp/Orbita:ann%40shop.example?secret=" + secret + "&issuer=Orbita&algorithm=SHA1&digits=6&period=30");
    }
}
