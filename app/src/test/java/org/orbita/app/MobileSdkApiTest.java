package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.orbita.app.ApiTestSupport.Reply;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The mobile SDK's server side end to end: an app made over the API (its token and JWT secret shown
 * once, every bad part named); devices subscribed at the public address with a JWT the backend
 * signed and with the app token alone; a push campaign reaches the subscribed token through RuStore's
 * API on loopback, whose "not found" for a stale token leaves that subscription suspended; the SDK's
 * report that the push was opened lands in the profile's history and the campaign's figures for
 * push, once; callers that prove nothing are refused with a problem, not a stack trace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MobileSdkApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    static HttpServer rustore;
    static final List<JsonNode> pushes = new CopyOnWriteArrayList<>();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
        rustore = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // RuStore's push API answers as FCM's v1 does: 404 NOT_FOUND for a token it no longer knows
        rustore.createContext("/v1/projects/rs-1/messages:send", x -> {
            JsonNode m = JSON.readTree(x.getRequestBody().readAllBytes()).path("message");
            pushes.add(m);
            boolean stale = m.path("token").asText().equals("stale-token");
            byte[] answer = (stale ? "{\"error\":{\"code\":404,\"message\":\"token not found\",\"status\":\"NOT_FOUND\"}}" : "{}")
                    .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(stale ? 404 : 200, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        rustore.start();
        registry.add("orbita.channels.push.rustore.project-id", () -> "rs-1");
        registry.add("orbita.channels.push.rustore.service-token", () -> "svc");
        registry.add("orbita.channels.push.rustore.api-url", () -> "http://127.0.0.1:" + rustore.getAddress().getPort());
        registry.add("orbita.channels.retry.first-wait", () -> "100ms");
        registry.add("orbita.content.external.allowed-hosts", () -> "127.0.0.1");
    }

    @AfterAll
    static void stop() {
        rustore.stop(0);
    }

    private static Reply call(String url, Map<String, String> auth, Object body) throws Exception {
        Map<String, String> headers = new java.util.HashMap<>(auth);
        headers.put("Content-Type", "application/json");
        return ApiTestSupport.send(URI.create(url), "POST", headers, JSON.writeValueAsBytes(body));
    }

    /** A JWT as the app's backend signs it with the app's secret. */
    private static Map<String, String> jwt(String secret, String email) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(
                ("{\"matching\":\"email\",\"email\":\"" + email + "\",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Map.of("Authorization", "Bearer " + input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void devicesSubscribedByTheSdkGetAPushWhoseOpeningCountsForItsCampaign() throws Exception {
        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", "mobile", "name", "Mobile", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "name", "type", "string")))).status()).isEqualTo(201);
        Reply bad = json(port, "POST", "/api/v1/mobile-apps", Map.of("id", "Shop App", "name", "", "database", "nowhere", "jwtAlgorithm", "none"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).contains("application/problem+json");
        assertThat(bad.body()).contains("\"id\"");
        Reply badParts = json(port, "POST", "/api/v1/mobile-apps", Map.of("id", "shop", "name", "", "database", "nowhere", "jwtAlgorithm", "none"));
        assertThat(badParts.body()).contains("\"name\"").contains("\"database\"").contains("\"jwtAlgorithm\"");
        Reply made = json(port, "POST", "/api/v1/mobile-apps", Map.of("id", "shop", "name", "Shop app", "database", "mobile"));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String appToken = made.json().get("appToken").asText();
        String secret = made.json().get("jwtSecret").asText();
        String url = made.json().at("/app/url").asText();
        assertThat(url).matches("http://localhost:\\d+/t/sdk/[^/]+/shop");
        Reply shown = json(port, "GET", "/api/v1/mobile-apps/shop", null);
        assertThat(shown.body()).doesNotContain(appToken).doesNotContain(secret).doesNotContain("appTokenHash");

        // Ann signs in on her phone; Bob's phone has a token RuStore forgot; a third phone never signs in
        Reply ann = call(url + "/subscribe", jwt(secret, "ann@example.com"), Map.of("provider", "rustore", "token", "ann-token",
                "platform", "android", "appVersion", "3.1.0", "fields", Map.of("name", "Ann")));
        assertThat(ann.status()).as(ann.body()).isEqualTo(200);
        assertThat(ann.json().get("created").asBoolean()).isTrue();
        String annId = ann.json().get("profile").asText();
        String bobId = call(url + "/subscribe", jwt(secret, "bob@example.com"), Map.of("provider", "rustore", "token", "stale-token"))
                .json().get("profile").asText();
        Reply anonymous = call(url + "/subscribe", Map.of("X-App-Token", appToken), Map.of("provider", "rustore", "token", "guest-token"));
        assertThat(anonymous.status()).as(anonymous.body()).isEqualTo(200);
        assertThat(json(port, "GET", "/api/v1/databases/mobile/profiles/" + annId + "/devices", null).json().get(0).get("address").asText())
                .isEqualTo("rustore:ann-token");

        String everyone = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "mobile", "name", "Signed in", "definition", Map.of("type",
                "group", "match", "all", "conditions", List.of(Map.of("type", "field", "field", "email", "op", "is_set"))))).json().at("/segment/id").asText();
        String message = json(port, "POST", "/api/v1/messages", Map.of("name", "Sale", "push", Map.of("title", "Hi {{ profile.name }}",
                "body", "The sale is on"))).json().get("id").asText();
        Reply campaign = json(port, "POST", "/api/v1/campaigns", Map.of("name", "App sale", "database", "mobile", "segments", List.of(everyone),
                "messageId", message, "channels", List.of("push")));
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
        String id = campaign.json().get("id").asText();
        assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(200);
        ApiTestSupport.waitFor(() -> {
            JsonNode ledger = json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json().get("ledger");
            return ledger != null && ledger.path("delivered").asInt() == 1 && ledger.path("failed").asInt() == 1;
        });
        JsonNode push = pushes.stream().filter(m -> m.path("token").asText().equals("ann-token")).findFirst().orElseThrow();
        assertThat(push.at("/notification/title").asText()).isEqualTo("Hi Ann");
        String key = push.at("/data/orbita_key").asText();
        assertThat(key).endsWith("/" + annId + "/push");
        ApiTestSupport.waitFor(() -> json(port, "GET", "/api/v1/databases/mobile/profiles/" + bobId, null).json().at("/subscriptions/0/status")
                .asText().equals("suspended"));

        // the SDK reports the push shown and opened; sent twice (the phone lost the answer), counted once
        Map<String, Object> events = Map.of("events", List.of(Map.of("id", "5b0c-1", "type", "delivered", "key", key),
                Map.of("id", "5b0c-2", "type", "opened", "key", key, "time", Instant.now().toString())));
        Reply reported = call(url + "/events", jwt(secret, "ann@example.com"), events);
        assertThat(reported.status()).as(reported.body()).isEqualTo(200);
        assertThat(reported.json().get("accepted").asInt()).isEqualTo(2);
        Reply again = call(url + "/events", jwt(secret, "ann@example.com"), events);
        assertThat(again.json().get("repeated").asInt()).isEqualTo(2);
        // Bob may not report Ann's push
        Reply bobs = call(url + "/events", jwt(secret, "bob@example.com"), Map.of("events", List.of(Map.of("id", "x-1", "type", "opened", "key", key))));
        assertThat(bobs.status()).isEqualTo(400);
        assertThat(bobs.body()).contains("events[0].key").contains("another profile");
        JsonNode history = json(port, "GET", "/api/v1/databases/mobile/profiles/" + annId + "/history?type=message.opened", null).json().get("events");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).at("/properties/campaign").asText()).isEqualTo(id);
        ApiTestSupport.waitFor(() -> json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json().at("/byChannel/push/opened").asLong() == 1);

        // refused: a wrong app token, an unknown app, a body that is not the call's
        Reply wrong = call(url + "/subscribe", Map.of("X-App-Token", "oat_wrong"), Map.of("provider", "rustore", "token", "t"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.contentType()).contains("application/problem+json");
        assertThat(wrong.body()).contains("not this app's");
        assertThat(call(url.replace("/shop", "/nope") + "/subscribe", Map.of("X-App-Token", appToken), Map.of()).status()).isEqualTo(404);
        Reply badBody = call(url + "/subscribe", Map.of("X-App-Token", appToken), Map.of("provider", "gcm", "token", 5));
        assertThat(badBody.status()).isEqualTo(400);
        assertThat(badBody.body()).contains("\"token\"").doesNotContain("Exception");
        Reply notJson = ApiTestSupport.send(URI.create(url + "/subscribe"), "POST", Map.of("X-App-Token", appToken, "Content-Type", "application/json"),
                "{".getBytes(StandardCharsets.UTF_8));
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(json(port, "POST", "/api/v1/mobile-apps/shop/rotate-app-token", null).json().get("appToken").asText()).isNotEqualTo(appToken);

        // a provider test to a token with a colon in it (FCM's have one) goes to that token, not to a "platform" named by its first part
        Reply tested = json(port, "POST", "/api/v1/settings/providers/rustore/test", Map.of("to", "dGVzdA:APA91bHun4MxP5egoKMwt2KZFBaFUH"));
        assertThat(tested.status()).as(tested.body()).isEqualTo(200);
        assertThat(tested.json().get("result").asText()).as(tested.body()).isEqualTo("accepted");
        assertThat(pushes).anySatisfy(m -> assertThat(m.path("token").asText()).isEqualTo("dGVzdA:APA91bHun4MxP5egoKMwt2KZFBaFUH"));
        assertThat(call(url + "/subscribe", Map.of("X-App-Token", appToken), Map.of("provider", "rustore", "token", "guest-token")).status())
                .isEqualTo(401);
    }
}
