package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;
import static org.orbita.app.ApiTestSupport.waitFor;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.orbita.app.ApiTestSupport.Reply;
import org.orbita.common.Json;
import org.orbita.webhooks.WebhookSignature;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Webhooks for any event over the API, through the running app: every problem of a webhook
 * named; a profile entering a segment reaches a receiver on loopback as signed calls
 * (profile.created, then segment.entered — the order they happened in); the secret is shown
 * once; a receiver that fails is tried again, its calls kept as dead letters, replayed once it
 * answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebhooksApiTest {

    @LocalServerPort
    int port;

    record Heard(String path, String id, String body, boolean signed) {}

    static final List<Heard> heard = new CopyOnWriteArrayList<>();
    static final Map<String, String> secrets = new java.util.concurrent.ConcurrentHashMap<>();
    static final AtomicInteger failingStatus = new AtomicInteger(500);
    static HttpServer receiver;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
        registry.add("orbita.content.external.allowed-hosts", () -> "127.0.0.1");
        registry.add("orbita.webhooks.retries", () -> "PT0.2S");
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        for (String path : List.of("/crm", "/flaky")) {
            receiver.createContext(path, x -> {
                String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String id = x.getRequestHeaders().getFirst("webhook-id");
                String secret = secrets.get(path);
                boolean signed = secret != null && WebhookSignature.verify(secret, id, x.getRequestHeaders().getFirst("webhook-timestamp"),
                        x.getRequestHeaders().getFirst("webhook-signature"), body, Instant.now().getEpochSecond());
                heard.add(new Heard(path, id, body, signed));
                x.sendResponseHeaders(path.equals("/flaky") ? failingStatus.get() : 200, -1);
                x.close();
            });
        }
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private List<String> types(String path) {
        return heard.stream().filter(h -> h.path().equals(path)).map(h -> Json.read(h.body(), JsonNode.class).path("type").asText()).toList();
    }

    @Test
    void eventsReachTheReceiverSignedAndFailedCallsAreReplayed() throws Exception {
        Reply bad = json(port, "POST", "/api/v1/webhooks", Map.of("name", "", "url", "file:///etc/passwd", "events", List.of("Not A Type"),
                "databases", List.of("nowhere")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).contains("application/problem+json");
        assertThat(bad.body()).contains("\"name\"").contains("\"url\"").contains("\"events\"").contains("\"databases\"").doesNotContain("Exception");

        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", "club", "name", "Club", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "tier", "type", "string")))).status()).isEqualTo(201);
        Reply seg = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "club", "name", "Gold",
                "definition", Map.of("type", "group", "match", "all", "conditions",
                        List.of(Map.of("type", "field", "field", "tier", "op", "eq", "value", "gold")))));
        assertThat(seg.status()).as(seg.body()).isEqualTo(201);

        Reply made = json(port, "POST", "/api/v1/webhooks", Map.of("name", "CRM", "url", url("/crm"),
                "events", List.of("profile.created", "segment.entered"), "databases", List.of("club")));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String crm = made.json().at("/webhook/id").asText();
        String secret = made.json().path("secret").asText();
        assertThat(secret).startsWith("whsec_");
        secrets.put("/crm", secret);
        assertThat(made.json().at("/webhook/databases/0").asText()).isEqualTo("club");
        Reply got = json(port, "GET", "/api/v1/webhooks/" + crm, null);
        assertThat(got.body()).doesNotContain(secret.substring(6)).contains("\"enabled\":true");

        Reply created = json(port, "POST", "/api/v1/databases/club/profiles", Map.of("matching", "email",
                "fields", Map.of("email", "ann@club.example", "tier", "gold")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String ann = created.json().at("/profile/id").asText();
        waitFor(() -> types("/crm").size() >= 2);
        assertThat(types("/crm")).containsExactly("profile.created", "segment.entered");
        assertThat(heard).allSatisfy(h -> assertThat(h.signed()).as(h.body()).isTrue());
        JsonNode entered = Json.read(heard.get(1).body(), JsonNode.class);
        assertThat(entered.at("/data/profileId").asText()).isEqualTo(ann);
        assertThat(entered.at("/data/database").asText()).isEqualTo("club");

        Reply tested = json(port, "POST", "/api/v1/webhooks/" + crm + "/test", null);
        assertThat(tested.json().path("ok").asBoolean()).as(tested.body()).isTrue();
        assertThat(tested.json().path("status").asInt()).isEqualTo(200);

        Reply flaky = json(port, "POST", "/api/v1/webhooks", Map.of("name", "Flaky", "url", url("/flaky"), "events", List.of("*")));
        String flakyId = flaky.json().at("/webhook/id").asText();
        secrets.put("/flaky", flaky.json().path("secret").asText());
        assertThat(json(port, "POST", "/api/v1/events", Map.of("database", "club", "matching", "email", "value", "ann@club.example", "type", "order.created",
                "properties", Map.of("total", 42))).status()).isBetween(200, 202);
        waitFor(() -> json(port, "GET", "/api/v1/webhooks/" + flakyId, null).json().at("/deliveries/dead").asLong() == 1);
        Reply dead = json(port, "GET", "/api/v1/webhooks/" + flakyId + "/deliveries?state=dead", null);
        assertThat(dead.json()).hasSize(1);
        assertThat(dead.json().get(0).path("attempts").asInt()).as("the first call and the one retry").isEqualTo(2);
        assertThat(dead.json().get(0).path("lastStatus").asInt()).isEqualTo(500);
        assertThat(dead.json().get(0).at("/payload/type").asText()).isEqualTo("order.created");
        String deadId = dead.json().get(0).path("id").asText();

        failingStatus.set(204);
        Reply replayed = json(port, "POST", "/api/v1/webhooks/" + flakyId + "/deliveries/" + deadId + "/replay", null);
        assertThat(replayed.json().path("replayed").asInt()).as(replayed.body()).isEqualTo(1);
        waitFor(() -> json(port, "GET", "/api/v1/webhooks/" + flakyId, null).json().at("/deliveries/delivered").asLong() == 1);
        assertThat(heard.stream().filter(h -> h.path().equals("/flaky")).map(Heard::id)).as("one id on every attempt and the replay")
                .hasSize(3).containsOnly(deadId);
        assertThat(json(port, "POST", "/api/v1/webhooks/" + flakyId + "/deliveries/" + deadId + "/replay", null).status())
                .as("no longer a dead letter").isEqualTo(400);
        assertThat(json(port, "GET", "/api/v1/webhooks/" + flakyId + "/deliveries?state=lost", null).status()).isEqualTo(400);
        assertThat(json(port, "DELETE", "/api/v1/webhooks/" + flakyId, null).status()).isEqualTo(204);
        assertThat(json(port, "GET", "/api/v1/webhooks/" + flakyId, null).status()).isEqualTo(404);
    }
}
