package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.orbita.app.ApiTestSupport.Reply;
import org.orbita.app.security.Accounts;
import org.orbita.app.security.Scope;
import org.orbita.app.security.Team;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The tag manager over the API and the public origin, as a marketer and a site's pages use it: a
 * container's draft checked whole (every problem named by its path), versions that never change,
 * publishing and rolling back (the site's script names the version its pages load; each version's
 * script is cached for a year), the draft only reachable with a signed preview token of the site.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TagManagerApiTest {

    @LocalServerPort
    int port;

    @Value("${orbita.content.public-port}")
    int publicPort;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
    }

    static int counter;
    String site;

    @BeforeEach
    void aSite() {
        String db = "tags" + (++counter);
        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", db, "name", "Tags", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true)))).status()).isEqualTo(201);
        Reply s = json(port, "POST", "/api/v1/sites", Map.of("name", "Shop", "domains", List.of("shop.example"), "database", db));
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        site = s.json().get("id").asText();
    }

    static Map<String, Object> draft(String tagText) {
        return Map.of(
                "variables", List.of(Map.of("name", "Cart value", "kind", "datalayer", "key", "ecommerce.value", "value", "0")),
                "triggers", List.of(Map.of("id", "bought", "name", "Purchase", "kind", "event", "event", "purchase"),
                        Map.of("id", "staff", "name", "Staff pages", "kind", "page", "conditions",
                                List.of(Map.of("variable", "Page Path", "operator", "starts_with", "value", "/admin")))),
                "tags", List.of(Map.of("id", "thanks", "name", "Thanks banner", "kind", "html",
                        "html", "<div id=\"thanks\">" + tagText + " {{Cart value}}</div>", "firing", List.of("bought"), "blocking", List.of("staff"))));
    }

    private Reply publicGet(String path) {
        return ApiTestSupport.send(URI.create("http://localhost:" + publicPort + path), "GET", Map.of(), null);
    }

    @Test
    void versionsArePublishedAndRolledBackAndEachIsItsOwnCachedScript() {
        Reply c = json(port, "POST", "/api/v1/sites/" + site + "/containers", Map.of("name", "Main", "draft", draft("Thank you")));
        assertThat(c.status()).as(c.body()).isEqualTo(201);
        String id = c.json().get("id").asText();
        assertThat(c.json().hasNonNull("published")).as("nothing runs before a publication").isFalse();
        assertThat(publicGet("/t/s/" + site + "/orbita.js").body()).contains("\"containers\":[]");

        Reply v1 = json(port, "POST", "/api/v1/tag-containers/" + id + "/versions", Map.of("note", "first", "publish", true));
        assertThat(v1.status()).as(v1.body()).isEqualTo(201);
        assertThat(v1.json().get("number").asInt()).isEqualTo(1);
        assertThat(v1.json().get("createdBy").asText()).isNotBlank();
        assertThat(publicGet("/t/s/" + site + "/orbita.js").body()).contains("\"containers\":[{\"id\":\"" + id + "\",\"version\":1}]");

        // the draft changes; the pages keep version 1 until version 2 is published
        assertThat(json(port, "PUT", "/api/v1/tag-containers/" + id, Map.of("draft", draft("Merci"))).status()).isEqualTo(200);
        Reply one = publicGet("/t/s/" + site + "/c/" + id + "/1.js");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body()).contains("Thank you").doesNotContain("Merci").doesNotContain("/*CONFIG*/{}");
        assertThat(one.header("Cache-Control")).contains("immutable").contains("max-age=31536000");
        assertThat(publicGet("/t/s/" + site + "/c/" + id + "/2.js").status()).as("no version 2 yet").isEqualTo(404);

        Reply v2 = json(port, "POST", "/api/v1/tag-containers/" + id + "/versions", Map.of("publish", true));
        assertThat(v2.json().get("number").asInt()).isEqualTo(2);
        assertThat(publicGet("/t/s/" + site + "/c/" + id + "/2.js").body()).contains("Merci");
        assertThat(publicGet("/t/s/" + site + "/orbita.js").body()).contains("\"version\":2}");

        // a rollback: version 1 again, recorded as a publication of its own
        Reply back = json(port, "POST", "/api/v1/tag-containers/" + id + "/publish", Map.of("version", 1));
        assertThat(back.status()).as(back.body()).isEqualTo(200);
        assertThat(back.json().get("published").asInt()).isEqualTo(1);
        List<Integer> log = new ArrayList<>();
        back.json().get("publications").forEach(p -> log.add(p.get("version").asInt()));
        assertThat(log).containsExactly(1, 2, 1);
        assertThat(publicGet("/t/s/" + site + "/orbita.js").body()).contains("\"version\":1}");
        JsonNode versions = json(port, "GET", "/api/v1/tag-containers/" + id + "/versions", null).json();
        assertThat(versions.size()).isEqualTo(2);
        assertThat(versions.get(0).get("number").asInt()).as("newest first").isEqualTo(2);
        assertThat(versions.get(1).get("note").asText()).isEqualTo("first");

        Reply beyond = json(port, "POST", "/api/v1/tag-containers/" + id + "/publish", Map.of("version", 9));
        assertThat(beyond.status()).isEqualTo(400);
        assertThat(beyond.body()).contains("\"field\":\"version\"").contains("1 to 2");

        // another site's address never serves this container
        Reply other = json(port, "POST", "/api/v1/sites", Map.of("name", "Other", "domains", List.of("other.example"), "database", "tags" + counter));
        assertThat(publicGet("/t/s/" + other.json().get("id").asText() + "/c/" + id + "/1.js").status()).isEqualTo(404);

        assertThat(json(port, "POST", "/api/v1/tag-containers/" + id + "/unpublish", null).status()).isEqualTo(200);
        assertThat(publicGet("/t/s/" + site + "/orbita.js").body()).contains("\"containers\":[]");
    }

    @Test
    void theDraftIsCheckedWholeAndEveryProblemNamedByItsPath() {
        Map<String, Object> bad = Map.of(
                "variables", List.of(Map.of("name", "Page URL", "kind", "url"), Map.of("name", "Secret", "kind", "js", "key", "alert(1)")),
                "triggers", List.of(Map.of("id", "t1", "name", "Odd", "kind", "event", "event", "buy(", "match", "regex"),
                        Map.of("id", "t2", "name", "Scroll", "kind", "scroll", "thresholds", List.of(0, 50)),
                        Map.of("id", "t3", "name", "Timer", "kind", "timer", "interval", 5),
                        Map.of("id", "t4", "name", "Cond", "kind", "page", "conditions", List.of(Map.of("variable", "Nope", "operator", "equals", "value", "x"),
                                Map.of("variable", "Page Path", "operator", "less_than", "value", "abc")))),
                "tags", List.of(Map.of("name", "GA", "kind", "ga4", "account", "UA-1", "firing", List.of("t9")),
                        Map.of("name", "Pixel", "kind", "image", "url", "javascript:alert(1)", "firing", List.of("t1")),
                        Map.of("name", "Html", "kind", "html", "html", "<p>{{Undefined thing}}</p>", "firing", List.of("t1"), "consent", List.of("ads")),
                        Map.of("name", "Nothing", "kind", "event", "event", "Bad Name", "firing", List.of())));
        Reply r = json(port, "POST", "/api/v1/sites/" + site + "/containers", Map.of("name", "Bad", "draft", bad));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).contains("draft.variables[0].name", "draft.variables[1].key", "draft.triggers[0].event", "draft.triggers[1].thresholds",
                "draft.triggers[2].interval", "draft.triggers[3].conditions[0].variable", "draft.triggers[3].conditions[1].value",
                "draft.tags[0].account", "draft.tags[0].firing[0]", "draft.tags[1].url", "draft.tags[2].html", "draft.tags[2].consent[0]",
                "draft.tags[3].event", "draft.tags[3].firing");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("org.orbita");
        assertThat(json(port, "GET", "/api/v1/sites/" + site + "/containers", null).json().size()).as("nothing half-made").isZero();

        Reply malformed = ApiTestSupport.send(port, "POST", "/api/v1/sites/" + site + "/containers", ApiTestSupport.ADMIN_KEY, "application/json",
                "{\"name\": \"x\", \"draft\": {\"tags\": 5}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
        assertThat(json(port, "POST", "/api/v1/sites/no-such-site/containers", Map.of("name", "x")).status()).isEqualTo(404);
    }

    @Test
    void aDeletedSiteTakesItsContainersWithIt() {
        String id = json(port, "POST", "/api/v1/sites/" + site + "/containers", Map.of("name", "Main", "draft", draft("Bye"))).json().get("id").asText();
        assertThat(json(port, "POST", "/api/v1/tag-containers/" + id + "/versions", Map.of("publish", true)).status()).isEqualTo(201);
        assertThat(json(port, "DELETE", "/api/v1/sites/" + site, null).status()).isEqualTo(204);
        assertThat(json(port, "GET", "/api/v1/tag-containers/" + id, null).status()).isEqualTo(404);
        assertThat(json(port, "GET", "/api/v1/tag-containers/" + id + "/versions/1", null).status()).isEqualTo(404);
        assertThat(publicGet("/t/s/" + site + "/c/" + id + "/1.js").status()).isEqualTo(404);
    }

    @Test
    void theSnippetIsOnTheWorkspacesOwnTrackingAddressWhenItSetsOne() {
        try {
            assertThat(json(port, "PUT", "/api/v1/settings/workspace", Map.of("trackingUrl", "https://t.shop.example/")).status()).isEqualTo(200);
            Reply snippet = json(port, "GET", "/api/v1/sites/" + site + "/snippet", null);
            assertThat(snippet.json().get("code").asText()).contains("'https://t.shop.example/t/s/" + site + "/orbita.js'");
            assertThat(snippet.json().get("pixel").asText()).contains("https://t.shop.example/t/s/" + site + "/p.gif");
            assertThat(publicGet("/t/s/" + site + "/orbita.js").body()).contains("\"endpoint\":\"https://t.shop.example/t/s/" + site + "/collect\"")
                    .contains("\"tags\":\"https://t.shop.example/t/s/" + site + "\"");
        } finally {
            assertThat(json(port, "PUT", "/api/v1/settings/workspace", Map.of("trackingUrl", "")).status()).isEqualTo(200);
        }
        assertThat(publicGet("/t/s/" + site + "/orbita.js").body()).contains("\"endpoint\":\"http://localhost:" + publicPort + "/t/s/" + site + "/collect\"");
    }

    @Autowired
    Accounts accounts;

    @Autowired
    Team team;

    @Test
    void anAnalystReadsAndPreviewsButNeitherChangesNorPublishes() throws IOException {
        String id = json(port, "POST", "/api/v1/sites/" + site + "/containers", Map.of("name", "Main", "draft", draft("Hi"))).json().get("id").asText();
        Reply invited = json(port, "POST", "/api/v1/users", Map.of("email", "ana" + counter + "@shop.example", "role", "analyst"));
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        team.accept(invited.json().get("token").asText(), "Kettle-" + counter + "-Tundra-Lake");
        String key = accounts.createKey("demo", "ana" + counter + "@shop.example", Scope.ids(), invited.json().at("/member/id").asText(), null);
        ObjectMapper mapper = new ObjectMapper();
        java.util.function.BiFunction<String, Object, Reply> post = (path, body) -> {
            try {
                return ApiTestSupport.send(port, "POST", path, key, "application/json", mapper.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
        assertThat(ApiTestSupport.send(port, "GET", "/api/v1/sites/" + site + "/containers", key, null, null).status()).isEqualTo(200);
        assertThat(post.apply("/api/v1/tag-containers/" + id + "/preview", Map.of()).status()).isEqualTo(200);
        Reply version = post.apply("/api/v1/tag-containers/" + id + "/versions", Map.of("publish", true));
        assertThat(version.status()).isEqualTo(403);
        assertThat(version.contentType()).startsWith("application/problem+json");
        assertThat(ApiTestSupport.send(port, "PUT", "/api/v1/tag-containers/" + id, key, "application/json",
                mapper.writeValueAsBytes(Map.of("name", "Mine"))).status()).isEqualTo(403);
        assertThat(json(port, "GET", "/api/v1/tag-containers/" + id, null).json().get("versions").asInt()).isZero();
    }

    @Test
    void theDraftIsServedOnlyWithASignedPreviewTokenOfTheSite() {
        String id = json(port, "POST", "/api/v1/sites/" + site + "/containers", Map.of("name", "Main", "draft", draft("Draft text")))
                .json().get("id").asText();
        Reply preview = json(port, "POST", "/api/v1/tag-containers/" + id + "/preview", null);
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        String token = preview.json().get("token").asText();
        assertThat(preview.json().get("url").asText()).isEqualTo("https://shop.example/?orbita_preview=" + token);
        Reply draft = publicGet("/t/s/" + site + "/c/preview.js?token=" + token);
        assertThat(draft.body()).contains("Draft text").contains("\"preview\":true");
        assertThat(draft.header("Cache-Control")).contains("no-store");

        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        String later = id + "." + (Long.parseLong(token.split("\\.")[1]) + 3600) + token.substring(token.lastIndexOf('.'));
        for (String t : List.of(forged, later, "", id)) {
            Reply r = publicGet("/t/s/" + site + "/c/preview.js?token=" + t);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).as("a token that does not check ends the preview").doesNotContain("Draft text").contains("removeItem('orbita_preview')");
        }
        Reply other = json(port, "POST", "/api/v1/sites", Map.of("name", "Other", "domains", List.of("other.example"), "database", "tags" + counter));
        assertThat(publicGet("/t/s/" + other.json().get("id").asText() + "/c/preview.js?token=" + token).body()).doesNotContain("Draft text");
    }
}
