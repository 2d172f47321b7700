package org.orbita.testing;

import com.sun.net.httpserver.HttpsServer;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.orbita.common.Json;
import org.orbita.inbound.SnsMessages;
import org.orbita.outbound.NetworkGuard;

/**
 * Amazon SNS as an HTTPS endpoint's tests meet it, on loopback: an HTTPS server (its certificate
 * made by keytool) serving a signing certificate ({@code CN=sns.amazonaws.com, O=Amazon}, and a
 * stranger's at {@code /stranger.pem}) and answering subscription confirmations; messages written
 * and signed as SNS writes and signs them; every request the server got.
 */
public final class SnsOnLoopback implements AutoCloseable {

    public static final String CERT_PATH = "/SimpleNotificationService-test.pem";

    private final LoopbackTls.Identity tls;
    private final LoopbackTls.Identity signer;
    private final HttpsServer server;
    public final List<String> requests = new CopyOnWriteArrayList<>();

    public SnsOnLoopback(Path dir) throws Exception {
        tls = LoopbackTls.make(dir, "CN=127.0.0.1", "san=ip:127.0.0.1");
        signer = LoopbackTls.make(dir, "CN=sns.amazonaws.com, O=Amazon", null);
        LoopbackTls.Identity stranger = LoopbackTls.make(dir, "CN=example.com, O=Example", null);
        server = tls.server();
        server.createContext("/", x -> {
            requests.add(x.getRequestURI().toString());
            String path = x.getRequestURI().getPath();
            byte[] body = path.equals(CERT_PATH) ? signer.pem().getBytes(StandardCharsets.US_ASCII)
                    : path.equals("/stranger.pem") ? stranger.pem().getBytes(StandardCharsets.US_ASCII)
                    : "<ConfirmSubscriptionResponse/>".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
    }

    /** {@code https://127.0.0.1:<port>}. */
    public String base() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A client that trusts this server (and nothing else). */
    public HttpClient client() throws Exception {
        return HttpClient.newBuilder().sslContext(tls.trustingClient()).build();
    }

    /** The checks as production makes them, with this server as the SNS host. */
    public SnsMessages messages() throws Exception {
        return new SnsMessages("127\\.0\\.0\\.1", client(), new NetworkGuard(false, List.of("127.0.0.1")), Clock.systemUTC());
    }

    /** The server's TLS identity (a trust store for the app's configuration). */
    public LoopbackTls.Identity tls() {
        return tls;
    }

    /**
     * A message as SNS writes and signs it.
     *
     * @param extra Subject, or SubscribeURL and Token, as the type has them
     */
    public String signed(String type, String version, String certPath, String topic, String messageId, String message, Map<String, String> extra)
            throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Type", type);
        m.put("MessageId", messageId);
        m.put("TopicArn", topic);
        m.putAll(extra);
        m.put("Message", message);
        m.put("Timestamp", "2026-12-07T10:00:00.000Z");
        m.put("SignatureVersion", version);
        m.put("SigningCertURL", base() + certPath);
        m.put("Signature", "unsigned");
        SnsMessages.Envelope e = SnsMessages.parse(Json.write(m));
        Signature s = Signature.getInstance(version.equals("2") ? "SHA256withRSA" : "SHA1withRSA");
        s.initSign(signer.key());
        s.update(stringToSign(e).getBytes(StandardCharsets.UTF_8));
        m.put("Signature", Base64.getEncoder().encodeToString(s.sign()));
        return Json.write(m);
    }

    /** The documented string to sign, written here apart from the code under test. */
    private static String stringToSign(SnsMessages.Envelope e) {
        StringBuilder b = new StringBuilder();
        b.append("Message\n").append(e.message()).append('\n').append("MessageId\n").append(e.messageId()).append('\n');
        if (e.isNotification()) {
            if (e.subject() != null) {
                b.append("Subject\n").append(e.subject()).append('\n');
            }
        } else {
            b.append("SubscribeURL\n").append(e.subscribeUrl()).append('\n');
        }
        b.append("Timestamp\n").append(e.timestamp()).append('\n');
        if (!e.isNotification()) {
            b.append("Token\n").append(e.token()).append('\n');
        }
        return b.append("TopicArn\n").append(e.topicArn()).append('\n').append("Type\n").append(e.type()).append('\n').toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
