package org.orbita.mta;

import org.orbita.mta.dkim.DkimKeys;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.security.KeyPairGenerator;
import static org.assertj.core.api.Assertions.assertThat;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.orbita.mta.config.MtaConfig;
import org.orbita.mta.delivery.Bounce;
import org.orbita.mta.delivery.Outcome;
import org.orbita.mta.delivery.Reply;

/** The node end to end: SMTP and HTTP in, through the spool, out to a receiving server on loopback. */
class MtaTest {

    @TempDir
    Path dir;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    MtaMain node(int relayPort, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "MTA_HOSTNAME", "mta.test", "MTA_SMTP_PORT", "0", "MTA_SMTP_BIND", "127.0.0.1", "MTA_HTTP_PORT", "0",
                "MTA_HTTP_BIND", "127.0.0.1", "MTA_HTTP_TOKEN", "secret-token", "MTA_SPOOL_DIR", dir.resolve("spool").toString(),
                "MTA_DELIVERY_RETRY_BASE", "1s", "MTA_DELIVERY_TIMEOUT", "5s"));
        env.putAll(extra);
        Path config = dir.resolve("mta.properties");
        Files.writeString(config, "mta.route.*=127.0.0.1:" + relayPort + "\n");
        return new MtaMain(new MtaConfig(config, env));
    }

    @Test
    void mailInjectedBySmtpAndHttpReachesTheReceivingServer() throws Exception {
        int port = freePort();
        GreenMail receiver = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
        receiver.start();
        try (MtaMain node = node(port, Map.of())) {
            GreenMailUtil.sendTextEmail("ann@shop.example", "news@orbita.example", "Hello by SMTP", "Body line\r\n.starts with a dot",
                    new ServerSetup(node.smtp.port(), "127.0.0.1", "smtp"));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.http.port() + "/inject"))
                    .header("Authorization", "Bearer secret-token").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"news@orbita.example\",\"to\":[\"bob@shop.example\"],"
                            + "\"subject\":\"Привет by HTTP\",\"text\":\"Текст\",\"html\":\"<p>Текст</p>\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(receiver.waitForIncomingEmail(10_000, 2)).isTrue();
            MimeMessage[] got = receiver.getReceivedMessages();
            MimeMessage smtp = Arrays.stream(got).filter(m -> subject(m).equals("Hello by SMTP")).findFirst().orElseThrow();
            assertThat(GreenMailUtil.getBody(smtp)).contains("Body line\r\n.starts with a dot");
            assertThat(smtp.getHeader("Received")).anySatisfy(h -> assertThat(h).contains("by mta.test"));
            MimeMessage http = Arrays.stream(got).filter(m -> subject(m).equals("Привет by HTTP")).findFirst().orElseThrow();
            assertThat(http.getAllRecipients()[0].toString()).isEqualTo("bob@shop.example");
            // the raw body as GreenMail keeps it (bytes as Latin-1), read back as the UTF-8 it was sent in
            String raw = new String(GreenMailUtil.getBody(http).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            assertThat(raw).contains("<p>Текст</p>");
            assertThat(http.getContentType()).startsWith("multipart/alternative");
            waitUntil(() -> node.spool.liveMessages() == 0);
            assertThat(node.metrics.total("delivered")).isEqualTo(2);

            HttpResponse<String> unauthorized = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.http.port() + "/admin/queues"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unauthorized.statusCode()).isEqualTo(401);
            HttpResponse<String> bad = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.http.port() + "/inject"))
                    .header("Authorization", "Bearer secret-token").POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"x\",\"to\":[]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("\"field\":\"from\"").contains("\"field\":\"to\"").contains("\"field\":\"raw\"");
        } finally {
            receiver.stop();
        }
    }

    @Test
    void aMessageWhoseKeyWasSpooledBeforeIsAcceptedAgainButSentOnceAlsoAfterARestart() throws Exception {
        try (ScriptedSink sink = new ScriptedSink(0)) {
            String body = "{\"id\":\"run1/p1/email\",\"from\":\"news@shop.example\",\"to\":[\"once@a.example\"],\"subject\":\"s\",\"text\":\"t\"}";
            try (MtaMain node = node(sink.port(), Map.of())) {
                assertThat(inject(node, body).body()).doesNotContain("duplicate");
                HttpResponse<String> again = inject(node, body);
                assertThat(again.statusCode()).isEqualTo(202);
                assertThat(again.body()).contains("duplicate");
                waitUntil(() -> node.spool.liveMessages() == 0 && sink.delivered.size() == 1);
                HttpResponse<String> badKey = inject(node, body.replace("run1/p1/email", "with space"));
                assertThat(badKey.statusCode()).isEqualTo(400);
                assertThat(badKey.body()).contains("\"field\":\"id\"");
            }
            try (MtaMain node = node(sink.port(), Map.of())) {
                assertThat(inject(node, body).body()).contains("duplicate");
                assertThat(node.metrics.duplicates()).isEqualTo(1);
            }
            Thread.sleep(300);
            assertThat(sink.delivered).containsExactly("once@a.example");
        }
    }

    @Test
    void aDkimKeySetOverTheAdminApiSignsItsDomainsMailAlsoAfterARestartUntilRemoved() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        HttpClient http = HttpClient.newHttpClient();
        try (ScriptedSink sink = new ScriptedSink(0)) {
            try (MtaMain node = node(sink.port(), Map.of())) {
                String base = "http://127.0.0.1:" + node.http.port() + "/admin/dkim";
                HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base + "/shop.example")).header("Authorization", "Bearer secret-token")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"selector\":\"s1\",\"key\":\"not a key\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(bad.body()).contains("\"field\":\"key\"");
                HttpResponse<String> badDomain = http.send(HttpRequest.newBuilder(URI.create(base + "/not_a_domain")).header("Authorization", "Bearer secret-token")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"selector\":\"s1\",\"key\":" + new ObjectMapper().writeValueAsString(pem) + "}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(badDomain.statusCode()).isEqualTo(400);
                assertThat(badDomain.body()).contains("\"field\":\"domain\"");
                HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + "/Shop.Example")).header("Authorization", "Bearer secret-token")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"selector\":\"s1\",\"key\":" + new ObjectMapper().writeValueAsString(pem) + "}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(put.statusCode()).isEqualTo(200);
                assertThat(put.body()).contains("\"domain\":\"shop.example\"", "\"keySha256\":\"" + DkimKeys.sha256(pem) + "\"").doesNotContain("PRIVATE");
                inject(node, "{\"from\":\"news@shop.example\",\"to\":[\"one@a.example\"],\"subject\":\"s\",\"text\":\"t\"}");
                waitUntil(() -> sink.bodies.containsKey("one@a.example"));
                assertThat(sink.bodies.get("one@a.example")).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=shop.example; s=s1;");
            }
            assertThat(Files.getPosixFilePermissions(dir.resolve("spool/dkim/shop.example.json"))).containsExactlyInAnyOrder(
                    PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            try (MtaMain node = node(sink.port(), Map.of())) {
                String base = "http://127.0.0.1:" + node.http.port() + "/admin/dkim";
                HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Bearer secret-token").GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(list.body()).contains("\"selector\":\"s1\"", "\"source\":\"api\"");
                inject(node, "{\"from\":\"news@shop.example\",\"to\":[\"two@a.example\"],\"subject\":\"s\",\"text\":\"t\"}");
                waitUntil(() -> sink.bodies.containsKey("two@a.example"));
                assertThat(sink.bodies.get("two@a.example")).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=shop.example; s=s1;");
                HttpResponse<String> removed = http.send(HttpRequest.newBuilder(URI.create(base + "/shop.example")).header("Authorization", "Bearer secret-token")
                        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(removed.statusCode()).isEqualTo(204);
                inject(node, "{\"from\":\"news@shop.example\",\"to\":[\"three@a.example\"],\"subject\":\"s\",\"text\":\"t\"}");
                waitUntil(() -> sink.bodies.containsKey("three@a.example"));
                assertThat(sink.bodies.get("three@a.example")).doesNotContain("DKIM-Signature");
            }
            assertThat(dir.resolve("spool/dkim/shop.example.json")).doesNotExist();
        }
    }

    private static HttpResponse<String> inject(MtaMain node, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.http.port() + "/inject"))
                .header("Authorization", "Bearer secret-token").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void temporaryFailuresAreRetriedAndPermanentOnesBounceWithAReason() throws Exception {
        try (ScriptedSink sink = new ScriptedSink(1); MtaMain node = node(sink.port(), Map.of())) {
            List<Outcome> outcomes = new CopyOnWriteArrayList<>();
            String id = node.inject("news@orbita.example", List.of("ok@a.example", "soft1@a.example", "hard1@a.example", "full@b.example"),
                    "Subject: t\r\n\r\nhi\r\n".getBytes(StandardCharsets.UTF_8)).get();
            waitUntil(() -> node.spool.liveMessages() == 0);
            assertThat(sink.delivered).containsExactlyInAnyOrder("ok@a.example", "soft1@a.example");
            assertThat(sink.tries.get("soft1@a.example").get()).isEqualTo(2);
            assertThat(node.metrics.total("delivered")).isEqualTo(2);
            assertThat(node.metrics.total("deferred")).isEqualTo(1);
            assertThat(node.metrics.total("bounced")).isEqualTo(2);
            assertThat(id).isNotBlank();
        }
        // the bounce classes for the same replies: what Sisimai (libsisimai-perl) says of DSNs carrying them
        assertThat(Bounce.of(new Reply(550, "5.1.1", "Recipient address rejected: User unknown")))
                .isEqualTo(new Bounce("hard", "userunknown", "5.1.1"));
        assertThat(Bounce.of(new Reply(552, "5.2.2", "Mailbox full")))
                .isEqualTo(new Bounce("soft", "mailboxfull", "5.2.2"));
        assertThat(Bounce.of(new Reply(421, "4.7.0", "Too many messages, rate limit exceeded")))
                .isEqualTo(new Bounce("soft", "securityerror", "4.7.0"));
        assertThat(Bounce.of(new Reply(550, "5.7.1", "Message rejected as spam")))
                .isEqualTo(new Bounce("soft", "spamdetected", "5.7.1"));
        // a reply over several lines is read whole (a newline used to hide "User unknown" from the rules)
        assertThat(Bounce.of(new Reply(550, null, "Sorry,\nUser unknown\n"), "RCPT").reason()).isEqualTo("userunknown");
    }

    @Test
    void theListenerAnswersBadCommandsAndOversizedMailClearly() throws Exception {
        try (ScriptedSink sink = new ScriptedSink(0); MtaMain node = node(sink.port(), Map.of("MTA_SMTP_MAX_MESSAGE_SIZE", "1KB"))) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.smtp.port())) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream();
                assertThat(in.readLine()).startsWith("220 mta.test");
                out.write("MAIL FROM:<a@b.example>\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(in.readLine()).startsWith("503 5.5.1");
                out.write("EHLO client.example\r\n".getBytes(StandardCharsets.US_ASCII));
                String line;
                List<String> ehlo = new ArrayList<>();
                while ((line = in.readLine()).startsWith("250-")) {
                    ehlo.add(line);
                }
                ehlo.add(line);
                assertThat(ehlo).contains("250-PIPELINING", "250-SIZE 1024", "250-8BITMIME", "250-SMTPUTF8");
                out.write("MAIL FROM:<a@b.example> SIZE=999999\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(in.readLine()).startsWith("552 5.3.4");
                // pipelined: MAIL, RCPT, a bad RCPT, DATA in one write
                out.write("MAIL FROM:<a@b.example>\r\nRCPT TO:<ok@c.example>\r\nRCPT TO:<not an address>\r\nDATA\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(in.readLine()).startsWith("250 2.1.0");
                assertThat(in.readLine()).startsWith("250 2.1.5");
                assertThat(in.readLine()).startsWith("501 5.1.3");
                assertThat(in.readLine()).startsWith("354");
                out.write(("Subject: big\r\n\r\n" + "x".repeat(2000) + "\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(in.readLine()).startsWith("552 5.3.4");
                out.write(("BDAT 10\r\n" + "x".repeat(5000) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(in.readLine()).startsWith("500 5.5.2");
                assertThat(in.readLine()).startsWith("500 5.5.2 Line too long");
                out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(in.readLine()).startsWith("221");
            }
            assertThat(node.spool.liveMessages()).isZero();
        }
    }

    @Test
    void aSpoolShortOfRoomRefusesMailWith452Over507AndKeepsNothing() throws Exception {
        try (ScriptedSink sink = new ScriptedSink(0); MtaMain node = node(sink.port(), Map.of("MTA_SPOOL_MIN_FREE", "1000000GB"))) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.smtp.port())) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream();
                assertThat(in.readLine()).startsWith("220");
                out.write("HELO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<ok@c.example>\r\nDATA\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(in.readLine()).startsWith("250");
                assertThat(in.readLine()).startsWith("250 2.1.0");
                assertThat(in.readLine()).startsWith("250 2.1.5");
                assertThat(in.readLine()).startsWith("354");
                out.write("Subject: t\r\n\r\nhi\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(in.readLine()).startsWith("452 4.3.1");
            }
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.http.port() + "/inject"))
                    .header("Authorization", "Bearer secret-token")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"a@b.example\",\"to\":[\"ok@c.example\"],\"subject\":\"s\",\"text\":\"t\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(507);
            assertThat(r.body()).contains("floor");
            assertThat(node.spool.liveMessages()).isZero();
            assertThat(sink.delivered).isEmpty();
        }
    }

    @Test
    void withAutoClusterSizeEachNodeTakesItsShareOfTheLimitsAndTheRestTakeMoreWhenOneLeaves() throws Exception {
        String queue = "orbita.email.cluster." + System.nanoTime();
        try (ScriptedSink sink = new ScriptedSink(0)) {
            Function<String, Map<String, String>> env = name -> Map.of("MTA_HOSTNAME", name, "MTA_SMTP_PORT", "0",
                    "MTA_SMTP_BIND", "127.0.0.1", "MTA_HTTP_PORT", "0", "MTA_HTTP_BIND", "127.0.0.1", "MTA_SPOOL_DIR", dir.resolve(name).toString(),
                    "MTA_RABBITMQ_URI", RABBIT, "MTA_RABBITMQ_QUEUE", queue, "MTA_RABBITMQ_EVENTS_QUEUE", queue + ".events",
                    "MTA_CLUSTER_NODES", "auto");
            Path config = dir.resolve("cluster.properties");
            Files.writeString(config, "mta.route.*=127.0.0.1:" + sink.port() + "\nmta.cluster.check-every=1s\nmta.delivery.max-connections=8\n");
            try (MtaMain one = new MtaMain(new MtaConfig(config, env.apply("one")))) {
                one.inject("news@shop.example", List.of("c1@a.example"), "Subject: t\r\n\r\nhi\r\n".getBytes(StandardCharsets.UTF_8)).get();
                waitUntil(() -> sink.delivered.size() == 1);
                assertThat(one.deliveries.queues().get(0).maxConnections()).isEqualTo(8);
                try (MtaMain two = new MtaMain(new MtaConfig(config, env.apply("two")))) {
                    waitUntil(() -> one.nodes() == 2 && two.nodes() == 2);
                    assertThat(one.deliveries.queues().get(0).maxConnections()).isEqualTo(4);
                }
                // the other node is gone: its share comes back
                waitUntil(() -> one.nodes() == 1);
                assertThat(one.deliveries.queues().get(0).maxConnections()).isEqualTo(8);
            } finally {
                ConnectionFactory f = new ConnectionFactory();
                f.setUri(RABBIT);
                try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
                    ch.queueDelete(queue);
                    ch.queueDelete(queue + ".events");
                }
            }
        }
    }

    @Test
    void thePlatformsEmailQueueIsTakenInAndAcknowledgedOnceSpooled() throws Exception {
        String queue = "orbita.email.test." + System.nanoTime();
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(RABBIT);
        try (ScriptedSink sink = new ScriptedSink(0);
             Connection c = f.newConnection();
             Channel ch = c.createChannel()) {
            ch.queueDeclare(queue, true, false, false, null);
            for (int i = 0; i < 3; i++) {
                ch.basicPublish("", queue, null, ("{\"from\":\"news@shop.example\",\"to\":[\"q" + i + "@a.example\"],\"subject\":\"s\",\"text\":\"t\"}")
                        .getBytes(StandardCharsets.UTF_8));
            }
            ch.basicPublish("", queue, null, "{\"to\": []}".getBytes(StandardCharsets.UTF_8));
            // the platform's envelope: a JSON line, then the HTML and the text as raw UTF-8
            byte[] html = "<p class=\"x\">Привет, \"Ann\"</p>".getBytes(StandardCharsets.UTF_8);
            byte[] text = "Привет".getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream envelope = new ByteArrayOutputStream();
            envelope.writeBytes(("ORBITA-MAIL/1\n{\"id\":\"run1/p1/email\",\"from\":\"news@shop.example\",\"to\":[\"env@a.example\"],\"subject\":\"s\","
                    + "\"htmlBytes\":" + html.length + ",\"textBytes\":" + text.length + "}\n").getBytes(StandardCharsets.UTF_8));
            envelope.writeBytes(html);
            envelope.writeBytes(text);
            ch.basicPublish("", queue, null, envelope.toByteArray());
            // lengths that do not add up: refused, not half-read
            ch.basicPublish("", queue, null, ("ORBITA-MAIL/1\n{\"from\":\"news@shop.example\",\"to\":[\"bad@a.example\"],\"htmlBytes\":99}\n<p>")
                    .getBytes(StandardCharsets.UTF_8));
            ch.queueDeclare(queue + ".events", true, false, false, null);
            try (MtaMain node = node(sink.port(), Map.of("MTA_RABBITMQ_URI", RABBIT, "MTA_RABBITMQ_QUEUE", queue,
                    "MTA_RABBITMQ_EVENTS_QUEUE", queue + ".events"))) {
                waitUntil(() -> sink.delivered.size() == 4);
                assertThat(sink.delivered).containsExactlyInAnyOrder("q0@a.example", "q1@a.example", "q2@a.example", "env@a.example");
                String got = sink.bodies.get("env@a.example");
                assertThat(got).contains("multipart/alternative").contains("<p class=\"x\">Привет, \"Ann\"</p>").contains("\nПривет\n");
                node.inject("news@shop.example", List.of("hard3@a.example"), "Subject: t\r\n\r\nhi\r\n".getBytes(StandardCharsets.UTF_8)).get();
                // what became of each recipient reaches the platform as events
                List<String> events = new ArrayList<>();
                waitUntil(() -> {
                    try {
                        GetResponse r = ch.basicGet(queue + ".events", true);
                        if (r != null) {
                            events.add(new String(r.getBody(), StandardCharsets.UTF_8));
                        }
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                    return events.size() >= 5;
                });
                assertThat(events).filteredOn(e -> e.contains("\"type\":\"email.delivered\"")).hasSize(4);
                assertThat(events).anySatisfy(e -> assertThat(e).contains("\"type\":\"email.bounced\"").contains("\"recipient\":\"hard3@a.example\"")
                        .contains("\"kind\":\"hard\"").contains("\"reason\":\"userunknown\"").contains("\"status\":\"5.1.1\""));
                waitUntil(() -> {
                    try {
                        return ch.messageCount(queue) == 0;
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
            } finally {
                ch.queueDelete(queue);
                ch.queueDelete(queue + ".events");
            }
        }
    }

    @Test
    void hardBouncesAndComplaintsSuppressTheAddressAndTheAdminApiShowsAndClassifies() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (ScriptedSink sink = new ScriptedSink(0); MtaMain node = node(sink.port(), Map.of("MTA_BOUNCE_DOMAIN", "bounce.shop.example"))) {
            String base = "http://127.0.0.1:" + node.http.port();
            node.inject("news@shop.example", List.of("hard7@a.example"), "Subject: t\r\n\r\nhi\r\n".getBytes(StandardCharsets.UTF_8)).get();
            waitUntil(() -> node.suppressions.contains("hard7@a.example"));
            // suppressed: the next message to it is not sent at all
            node.inject("news@shop.example", List.of("hard7@a.example", "ok9@a.example"), "Subject: t\r\n\r\nhi\r\n".getBytes(StandardCharsets.UTF_8)).get();
            waitUntil(() -> sink.delivered.contains("ok9@a.example"));
            assertThat(sink.tries.get("hard7@a.example").get()).isEqualTo(1);

            // a complaint arriving at the bounce domain suppresses its recipient
            String arf = "From: fbl@mailbox.example\r\nTo: fbl@bounce.shop.example\r\nContent-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\r\n\r\n"
                    + "--b\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nOriginal-Rcpt-To: <kate@c.example>\r\n\r\n--b--\r\n";
            sendRaw(node.smtp.port(), "fbl@mailbox.example", "fbl@bounce.shop.example", arf);
            waitUntil(() -> node.suppressions.contains("kate@c.example"));

            // VERP: each recipient's return path names it, so a bounce without one still finds it
            assertThat(sink.senders).contains("bounces+hard7=a.example@bounce.shop.example", "bounces+ok9=a.example@bounce.shop.example");
            sendRaw(node.smtp.port(), "", "bounces+zed=b.example@bounce.shop.example",
                    "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.b.example>\r\nSubject: failure notice\r\n\r\n"
                            + "Sorry, we were unable to deliver your message.\r\n550 5.1.1 The email account does not exist\r\n");
            waitUntil(() -> node.suppressions.contains("zed@b.example"));

            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/suppressions")).header("Authorization", "Bearer secret-token")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(list.body()).contains("hard7@a.example").contains("hard:userunknown").contains("kate@c.example");
            HttpResponse<String> removed = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/suppressions/hard7@a.example"))
                    .header("Authorization", "Bearer secret-token").DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(removed.statusCode()).isEqualTo(204);
            assertThat(node.suppressions.contains("hard7@a.example")).isFalse();

            String dsn = "From: MAILER-DAEMON@mx.example\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"z\"\r\n\r\n"
                    + "--z\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n"
                    + "Final-Recipient: rfc822; ann@example.com\r\nAction: failed\r\nStatus: 5.2.1\r\nDiagnostic-Code: smtp; 550 5.2.1 Mailbox disabled\r\n\r\n--z--\r\n";
            HttpResponse<String> classified = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/bounces/classify"))
                    .header("Authorization", "Bearer secret-token").POST(HttpRequest.BodyPublishers.ofString(dsn)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(classified.statusCode()).as(classified.body()).isEqualTo(200);
            // as Sisimai reads it: 5.2.1 is "filtered", and only an address that does not exist is hard
            assertThat(classified.body()).contains("\"recipient\":\"ann@example.com\"").contains("\"kind\":\"soft\"")
                    .contains("\"reason\":\"filtered\"").contains("\"status\":\"5.2.1\"");
            HttpResponse<String> notBounce = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/bounces/classify"))
                    .header("Authorization", "Bearer secret-token").POST(HttpRequest.BodyPublishers.ofString("Subject: hi\r\n\r\nlunch?\r\n")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(notBounce.statusCode()).isEqualTo(422);
        }
    }

    @Test
    void aQueuedMessageShowsItsStateAndAQueueCanBePurged() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (ScriptedSink sink = new ScriptedSink(1_000); MtaMain node = node(sink.port(), Map.of())) {
            String base = "http://127.0.0.1:" + node.http.port();
            String id = node.inject("news@shop.example", List.of("soft5@a.example", "ok5@a.example"),
                    "Subject: t\r\n\r\nhi\r\n".getBytes(StandardCharsets.UTF_8)).get();
            waitUntil(() -> sink.delivered.contains("ok5@a.example") && node.metrics.total("deferred") >= 1);
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/messages/" + id))
                    .header("Authorization", "Bearer secret-token").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains("{\"address\":\"soft5@a.example\",\"done\":false}").contains("{\"address\":\"ok5@a.example\",\"done\":true}");
            String site = node.deliveries.queues().get(0).site();
            HttpResponse<String> purged = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/queues/" + site + "/purge"))
                    .header("Authorization", "Bearer secret-token").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(purged.body()).contains("\"purged\":1");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/admin/messages/" + id)).header("Authorization", "Bearer secret-token")
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            assertThat(node.spool.liveMessages()).isZero();
            assertThat(node.suppressions.contains("soft5@a.example")).isFalse();
        }
    }

    @Test
    void connectionsComeFromThePoolsAddressesByWeightAndANewAddressKeepsToItsWarmUpAcrossARestart() throws Exception {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        try (ScriptedSink sink = new ScriptedSink(0)) {
            Path rules = dir.resolve("shaping.toml");
            Files.writeString(rules, "[[destination]]\nmatch = \"vip.example\"\npool = \"vip\"\n");
            Path config = dir.resolve("pool.properties");
            // vip.example is its own receiving site (a relay by another name), so a rule can give it its own pool
            Files.writeString(config, String.join("\n", "mta.route.*=127.0.0.1:" + sink.port(),
                    "mta.route.vip.example=localhost:" + sink.port(),
                    "mta.source.127.0.0.2.helo=mail-a.shop.example", "mta.source.127.0.0.2.weight=1",
                    "mta.source.127.0.0.3.helo=mail-b.shop.example", "mta.source.127.0.0.3.weight=1",
                    "mta.source.127.0.0.3.warmup=" + today + ":3,10",
                    "mta.source.127.0.0.4.helo=mail-vip.shop.example", "mta.source.127.0.0.4.pool=vip",
                    "mta.shaping.file=" + rules, ""));
            Map<String, String> env = Map.of("MTA_HOSTNAME", "mta.test", "MTA_SMTP_PORT", "0", "MTA_SMTP_BIND", "127.0.0.1", "MTA_HTTP_PORT", "0",
                    "MTA_HTTP_BIND", "127.0.0.1", "MTA_HTTP_TOKEN", "secret-token", "MTA_SPOOL_DIR", dir.resolve("pool-spool").toString(),
                    "MTA_DELIVERY_RETRY_BASE", "1h", "MTA_DELIVERY_MESSAGES_PER_CONNECTION", "1");
            try (MtaMain node = new MtaMain(new MtaConfig(config, env))) {
                for (int i = 0; i < 30; i++) {
                    node.inject("news@shop.example", List.of("p" + i + "@a.example"), "Subject: t\r\n\r\nhi\r\n".getBytes(StandardCharsets.UTF_8)).get();
                }
                for (int i = 0; i < 4; i++) {
                    node.inject("news@shop.example", List.of("v" + i + "@vip.example"), "Subject: t\r\n\r\nhi\r\n".getBytes(StandardCharsets.UTF_8)).get();
                }
                waitUntil(() -> sink.delivered.size() == 34);
                // the vip destination's rule sends it from the vip pool alone; the rest from the default pool
                assertThat(sink.hellos).filteredOn(h -> h.startsWith("127.0.0.4")).hasSize(4)
                        .allSatisfy(h -> assertThat(h).isEqualTo("127.0.0.4 mail-vip.shop.example"));
                assertThat(sink.hellos).filteredOn(h -> !h.startsWith("127.0.0.4"))
                        .allSatisfy(h -> assertThat(h).isIn("127.0.0.2 mail-a.shop.example", "127.0.0.3 mail-b.shop.example"));
                // the new address stopped at today's warm-up step; the other took the rest
                assertThat(sink.hellos.stream().filter(h -> h.startsWith("127.0.0.3")).count()).isEqualTo(3);
                assertThat(sources(node)).contains("\"address\":\"127.0.0.3\"").contains("\"sentToday\":3,\"capToday\":3");
            }
            // a restart does not give the ramping address a fresh day
            try (MtaMain node = new MtaMain(new MtaConfig(config, env))) {
                assertThat(sources(node)).contains("\"sentToday\":3,\"capToday\":3");
                node.inject("news@shop.example", List.of("after@a.example"), "Subject: t\r\n\r\nhi\r\n".getBytes(StandardCharsets.UTF_8)).get();
                waitUntil(() -> sink.delivered.size() == 35);
                assertThat(sink.hellos.get(sink.hellos.size() - 1)).startsWith("127.0.0.2");
            }
            // a rule naming a pool no address is in is refused at start
            Files.writeString(rules, "[[destination]]\nmatch = \"x.example\"\npool = \"nobody\"\n");
            Assertions.assertThatThrownBy(() -> new MtaMain(new MtaConfig(config, env)))
                    .hasMessageContaining("destination[0].pool").hasMessageContaining("nobody");
        }
    }

    private static String sources(MtaMain node) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/admin/sources"))
                .header("Authorization", "Bearer secret-token").GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @ParameterizedTest
    @ValueSource(strings = {"imap", "pop3"})
    void returnedMailIsPulledFromAMailboxAndDeletedThere(String protocol) throws Exception {
        int port = freePort();
        GreenMail mailbox = new GreenMail(new ServerSetup(port, "127.0.0.1", protocol));
        mailbox.start();
        try {
            var user = mailbox.setUser("bounces@shop.example", "bounces", "p\"w");
            String dsn = "From: MAILER-DAEMON@mx.example\r\nTo: bounces@shop.example\r\nSubject: Undelivered\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"z\"\r\n\r\n"
                    + "--z\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n"
                    + "Final-Recipient: rfc822; gone@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                    + "Diagnostic-Code: smtp; 550 5.1.1 No such user\r\n\r\n--z--\r\n";
            for (String rcpt : List.of("gone@example.com", "left@example.com")) {
                user.deliver(new MimeMessage(Session.getInstance(new Properties()),
                        new ByteArrayInputStream(dsn.replace("gone@example.com", rcpt).getBytes(StandardCharsets.US_ASCII))));
            }
            try (ScriptedSink sink = new ScriptedSink(0); MtaMain node = node(sink.port(), Map.of("MTA_BOUNCE_MAILBOX_HOST", "127.0.0.1",
                    "MTA_BOUNCE_MAILBOX_PROTOCOL", protocol, "MTA_BOUNCE_MAILBOX_PORT", String.valueOf(port), "MTA_BOUNCE_MAILBOX_TLS", "false",
                    "MTA_BOUNCE_MAILBOX_USER", "bounces", "MTA_BOUNCE_MAILBOX_PASSWORD", "p\"w", "MTA_BOUNCE_MAILBOX_EVERY", "1s"))) {
                waitUntil(() -> node.suppressions.contains("gone@example.com") && node.suppressions.contains("left@example.com"));
                waitUntil(() -> {
                    try {
                        return mailbox.getManagers().getImapHostManager().getInbox(user).getMessageCount() == 0;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
            }
        } finally {
            mailbox.stop();
        }
    }

    static final String RABBIT = System.getenv().getOrDefault("ORBITA_TEST_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672");

    /** Sends a message exactly as given, over a plain SMTP conversation. */
    private static void sendRaw(int port, String from, String to, String raw) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            in.readLine();
            out.write(("HELO test\r\nMAIL FROM:<" + from + ">\r\nRCPT TO:<" + to + ">\r\nDATA\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 4; i++) {
                in.readLine();
            }
            out.write((raw + "\r\n.\r\nQUIT\r\n").getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("250");
        }
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            throw new AssertionError(e);
        }
    }

    static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(50);
        }
    }
}
