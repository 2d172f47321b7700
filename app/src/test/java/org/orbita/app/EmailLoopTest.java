package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;
import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.BufferedReader;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.orbita.app.ApiTestSupport.Reply;
import org.orbita.mta.MtaMain;
import org.orbita.mta.config.MtaConfig;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole email loop on the production path: a campaign on the local RabbitMQ, a real MTA
 * node taking the email queue and delivering to an SMTP server on loopback, its outcome events
 * back into the histories, and a bounce marking the subscription.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmailLoopTest {

    static final String QUEUE = "orbita.email.loop." + System.nanoTime();
    static final List<String> received = new CopyOnWriteArrayList<>();
    /** The X-Orbita-Key of each message the sink took, by recipient. */
    static final Map<String, String> keys = new ConcurrentHashMap<>();
    /** The last message each recipient was given, its quoted-printable soft line breaks joined. */
    static final Map<String, String> bodies = new ConcurrentHashMap<>();
    static ServerSocket sink;
    static MtaMain mta;

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Value("${orbita.content.public-port}")
    int publicPort;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
        registry.add("orbita.queue.kind", () -> "rabbitmq");
        registry.add("orbita.queue.email-queue", () -> QUEUE);
        registry.add("orbita.queue.email-events-queue", () -> QUEUE + ".events");
        sink = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon(true).start(EmailLoopTest::accept);
        Path dir = Files.createTempDirectory("orbita-loop-mta");
        Files.writeString(dir.resolve("mta.properties"), "mta.route.*=127.0.0.1:" + sink.getLocalPort() + "\n");
        mta = new MtaMain(new MtaConfig(dir.resolve("mta.properties"), Map.ofEntries(
                Map.entry("MTA_HOSTNAME", "mta.loop.test"), Map.entry("MTA_SMTP_PORT", "0"), Map.entry("MTA_SMTP_BIND", "127.0.0.1"),
                Map.entry("MTA_HTTP_PORT", "0"), Map.entry("MTA_HTTP_BIND", "127.0.0.1"), Map.entry("MTA_HTTP_TOKEN", "t"),
                Map.entry("MTA_SPOOL_DIR", dir.resolve("spool").toString()), Map.entry("MTA_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672"),
                Map.entry("MTA_RABBITMQ_QUEUE", QUEUE), Map.entry("MTA_RABBITMQ_EVENTS_QUEUE", QUEUE + ".events"),
                Map.entry("MTA_BOUNCE_DOMAIN", "bounces.loop.test"))));
    }

    @AfterAll
    static void stop() throws Exception {
        mta.close();
        sink.close();
        ConnectionFactory f = new ConnectionFactory();
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            ch.queueDelete(QUEUE);
            ch.queueDelete(QUEUE + ".events");
        }
    }

    @Autowired
    org.orbita.app.security.Team team;

    /**
     * An invitation goes by mail through the workspace's mail sender: the mail holds the whole
     * link as written (not through a click link), its outcome is read back, and inviting again
     * ends the first link.
     */
    @Test
    void anInvitationIsMailedWithItsLinkAndInvitingAgainEndsTheFirstLink() throws Exception {
        Reply invited = json(port, "POST", "/api/v1/users", Map.of("email", "Nadia@Team.example", "name", "Nadia <b>", "role", "analyst"));
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        assertThat(invited.json().at("/mail/state").asText()).isEqualTo("queued");
        String link = invited.json().get("link").asText();
        String userId = invited.json().at("/member/id").asText();
        assertThat(link).isEqualTo("http://localhost:" + port + "/invitation/" + invited.json().get("token").asText());
        ApiTestSupport.waitFor(() -> !json(port, "GET", "/api/v1/users/" + userId + "/invitation", null).json().at("/mail/state").asText()
                .equals("queued"));
        Reply outcome = json(port, "GET", "/api/v1/users/" + userId + "/invitation", null);
        assertThat(outcome.json().at("/mail/state").asText()).as(outcome.body()).isEqualTo("delivered");
        String mail = bodies.get("nadia@team.example");
        assertThat(mail).contains("<a data-orbita-notrack href=\"" + link + "\">").contains("Subject: You are invited to")
                .contains("<p>Hello Nadia &lt;b&gt;,</p>").doesNotContain("<p>Hello Nadia <b>").contains("Hello Nadia <b>,\n")
                .contains("(" + link + ")");

        Reply again = json(port, "POST", "/api/v1/users/" + userId + "/invitation", null);
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        String first = invited.json().get("token").asText();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> team.accept(first, "Kettle-Tundra-Ninety-1"))
                .hasMessageContaining("not valid");
        team.accept(again.json().get("token").asText(), "Kettle-Tundra-Ninety-1");
        Reply done = json(port, "POST", "/api/v1/users/" + userId + "/invitation", null);
        assertThat(done.status()).as(done.body()).isEqualTo(400);
        assertThat(done.body()).contains("has set a password already");
        assertThat(json(port, "GET", "/api/v1/users/nobody/invitation", null).status()).isEqualTo(404);
    }

    @Test
    void deliveredAndBouncedComeBackIntoTheHistoriesAndABounceMarksTheSubscription() throws Exception {
        // the node already refuses one address (a complaint, say): its mail bounces as suppressed
        var suppress = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + mta.httpPort() + "/admin/suppressions/gone@example.com"))
                .header("Authorization", "Bearer t").PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(suppress.statusCode()).as(suppress.body()).isIn(200, 201, 204);
        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", "loop", "name", "Loop", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true)))).status()).isEqualTo(201);
        for (String email : List.of("ann@example.com", "bob@example.com", "gone@example.com")) {
            Reply r = json(port, "POST", "/api/v1/databases/loop/profiles", Map.of("matching", "email", "fields", Map.of("email", email),
                    "subscriptions", List.of(Map.of("channel", "email", "address", email))));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }
        Reply segment = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "loop", "name", "All",
                "definition", Map.of("type", "group", "match", "all", "conditions", List.of(Map.of("type", "field", "field", "email", "op", "is_set")))));
        Reply message = json(port, "POST", "/api/v1/messages", Map.of("name", "Loop", "email", Map.of("subject", "Loop",
                "fromAddress", "news@shop.example", "text", "Hello")));
        Reply campaign = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Loop", "database", "loop",
                "segments", List.of(segment.json().at("/segment/id").asText()), "messageId", message.json().get("id").asText()));
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
        String id = campaign.json().get("id").asText();
        assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(200);

        for (int i = 0; i < 300 && received.stream().filter(r -> r.endsWith("@example.com")).count() < 2; i++) {
            Thread.sleep(100);
        }
        assertThat(received.stream().filter(r -> r.endsWith("@example.com"))).containsExactlyInAnyOrder("ann@example.com", "bob@example.com");
        String ann = profileId("ann@example.com");
        String gone = profileId("gone@example.com");
        JsonNode annHistory = waitForEvent(ann, "message.delivered");
        assertThat(annHistory.toString()).contains(id).contains("relay:127.0.0.1:" + sink.getLocalPort());
        JsonNode goneHistory = waitForEvent(gone, "message.bounced");
        assertThat(goneHistory.toString()).contains("suppressed").contains("\"kind\":\"hard\"");
        JsonNode goneProfile = json(port, "GET", "/api/v1/databases/loop/profiles/" + gone, null).json();
        assertThat(goneProfile.at("/subscriptions/0/status").asText()).isEqualTo("bounced");

        // Bob marks the letter as spam: his mailbox provider's feedback report (ARF) reaches the node's bounce domain,
        // carrying the original's headers; the platform records the complaint and unsubscribes him
        String bob = profileId("bob@example.com");
        assertThat(keys.get("bob@example.com")).startsWith(json(port, "GET", "/api/v1/campaigns/" + id, null).json().get("runId").asText() + "/" + bob);
        String arf = String.join("\r\n", "From: fbl@mailbox.example", "To: fbl@bounces.loop.test", "Subject: complaint",
                "MIME-Version: 1.0", "Content-Type: multipart/report; report-type=feedback-report; boundary=\"b\"", "",
                "--b", "Content-Type: text/plain", "", "An abuse report.", "--b", "Content-Type: message/feedback-report", "",
                "Feedback-Type: abuse", "Version: 1", "Original-Rcpt-To: <bob@example.com>", "", "--b", "Content-Type: text/rfc822-headers", "",
                "From: news@shop.example", "To: bob@example.com", "Subject: Loop", "X-Orbita-Key: " + keys.get("bob@example.com"), "", "--b--", "");
        try (Socket smtp = new Socket(InetAddress.getLoopbackAddress(), mta.smtpPort())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(smtp.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = smtp.getOutputStream();
            for (String cmd : new String[] {null, "EHLO mailbox.example", "MAIL FROM:<>", "RCPT TO:<fbl@bounces.loop.test>", "DATA",
                    arf + ".", "QUIT"}) {
                if (cmd != null) {
                    out.write((cmd + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                String reply;
                do {
                    reply = in.readLine();
                } while (reply.length() > 3 && reply.charAt(3) == '-');
                assertThat(reply).as(cmd).matches("[23]\\d\\d.*");
            }
        }
        JsonNode bobHistory = waitForEvent(bob, "message.complained");
        assertThat(bobHistory.toString()).contains(id).contains("\"kind\":\"complaint\"");
        for (int i = 0; i < 100 && !json(port, "GET", "/api/v1/databases/loop/profiles/" + bob, null).json()
                .at("/subscriptions/0/status").asText().equals("unsubscribed"); i++) {
            Thread.sleep(100);
        }
        assertThat(json(port, "GET", "/api/v1/databases/loop/profiles/" + bob, null).json().at("/subscriptions/0/status").asText())
                .isEqualTo("unsubscribed");
        assertThat(json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json().at("/stats/complained").asLong()).isEqualTo(1);
    }

    /**
     * Trigger, journey and transactional email report their outcomes as campaigns do: a delivery
     * into the history with what sent it, a hard bounce marking the address bounced.
     */
    @Test
    void outcomesOfTriggerJourneyAndTransactionalMailComeBackToo() throws Exception {
        for (String gone : List.of("trg-gone@kinds.example", "jny-gone@kinds.example", "tx-gone@kinds.example")) {
            var suppress = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + mta.httpPort() + "/admin/suppressions/" + gone))
                    .header("Authorization", "Bearer t").PUT(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(suppress.statusCode()).as(suppress.body()).isIn(200, 201, 204);
        }
        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", "kinds", "name", "Kinds", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true)))).status()).isEqualTo(201);
        for (String kind : List.of("trg", "jny", "tx")) {
            for (String who : List.of("ok", "gone")) {
                String email = kind + "-" + who + "@kinds.example";
                Reply r = json(port, "POST", "/api/v1/databases/kinds/profiles", Map.of("matching", "email", "fields", Map.of("email", email),
                        "subscriptions", List.of(Map.of("channel", "email", "address", email))));
                assertThat(r.status()).as(r.body()).isEqualTo(201);
            }
        }
        String message = json(port, "POST", "/api/v1/messages", Map.of("name", "Kinds", "email", Map.of("subject", "Hello",
                "fromAddress", "news@shop.example", "text", "Hello"))).json().get("id").asText();
        // a trigger campaign on an event
        Reply trigger = json(port, "POST", "/api/v1/campaigns", Map.of("name", "On signup", "type", "trigger", "database", "kinds",
                "messageId", message, "trigger", Map.of("event", "signup")));
        assertThat(trigger.status()).as(trigger.body()).isEqualTo(201);
        String triggerId = trigger.json().get("id").asText();
        assertThat(json(port, "POST", "/api/v1/campaigns/" + triggerId + "/launch", null).status()).isEqualTo(200);
        // a journey that sends the message on another event
        Reply journey = json(port, "POST", "/api/v1/journeys", Map.of("name", "On join", "databaseId", "kinds", "journey", Map.of(
                "nodes", List.of(Map.of("id", "start", "type", "start", "name", "start", "settings", Map.of("entry", "event", "event", "join")),
                        Map.of("id", "mail", "type", "send-message", "name", "mail", "settings", Map.of("messageId", message, "channels", "email")),
                        Map.of("id", "end", "type", "exit", "name", "end", "settings", Map.of())),
                "links", List.of(Map.of("from", "start", "to", "mail"), Map.of("from", "mail", "to", "end")))));
        assertThat(journey.status()).as(journey.body()).isEqualTo(201);
        String journeyId = journey.json().at("/definition/id").asText();
        assertThat(json(port, "POST", "/api/v1/journeys/" + journeyId + "/publish", null).status()).isEqualTo(200);
        Thread.sleep(2_500); // live trigger campaigns are looked up again every two seconds

        for (String who : List.of("ok", "gone")) {
            assertThat(json(port, "POST", "/api/v1/events", Map.of("database", "kinds", "matching", "email", "value", "trg-" + who + "@kinds.example",
                    "type", "signup")).status()).isBetween(200, 202);
            assertThat(json(port, "POST", "/api/v1/events", Map.of("database", "kinds", "matching", "email", "value", "jny-" + who + "@kinds.example",
                    "type", "join")).status()).isBetween(200, 202);
            Reply tx = json(port, "POST", "/api/v1/messages/" + message + "/send", Map.of("database", "kinds", "profile",
                    "tx-" + who + "@kinds.example", "matchBy", "email"));
            assertThat(tx.status()).as(tx.body()).isEqualTo(202);
        }

        for (String kind : List.of("trg", "jny", "tx")) {
            String ok = profileId("kinds", kind + "-ok@kinds.example");
            String gone = profileId("kinds", kind + "-gone@kinds.example");
            JsonNode delivered = waitForEvent("kinds", ok, "message.delivered");
            assertThat(delivered.toString()).as(kind).contains("relay:127.0.0.1:" + sink.getLocalPort());
            JsonNode bounced = waitForEvent("kinds", gone, "message.bounced");
            assertThat(bounced.toString()).as(kind).contains("suppressed").contains("\"kind\":\"hard\"");
            for (int i = 0; i < 100 && !json(port, "GET", "/api/v1/databases/kinds/profiles/" + gone, null).json()
                    .at("/subscriptions/0/status").asText().equals("bounced"); i++) {
                Thread.sleep(100);
            }
            assertThat(json(port, "GET", "/api/v1/databases/kinds/profiles/" + gone, null).json().at("/subscriptions/0/status").asText())
                    .as(kind).isEqualTo("bounced");
            if (kind.equals("trg")) {
                assertThat(delivered.toString()).contains(triggerId);
            }
            if (kind.equals("jny")) {
                assertThat(delivered.toString()).contains(journeyId);
            }
        }
        assertThat(json(port, "GET", "/api/v1/campaigns/" + triggerId + "/report", null).json().at("/stats/delivered").asLong()).isEqualTo(1);
    }

    /**
     * A form's double opt-in: the consent's subscription waits as pending, the confirmation message
     * reaches the mailbox with its link, the link's page asks first (GET changes nothing), and
     * confirming makes the subscription active; a forged link confirms nothing; asking again
     * never takes back the active subscription.
     */
    @Test
    void aDoubleOptInConsentWaitsForTheLinkInItsConfirmationEmail() throws Exception {
        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", "optin", "name", "Opt-in", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true)))).status()).isEqualTo(201);
        String message = json(port, "POST", "/api/v1/messages", Map.of("name", "Please confirm", "email", Map.of("subject", "Confirm {{ data.form }}",
                "fromAddress", "news@shop.example", "text", "Confirm here: {{ data.confirm_url }}"))).json().get("id").asText();
        Reply bad = json(port, "POST", "/api/v1/forms", Map.of("name", "News", "database", "optin", "matchBy", "email", "published", true,
                "fields", List.of(Map.of("name", "email", "type", "email", "profileField", "email", "required", true, "label", Map.of("en", "Email"))),
                "consents", List.of(Map.of("name", "news", "channel", "email", "resource", "news", "label", Map.of("en", "News"), "confirm", "nope"))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"consents[0].confirm\"");
        Reply f = json(port, "POST", "/api/v1/forms", Map.of("name", "News", "database", "optin", "matchBy", "email", "published", true,
                "spam", Map.of("minSeconds", 0, "perMinute", 100),
                "fields", List.of(Map.of("name", "email", "type", "email", "profileField", "email", "required", true, "label", Map.of("en", "Email"))),
                "consents", List.of(Map.of("name", "news", "channel", "email", "resource", "news", "label", Map.of("en", "News"), "confirm", message))));
        assertThat(f.status()).as(f.body()).isEqualTo(201);
        String form = f.json().get("id").asText();
        String script = ApiTestSupport.send(URI.create("http://localhost:" + publicPort + "/t/f/" + form + "/form.js"), "GET", Map.of(), null).body();
        java.util.regex.Matcher shown = java.util.regex.Pattern.compile("\"shown\":\"([^\"]+)\"").matcher(script);
        assertThat(shown.find()).isTrue();
        Reply sent = ApiTestSupport.send(URI.create("http://localhost:" + publicPort + "/t/f/" + form + "/submit"), "POST", Map.of("Content-Type",
                "text/plain"), ("{\"id\":\"optin-submission-1\",\"shown\":\"" + shown.group(1) + "\",\"answers\":{\"email\":\"Olga@Optin.example\"},"
                + "\"consents\":{\"news\":true}}").getBytes(StandardCharsets.UTF_8));
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        String olga = profileId("optin", "olga@optin.example");
        assertThat(json(port, "GET", "/api/v1/databases/optin/profiles/" + olga, null).json().at("/subscriptions/0/status").asText())
                .isEqualTo("pending");
        waitForEvent("optin", olga, "subscription.pending");

        for (int i = 0; i < 300 && !bodies.containsKey("olga@optin.example"); i++) {
            Thread.sleep(100);
        }
        String mail = bodies.get("olga@optin.example");
        assertThat(mail).as("the confirmation email").isNotNull().contains("Subject: Confirm News");
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("http://localhost:" + publicPort + "/t/f/" + form
                + "/confirm\\?t(?:=3D|=)([A-Za-z0-9._-]+)").matcher(mail);
        assertThat(link.find()).as(mail).isTrue();
        String token = link.group(1);
        URI confirm = URI.create("http://localhost:" + publicPort + "/t/f/" + form + "/confirm?t=" + token);
        Reply page = ApiTestSupport.send(confirm, "GET", Map.of(), null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\">");
        assertThat(json(port, "GET", "/api/v1/databases/optin/profiles/" + olga, null).json().at("/subscriptions/0/status").asText())
                .as("a GET (a mail scanner's) confirms nothing").isEqualTo("pending");
        Reply forged = ApiTestSupport.send(URI.create("http://localhost:" + publicPort + "/t/f/" + form + "/confirm"), "POST",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), ("t=" + token.substring(0, token.length() - 2) + "xx")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(forged.status()).isEqualTo(404);
        Reply done = ApiTestSupport.send(URI.create("http://localhost:" + publicPort + "/t/f/" + form + "/confirm"), "POST",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), ("t=" + token).getBytes(StandardCharsets.UTF_8));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("confirmed");
        assertThat(json(port, "GET", "/api/v1/databases/optin/profiles/" + olga, null).json().at("/subscriptions/0/status").asText())
                .isEqualTo("active");
        waitForEvent("optin", olga, "subscription.subscribed");

        // the same person sends the form again: the active subscription stays active
        Reply again = ApiTestSupport.send(URI.create("http://localhost:" + publicPort + "/t/f/" + form + "/submit"), "POST", Map.of("Content-Type",
                "text/plain"), ("{\"id\":\"optin-submission-2\",\"shown\":\"" + shown.group(1) + "\",\"answers\":{\"email\":\"olga@optin.example\"},"
                + "\"consents\":{\"news\":true}}").getBytes(StandardCharsets.UTF_8));
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(json(port, "GET", "/api/v1/databases/optin/profiles/" + olga, null).json().at("/subscriptions/0/status").asText())
                .isEqualTo("active");
    }

    private String profileId(String email) {
        return profileId("loop", email);
    }

    private String profileId(String db, String email) {
        return json(port, "GET", "/api/v1/databases/" + db + "/profiles?matching=email&value=" + email, null).json().get("id").asText();
    }

    private JsonNode waitForEvent(String profileId, String type) throws InterruptedException {
        return waitForEvent("loop", profileId, type);
    }

    private JsonNode waitForEvent(String db, String profileId, String type) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            JsonNode h = json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + profileId + "/history?type=" + type, null).json();
            if (h.toString().contains(type)) {
                return h;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + type + " in the history of " + profileId);
    }

    /** A plain SMTP server: takes every message and notes its recipients. */
    private static void accept() {
        while (!sink.isClosed()) {
            try {
                Socket s = sink.accept();
                Thread.ofVirtual().start(() -> converse(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void converse(Socket s) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            out.write("220 sink.example ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            List<String> rcpts = new ArrayList<>();
            for (String line; (line = in.readLine()) != null; ) {
                String cmd = line.toUpperCase(Locale.ROOT);
                String reply = "250 Ok";
                if (cmd.startsWith("RCPT")) {
                    rcpts.add(line.substring(line.indexOf('<') + 1, line.indexOf('>')));
                } else if (cmd.equals("DATA")) {
                    out.write("354 go on\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    StringBuilder data = new StringBuilder();
                    for (String body; !".".equals(body = in.readLine()); ) {
                        if (body.regionMatches(true, 0, "X-Orbita-Key:", 0, 13)) {
                            String key = body.substring(13).strip();
                            rcpts.forEach(r -> keys.put(r, key));
                        }
                        data.append(body.startsWith("..") ? body.substring(1) : body);
                        if (body.endsWith("=")) {
                            data.setLength(data.length() - 1); // a soft line break
                        } else {
                            data.append('\n');
                        }
                    }
                    rcpts.forEach(r -> bodies.put(r.toLowerCase(Locale.ROOT), data.toString()));
                    received.addAll(rcpts);
                    rcpts.clear();
                } else if (cmd.equals("QUIT")) {
                    out.write("221 Bye\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return;
                }
                out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }
}
