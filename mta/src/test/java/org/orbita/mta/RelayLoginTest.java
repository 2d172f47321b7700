package org.orbita.mta;

import static org.assertj.core.api.Assertions.assertThat;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.mta.config.MtaConfig;
import org.orbita.mta.smtp.SmtpServer;

/**
 * An external relay that wants a login (as SendGrid, SES and Mailgun do): an SMTP server on
 * loopback offering STARTTLS and requiring AUTH. The node logs in over TLS and hands the mail
 * over; with a wrong password the mail waits (4xx) rather than bouncing.
 */
class RelayLoginTest {

    @TempDir
    Path dir;

    SSLContext serverTls() throws Exception {
        Path store = dir.resolve("relay.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "relay",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=relay.test", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit").inheritIO().start();
        assertThat(keytool.waitFor()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
    }

    MtaMain node(String name, String route) throws Exception {
        Path config = dir.resolve(name + ".properties");
        Files.writeString(config, "mta.route.*=" + route + "\n");
        return new MtaMain(new MtaConfig(config, Map.of("MTA_HOSTNAME", name + ".test", "MTA_SMTP_PORT", "0", "MTA_SMTP_BIND", "127.0.0.1",
                "MTA_HTTP_PORT", "0", "MTA_HTTP_BIND", "127.0.0.1", "MTA_HTTP_TOKEN", "t", "MTA_SPOOL_DIR", dir.resolve(name + "-spool").toString(),
                "MTA_DELIVERY_RETRY_BASE", "1s", "MTA_DELIVERY_TIMEOUT", "5s")));
    }

    @Test
    void aRelaysLoginGoesOverTlsAndAWrongOneHoldsTheMailBack() throws Exception {
        List<String> relayed = new CopyOnWriteArrayList<>();
        try (SmtpServer relay = new SmtpServer(new InetSocketAddress("127.0.0.1", 0), new SmtpServer.Settings("relay.test", 10 << 20, 100, serverTls(),
                (user, password) -> user.equals("apikey") && password.equals("s@cret:1"), true), (sender, recipients, message) -> {
                    relayed.addAll(recipients);
                    return CompletableFuture.completedFuture("ok");
                })) {
            // the password's '@' and ':' written %-encoded, as in a URL
            try (MtaMain node = node("good", "apikey:s%40cret%3A1@127.0.0.1:" + relay.port())) {
                node.inject("news@shop.example", List.of("ann@example.com"), "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.UTF_8)).get();
                MtaTest.waitUntil(() -> relayed.contains("ann@example.com"));
                MtaTest.waitUntil(() -> node.spool.liveMessages() == 0);
            }
            try (MtaMain node = node("bad", "apikey:guess@127.0.0.1:" + relay.port())) {
                node.inject("news@shop.example", List.of("bob@example.com"), "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.UTF_8)).get();
                Thread.sleep(3000);
                assertThat(relayed).doesNotContain("bob@example.com");
                assertThat(node.spool.liveMessages()).isEqualTo(1); // deferred, not bounced: the login is set up wrong, not the address
            }
        }
    }
}
