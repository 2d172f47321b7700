package org.orbita.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.mta.dkim.DkimSigner;

/**
 * Signatures checked by dkimpy (Debian's python3-dkim, with python3-nacl for Ed25519), a
 * verifier written apart from Orbita. Skipped where it is not installed unless
 * ORBITA_TEST_DKIM=required (CI installs it).
 */
class DkimTest {

    static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    static final String MESSAGE = "From: Shop <news@shop.example>\r\nTo: ann@example.com\r\nSubject: Autumn   sale,\r\n\tup to 40%\r\n"
            + "Date: Sun, 22 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@shop.example>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n\r\nHello,  Ann   \r\n\r\nПривет!\r\n\r\n\r\n";

    String verify(byte[] signed, String record) throws Exception {
        boolean present = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c", "import dkim, nacl").start().waitFor() == 0;
        if (!"required".equals(System.getenv("ORBITA_TEST_DKIM"))) {
            assumeTrue(present, "python3-dkim and python3-nacl are not installed");
        }
        Path file = dir.resolve("signed.eml");
        Files.write(file, signed);
        Path script = dir.resolve("dkim_verify.py");
        try (var in = getClass().getResourceAsStream("/dkim_verify.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), file.toString(), record).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out;
    }

    @Test
    void rsaSha256SignaturesVerify() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        byte[] signed = new DkimSigner("shop.example", "s2026", keys.getPrivate(), Clock.systemUTC()).sign(MESSAGE.getBytes(StandardCharsets.UTF_8));
        assertThat(new String(signed, StandardCharsets.UTF_8).replace("\r\n\t", "")).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=shop.example; s=s2026;");
        String record = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
        assertThat(verify(signed, record)).isEqualTo("ok");
        // a changed body no longer verifies
        String tampered = new String(signed, StandardCharsets.UTF_8).replace("Hello,", "Hallo,");
        assertThat(verify(tampered.getBytes(StandardCharsets.UTF_8), record)).isEqualTo("fail");
    }

    @Test
    void ed25519Sha256SignaturesVerify() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] signed = new DkimSigner("shop.example", "ed", keys.getPrivate(), Clock.systemUTC()).sign(MESSAGE.getBytes(StandardCharsets.UTF_8));
        assertThat(new String(signed, StandardCharsets.UTF_8)).contains("a=ed25519-sha256");
        byte[] spki = keys.getPublic().getEncoded();
        String record = "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        assertThat(verify(signed, record)).isEqualTo("ok");
    }

    @Test
    void signaturesMadeThroughOpenSslVerifyToo() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair rsa = g.generateKeyPair();
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        DkimSigner rsaSigner = DkimSigner.of("shop.example", "s1", pem(rsa), Clock.systemUTC());
        DkimSigner edSigner = DkimSigner.of("shop.example", "s2", pem(ed), Clock.systemUTC());
        if (Runtime.version().feature() >= 22 && Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))) {
            assertThat(rsaSigner.nativeCrypto()).isTrue();
            assertThat(edSigner.nativeCrypto()).isTrue();
        }
        assertThat(verify(rsaSigner.sign(MESSAGE.getBytes(StandardCharsets.UTF_8)),
                "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(rsa.getPublic().getEncoded()))).isEqualTo("ok");
        byte[] spki = ed.getPublic().getEncoded();
        assertThat(verify(edSigner.sign(MESSAGE.getBytes(StandardCharsets.UTF_8)),
                "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length)))).isEqualTo("ok");
    }

    private static String pem(KeyPair keys) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    @Test
    void pemKeysAreRead() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        assertThat(DkimSigner.readKey(pem).getAlgorithm()).isIn("EdDSA", "Ed25519");
    }
}
