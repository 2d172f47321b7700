package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbita.app.ApiTestSupport.Reply;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Pop-ups over the API and the public origin, as a marketer and a site's pages use them: ready
 * templates that each make a valid pop-up, every problem of a pop-up named by its path, only the
 * published ones in the site's script, their events among the site's hits and in the pop-ups
 * report (forged ids refused), preview links bound to the site, segment targeting answered per
 * identified visitor, the site's budget, and a deleted site taking its pop-ups along.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PopupsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORIGIN = "https://shop.example";

    @LocalServerPort
    int port;

    @Value("${orbita.content.public-port}")
    int publicPort;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
    }

    static int counter;
    String db;
    String site;

    @BeforeEach
    void aSite() {
        db = "pops" + (++counter);
        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", db, "name", "Pop-ups", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true)))).status()).isEqualTo(201);
        Reply s = json(port, "POST", "/api/v1/sites", Map.of("name", "Shop", "domains", List.of("shop.example"), "database", db));
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        site = s.json().get("id").asText();
    }

    private Reply publicGet(String path) {
        return ApiTestSupport.send(URI.create("http://localhost:" + publicPort + path), "GET", Map.of(), null);
    }

    private Reply collect(Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/plain;charset=UTF-8");
        headers.put("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
        headers.put("Origin", ORIGIN);
        try {
            return ApiTestSupport.send(URI.create("http://localhost:" + publicPort + "/t/s/" + site + "/collect"), "POST", headers,
                    JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Object> popupHit(String id, String popup, String variant, String action) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("kind", "popup");
        h.put("id", id);
        h.put("popup", popup);
        h.put("variant", variant);
        h.put("action", action);
        h.put("url", "https://shop.example/sale?utm_source=x");
        return h;
    }

    @Test
    void everyReadyTemplateMakesAValidPopupOfItsKind() {
        Reply templates = json(port, "GET", "/api/v1/popups/templates", null);
        assertThat(templates.status()).isEqualTo(200);
        Set<String> ids = new HashSet<>();
        Set<String> kinds = new HashSet<>();
        for (JsonNode t : templates.json()) {
            ids.add(t.get("id").asText());
            kinds.add(t.get("kind").asText());
            assertThat(t.at("/name/ru").asText()).isNotBlank();
            Reply made = json(port, "POST", "/api/v1/popups", Map.of("site", site, "template", t.get("id").asText()));
            assertThat(made.status()).as(t.get("id") + ": " + made.body()).isEqualTo(201);
            assertThat(made.json().get("kind").asText()).isEqualTo(t.get("kind").asText());
            assertThat(made.json().at("/variants/0/template").asText()).isEqualTo(t.get("id").asText());
            assertThat(made.json().get("published").asBoolean()).as("nothing shows before it is published").isFalse();
        }
        assertThat(ids).hasSizeGreaterThanOrEqualTo(18).contains("newsletter", "discount-code", "exit-offer", "cart-reminder", "nps", "cookie-consent",
                "app-download", "webinar", "back-in-stock");
        assertThat(kinds).containsExactlyInAnyOrder("modal", "slide-in", "bar", "full-screen");
        assertThat(publicGet("/t/s/" + site + "/orbita.js").body()).as("no published pop-up: the script loads none").doesNotContain("\"popups\"");
    }

    @Test
    void eachProblemIsNamedByItsPath() {
        Reply bad = json(port, "POST", "/api/v1/popups", Map.of("site", site, "name", "Bad", "kind", "balloon",
                "variants", List.of(Map.of("id", "A!", "html", "", "weight", 0), Map.of("id", "b", "html", "<p>x</p>", "width", 10, "weight", 0)),
                "trigger", Map.of("on", "scroll", "percent", 140, "urls", List.of(Map.of("match", "matches", "value", "(")), "device", "fridge",
                        "segment", "no-such-segment"),
                "frequency", Map.of("mode", "interval")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).contains("application/problem+json");
        for (String field : List.of("kind", "variants[0].id", "variants[0].html", "variants[1].width", "variants", "trigger.percent",
                "trigger.urls[0].value", "trigger.device", "trigger.segment", "frequency.minutes")) {
            assertThat(bad.body()).as(field).contains("\"field\":\"" + field + "\"");
        }
        assertThat(bad.body()).doesNotContain("Exception");
        Reply slideIn = json(port, "POST", "/api/v1/popups", Map.of("site", site, "template", "cart-reminder", "position", "center"));
        assertThat(slideIn.status()).isEqualTo(400);
        assertThat(slideIn.body()).contains("\"field\":\"position\"").contains("bottom-right");
        Reply noSite = json(port, "POST", "/api/v1/popups", Map.of("site", "nope", "template", "newsletter"));
        assertThat(noSite.status()).isEqualTo(400);
        assertThat(noSite.body()).contains("\"field\":\"site\"");
        Reply budget = json(port, "PUT", "/api/v1/sites/" + site + "/popup-budget", Map.of("perSession", -1, "gapSeconds", 30));
        assertThat(budget.status()).isEqualTo(400);
        assertThat(budget.body()).contains("\"field\":\"perSession\"");
    }

    @Test
    void publishedPopupsReachTheSiteScriptAndTheirEventsTheReport() {
        Reply made = json(port, "POST", "/api/v1/popups", Map.of("site", site, "name", "Winter sale", "template", "discount-code",
                "variants", List.of(Map.of("id", "a", "template", "discount-code", "html", "<h2>Ten off</h2><button data-orbita-convert>Go</button>",
                        "script", "document.title='sandboxed'"), Map.of("id", "b", "html", "<h2>Free delivery</h2>", "weight", 3)),
                "trigger", Map.of("on", "exit", "urls", List.of(Map.of("match", "contains", "value", "/sale"))),
                "frequency", Map.of("mode", "interval", "minutes", 60, "stopAfterConversion", true), "published", true));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String popup = made.json().get("id").asText();
        Reply draft = json(port, "POST", "/api/v1/popups", Map.of("site", site, "name", "Not yet", "template", "welcome"));
        String unpublished = draft.json().get("id").asText();

        assertThat(publicGet("/t/s/" + site + "/orbita.js").body()).contains("\"popups\":true");
        Reply script = publicGet("/t/s/" + site + "/popups.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).startsWith("text/javascript");
        assertThat(script.body()).contains(popup).doesNotContain(unpublished).doesNotContain("/*CONFIG*/{}")
                .contains("Ten off").contains("document.title='sandboxed'").contains("orbitaPopup").contains("\"minutes\":60")
                .contains("\"perSession\":2");
        assertThat(publicGet("/t/s/" + site + "/popups.js").header("ETag")).isEqualTo(script.header("ETag"));

        // the budget is the site's, and the script follows it
        assertThat(json(port, "PUT", "/api/v1/sites/" + site + "/popup-budget", Map.of("perSession", 1, "gapSeconds", 0)).status()).isEqualTo(200);
        assertThat(publicGet("/t/s/" + site + "/popups.js").body()).contains("\"perSession\":1,\"gapSeconds\":0");

        Reply stored = collect(Map.of("visitor", "visitor-pop-0001", "hits", List.of(popupHit("hitP0000001", popup, "a", "shown"),
                popupHit("hitP0000002", popup, "a", "converted"), popupHit("hitP0000003", popup, "b", "shown"),
                popupHit("hitP0000004", popup, "b", "closed"), popupHit("hitP0000005", "forged-popup", "a", "shown"),
                popupHit("hitP0000006", popup, "zz", "shown"), popupHit("hitP0000007", popup, "a", "exploded"),
                Map.of("kind", "event", "id", "hitP0000008", "name", "popup.converted"),
                Map.of("kind", "event", "id", "hitP0000009", "name", "form.submitted"))));
        assertThat(stored.status()).as(stored.body()).isIn(200, 207);
        assertThat(stored.json().get("stored").asInt()).isEqualTo(4);
        List<Integer> rejected = new java.util.ArrayList<>();
        stored.json().get("rejected").forEach(r -> rejected.add(r.get("index").asInt()));
        assertThat(rejected).as("forged ids, unknown variants and actions, and custom events named as Orbita's own are refused")
                .containsExactly(4, 5, 6, 7, 8);

        Reply report = json(port, "GET", "/api/v1/reports/popups?database=" + db + "&groupBy=popup,variant", null);
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.json().at("/totals/popup_views").asInt()).isEqualTo(2);
        assertThat(report.json().at("/totals/popup_conversions").asInt()).isEqualTo(1);
        assertThat(report.json().at("/totals/popup_closes").asInt()).isEqualTo(1);
        assertThat(report.body()).as("the pop-up by its name").contains("Winter sale");
        Reply byTemplate = json(port, "GET", "/api/v1/reports/popups?database=" + db + "&groupBy=template,page,device", null);
        assertThat(byTemplate.status()).as(byTemplate.body()).isEqualTo(200);
        assertThat(byTemplate.body()).contains("discount-code").contains("/sale").contains("desktop");
    }

    @Test
    void previewLinksAreBoundToTheSiteAndTheirHour() {
        String popup = json(port, "POST", "/api/v1/popups", Map.of("site", site, "template", "newsletter")).json().get("id").asText();
        Reply link = json(port, "GET", "/api/v1/popups/" + popup + "/preview?url=https://shop.example/catalog?page=2", null);
        assertThat(link.status()).as(link.body()).isEqualTo(200);
        String url = link.json().get("link").asText();
        assertThat(url).startsWith("https://shop.example/catalog?page=2&orbita_popup=");
        String token = url.substring(url.indexOf("orbita_popup=") + 13);
        Reply preview = publicGet("/t/s/" + site + "/popups/preview.js?token=" + token);
        assertThat(preview.body()).contains("\"preview\":true").contains(popup).contains("Get our news first");
        assertThat(preview.header("Cache-Control")).contains("no-store");
        Reply forged = publicGet("/t/s/" + site + "/popups/preview.js?token=" + token.substring(0, token.length() - 3) + "abc");
        assertThat(forged.body()).contains("removeItem('orbita_popup')").doesNotContain(popup);
        Reply other = json(port, "POST", "/api/v1/sites", Map.of("name", "Other", "domains", List.of("other.example"), "database", db));
        assertThat(publicGet("/t/s/" + other.json().get("id").asText() + "/popups/preview.js?token=" + token).body())
                .as("another site's address never previews it").doesNotContain(popup);
        Reply elsewhere = json(port, "GET", "/api/v1/popups/" + popup + "/preview?url=https://evil.example/", null);
        assertThat(elsewhere.status()).isEqualTo(400);
        assertThat(elsewhere.body()).contains("\"field\":\"url\"");
    }

    @Test
    void aSegmentTargetedPopupIsOfferedOnlyToIdentifiedMembers() {
        Reply list = json(port, "POST", "/api/v1/segments", Map.of("databaseId", db, "name", "VIP", "kind", "static"));
        assertThat(list.status()).as(list.body()).isEqualTo(201);
        String vip = list.json().at("/segment/id").asText();
        Reply made = json(port, "POST", "/api/v1/popups", Map.of("site", site, "template", "discount-code", "published", true,
                "trigger", Map.of("on", "load", "segment", vip)));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String popup = made.json().get("id").asText();
        collect(Map.of("visitor", "visitor-vip-0001", "hits", List.of(Map.of("kind", "identify", "identity", Map.of("email", "vip@shop.example")))));
        collect(Map.of("visitor", "visitor-not-0001", "hits", List.of(Map.of("kind", "identify", "identity", Map.of("email", "not@shop.example")))));
        assertThat(json(port, "POST", "/api/v1/segments/" + vip + "/members", Map.of("matching", "email", "values", List.of("vip@shop.example")))
                .status()).isEqualTo(200);
        assertThat(publicGet("/t/s/" + site + "/popups/eligible?visitor=visitor-vip-0001").body()).isEqualTo("{\"popups\":[\"" + popup + "\"]}");
        assertThat(publicGet("/t/s/" + site + "/popups/eligible?visitor=visitor-not-0001").body()).isEqualTo("{\"popups\":[]}");
        assertThat(publicGet("/t/s/" + site + "/popups/eligible?visitor=anonymous-visitor").body()).isEqualTo("{\"popups\":[]}");
        assertThat(publicGet("/t/s/" + site + "/popups/eligible?visitor=").body()).isEqualTo("{\"popups\":[]}");

        // a segment of another database is not a target
        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", db + "x", "name", "Other", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true)))).status()).isEqualTo(201);
        String foreign = json(port, "POST", "/api/v1/segments", Map.of("databaseId", db + "x", "name", "Else", "kind", "static"))
                .json().at("/segment/id").asText();
        Reply wrong = json(port, "PUT", "/api/v1/popups/" + popup, Map.of("trigger", Map.of("on", "load", "segment", foreign)));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("\"field\":\"trigger.segment\"");
    }

    @Test
    void aDeletedSiteTakesItsPopupsAlong() {
        String popup = json(port, "POST", "/api/v1/popups", Map.of("site", site, "template", "announcement", "published", true))
                .json().get("id").asText();
        assertThat(json(port, "GET", "/api/v1/popups/" + popup, null).status()).isEqualTo(200);
        assertThat(ApiTestSupport.send(port, "DELETE", "/api/v1/sites/" + site, ApiTestSupport.ADMIN_KEY, null, null).status()).isEqualTo(204);
        assertThat(json(port, "GET", "/api/v1/popups/" + popup, null).status()).isEqualTo(404);
        assertThat(new String(publicGet("/t/s/" + site + "/popups.js").body().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .doesNotContain(popup);
    }
}
