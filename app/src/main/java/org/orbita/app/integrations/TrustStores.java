package org.orbita.app.integrations;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** TLS trust: the JDK's certificate authorities and, beside them, those of a PKCS #12 file an administrator names. */
final class TrustStores {

    private TrustStores() {}

    /** A context that trusts what the JDK trusts and what {@code file} holds. */
    static SSLContext withDefaults(Path file, String password) throws GeneralSecurityException, IOException {
        KeyStore extra = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            extra.load(in, password == null ? new char[0] : password.toCharArray());
        }
        X509TrustManager jdk = manager(null);
        X509TrustManager added = manager(extra);
        X509TrustManager both = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                jdk.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                try {
                    jdk.checkServerTrusted(chain, authType);
                } catch (CertificateException notTheJdks) {
                    added.checkServerTrusted(chain, authType);
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                List<X509Certificate> all = new ArrayList<>(List.of(jdk.getAcceptedIssuers()));
                all.addAll(List.of(added.getAcceptedIssuers()));
                return all.toArray(X509Certificate[]::new);
            }
        };
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, new TrustManager[] {both}, null);
        return c;
    }

    private static X509TrustManager manager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        for (TrustManager m : tmf.getTrustManagers()) {
            if (m instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }
}
