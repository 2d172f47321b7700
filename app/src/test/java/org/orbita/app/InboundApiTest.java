package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.orbita.app.ApiTestSupport.Reply;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A generic inbound webhook over the API and the public origin: a source made (every bad part
 * named), a CRM's JSON posted to its signed URL becomes a profile and an event the profile's
 * history shows and a segment counts; a forged address keeps nothing; a resent call (its
 * webhook-id) counts once; a call the mapping could not read is kept as rejected and replayed
 * after the mapping is fixed; a body past 256 KB is refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class InboundApiTest {

    @LocalServerPort
    int port;

    /** Amazon SNS on loopback: its certificate and confirmations over HTTPS, trusted through orbita.sns.trust-store. */
    static org.orbita.testing.SnsOnLoopback aws;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws Exception {
        ApiTestSupport.properties(registry, false);
        registry.add("orbita.content.external.allowed-hosts", () -> "127.0.0.1");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("orbita-sns");
        aws = new org.orbita.testing.SnsOnLoopback(dir);
        java.nio.file.Path trust = aws.tls().trustStore(dir.resolve("trust.p12"));
        registry.add("orbita.sns.certificate-hosts", () -> "127\\.0\\.0\\.1");
        registry.add("orbita.sns.trust-store", trust::toString);
        registry.add("orbita.sns.trust-store-password", () -> new String(org.orbita.testing.LoopbackTls.PASSWORD));
    }

    @org.junit.jupiter.api.AfterAll
    static void stopSns() {
        aws.close();
    }

    @Test
    void anAmazonSnsSubscriptionIsConfirmedAndItsSignedNotificationsBecomeEvents() throws Exception {
        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", "mail", "name", "Mail", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true)))).status()).isEqualTo(201);
        String topic = "arn:aws:sns:eu-west-1:123456789012:ses-events";
        Reply made = json(port, "POST", "/api/v1/inbound-sources", Map.of("id", "ses", "name", "SES events", "database", "mail", "matching", "email",
                "matchingPath", "Message.mail.destination[0]", "fields", Map.of("email", "Message.mail.destination[0]"), "event", "ses.bounce",
                "properties", Map.of("type", "Message.bounce.bounceType"), "snsTopics", List.of(topic)));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(made.json().get("snsTopics").get(0).asText()).isEqualTo(topic);
        String url = made.json().path("url").asText();
        Map<String, String> sns = Map.of("x-amz-sns-message-type", "SubscriptionConfirmation");
        String confirmation = aws.signed("SubscriptionConfirmation", "1", org.orbita.testing.SnsOnLoopback.CERT_PATH, topic, "c-1", "Confirm it",
                Map.of("SubscribeURL", aws.base() + "/?Action=ConfirmSubscription&TopicArn=" + topic + "&Token=t0k", "Token", "t0k"));
        Reply confirmed = post(url, "text/plain; charset=UTF-8", confirmation, sns);
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.json().path("status").asText()).isEqualTo("confirmed");
        assertThat(aws.requests).anySatisfy(r -> assertThat(r).contains("Token=t0k"));
        String bounce = aws.signed("Notification", "2", org.orbita.testing.SnsOnLoopback.CERT_PATH, topic, "n-1",
                "{\"eventType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Permanent\"},\"mail\":{\"destination\":[\"kim@mail.example\"]}}", Map.of());
        Reply taken = post(url, "text/plain; charset=UTF-8", bounce, Map.of("x-amz-sns-message-type", "Notification"));
        assertThat(taken.status()).as(taken.body()).isEqualTo(200);
        Reply kim = json(port, "GET", "/api/v1/databases/mail/profiles?matching=email&value=kim@mail.example", null);
        assertThat(kim.status()).as(kim.body()).isEqualTo(200);
        JsonNode events = json(port, "GET", "/api/v1/databases/mail/profiles/" + kim.json().get("id").asText() + "/history?type=ses.bounce", null)
                .json().get("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).at("/properties/type").asText()).isEqualTo("Permanent");
        Reply forged = post(url, "text/plain", bounce.replace("Permanent", "Transient"), Map.of());
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("does not check").doesNotContain("Exception");
        Reply badTopic = json(port, "POST", "/api/v1/inbound-sources", Map.of("id", "ses2", "name", "x", "database", "mail", "matching", "email",
                "matchingPath", "a", "event", "x.y", "snsTopics", List.of("not-an-arn")));
        assertThat(badTopic.status()).isEqualTo(400);
        assertThat(badTopic.body()).contains("snsTopics");
    }

    private static Reply post(String url, String type, String body, Map<String, String> headers) {
        Map<String, String> h = new java.util.HashMap<>(headers);
        h.put("Content-Type", type);
        return ApiTestSupport.send(URI.create(url), "POST", h, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSourcesCallsBecomeProfilesAndEventsAndRejectedOnesAreReplayed() throws Exception {
        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", "leads", "name", "Leads", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "name", "type", "string")))).status()).isEqualTo(201);
        Reply bad = json(port, "POST", "/api/v1/inbound-sources", Map.of("id", "crm", "name", "CRM", "database", "nowhere", "matching", "email",
                "matchingPath", "a..b", "event", "Bad Type"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).contains("application/problem+json");
        assertThat(bad.body()).contains("\"database\"").contains("\"matchingPath\"").contains("\"event\"");

        Reply made = json(port, "POST", "/api/v1/inbound-sources", Map.of("id", "crm", "name", "CRM", "database", "leads", "matching", "email",
                "matchingPath", "contact.email", "fields", Map.of("name", "contact.name"), "subscriptions", Map.of("email", "contact.email"),
                "event", "lead.received", "properties", Map.of("campaign", "utm.campaign", "value", "deal.value")));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String url = made.json().path("url").asText();
        assertThat(url).matches("http://localhost:\\d+/t/in/[^/]+/crm/[A-Za-z0-9_-]+");

        String body = "{\"contact\": {\"email\": \"Mia@Leads.example\", \"name\": \"Mia\"}, \"utm\": {\"campaign\": \"autumn\"}, \"deal\": {\"value\": 1200}}";
        Reply sent = post(url, "application/json", body, Map.of("webhook-id", "msg_1"));
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(sent.json().path("status").asText()).isEqualTo("accepted");
        assertThat(post(url, "application/json", body, Map.of("webhook-id", "msg_1")).json().path("status").asText()).isEqualTo("duplicate");
        Reply mia = json(port, "GET", "/api/v1/databases/leads/profiles?matching=email&value=mia@leads.example", null);
        assertThat(mia.status()).as(mia.body()).isEqualTo(200);
        assertThat(mia.json().at("/fields/name").asText()).isEqualTo("Mia");
        JsonNode events = json(port, "GET", "/api/v1/databases/leads/profiles/" + mia.json().get("id").asText() + "/history?type=lead.received",
                null).json().get("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).at("/properties/campaign").asText()).isEqualTo("autumn");
        assertThat(events.get(0).at("/properties/value").asInt()).isEqualTo(1200);

        Reply forged = post(url.substring(0, url.length() - 4) + "abcd", "application/json", body, Map.of());
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.contentType()).contains("application/problem+json");

        Reply unread = post(url, "application/x-www-form-urlencoded", "lead%5Bemail%5D=sam%40leads.example&lead%5Bname%5D=Sam", Map.of());
        assertThat(unread.status()).isEqualTo(400);
        assertThat(unread.body()).contains("contact.email").doesNotContain("Exception");
        JsonNode rejected = json(port, "GET", "/api/v1/inbound-sources/crm/received?state=rejected", null).json();
        assertThat(rejected).hasSize(1);
        assertThat(json(port, "PUT", "/api/v1/inbound-sources/crm", Map.of("matchingPath", "lead.email", "fields", Map.of("name", "lead.name"),
                "subscriptions", Map.of())).status()).isEqualTo(200);
        Reply replayed = json(port, "POST", "/api/v1/inbound-sources/crm/received/" + rejected.get(0).path("id").asText() + "/replay", null);
        assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);
        assertThat(replayed.json().path("status").asText()).isEqualTo("accepted");
        assertThat(json(port, "GET", "/api/v1/databases/leads/profiles?matching=email&value=sam@leads.example", null).json().at("/fields/name")
                .asText()).isEqualTo("Sam");
        assertThat(json(port, "GET", "/api/v1/inbound-sources/crm/received", null).json()).as("accepted, duplicate, rejected then replayed; the forged"
                + " one kept nothing").extracting(n -> n.path("state").asText()).containsExactly("accepted", "duplicate", "accepted");

        Reply huge = post(url, "application/json", "{\"x\": \"" + "a".repeat(300 * 1024) + "\"}", Map.of());
        assertThat(huge.status()).isEqualTo(413);
        assertThat(json(port, "PUT", "/api/v1/inbound-sources/crm", Map.of("enabled", false)).status()).isEqualTo(200);
        assertThat(post(url, "application/json", body, Map.of()).status()).as("switched off").isEqualTo(403);
    }

    /** An AppMetrica pull made over the API and run now against a Logs API on loopback: the app's purchase lands in the client's history. */
    @Test
    void anAppMetricaPullBringsTheAppsEventsIntoTheHistory() throws Exception {
        com.sun.net.httpserver.HttpServer logs = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        logs.createContext("/logs/v1/export/events.json", x -> {
            boolean authorized = "OAuth am-token".equals(x.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (authorized ? "{\"data\": [{\"event_name\": \"purchase\", \"event_json\": \"{\\\"sum\\\": 990}\", "
                    + "\"event_datetime\": \"2026-12-01 09:00:00\", \"appmetrica_device_id\": \"42\", \"profile_id\": \"kid@app.example\"}]}"
                    : "{\"errors\":[{\"message\":\"Access denied\"}],\"code\":403}").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(authorized ? 200 : 403, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        logs.start();
        try {
            assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", "app", "name", "App", "fields", List.of(
                    Map.of("name", "email", "type", "email", "unique", true)))).status()).isEqualTo(201);
            String kid = json(port, "POST", "/api/v1/databases/app/profiles", Map.of("matching", "email", "fields", Map.of("email", "kid@app.example")))
                    .json().at("/profile/id").asText();
            Reply bad = json(port, "POST", "/api/v1/appmetrica-pulls", Map.of("id", "m", "name", "Mobile", "applicationId", "x1"));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("\"applicationId\"").contains("\"token\"").contains("\"database\"");
            Reply made = json(port, "POST", "/api/v1/appmetrica-pulls", Map.of("id", "mobile", "name", "Mobile", "applicationId", "777",
                    "token", "am-token", "apiUrl", "http://127.0.0.1:" + logs.getAddress().getPort(), "database", "app", "matching", "email",
                    "matchingColumn", "profile_id", "eventNames", List.of("purch*"), "properties", Map.of("sum", "sum")));
            assertThat(made.status()).as(made.body()).isEqualTo(201);
            assertThat(made.body()).doesNotContain("am-token").contains("\"tokenSet\":true");
            Reply run = json(port, "POST", "/api/v1/appmetrica-pulls/mobile/pull", null);
            assertThat(run.status()).as(run.body()).isEqualTo(200);
            assertThat(run.json().path("state").asText()).isEqualTo("done");
            assertThat(run.json().path("stored").asInt()).isEqualTo(1);
            JsonNode events = json(port, "GET", "/api/v1/databases/app/profiles/" + kid + "/history?type=app.purchase", null).json().get("events");
            assertThat(events).hasSize(1);
            assertThat(events.get(0).at("/properties/sum").asInt()).isEqualTo(990);
            JsonNode again = json(port, "POST", "/api/v1/appmetrica-pulls/mobile/pull", null).json();
            assertThat(again.path("stored").asInt()).as("pulled again (" + again + "): nothing stored twice").isZero();
            assertThat(json(port, "GET", "/api/v1/databases/app/profiles/" + kid + "/history?type=app.purchase", null).json().get("events")).hasSize(1);
            assertThat(json(port, "GET", "/api/v1/appmetrica-pulls/mobile", null).json().at("/lastRun/at").asText()).isNotEmpty();
        } finally {
            logs.stop(0);
        }
    }
}
