package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbita.app.ApiTestSupport.Reply;
import org.orbita.queues.SendQueue;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Website tracking over the API and the public collection endpoint, as a site's pages and back
 * end use them: sites, hits from allowed origins only, anonymous visitors kept apart and joined on
 * identification (and the join reversed), conflicts never merged, replays answered as stored, goals
 * by the snippet and by the API reaching a trigger campaign, and bad input refused by name.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SitesApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORIGIN = "https://shop.example";

    @LocalServerPort
    int port;

    @Value("${orbita.content.public-port}")
    int publicPort;

    @Autowired
    SendQueue queue;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
        // MaxMind's test database (vendored in core's tests, Apache-2.0): 81.2.69.142 is London
        registry.add("orbita.sites.geo-database", () -> java.nio.file.Path.of("../core/src/test/resources/org/orbita/sites/GeoLite2-City-Test.mmdb")
                .toAbsolutePath().normalize().toString());
    }

    String site;
    static int counter;

    @BeforeEach
    void aSite() {
        String db = "web" + (++counter);
        Reply created = json(port, "POST", "/api/v1/databases", Map.of("id", db, "name", "Web", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "name", "type", "string"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Reply s = json(port, "POST", "/api/v1/sites", Map.of("name", "Shop", "domains", List.of("https://shop.example/"), "database", db,
                "traits", List.of("name"), "goals", List.of(Map.of("id", "pricing", "name", "Saw pricing", "kind", "page", "rule", "/pricing",
                        "value", 5), Map.of("id", "demo", "name", "Booked a demo", "kind", "click", "rule", "#book", "value", 50))));
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        assertThat(s.json().get("domains").get(0).asText()).isEqualTo("shop.example");
        assertThat(s.json().get("database").asText()).isEqualTo(db);
        assertThat(s.json().get("identifyBy").toString()).isEqualTo("[\"email\"]");
        site = s.json().get("id").asText();
    }

    private String db() {
        return "web" + counter;
    }

    private Reply collect(String origin, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/plain;charset=UTF-8");
        headers.put("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
        if (origin != null) {
            headers.put("Origin", origin);
        }
        try {
            byte[] bytes = body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
            return ApiTestSupport.send(URI.create("http://localhost:" + publicPort + "/t/s/" + site + "/collect"), "POST", headers, bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Object> page(String id, String url) {
        return Map.of("kind", "page", "id", id, "url", url, "title", "Shop", "session", "s1");
    }

    private static Map<String, Object> batch(String visitor, Object... hits) {
        return Map.of("visitor", visitor, "language", "en-GB", "screen", "1280x800", "hits", List.of(hits));
    }

    /** A profile by its email, or null when there is none. */
    private JsonNode profile(String email) {
        Reply p = json(port, "GET", "/api/v1/databases/" + db() + "/profiles?matching=email&value=" + email, null);
        return p.status() == 404 ? null : p.json();
    }

    private JsonNode history(String email, String query) {
        Reply h = json(port, "GET", "/api/v1/databases/" + db() + "/profiles/" + profile(email).get("id").asText() + "/history?" + query, null);
        assertThat(h.status()).as(h.body()).isEqualTo(200);
        return h.json();
    }

    private List<String> historyTypes(String email) {
        Reply h = json(port, "GET", "/api/v1/databases/" + db() + "/profiles/" + profile(email).get("id").asText() + "/history?limit=100", null);
        assertThat(h.status()).as(h.body()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        h.json().get("events").forEach(e -> types.add(e.get("type").asText()));
        return types;
    }

    @Test
    void anAnonymousVisitorIsJoinedToTheProfileItIdentifiesAsAndTheJoinCanBeReversed() throws Exception {
        Reply snippet = json(port, "GET", "/api/v1/sites/" + site + "/snippet", null);
        assertThat(snippet.status()).isEqualTo(200);
        assertThat(snippet.json().get("code").asText()).contains("http://localhost:" + publicPort + "/t/s/" + site + "/orbita.js");
        Reply script = ApiTestSupport.send(URI.create(snippet.json().get("script").asText()), "GET", Map.of(), null);
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.contentType()).startsWith("text/javascript");
        assertThat(script.body()).contains("\"endpoint\":\"http://localhost:" + publicPort + "/t/s/" + site + "/collect\"")
                .contains("\"id\":\"pricing\"").doesNotContain("/*CONFIG*/{}");

        Reply first = collect(ORIGIN, batch("visitor-ann-0001", page("hit00000001", "https://shop.example/?utm_source=news&utm_campaign=dec"),
                page("hit00000002", "https://shop.example/pricing")));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("stored").asInt()).isEqualTo(2);
        assertThat(first.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(first.header("Set-Cookie")).isNull();

        Reply again = collect(ORIGIN, batch("visitor-ann-0001", page("hit00000001", "https://shop.example/?utm_source=news&utm_campaign=dec"),
                page("hit00000002", "https://shop.example/pricing")));
        assertThat(again.json().get("stored").asInt()).as("a replayed batch").isZero();
        assertThat(again.json().get("repeats").toString()).isEqualTo("[0,1]");

        Reply identify = collect(ORIGIN, batch("visitor-ann-0001", Map.of("kind", "identify", "identity", Map.of("email", "Ann@Shop.example"),
                "traits", Map.of("name", "Ann")), page("hit00000003", "https://shop.example/cart")));
        assertThat(identify.status()).as(identify.body()).isEqualTo(200);
        assertThat(identify.json().get("rejected").size()).isZero();
        assertThat(profile("ann@shop.example").at("/fields/name").asText()).isEqualTo("Ann");
        List<String> types = historyTypes("ann@shop.example");
        assertThat(types).as("the two anonymous pages joined, the page after identification the profile's own")
                .contains("site.identified", "profile.created");
        assertThat(types.stream().filter("site.page_view"::equals).count()).isEqualTo(3);
        JsonNode hist = history("ann@shop.example", "type=site.page_view&limit=10");
        JsonNode firstPage = hist.get("events").get(2).get("properties");
        assertThat(firstPage.get("utm_source").asText()).isEqualTo("news");
        assertThat(firstPage.get("utm_campaign").asText()).isEqualTo("dec");
        assertThat(firstPage.get("browser").asText()).isEqualTo("Chrome");
        assertThat(firstPage.get("device").asText()).isEqualTo("desktop");
        assertThat(firstPage.get("ip").asText()).isEqualTo("127.0.0.0");
        assertThat(firstPage.get("path").asText()).isEqualTo("/");

        Reply traffic = json(port, "GET", "/api/v1/reports/traffic?database=" + db() + "&groupBy=website,browser", null);
        assertThat(traffic.status()).as(traffic.body()).isEqualTo(200);
        assertThat(traffic.json().at("/totals/page_views").asInt()).isEqualTo(3);
        assertThat(traffic.json().at("/totals/visitors").asInt()).as("the anonymous visitor and the profile it became").isEqualTo(2);
        assertThat(traffic.json().at("/rows/0/keys").toString()).isEqualTo("[\"" + site + "\",\"Chrome\"]");

        // the same browser claimed by someone else: never merged, a conflict recorded instead
        Reply claimed = collect(ORIGIN, batch("visitor-ann-0001", Map.of("kind", "identify", "identity", Map.of("email", "bob@shop.example"))));
        assertThat(claimed.status()).isEqualTo(200);
        Reply conflicts = json(port, "GET", "/api/v1/databases/" + db() + "/visitor-conflicts", null);
        assertThat(conflicts.json().size()).isEqualTo(1);
        assertThat(conflicts.json().get(0).get("visitorId").asText()).isEqualTo("visitor-ann-0001");
        assertThat(historyTypes("bob@shop.example")).doesNotContain("site.page_view");

        Reply merges = json(port, "GET", "/api/v1/databases/" + db() + "/visitor-merges?profile=" + profile("ann@shop.example").get("id").asText(), null);
        assertThat(merges.json().size()).isEqualTo(1);
        String merge = merges.json().get(0).get("id").asText();
        Reply reversed = json(port, "POST", "/api/v1/databases/" + db() + "/visitor-merges/" + merge + "/reverse", null);
        assertThat(reversed.status()).as(reversed.body()).isEqualTo(200);
        assertThat(reversed.json().get("reversedAt").isNull()).isFalse();
        assertThat(historyTypes("ann@shop.example").stream().filter("site.page_view"::equals).count())
                .as("the anonymous pages left; the one recorded as Ann's stays").isEqualTo(1);
        assertThat(json(port, "POST", "/api/v1/databases/" + db() + "/visitor-merges/" + merge + "/reverse", null).status()).isEqualTo(400);
        String ann = profile("ann@shop.example").get("id").asText();
        List<String> audited = new ArrayList<>();
        json(port, "GET", "/api/v1/audit?limit=200", null).json().get("lines").forEach(l -> {
            if (l.get("objectId").asText().equals(ann) && l.get("action").asText().equals("profiles:write")) {
                audited.add(l.get("actorKind").asText() + ":" + l.get("detail").asText());
            }
        });
        assertThat(audited).as("the reversal, by the key").contains("API_KEY:reversedAt");
        JsonNode all = json(port, "GET", "/api/v1/databases/" + db() + "/visitor-merges", null).json();
        assertThat(all.get(0).get("how").asText()).isEqualTo("identify");
        assertThat(all.get(0).get("siteId").asText()).isEqualTo(site);
        assertThat(all.get(0).get("reversedAt").isNull()).as("kept, marked reversed").isFalse();
    }

    @Test
    void aGoalReachedOnTheSiteOrReportedByTheBackEndFiresATriggerCampaign() throws Exception {
        Reply msg = json(port, "POST", "/api/v1/messages", Map.of("name", "Thanks for booking", "email", Map.of(
                "subject", "See you soon", "fromAddress", "shop@shop.example", "text", "Booked")));
        Reply campaign = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Demo follow-up", "type", "trigger", "database", db(),
                "messageId", msg.json().get("id").asText(), "trigger", Map.of("event", "site.goal")));
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
        String campaignId = campaign.json().get("id").asText();
        assertThat(json(port, "POST", "/api/v1/campaigns/" + campaignId + "/launch", null).status()).isEqualTo(200);
        Reply created = json(port, "POST", "/api/v1/databases/" + db() + "/profiles", Map.of("matching", "email",
                "fields", Map.of("email", "cy@shop.example"), "subscriptions", List.of(Map.of("channel", "email", "address", "cy@shop.example"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Thread.sleep(2_500); // live trigger campaigns are looked up again every two seconds

        List<JsonNode> mail = new CopyOnWriteArrayList<>();
        try (SendQueue.Consumer consumer = ApiTestSupport.campaignMail(queue, campaignId, mail)) {
            Reply skipped = json(port, "POST", "/api/v1/goals", Map.of("database", db(), "matching", "email", "value", "cy@shop.example",
                    "goal", "Called sales", "goalValue", 12.5, "pageData", Map.of("page", "/contact"), "skipTriggers", true));
            assertThat(skipped.status()).as(skipped.body()).isEqualTo(202);
            Thread.sleep(1_000);
            assertThat(mail).as("a goal registered with skipTriggers starts nothing").isEmpty();

            Reply hit = collect(ORIGIN, batch("visitor-cy-00001", Map.of("kind", "identify", "identity", Map.of("email", "cy@shop.example")),
                    Map.of("kind", "goal", "id", "goal0000001", "goal", "demo", "url", "https://shop.example/demo")));
            assertThat(hit.json().get("stored").asInt()).as(hit.body()).isEqualTo(1);
            ApiTestSupport.waitFor(() -> mail.size() == 1);
        }
        JsonNode goals = history("cy@shop.example", "type=site.goal");
        assertThat(goals.get("events").size()).isEqualTo(2);
        JsonNode snippetGoal = goals.get("events").get(0).get("properties");
        assertThat(snippetGoal.get("goal").asText()).isEqualTo("demo");
        assertThat(snippetGoal.get("value").asDouble()).isEqualTo(50.0);
        JsonNode apiGoal = goals.get("events").get(1).get("properties");
        assertThat(apiGoal.get("goal_name").asText()).isEqualTo("Called sales");
        assertThat(apiGoal.get("value").asDouble()).isEqualTo(12.5);
        assertThat(apiGoal.at("/page_data/page").asText()).isEqualTo("/contact");
        Reply report = json(port, "GET", "/api/v1/reports/goals?database=" + db() + "&groupBy=goal", null);
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.json().at("/totals/site_goals").asInt()).isEqualTo(2);
        assertThat(report.json().at("/totals/site_goal_value").asDouble()).isEqualTo(62.5);
    }

    @Autowired
    org.orbita.content.Links links;

    @Test
    void anonymousPagesJoinedOnIdentificationPutTheClientInASegmentAndAGoalStartsAJourney() throws Exception {
        Reply segment = json(port, "POST", "/api/v1/segments", Map.of("databaseId", db(), "name", "Looked at pricing twice", "definition",
                Map.of("type", "group", "match", "all", "conditions", List.of(Map.of("type", "event", "event", "site.page_view", "atLeast", 2,
                        "window", Map.of("lastDays", 7), "where", List.of(Map.of("property", "path", "op", "eq", "value", "/pricing")))))));
        assertThat(segment.status()).as(segment.body()).isEqualTo(201);
        String segmentId = segment.json().at("/segment/id").asText();
        Reply journey = json(port, "POST", "/api/v1/journeys", Map.of("name", "Demo booked", "databaseId", db(), "journey", Map.of(
                "nodes", List.of(Map.of("id", "start", "type", "start", "name", "start", "settings", Map.of("entry", "event", "event", "site.goal")),
                        Map.of("id", "end", "type", "exit", "name", "end", "settings", Map.of())),
                "links", List.of(Map.of("from", "start", "to", "end")))));
        assertThat(journey.status()).as(journey.body()).isEqualTo(201);
        String journeyId = journey.json().at("/definition/id").asText();
        assertThat(json(port, "POST", "/api/v1/journeys/" + journeyId + "/publish", null).status()).isEqualTo(200);

        collect(ORIGIN, batch("visitor-gil-0001", page("hitG0000001", "https://shop.example/pricing"), page("hitG0000002", "https://shop.example/"),
                page("hitG0000003", "https://shop.example/pricing?plan=pro")));
        Thread.sleep(500);
        assertThat(json(port, "GET", "/api/v1/segments/" + segmentId + "/count", null).json().get("count").asInt())
                .as("an anonymous visitor is in no segment").isZero();
        collect(ORIGIN, batch("visitor-gil-0001", Map.of("kind", "identify", "identity", Map.of("email", "gil@shop.example"))));
        String gil = profile("gil@shop.example").get("id").asText();
        ApiTestSupport.waitFor(() -> json(port, "GET", "/api/v1/segments/" + segmentId + "/members", null).body().contains(gil));

        assertThat(json(port, "GET", "/api/v1/journeys/" + journeyId + "/stats", null).json().path("exited").asLong()).as("page views start nothing").isZero();
        collect(ORIGIN, batch("visitor-gil-0001", Map.of("kind", "goal", "id", "goalG000001", "goal", "demo", "url", "https://shop.example/demo")));
        ApiTestSupport.waitFor(() -> json(port, "GET", "/api/v1/journeys/" + journeyId + "/stats", null).json().path("exited").asLong() == 1);
    }

    @Test
    void aClickFromAMessageIdentifiesTheVisitorOnTheSiteItLeadsTo() throws Exception {
        Reply created = json(port, "POST", "/api/v1/databases/" + db() + "/profiles", Map.of("matching", "email",
                "fields", Map.of("email", "eve@shop.example")));
        String eve = created.json().at("/profile/id").asText();
        collect(ORIGIN, batch("visitor-eve-0001", page("hitE0000001", "https://shop.example/")));
        // a link in a message sent to Eve, as the send pipeline makes it, followed on the public origin
        String click = links.click(new org.orbita.content.Links.Context("demo", db(), eve, "m1", 1L, "email", "c1", "run1"),
                "https://shop.example/offer?x=1#top");
        Reply followed = ApiTestSupport.send(URI.create(click), "GET", Map.of(), null);
        assertThat(followed.status()).isEqualTo(302);
        String location = followed.location();
        assertThat(location).startsWith("https://shop.example/offer?x=1&_orb=").endsWith("#top");
        String token = location.substring(location.indexOf("_orb=") + 5, location.indexOf('#'));
        Reply elsewhere = ApiTestSupport.send(URI.create(links.click(new org.orbita.content.Links.Context("demo", db(), eve, "m1", 1L, "email",
                "c1", "run1"), "https://other.example/")), "GET", Map.of(), null);
        assertThat(elsewhere.location()).as("not a tracked site: the address as it was").isEqualTo("https://other.example/");

        Reply identified = collect(ORIGIN, batch("visitor-eve-0001", Map.of("kind", "identify", "token", token),
                page("hitE0000002", "https://shop.example/offer?x=1")));
        assertThat(identified.json().get("rejected").size()).as(identified.body()).isZero();
        JsonNode merge = json(port, "GET", "/api/v1/databases/" + db() + "/visitor-merges?profile=" + eve, null).json().get(0);
        assertThat(merge.get("how").asText()).isEqualTo("message");
        assertThat(historyTypes("eve@shop.example").stream().filter("site.page_view"::equals).count()).isEqualTo(2);

        Reply forged = collect(ORIGIN, batch("visitor-mallory1", Map.of("kind", "identify", "token", token.substring(0, token.length() - 2) + "xx")));
        assertThat(forged.json().at("/rejected/0/errors/0/field").asText()).isEqualTo("token");
        Reply profileId = collect(ORIGIN, batch("visitor-mallory1", Map.of("kind", "identify", "identity", Map.of("id", eve))));
        assertThat(profileId.json().at("/rejected/0/errors/0/field").asText()).as("a profile id is no identity a page may claim").isEqualTo("identity");
        assertThat(json(port, "GET", "/api/v1/databases/" + db() + "/visitor-merges?profile=" + eve, null).json().size()).isEqualTo(1);
    }

    @Test
    void badHitsAreRefusedByNameAndNothingOfThemIsStored() throws Exception {
        Reply foreign = collect("https://evil.example", batch("visitor-x-000001", page("hit10000001", "https://evil.example/")));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
        assertThat(collect(null, batch("visitor-x-000001", page("hit10000002", "https://shop.example/"))).status())
                .as("no origin and no referrer").isEqualTo(403);
        assertThat(collect(ORIGIN, "{\"visitor\": ").status()).isEqualTo(400);
        Reply noVisitor = collect(ORIGIN, Map.of("hits", List.of(page("hit10000003", "https://shop.example/"))));
        assertThat(noVisitor.status()).isEqualTo(400);
        assertThat(noVisitor.json().at("/errors/0/field").asText()).isEqualTo("visitor");
        assertThat(collect(ORIGIN, Map.of("visitor", "visitor-x-000001", "hits", List.of(), "pad", "x".repeat(70_000))).status()).isEqualTo(413);
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add(page("hit2" + String.format("%07d", i), "https://shop.example/"));
        }
        assertThat(collect(ORIGIN, Map.of("visitor", "visitor-x-000001", "hits", many)).status()).isEqualTo(400);

        Reply mixed = collect(ORIGIN, batch("visitor-x-000001",
                page("hit30000001", "https://shop.example/ok"),
                Map.of("kind", "page", "id", "hit30000002"),
                Map.of("kind", "event", "id", "hit30000003", "name", "message.clicked"),
                Map.of("kind", "goal", "id", "hit30000004", "goal", "nope"),
                Map.of("kind", "identify", "identity", Map.of("id", "0001")),
                Map.of("kind", "identify", "identity", Map.of("email", "dee@shop.example"), "traits", Map.of("email", "other@shop.example")),
                Map.of("kind", "event", "id", "x", "name", "add_to_cart"),
                Map.of("kind", "page", "id", "hit30000008", "url", "javascript:alert(1)")));
        assertThat(mixed.status()).as(mixed.body()).isEqualTo(200);
        assertThat(mixed.json().get("stored").asInt()).isEqualTo(1);
        List<String> rejected = new ArrayList<>();
        mixed.json().get("rejected").forEach(r -> rejected.add(r.get("index").asInt() + ":" + r.at("/errors/0/field").asText()));
        assertThat(rejected).containsExactly("1:url", "2:name", "3:goal", "4:identity", "5:traits.email", "6:id", "7:url");
        assertThat(profile("dee@shop.example")).as("an identification refused writes nobody").isNull();

        Reply optIn = json(port, "PUT", "/api/v1/sites/" + site, Map.of("consent", "opt-in"));
        assertThat(optIn.json().get("consent").asText()).isEqualTo("opt-in");
        Reply withoutConsent = collect(ORIGIN, batch("visitor-x-000002", page("hit40000001", "https://shop.example/")));
        assertThat(withoutConsent.status()).isEqualTo(400);
        assertThat(withoutConsent.json().at("/errors/0/field").asText()).isEqualTo("consent");
        Map<String, Object> consented = new LinkedHashMap<>(batch("visitor-x-000002", page("hit40000001", "https://shop.example/")));
        consented.put("consent", true);
        assertThat(collect(ORIGIN, consented).json().get("stored").asInt()).isEqualTo(1);

        // the pixel of a page without script: a view from the site's page counted, one from elsewhere refused — a GIF either way
        URI pixel = URI.create("http://localhost:" + publicPort + "/t/s/" + site + "/p.gif?url=https%3A%2F%2Fshop.example%2Fnoscript&title=No%20script");
        Reply seen = ApiTestSupport.send(pixel, "GET", Map.of("Referer", "https://shop.example/noscript", "User-Agent",
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"), null);
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.contentType()).isEqualTo("image/gif");
        Reply elsewhere = ApiTestSupport.send(pixel, "GET", Map.of("Referer", "https://evil.example/"), null);
        assertThat(elsewhere.status()).isEqualTo(403);
        assertThat(elsewhere.contentType()).isEqualTo("image/gif");

        // a back end's hit, for a visitor whose address it gives: placed by the geo database, then anonymised
        Reply server = json(port, "POST", "/api/v1/sites/" + site + "/hits", Map.of("visitor", "visitor-srv-0001", "context",
                Map.of("ip", "81.2.69.142", "userAgent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"),
                "hits", List.of(page("hitS0000001", "https://shop.example/checkout"))));
        assertThat(server.json().get("stored").asInt()).as(server.body()).isEqualTo(1);
        Reply byCountry = json(port, "GET", "/api/v1/reports/traffic?database=" + db() + "&groupBy=country", null);
        List<String> countries = new ArrayList<>();
        byCountry.json().get("rows").forEach(r -> countries.add(r.get("keys").get(0).asText() + "=" + r.at("/values/page_views").asInt()));
        assertThat(countries).contains("GB=1");
        Reply noScript = json(port, "GET", "/api/v1/reports/traffic?database=" + db() + "&groupBy=website", null);
        assertThat(noScript.json().at("/totals/page_views").asInt()).as("the two consented page views, the pixel's, the back end's").isEqualTo(4);

        Reply badSite = json(port, "POST", "/api/v1/sites", Map.of("name", "", "domains", List.of("not a host"), "database", "nope",
                "consent", "maybe", "goals", List.of(Map.of("name", "G", "kind", "page", "rule", "(", "match", "regex"))));
        assertThat(badSite.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        badSite.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).contains("name", "domains[0]", "database", "consent", "goals[0].rule");
    }
}
