package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;
import static org.orbita.app.ApiTestSupport.send;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.orbita.app.ApiTestSupport.Reply;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Inputs that used to end in a 500, a server's HTML page or a Java message, or that were
 * stored though invalid: each is now a 400 problem+json naming the field and the rule.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
    }

    @BeforeAll
    void createDatabase() {
        Reply r = json(port, "POST", "/api/v1/databases", Map.of("id", "store", "name", "Store", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true),
                Map.of("name", "code", "type", "string", "unique", true),
                Map.of("name", "name", "type", "string"),
                Map.of("name", "revenue", "type", "decimal"),
                Map.of("name", "birthday", "type", "date"),
                Map.of("name", "seen", "type", "datetime"))));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(json(port, "POST", "/api/v1/databases/store/profiles", Map.of("fields", Map.of("email", "ann@x.io"))).status()).isIn(200, 201);
    }

    /** A 400 problem+json whose first error names this field; returns its rule. */
    private static String refused(Reply r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode errors = r.json().get("errors");
        assertThat(errors).as(r.body()).isNotNull();
        assertThat(errors.findValuesAsText("field")).as(r.body()).contains(field);
        String rules = String.join(" | ", errors.findValuesAsText("rule"));
        assertThat(rules).doesNotContainPattern("java\\.|org\\.orbita|com\\.fasterxml|Cannot invoke|cannot be cast|\\$[A-Z]");
        return rules;
    }

    @Test
    void anEventTimePastTheCalendarIsRefused() {
        Map<String, Object> event = Map.of("database", "store", "matching", "email", "value", "ann@x.io", "type", "visit",
                "time", "+999999999-12-31T23:59:59Z");
        assertThat(refused(json(port, "POST", "/api/v1/events", event), "time")).contains("9999");
        Map<String, Object> early = Map.of("database", "store", "matching", "email", "value", "ann@x.io", "type", "visit",
                "time", "-0001-01-01T00:00:00Z");
        refused(json(port, "POST", "/api/v1/events", early), "time");
    }

    @Test
    void templatesNestedPastTheLimitAreRefusedNotOverflowed() {
        String deep = "{% if true %}".repeat(1500) + "x" + "{% endif %}".repeat(1500);
        assertThat(refused(json(port, "POST", "/api/v1/templates/render", Map.of("template", deep)), "template")).contains("nested");
        assertThat(refused(json(port, "PUT", "/api/v1/snippets/deep", Map.of("text", deep)), "text")).contains("nested");
        String deepFor = "{% for i in (1..2) %}".repeat(400) + "{% endfor %}".repeat(400);
        refused(json(port, "POST", "/api/v1/templates/render", Map.of("template", deepFor)), "template");
    }

    @Test
    void aTrackedLinkThatIsNoUrlIsRefusedByTheTemplate() {
        assertThat(refused(json(port, "POST", "/api/v1/templates/render", Map.of("template", "{{ 'http://[::1' | tracked_link }}")), "template"))
                .contains("tracked_link");
    }

    @Test
    void anUnknownApiPathIsANotFoundProblemNotTheUisPage() {
        for (String method : List.of("GET", "POST", "DELETE")) {
            Reply r = send(port, method, "/api/v1/no-such-thing/42", ApiTestSupport.ADMIN_KEY, "application/json", "{}".getBytes());
            assertThat(r.status()).as(method + " " + r.body()).isEqualTo(404);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.body()).contains("/api/v1/no-such-thing/42 is not an operation of the API").doesNotContain("<html");
        }
        // known paths still answer as themselves
        assertThat(send(port, "GET", "/api/v1/databases", ApiTestSupport.ADMIN_KEY, null, null).status()).isEqualTo(200);
        assertThat(send(port, "GET", "/api/v1/no-such-thing", null, null, null).status()).isEqualTo(401);
    }

    @Test
    void encodedNulsAndSlashesInPathsAreProblemsNotServerPages() {
        for (String path : List.of("/api/v1/databases/%00", "/api/v1/databases/a%2Fb", "/api/v1/databases/a%5Cb")) {
            Reply r = send(port, "GET", path, ApiTestSupport.ADMIN_KEY, null, null);
            assertThat(r.status()).as(path).isBetween(400, 404);
            assertThat(r.contentType()).as(path + ": " + r.body()).startsWith("application/problem+json");
            assertThat(r.body()).doesNotContain("<html").doesNotContain("Apache Tomcat");
        }
    }

    @Test
    void nulBytesAndLoneSurrogatesAreRefusedInFieldsAndKeys() {
        refused(json(port, "POST", "/api/v1/databases/store/profiles", "{\"fields\":{\"email\":\"nul@x.io\",\"name\":\"a\\u0000b\"}}"), "name");
        refused(json(port, "POST", "/api/v1/databases/store/profiles", "{\"fields\":{\"email\":\"sur@x.io\",\"name\":\"a\\ud800b\"}}"), "name");
        refused(json(port, "POST", "/api/v1/databases/store/profiles", "{\"fields\":{\"code\":\"k\\u0000\"}}"), "code");
        refused(json(port, "POST", "/api/v1/databases/store/profiles", "{\"fields\":{\"code\":\"k\\udc00\"}}"), "code");
    }

    @Test
    void numbersAndDatesOutsideWhatIsStorableAreRefused() {
        assertThat(refused(json(port, "POST", "/api/v1/databases/store/profiles", "{\"fields\":{\"email\":\"big@x.io\",\"revenue\":1E+400}}"),
                "revenue")).isNotBlank();
        refused(json(port, "POST", "/api/v1/databases/store/profiles", "{\"fields\":{\"email\":\"big@x.io\",\"revenue\":\"1E+400\"}}"), "revenue");
        refused(json(port, "POST", "/api/v1/databases/store/profiles", Map.of("fields", Map.of("email", "old@x.io", "birthday", "0000-12-31"))),
                "birthday");
        refused(json(port, "POST", "/api/v1/databases/store/profiles", Map.of("fields", Map.of("email", "old@x.io", "birthday", "+10000-01-01"))),
                "birthday");
        refused(json(port, "POST", "/api/v1/databases/store/profiles", Map.of("fields", Map.of("email", "old@x.io", "seen", "+10000-01-01T00:00:00Z"))),
                "seen");
        assertThat(json(port, "GET", "/api/v1/databases/store/profiles?matching=email&value=old@x.io", null).status()).isEqualTo(404);
    }

    @Test
    void aSendTimeYearsAheadOfTheCalendarIsRefused() {
        Reply message = json(port, "POST", "/api/v1/messages", Map.of("name", "m", "email", Map.of("subject", "s", "html", "<p>x</p>",
                "fromAddress", "news@shop.example")));
        assertThat(message.status()).as(message.body()).isEqualTo(201);
        Reply campaign = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Far", "database", "store", "messageId",
                message.json().get("id").asText(), "channels", List.of("email"), "sendAt", "+999999-01-01T00:00:00Z"));
        refused(campaign, "sendAt");
    }

    @Test
    void unknownPropertiesAreRefusedNotDropped() {
        String rule = refused(json(port, "POST", "/api/v1/databases/store/profiles", Map.of("fields", Map.of("email", "typo@x.io"),
                "subscribtions", List.of())), "subscribtions");
        assertThat(rule).contains("not a property").contains("subscriptions");
        assertThat(json(port, "GET", "/api/v1/databases/store/profiles?matching=email&value=typo@x.io", null).status()).isEqualTo(404);
    }

    @Test
    void validJsonOfTheWrongShapeIsNamedAsSuch() {
        assertThat(refused(json(port, "POST", "/api/v1/events/batch", "[]"), "body")).doesNotContain("not valid JSON").contains("object");
        assertThat(refused(json(port, "POST", "/api/v1/events/batch", "{\"events\":{\"a\":1}}"), "events")).contains("array");
        assertThat(refused(json(port, "POST", "/api/v1/events/batch", "{\"events\":[{\"time\":\"yesterday\"}]}"), "events[0].time"))
                .contains("date-time");
        refused(json(port, "POST", "/api/v1/segments", Map.of("databaseId", "store", "name", "S", "definition", List.of(1, 2))), "definition");
        refused(json(port, "POST", "/api/v1/segments", Map.of("databaseId", "store", "name", "S", "definition",
                Map.of("type", "group", "match", "all", "conditions", Map.of("a", 1)))), "definition.conditions");
        refused(json(port, "PUT", "/api/v1/data-sources/x", Map.of("kind", "http", "url", "https://example.com", "timeoutMs", List.of(1))),
                "timeoutMs");
    }
}
