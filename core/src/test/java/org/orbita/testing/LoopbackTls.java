package org.orbita.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made for a test by the JDK's own {@code keytool}, and HTTPS servers on loopback
 * with them: what a connector that must speak HTTPS (a service's certificate URL) is tested against.
 */
public final class LoopbackTls {

    public static final char[] PASSWORD = "changeit".toCharArray();

    /** A key pair and its self-signed certificate. */
    public record Identity(KeyStore store, PrivateKey key, X509Certificate certificate) {

        /** The certificate in PEM. */
        public String pem() {
            try {
                return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A PKCS #12 trust store holding this certificate (password {@link #PASSWORD}), written to {@code file}. */
        public Path trustStore(Path file) throws GeneralSecurityException, IOException {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", certificate);
            try (var out = Files.newOutputStream(file)) {
                trust.store(out, PASSWORD);
            }
            return file;
        }

        /** A client context that trusts this certificate (and nothing else). */
        public SSLContext trustingClient() throws GeneralSecurityException, IOException {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, tmf.getTrustManagers(), null);
            return c;
        }

        /** An HTTPS server on loopback (a free port) presenting this certificate; not started. */
        public HttpsServer server() throws GeneralSecurityException, IOException {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, PASSWORD);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(kmf.getKeyManagers(), null, null);
            HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            s.setHttpsConfigurator(new HttpsConfigurator(c));
            return s;
        }
    }

    private LoopbackTls() {}

    /**
     * A new RSA key and self-signed certificate, made by {@code keytool}.
     *
     * @param dname     its subject (and issuer), e.g. {@code CN=127.0.0.1}
     * @param extension a {@code -ext} value such as {@code san=ip:127.0.0.1}, or null
     */
    public static Identity make(Path dir, String dname, String extension) throws IOException, InterruptedException, GeneralSecurityException {
        Path file = Files.createTempFile(dir, "tls", ".p12");
        Files.delete(file);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "key", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3", "-dname", dname, "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
        if (extension != null) {
            pb.command().addAll(java.util.List.of("-ext", extension));
        }
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return new Identity(ks, (PrivateKey) ks.getKey("key", PASSWORD), (X509Certificate) ks.getCertificate("key"));
    }
}
