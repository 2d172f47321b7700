package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.orbita.app.ApiTestSupport.Reply;
import org.orbita.mta.MtaMain;
import org.orbita.mta.config.MtaConfig;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Settings through the API: a channel provider saved at run time (secret write-only) that the
 * channel's worker sends through at once, a test send per provider and per message, sender
 * domains whose keys reach a real MTA node, that node's test mail reaching an SMTP server on
 * loopback, and workspace defaults new campaigns and links take.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SettingsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    static HttpServer telegram;
    static final List<String> telegramCalls = new CopyOnWriteArrayList<>();
    static MtaMain mta;
    static SmtpSink sink;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
        telegram = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        telegram.createContext("/", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            telegramCalls.add(x.getRequestURI().getPath() + " " + body);
            boolean blocked = body.contains("\"chat_id\":\"403\"");
            byte[] answer = (blocked ? "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}"
                    : "{\"ok\":true,\"result\":{\"message_id\":" + telegramCalls.size() + "}}").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(blocked ? 403 : 200, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        telegram.start();
        registry.add("orbita.content.external.allowed-hosts", () -> "127.0.0.1");
        int smtpPort = ApiTestSupport.freePort();
        sink = new SmtpSink(smtpPort);
        Path mtaDir = Files.createTempDirectory("orbita-mta-settings");
        Files.writeString(mtaDir.resolve("mta.properties"), "mta.route.*=127.0.0.1:" + smtpPort + "\n");
        mta = new MtaMain(new MtaConfig(mtaDir.resolve("mta.properties"), Map.of(
                "MTA_HOSTNAME", "mta.settings.test", "MTA_SMTP_PORT", "0", "MTA_SMTP_BIND", "127.0.0.1", "MTA_HTTP_PORT", "0",
                "MTA_HTTP_BIND", "127.0.0.1", "MTA_HTTP_TOKEN", "mta-token", "MTA_SPOOL_DIR", mtaDir.resolve("spool").toString(),
                "MTA_DELIVERY_RETRY_BASE", "1s", "MTA_DELIVERY_TIMEOUT", "5s")));
        registry.add("orbita.mta-nodes[0].name", () -> "mta-1");
        registry.add("orbita.mta-nodes[0].url", () -> "http://127.0.0.1:" + mta.httpPort());
        registry.add("orbita.mta-nodes[0].token", () -> "mta-token");
    }

    @AfterAll
    static void stop() throws IOException {
        telegram.stop(0);
        mta.close();
        sink.close();
    }

    @Test
    void aProviderSavedAtRunTimeSendsAtOnceAndItsSecretIsNeverReadBack() throws Exception {
        Reply before = json(port, "GET", "/api/v1/settings/providers", null);
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.json().at("/channels/telegram").asText()).isEqualTo("not configured");

        Reply missing = json(port, "PUT", "/api/v1/settings/providers/telegram", Map.of("apiUrl", "http://127.0.0.1:" + telegram.getAddress().getPort()));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("\"field\":\"botToken\"", "is required");
        Reply unknown = json(port, "PUT", "/api/v1/settings/providers/telegram", Map.of("botToken", "B0T", "token", "x"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("\"field\":\"token\"").doesNotContain("B0T");
        Reply privateUrl = json(port, "PUT", "/api/v1/settings/providers/telegram", Map.of("botToken", "B0T", "apiUrl", "http://10.1.2.3"));
        assertThat(privateUrl.status()).isEqualTo(400);
        assertThat(privateUrl.body()).contains("\"field\":\"apiUrl\"", "private");

        Reply saved = json(port, "PUT", "/api/v1/settings/providers/telegram",
                Map.of("botToken", "B0T-SECRET", "apiUrl", "http://127.0.0.1:" + telegram.getAddress().getPort()));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.body()).doesNotContain("B0T-SECRET");
        assertThat(saved.json().get("source").asText()).isEqualTo("settings");
        JsonNode token = field(saved.json(), "botToken");
        assertThat(token.get("set").asBoolean()).isTrue();
        assertThat(token.has("value")).isFalse();
        // saved again without the secret: it keeps its value
        assertThat(json(port, "PUT", "/api/v1/settings/providers/telegram",
                Map.of("apiUrl", "http://127.0.0.1:" + telegram.getAddress().getPort())).status()).isEqualTo(200);
        assertThat(json(port, "GET", "/api/v1/settings/providers", null).json().at("/channels/telegram").asText()).isEqualTo("ready");

        Reply tested = json(port, "POST", "/api/v1/settings/providers/telegram/test", Map.of("to", "101"));
        assertThat(tested.status()).as(tested.body()).isEqualTo(200);
        assertThat(tested.json().get("result").asText()).isEqualTo("accepted");
        assertThat(telegramCalls).anyMatch(c -> c.startsWith("/botB0T-SECRET/sendMessage") && c.contains("the telegram provider works"));
        Reply blocked = json(port, "POST", "/api/v1/settings/providers/telegram/test", Map.of("to", "403"));
        assertThat(blocked.json().get("result").asText()).isEqualTo("failed");
        assertThat(blocked.json().get("detail").asText()).contains("blocked");

        // a message's test goes through the channel's worker, which now has the provider
        Reply db = json(port, "POST", "/api/v1/databases", Map.of("id", "st", "name", "Settings", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "name", "type", "string"))));
        assertThat(db.status()).as(db.body()).isEqualTo(201);
        Reply ann = json(port, "POST", "/api/v1/databases/st/profiles", Map.of("matching", "email", "fields", Map.of("email", "ann@example.com", "name", "Ann")));
        Reply message = json(port, "POST", "/api/v1/messages", Map.of("name", "Hello", "telegram", Map.of("text", "Hi {{ profile.name }}"),
                "email", Map.of("subject", "Hi {{ profile.name }}", "html", "<p>Hi</p>", "fromAddress", "news@shop.example")));
        assertThat(message.status()).as(message.body()).isEqualTo(201);
        String mid = message.json().get("id").asText();
        Reply badTest = json(port, "POST", "/api/v1/messages/" + mid + "/test", Map.of("to", Map.of("sms", "+79161234567", "email", "not-an-address")));
        assertThat(badTest.status()).isEqualTo(400);
        assertThat(badTest.body()).contains("\"field\":\"to.sms\"", "must be a channel of the message");
        Reply test = json(port, "POST", "/api/v1/messages/" + mid + "/test", Map.of("database", "st", "profile", ann.json().at("/profile/id").asText(),
                "to", Map.of("telegram", "777")));
        assertThat(test.status()).as(test.body()).isEqualTo(202);
        String testId = test.json().get("test").asText();
        ApiTestSupport.waitFor(() -> json(port, "GET", "/api/v1/messages/tests/" + testId, null).json().get(0).get("state").asText().equals("delivered"));
        assertThat(telegramCalls).anyMatch(c -> c.contains("\"chat_id\":\"777\"") && c.contains("Hi Ann"));
        // without a profile, rendered with no data; email waits in the queue for a mail sender (none reads it in this test)
        Reply emailTest = json(port, "POST", "/api/v1/messages/" + mid + "/test", Map.of("to", Map.of("email", "Me@Example.com")));
        assertThat(emailTest.status()).as(emailTest.body()).isEqualTo(202);
        assertThat(emailTest.json().at("/outcomes/0/state").asText()).isEqualTo("queued");
        Reply badAddress = json(port, "POST", "/api/v1/messages/" + mid + "/test", Map.of("to", Map.of("email", "not-an-address")));
        assertThat(badAddress.status()).isEqualTo(400);
        assertThat(badAddress.body()).contains("\"field\":\"to.email\"", "an email address");
        // nobody's history has the test
        Reply history = json(port, "GET", "/api/v1/databases/st/profiles/" + ann.json().at("/profile/id").asText() + "/history", null);
        assertThat(history.body()).doesNotContain("message.sent").doesNotContain("message.delivered");

        assertThat(json(port, "DELETE", "/api/v1/settings/providers/telegram", null).status()).isEqualTo(204);
        assertThat(json(port, "GET", "/api/v1/settings/providers", null).json().at("/channels/telegram").asText()).isEqualTo("not configured");
        Reply noProvider = json(port, "POST", "/api/v1/messages/" + mid + "/test", Map.of("to", Map.of("telegram", "777")));
        assertThat(noProvider.status()).isEqualTo(400);
        assertThat(noProvider.body()).contains("has no provider configured");
    }

    @Test
    void aSenderDomainsKeyReachesTheMtaNodeAndTheNodesTestMailArrives() throws Exception {
        Reply bad = json(port, "POST", "/api/v1/settings/sender-domains", Map.of("domain", "not a domain"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"domain\"");
        Reply added = json(port, "POST", "/api/v1/settings/sender-domains", Map.of("domain", "mail.shop.example", "selector", "o1"));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.body()).doesNotContain("PRIVATE KEY");
        assertThat(added.json().at("/records/0/name").asText()).isEqualTo("o1._domainkey.mail.shop.example");
        assertThat(added.json().at("/records/0/value").asText()).startsWith("v=DKIM1; k=rsa; p=MII");
        assertThat(added.json().at("/nodes/0/status").asText()).isEqualTo("signing");
        assertThat(mta.dkimDomains()).contains("mail.shop.example");

        Reply nodes = json(port, "GET", "/api/v1/settings/mta-nodes", null);
        assertThat(nodes.json().get(0).get("reachable").asBoolean()).isTrue();
        assertThat(nodes.json().get(0).get("dkimKeys").asInt()).isEqualTo(1);
        assertThat(nodes.body()).doesNotContain("mta-token");
        Reply badMail = json(port, "POST", "/api/v1/settings/mta-nodes/mta-1/test", Map.of("from", "me", "to", "you@example.com"));
        assertThat(badMail.status()).isEqualTo(400);
        assertThat(badMail.body()).contains("\"field\":\"from\"");
        Reply mail = json(port, "POST", "/api/v1/settings/mta-nodes/mta-1/test", Map.of("from", "news@mail.shop.example", "to", "owner@example.com"));
        assertThat(mail.status()).as(mail.body()).isEqualTo(200);
        ApiTestSupport.waitFor(() -> sink.received.containsKey("owner@example.com"));
        // delivered, the node holds it no more: a 404 naming the node
        Reply gone = json(port, "GET", "/api/v1/settings/mta-nodes/mta-1/messages/" + mail.json().get("id").asText(), null);
        assertThat(gone.status()).as(gone.body()).isIn(200, 404);
        assertThat(gone.body()).contains(gone.status() == 200 ? "owner@example.com" : "MTA node mta-1 answered 404");

        assertThat(json(port, "POST", "/api/v1/settings/sender-domains/mail.shop.example/check", null).status()).isEqualTo(200);
        assertThat(json(port, "DELETE", "/api/v1/settings/sender-domains/mail.shop.example", null).status()).isEqualTo(204);
        assertThat(mta.dkimDomains()).doesNotContain("mail.shop.example");
        assertThat(json(port, "GET", "/api/v1/settings/sender-domains/mail.shop.example", null).status()).isEqualTo(404);
    }

    @Test
    void workspaceDefaultsGiveNewCampaignsQuietHoursAndLinksTheirAddress() throws Exception {
        Reply bad = json(port, "PUT", "/api/v1/settings/workspace", Map.of("timeZone", "Mars/Olympus", "quietFrom", "21:00", "trackingUrl", "ftp://x"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"timeZone\"", "\"field\":\"quietTo\"", "\"field\":\"trackingUrl\"");
        Reply saved = json(port, "PUT", "/api/v1/settings/workspace", Map.of("timeZone", "Europe/Moscow", "quietFrom", "21:00", "quietTo", "09:00",
                "trackingUrl", "https://click.shop.example/"));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.json().get("trackingUrl").asText()).isEqualTo("https://click.shop.example");

        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", "wd", "name", "Defaults", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true)))).status()).isEqualTo(201);
        Reply p = json(port, "POST", "/api/v1/databases/wd/profiles", Map.of("matching", "email", "fields", Map.of("email", "bo@example.com")));
        String all = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "wd", "name", "All", "definition", Map.of("type", "group",
                "match", "all", "conditions", List.of(Map.of("type", "field", "field", "email", "op", "is_set"))))).json().at("/segment/id").asText();
        Reply message = json(port, "POST", "/api/v1/messages", Map.of("name", "Links", "email", Map.of("subject", "s", "fromAddress", "a@shop.example",
                "html", "<a href=\"{{ links.view_in_browser }}\">View</a>")));
        assertThat(message.status()).as(message.body()).isEqualTo(201);
        Reply campaign = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Quiet", "database", "wd", "segments", List.of(all),
                "messageId", message.json().get("id").asText(), "channels", List.of("email")));
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
        assertThat(campaign.json().at("/limits/quietHours/from").asText()).startsWith("21:00");
        assertThat(campaign.json().at("/limits/quietHours/timezone").asText()).isEqualTo("Europe/Moscow");
        Reply rendered = json(port, "POST", "/api/v1/messages/" + message.json().get("id").asText() + "/render",
                Map.of("database", "wd", "profile", p.json().at("/profile/id").asText(), "channels", List.of("email")));
        assertThat(rendered.status()).as(rendered.body()).isEqualTo(200);
        assertThat(rendered.body()).contains("https://click.shop.example/t/");
        assertThat(json(port, "PUT", "/api/v1/settings/workspace", Map.of()).json().has("trackingUrl")).isFalse();
    }

    private static JsonNode field(JsonNode shown, String name) {
        for (JsonNode f : shown.get("fields")) {
            if (f.get("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError(name + " not in " + shown);
    }
}
