package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
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
 * A segment kept in a Meta Custom Audience over the API: the sync made (every bad part named, the
 * token never shown), run against Meta's Graph API on loopback — the segment's members with consent
 * added as hashed rows, a member who unsubscribes and so leaves the consent removed at the next run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RetargetingApiTest {

    @LocalServerPort
    int port;

    static HttpServer meta;
    static final List<String[]> calls = new CopyOnWriteArrayList<>();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
        registry.add("orbita.content.external.allowed-hosts", () -> "127.0.0.1");
        meta = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        meta.createContext("/v21.0/", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String payload = "";
            for (String pair : body.split("&")) {
                if (pair.startsWith("payload=")) {
                    payload = URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8);
                }
            }
            calls.add(new String[] {x.getRequestMethod(), x.getRequestURI().getPath(), payload});
            byte[] answer = ("{\"audience_id\":\"23851\",\"session_id\":\"1\",\"num_received\":" + Json.read(payload, JsonNode.class).path("data").size()
                    + ",\"num_invalid_entries\":0,\"invalid_entry_samples\":{}}").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        meta.start();
    }

    @AfterAll
    static void stop() {
        meta.stop(0);
    }

    @Test
    void aSegmentIsKeptInAMetaAudienceByItsDifferences() throws Exception {
        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", "ads", "name", "Ads", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "city", "type", "string")))).status()).isEqualTo(201);
        for (String[] p : new String[][] {{"ann@ads.example", "Moscow"}, {"bob@ads.example", "Moscow"}, {"cid@ads.example", "Kazan"}}) {
            assertThat(json(port, "POST", "/api/v1/databases/ads/profiles", Map.of("matching", "email", "fields", Map.of("email", p[0], "city", p[1]),
                    "subscriptions", List.of(Map.of("channel", "email", "address", p[0])))).status()).isEqualTo(201);
        }
        String moscow = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "ads", "name", "Moscow", "definition", Map.of("type", "group",
                "match", "all", "conditions", List.of(Map.of("type", "field", "field", "city", "op", "eq", "value", "Moscow"))))).json()
                .at("/segment/id").asText();
        Reply bad = json(port, "POST", "/api/v1/audience-syncs", Map.of("id", "moscow", "name", "", "database", "ads", "segment", "nope",
                "destination", "meta", "settings", Map.of("audienceId", "23851")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).contains("application/problem+json");
        assertThat(bad.body()).contains("\"name\"").contains("\"segment\"").contains("settings.accessToken");
        Reply made = json(port, "POST", "/api/v1/audience-syncs", Map.of("id", "moscow", "name", "Moscow buyers", "database", "ads", "segment", moscow,
                "destination", "meta", "settings", Map.of("audienceId", "23851", "accessToken", "EAAG-very-secret",
                        "apiUrl", "http://127.0.0.1:" + meta.getAddress().getPort() + "/v21.0")));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(made.body()).doesNotContain("EAAG-very-secret");
        Reply run = json(port, "POST", "/api/v1/audience-syncs/moscow/run", null);
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        assertThat(run.json().get("added").asInt()).as(run.body()).isEqualTo(2);
        assertThat(run.json().get("state").asText()).isEqualTo("warning");
        assertThat(calls).singleElement().satisfies(c -> {
            assertThat(c[0]).isEqualTo("POST");
            assertThat(c[1]).isEqualTo("/v21.0/23851/users");
            assertThat(c[2]).contains("EMAIL_SHA256");
        });
        // Bob unsubscribes: no consent any more, removed at the next run
        assertThat(json(port, "POST", "/api/v1/databases/ads/profiles", Map.of("matching", "email", "fields", Map.of("email", "bob@ads.example"),
                "subscriptions", List.of(Map.of("channel", "email", "address", "bob@ads.example", "status", "unsubscribed")))).status()).isIn(200, 201);
        calls.clear();
        Reply second = json(port, "POST", "/api/v1/audience-syncs/moscow/run", null);
        assertThat(second.json().get("removed").asInt()).as(second.body()).isEqualTo(1);
        assertThat(second.json().get("withoutConsent").asInt()).isEqualTo(1);
        assertThat(calls).extracting(c -> c[0]).containsExactly("DELETE");
        JsonNode view = json(port, "GET", "/api/v1/audience-syncs/moscow", null).json();
        assertThat(view.get("synced").asInt()).isEqualTo(1);
        assertThat(view.at("/settings/accessToken/set").asBoolean()).isTrue();
        assertThat(view.at("/lastRun/removed").asInt()).isEqualTo(1);
    }
}
