package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.orbita.app.ApiTestSupport.Reply;
import org.orbita.common.Json;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An SMS gateway chosen at run time (Infobip, on loopback): its settings saved (the key never read
 * back), a transactional SMS through it asking for its delivery report at Orbita's receipts
 * address, the report posted there becoming {@code message.receipt} in the client's history; a
 * forged receipts address refused; a described gateway's bad pattern refused by name.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SmsGatewaysApiTest {

    @LocalServerPort
    int port;

    static HttpServer infobip;
    static final List<JsonNode> sent = new CopyOnWriteArrayList<>();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
        registry.add("orbita.content.external.allowed-hosts", () -> "127.0.0.1");
        infobip = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        infobip.createContext("/sms/2/text/advanced", x -> {
            JsonNode m = Json.read(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), JsonNode.class).path("messages").path(0);
            sent.add(m);
            String to = m.at("/destinations/0/to").asText();
            byte[] answer = ("{\"bulkId\":\"b\",\"messages\":[{\"to\":\"" + to + "\",\"status\":{\"groupId\":1,\"groupName\":\"PENDING\",\"id\":26,"
                    + "\"name\":\"PENDING_ACCEPTED\",\"description\":\"Message sent to next instance\"},\"messageId\":\"ib-" + sent.size() + "\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        infobip.start();
    }

    @AfterAll
    static void stop() {
        infobip.stop(0);
    }

    @Test
    void anSmsGoesThroughInfobipAndItsDeliveryReportReachesTheHistory() throws Exception {
        Reply bad = json(port, "PUT", "/api/v1/settings/providers/http_sms", Map.of("url", "http://127.0.0.1:1/send", "successPattern", "(unclosed"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("successPattern");

        Reply saved = json(port, "PUT", "/api/v1/settings/providers/infobip", Map.of("apiKey", "IB-SECRET-KEY", "from", "Shop",
                "apiUrl", "http://127.0.0.1:" + infobip.getAddress().getPort()));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.body()).doesNotContain("IB-SECRET-KEY");
        JsonNode providers = json(port, "GET", "/api/v1/settings/providers", null).json();
        assertThat(providers.at("/channels/sms").asText()).isEqualTo("ready");
        String receipts = providers.at("/receipts/infobip").asText();
        assertThat(receipts).matches("http://localhost:\\d+/t/sms/infobip/[0-9a-f]{32}");

        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", "sms", "name", "SMS", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true)))).status()).isEqualTo(201);
        String ann = json(port, "POST", "/api/v1/databases/sms/profiles", Map.of("matching", "email", "fields", Map.of("email", "ann@sms.example"),
                "subscriptions", List.of(Map.of("channel", "sms", "address", "+79001112233")))).json().at("/profile/id").asText();
        Reply message = json(port, "POST", "/api/v1/messages", Map.of("name", "Code", "sms", Map.of("text", "Your code is 4711")));
        assertThat(message.status()).as(message.body()).isEqualTo(201);
        Reply send = json(port, "POST", "/api/v1/messages/" + message.json().get("id").asText() + "/send", Map.of("database", "sms", "profile", ann,
                "channels", List.of("sms"), "idempotencyKey", "otp-1"));
        assertThat(send.status()).as(send.body()).isEqualTo(202);
        ApiTestSupport.waitFor(() -> !sent.isEmpty());
        JsonNode m = sent.get(0);
        assertThat(m.path("text").asText()).isEqualTo("Your code is 4711");
        assertThat(m.at("/destinations/0/to").asText()).isEqualTo("79001112233");
        assertThat(m.path("notifyUrl").asText()).isEqualTo(receipts);
        ApiTestSupport.waitFor(() -> history(ann).contains("message.sent"));

        String report = "{\"results\":[{\"bulkId\":\"b\",\"messageId\":\"ib-1\",\"to\":\"79001112233\",\"status\":{\"groupId\":3,\"groupName\":\"DELIVERED\","
                + "\"id\":5,\"name\":\"DELIVERED_TO_HANDSET\"},\"error\":{\"groupId\":0,\"groupName\":\"OK\",\"id\":0,\"name\":\"NO_ERROR\",\"permanent\":false}}]}";
        Reply forged = ApiTestSupport.send(URI.create(receipts.substring(0, receipts.length() - 4) + "abcd"), "POST",
                Map.of("Content-Type", "application/json"), report.getBytes(StandardCharsets.UTF_8));
        assertThat(forged.status()).isEqualTo(403);
        Reply told = ApiTestSupport.send(URI.create(receipts), "POST", Map.of("Content-Type", "application/json"), report.getBytes(StandardCharsets.UTF_8));
        assertThat(told.status()).as(told.body()).isEqualTo(200);
        ApiTestSupport.waitFor(() -> history(ann).contains("message.receipt"));
        assertThat(history(ann)).contains("DELIVERED_TO_HANDSET");
    }

    @Test
    void amazonSnsTakesAnSmsSignedWithTheSavedKeyWhichIsNeverShown() throws Exception {
        List<java.util.Map<String, String>> published = new CopyOnWriteArrayList<>();
        HttpServer sns = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sns.createContext("/", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            java.util.Map<String, String> form = new java.util.LinkedHashMap<>();
            for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                int eq = pair.indexOf('=');
                form.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            java.time.Instant at = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC)
                    .parse(x.getRequestHeaders().getFirst("X-Amz-Date"), java.time.Instant::from);
            String expected = org.orbita.outbound.AwsSigV4.sign("POST", URI.create("http://127.0.0.1:" + sns.getAddress().getPort() + "/"),
                    Map.of("content-type", x.getRequestHeaders().getFirst("Content-Type")), body, "eu-central-1", "sns",
                    new org.orbita.outbound.AwsSigV4.Credentials("AKIDORBITA", "SNS-SECRET-KEY", null), at).get("Authorization");
            boolean signed = expected.equals(x.getRequestHeaders().getFirst("Authorization"));
            if (signed) {
                published.add(form);
            }
            byte[] answer = (signed ? "<PublishResponse><PublishResult><MessageId>5f6a</MessageId></PublishResult></PublishResponse>"
                    : "<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>no</Message></Error></ErrorResponse>")
                    .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(signed ? 200 : 403, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        sns.start();
        try {
            Reply badRegion = json(port, "PUT", "/api/v1/settings/providers/sns_sms", Map.of("region", "moon", "accessKeyId", "AKIDORBITA",
                    "secretAccessKey", "SNS-SECRET-KEY"));
            assertThat(badRegion.status()).isEqualTo(400);
            assertThat(badRegion.body()).contains("region");
            Reply saved = json(port, "PUT", "/api/v1/settings/providers/sns_sms", Map.of("region", "eu-central-1", "accessKeyId", "AKIDORBITA",
                    "secretAccessKey", "SNS-SECRET-KEY", "senderId", "Shop", "apiUrl", "http://127.0.0.1:" + sns.getAddress().getPort()));
            assertThat(saved.status()).as(saved.body()).isEqualTo(200);
            assertThat(saved.body()).doesNotContain("SNS-SECRET-KEY");
            assertThat(json(port, "GET", "/api/v1/settings/providers", null).body()).doesNotContain("SNS-SECRET-KEY");
            Reply tested = json(port, "POST", "/api/v1/settings/providers/sns_sms/test", Map.of("to", "+79001112299"));
            assertThat(tested.status()).as(tested.body()).isEqualTo(200);
            assertThat(tested.json().get("result").asText()).as(tested.body()).isEqualTo("accepted");
            assertThat(published).singleElement().satisfies(f -> assertThat(f).containsEntry("PhoneNumber", "+79001112299")
                    .containsEntry("MessageAttributes.entry.2.Value.StringValue", "Shop"));
        } finally {
            sns.stop(0);
        }
    }

    @Test
    void smsTrafficIsSetUpWriteOnlyTestedAndGivenItsStatusAddress() throws Exception {
        List<String> forms = new CopyOnWriteArrayList<>();
        HttpServer traffic = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        traffic.createContext("/multi.php", x -> {
            forms.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = ("<?xml version=\"1.0\" ?>\n<reply>\n  <result>OK</result>\n  <code>0</code>\n  <description>queued 1 messages</description>\n"
                    + "  <message_infos>\n    <message_info>\n      <phone>79001112277</phone>\n      <sms_id>1000472891</sms_id>\n    </message_info>\n"
                    + "  </message_infos>\n</reply>").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/xml");
            x.sendResponseHeaders(200, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        traffic.start();
        try {
            Reply saved = json(port, "PUT", "/api/v1/settings/providers/sms_traffic", Map.of("login", "shop", "password", "ST-SECRET-PASS",
                    "originator", "Shop", "apiUrl", "http://127.0.0.1:" + traffic.getAddress().getPort() + "/multi.php", "failoverUrl", ""));
            assertThat(saved.status()).as(saved.body()).isEqualTo(200);
            JsonNode providers = json(port, "GET", "/api/v1/settings/providers", null).json();
            assertThat(providers.toString()).doesNotContain("ST-SECRET-PASS");
            String receipts = providers.at("/receipts/sms_traffic").asText();
            assertThat(receipts).matches("http://localhost:\\d+/t/sms/sms_traffic/[0-9a-f]{32}");
            Reply tested = json(port, "POST", "/api/v1/settings/providers/sms_traffic/test", Map.of("to", "+79001112277"));
            assertThat(tested.json().get("result").asText()).as(tested.body()).isEqualTo("accepted");
            assertThat(forms).singleElement().satisfies(f -> assertThat(f).contains("phones=79001112277").contains("want_sms_ids=1")
                    .contains("login=shop"));
            byte[] callback = "sms_id=1000472891&status=Delivered&delivery_date=2026-12-07+17%3A04%3A00".getBytes(StandardCharsets.UTF_8);
            Reply forged = ApiTestSupport.send(URI.create(receipts.substring(0, receipts.length() - 4) + "abcd"), "POST",
                    Map.of("Content-Type", "application/x-www-form-urlencoded"), callback);
            assertThat(forged.status()).isEqualTo(403);
            Reply told = ApiTestSupport.send(URI.create(receipts), "POST", Map.of("Content-Type", "application/x-www-form-urlencoded"), callback);
            assertThat(told.status()).isEqualTo(200);
        } finally {
            traffic.stop(0);
        }
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.orbita.app.campaigns.ChannelProviders providers;

    @Test
    void devinoBecomesTheSmsProviderAndItsPolledStatesReachTheHistory() throws Exception {
        List<String> sends = new CopyOnWriteArrayList<>();
        Map<String, Integer> asked = new java.util.concurrent.ConcurrentHashMap<>();
        HttpServer devino = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        devino.createContext("/rest/v2/", x -> {
            String answer;
            int status = 200;
            if (x.getRequestURI().getPath().equals("/rest/v2/Sms/Send")) {
                String form = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                sends.add(form);
                answer = form.contains("DestinationAddress=79001113344") ? "[\"GW-DEV-1\"]" : "[\"GW-DEV-2\"]";
            } else if (x.getRequestURI().getPath().equals("/rest/v2/Sms/State")) {
                String id = x.getRequestURI().getQuery().replaceAll(".*messageId=", "");
                int n = asked.merge(id, 1, Integer::sum);
                int state = id.equals("GW-DEV-1") ? (n == 1 ? -1 : 0) : 46;
                answer = "{\"State\":" + state + ",\"TimeStampUtc\":\"\\/Date(1765126860000)\\/\",\"StateDescription\":\""
                        + (state == 0 ? "Доставлено абоненту" : state == 46 ? "Просрочено (истек срок жизни сообщения)" : "Отправлено") + "\",\"Price\":1.85}";
            } else {
                status = 404;
                answer = "{\"Code\":2,\"Desc\":\"Invalid argument\"}";
            }
            byte[] b = answer.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            x.sendResponseHeaders(status, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        devino.start();
        try {
            // Devino takes the SMS channel once the gateways before it in the order have no settings
            for (String kind : List.of("smpp", "twilio", "infobip", "smsc", "sms_traffic")) {
                json(port, "DELETE", "/api/v1/settings/providers/" + kind, null);
            }
            Reply saved = json(port, "PUT", "/api/v1/settings/providers/devino", Map.of("login", "shop", "password", "DEVINO-SECRET",
                    "sender", "Shop", "apiUrl", "http://127.0.0.1:" + devino.getAddress().getPort() + "/rest/v2"));
            assertThat(saved.status()).as(saved.body()).isEqualTo(200);
            assertThat(json(port, "GET", "/api/v1/settings/providers", null).body()).doesNotContain("DEVINO-SECRET");
            ApiTestSupport.waitFor(() -> json(port, "GET", "/api/v1/settings/providers", null).json().at("/channels/sms").asText().equals("ready"));

            json(port, "POST", "/api/v1/databases", Map.of("id", "devino", "name", "Devino", "fields", List.of(
                    Map.of("name", "email", "type", "email", "unique", true))));
            String bea = json(port, "POST", "/api/v1/databases/devino/profiles", Map.of("matching", "email", "fields", Map.of("email", "bea@sms.example"),
                    "subscriptions", List.of(Map.of("channel", "sms", "address", "+79001113344")))).json().at("/profile/id").asText();
            String cal = json(port, "POST", "/api/v1/databases/devino/profiles", Map.of("matching", "email", "fields", Map.of("email", "cal@sms.example"),
                    "subscriptions", List.of(Map.of("channel", "sms", "address", "+79001113355")))).json().at("/profile/id").asText();
            String message = json(port, "POST", "/api/v1/messages", Map.of("name", "Devino code", "sms", Map.of("text", "Код 5150"))).json()
                    .get("id").asText();
            for (String profile : List.of(bea, cal)) {
                Reply send = json(port, "POST", "/api/v1/messages/" + message + "/send", Map.of("database", "devino", "profile", profile,
                        "channels", List.of("sms"), "idempotencyKey", "devino-" + profile));
                assertThat(send.status()).as(send.body()).isEqualTo(202);
            }
            ApiTestSupport.waitFor(() -> devinoHistory(bea).contains("message.sent") && devinoHistory(cal).contains("message.sent"));
            assertThat(sends).hasSize(2).allSatisfy(f -> assertThat(f).contains("Login=shop").contains("SourceAddress=Shop")
                    .contains("Data=" + java.net.URLEncoder.encode("Код 5150", StandardCharsets.UTF_8)));

            // what the minute's sms-receipts job does: the expired one told at once, the other once delivered
            assertThat(providers.pollSmsReceipts()).isEqualTo(1);
            assertThat(providers.pollSmsReceipts()).isEqualTo(1);
            assertThat(providers.pollSmsReceipts()).isZero();
            ApiTestSupport.waitFor(() -> devinoHistory(bea).contains("message.receipt") && devinoHistory(cal).contains("message.failed"));
            assertThat(devinoHistory(bea)).contains("state 0: delivered").doesNotContain("message.failed");
            assertThat(devinoHistory(cal)).contains("state 46: Просрочено");
        } finally {
            json(port, "DELETE", "/api/v1/settings/providers/devino", null);
            devino.stop(0);
        }
    }

    private String devinoHistory(String profile) {
        return json(port, "GET", "/api/v1/databases/devino/profiles/" + profile + "/history", null).body();
    }

    private String history(String profile) {
        return json(port, "GET", "/api/v1/databases/sms/profiles/" + profile + "/history", null).body();
    }
}
