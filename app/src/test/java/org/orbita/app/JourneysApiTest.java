package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.orbita.app.ApiTestSupport.Reply;
import org.orbita.common.Ids;
import org.orbita.events.Event;
import org.orbita.journeys.runtime.JourneyRuntime;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Journeys over HTTP on the default engine (Operaton, its state in an H2 file): the journey end to end (an event
 * starts it → a day's pause, the engine's clock moved → an email → opened within two days? SMS :
 * push → a goal), entries by the API one and many at a time, bad input, an HTTP node whose
 * target answers garbage (an incident, the profile kept), and the engine restarted mid-journey
 * with every profile going on from where it was.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JourneysApiTest {

    @LocalServerPort
    int port;

    @Autowired
    JourneyRuntime runtime;

    /** Twilio's and RuStore's APIs and an API for the HTTP node, on loopback. */
    static HttpServer services;
    static final List<String> smsCalls = new CopyOnWriteArrayList<>();
    static final List<String> pushCalls = new CopyOnWriteArrayList<>();
    static final List<String> apiCalls = new CopyOnWriteArrayList<>();
    static final java.util.concurrent.atomic.AtomicInteger flakyCalls = new java.util.concurrent.atomic.AtomicInteger();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
        services = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        services.createContext("/2010-04-01/Accounts/ACtest/Messages.json", x -> {
            smsCalls.add(URLDecoder.decode(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            answer(x, 201, "{\"sid\":\"SM" + smsCalls.size() + "\",\"status\":\"queued\"}");
        });
        services.createContext("/v1/projects/rs-1/messages:send", x -> {
            pushCalls.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(x, 200, "{}");
        });
        services.createContext("/score", x -> {
            apiCalls.add(x.getRequestMethod() + " " + x.getRequestURI() + " " + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            boolean garbage = x.getRequestURI().getQuery() != null && x.getRequestURI().getQuery().contains("who=bad");
            if (x.getRequestURI().getQuery() != null && x.getRequestURI().getQuery().contains("who=slow")) {
                try {
                    Thread.sleep(2500); // longer than orbita.journeys.http-timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (x.getRequestURI().getQuery() != null && x.getRequestURI().getQuery().contains("who=flaky") && flakyCalls.incrementAndGet() <= 2) {
                answer(x, 503, "{\"error\": \"busy\"}"); // twice, then it answers
                return;
            }
            answer(x, 200, garbage ? "<html>oops" : "{\"score\": 42}");
        });
        services.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // a slow answer holds up no other call
        services.start();
        String base = "http://127.0.0.1:" + services.getAddress().getPort();
        registry.add("orbita.channels.push.rustore.project-id", () -> "rs-1");
        registry.add("orbita.channels.push.rustore.service-token", () -> "svc");
        registry.add("orbita.channels.push.rustore.api-url", () -> base);
        registry.add("orbita.channels.sms.account-sid", () -> "ACtest");
        registry.add("orbita.channels.sms.auth-token", () -> "secret");
        registry.add("orbita.channels.sms.from", () -> "+15550001111");
        registry.add("orbita.channels.sms.api-url", () -> base);
        registry.add("orbita.content.external.allowed-hosts", () -> "127.0.0.1");
        registry.add("orbita.journeys.http-timeout", () -> "1s");
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    @AfterAll
    void stopServices() {
        services.stop(0);
    }

    private String database(String id) {
        Reply db = json(port, "POST", "/api/v1/databases", Map.of("id", id, "name", id, "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "name", "type", "string"),
                Map.of("name", "score", "type", "integer"))));
        assertThat(db.status()).as(db.body()).isEqualTo(201);
        return id;
    }

    private String profile(String db, String email, String name) {
        Map<String, Object> p = new HashMap<>(Map.of("matching", "email", "fields", Map.of("email", email, "name", name)));
        p.put("subscriptions", List.of(Map.of("channel", "email", "address", email), Map.of("channel", "sms", "address", "+7916" + (1000000 + Math.abs(
                email.hashCode() % 8999999))), Map.of("channel", "push", "address", "rustore:" + name.toLowerCase())));
        Reply r = json(port, "POST", "/api/v1/databases/" + db + "/profiles", p);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().at("/profile/id").asText();
    }

    private String message(Map<String, Object> body) {
        Reply m = json(port, "POST", "/api/v1/messages", body);
        assertThat(m.status()).as(m.body()).isEqualTo(201);
        return m.json().get("id").asText();
    }

    private static Map<String, Object> node(String id, String type, Map<String, String> settings) {
        return Map.of("id", id, "type", type, "name", id, "settings", settings);
    }

    private static Map<String, Object> link(String from, String to, String branch) {
        Map<String, Object> l = new HashMap<>(Map.of("from", from, "to", to));
        if (branch != null) {
            l.put("branch", branch);
        }
        return l;
    }

    private String journey(String db, String name, List<Map<String, Object>> nodes, List<Map<String, Object>> links) {
        Reply r = json(port, "POST", "/api/v1/journeys", Map.of("name", name, "databaseId", db, "journey", Map.of("nodes", nodes, "links", links)));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String id = r.json().at("/definition/id").asText();
        Reply published = json(port, "POST", "/api/v1/journeys/" + id + "/publish", null);
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        return id;
    }

    @Test
    void anEventStartsTheJourneyAndEachProfileGoesItsWayToTheGoal() throws Exception {
        String db = database("jw");
        String ann = profile(db, "ann@example.com", "Ann");
        String bob = profile(db, "bob@example.com", "Bob");
        String welcome = message(Map.of("name", "Welcome", "email", Map.of("subject", "Welcome, {{ profile.name }}", "html",
                "<p>Hello {{ profile.name }}</p>", "fromAddress", "shop@example.com", "fromName", "Shop")));
        String thanks = message(Map.of("name", "Thanks", "sms", Map.of("text", "Thanks for reading, {{ profile.name }}")));
        String nudge = message(Map.of("name", "Nudge", "push", Map.of("title", "Still there?", "body", "{{ profile.name }}, we miss you")));
        String id = journey(db, "Welcome", List.of(
                        node("start", "start", Map.of("entry", "event", "event", "signup")),
                        node("day", "pause", Map.of("duration", "P1D")),
                        node("letter", "send-message", Map.of("messageId", welcome, "channels", "email")),
                        node("opened", "wait-event", Map.of("event", "message.opened", "timeout", "P2D")),
                        node("sms", "send-message", Map.of("messageId", thanks, "channels", "sms")),
                        node("push", "send-message", Map.of("messageId", nudge, "channels", "push")),
                        node("won", "goal", Map.of("goal", "engaged")),
                        node("end", "exit", Map.of())),
                List.of(link("start", "day", null), link("day", "letter", null), link("letter", "opened", null),
                        link("opened", "sms", "event"), link("opened", "push", "timeout"), link("sms", "won", null), link("push", "won", null),
                        link("won", "end", null)));

        for (String email : List.of("ann@example.com", "bob@example.com")) {
            Reply e = json(port, "POST", "/api/v1/events", Map.of("database", db, "matching", "email", "value", email, "type", "signup"));
            assertThat(e.status()).as(e.body()).isBetween(200, 202);
        }
        waitFor(() -> waiting(id, "day") == 2);
        assertThat(history(db, ann)).doesNotContain("message.sent");
        runtime.advance(Duration.ofDays(1).plusMinutes(1));
        waitFor(() -> waiting(id, "opened") == 2);
        assertThat(history(db, ann)).contains("message.sent");

        Reply opened = json(port, "POST", "/api/v1/events", Map.of("database", db, "matching", "email", "value", "ann@example.com",
                "type", "message.opened", "channel", "email"));
        assertThat(opened.status()).as(opened.body()).isBetween(200, 202);
        waitFor(() -> smsCalls.stream().anyMatch(c -> c.contains("Thanks for reading")), () -> stats(id) + " " + history(db, ann));
        runtime.advance(Duration.ofDays(2).plusMinutes(1));
        waitFor(() -> pushCalls.size() == 1);
        waitFor(() -> stats(id).path("exited").asLong() == 2);

        assertThat(smsCalls.stream().filter(c -> c.contains("Thanks for reading"))).singleElement().asString().contains("Thanks for reading, Ann");
        assertThat(pushCalls.get(0)).contains("Bob, we miss you");
        JsonNode stats = stats(id);
        assertThat(stats.path("entered").asLong()).isEqualTo(2);
        assertThat(stats.path("converted").asLong()).isEqualTo(2);
        assertThat(stats.at("/nodes/sms/completed").asLong()).isEqualTo(1);
        assertThat(stats.at("/nodes/push/completed").asLong()).isEqualTo(1);
        assertThat(stats.at("/nodes/opened/entered").asLong()).isEqualTo(2);
        assertThat(stats.at("/nodes/end/exited").asLong()).isEqualTo(2);
        // J4: each branch taken once, and each of them converted; the goals attributed to the last message before them
        List<String> links = new ArrayList<>();
        stats.path("links").forEach(l -> links.add(l.path("from").asText() + ">" + l.path("to").asText() + " " + l.path("branch").asText()
                + " taken " + l.path("taken").asLong() + " share " + l.path("share").asDouble() + " converted " + l.path("converted").asLong()));
        assertThat(links).contains("opened>sms event taken 1 share 0.5 converted 1", "opened>push timeout taken 1 share 0.5 converted 1",
                "letter>opened  taken 2 share 1.0 converted 2");
        assertThat(stats.at("/figures/sms/attributed").asLong()).isEqualTo(1);
        assertThat(stats.at("/figures/push/attributed").asLong()).isEqualTo(1);
        assertThat(stats.at("/figures/letter/attributed").asLong()).isZero();
        // (the pause's day passed on the engine's test clock; the ledger measures the platform's own)
        assertThat(stats.at("/figures/day/meanSeconds").asDouble()).isPositive();
        assertThat(stats.at("/nodes/day/dwellMs").asLong()).isPositive();
        assertThat(stats.at("/figures/opened/dropOff").asLong()).isZero();
        assertThat(stats.path("versions").toString()).contains("{\"version\":1,\"entered\":2,\"live\":0,\"done\":2,\"stopped\":0,\"converted\":2,"
                + "\"conversionRate\":1.0}");
        // Ann's history: every step of her path, oldest first
        assertThat(journeySteps(db, ann)).containsExactly("journey.entered start", "journey.step day", "journey.step letter", "journey.step opened",
                "journey.step sms", "journey.goal won", "journey.step won", "journey.exited end");
        JsonNode mine = json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + bob + "/journeys", null).json();
        assertThat(mine.get(0).path("state").asText()).isEqualTo("done");
        assertThat(mine.get(0).path("node").asText()).isEqualTo("end");
    }

    /**
     * A node that fails after others in the same engine transaction (from the entry to the next
     * wait): the engine runs the job again from its start, and the nodes before it are answered
     * by the ledger — the branch they took, the goal they recorded — without being done twice.
     */
    @Test
    void aNodeThatFailsAfterOthersOfItsTransactionDoesNotRepeatThem() throws Exception {
        String db = database("jf");
        String eve = profile(db, "eve@a.io", "Eve");
        String id = journey(db, "Flaky", List.of(
                        node("start", "start", Map.of("entry", "api")),
                        node("big", "filter", Map.of("condition", "order.total > 100")),
                        node("won", "goal", Map.of("goal", "big order")),
                        node("score", "http-request", Map.of("method", "POST", "url", "http://127.0.0.1:" + services.getAddress().getPort()
                                + "/score?who=flaky", "resultVariable", "answer")),
                        node("keep", "update-profile", Map.of("fields", "{\"score\": \"{{ data.answer.score }}\"}")),
                        node("end", "exit", Map.of()),
                        node("small", "exit", Map.of())),
                List.of(link("start", "big", null), link("big", "won", "yes"), link("big", "small", "no"), link("won", "score", null),
                        link("score", "keep", null), link("keep", "end", null)));
        Reply in = json(port, "POST", "/api/v1/journeys/" + id + "/start", Map.of("profile", eve, "data", Map.of("order", Map.of("total", 150))));
        assertThat(in.status()).as(in.body()).isEqualTo(202);
        waitFor(() -> stats(id).at("/nodes/end/exited").asLong() == 1, () -> stats(id) + " " + history(db, eve));
        assertThat(flakyCalls.get()).as("the API asked until it answered").isEqualTo(3);
        assertThat(json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + eve, null).json().at("/fields/score").asInt()).isEqualTo(42);
        assertThat(journeySteps(db, eve)).containsExactly("journey.entered start", "journey.step big", "journey.goal won", "journey.step won", "journey.step score",
                "journey.step keep", "journey.exited end");
        JsonNode stats = stats(id);
        assertThat(stats.at("/nodes/big/completed").asLong()).isEqualTo(1);
        assertThat(stats.at("/nodes/won/completed").asLong()).isEqualTo(1);
        assertThat(stats.at("/nodes/small/entered").asLong()).isZero();
        assertThat(json(port, "GET", "/api/v1/journeys/" + id + "/incidents", null).json().size()).isZero();
    }

    @Test
    void theApiStartsOneOrManyAndNamesWhatIsWrong() throws Exception {
        String db = database("ja");
        String ann = profile(db, "ann@a.io", "Ann");
        profile(db, "bob@a.io", "Bob");
        String id = journey(db, "Scores", List.of(
                        node("start", "start", Map.of("entry", "api", "reentry", "never")),
                        node("big", "filter", Map.of("condition", "order.total > 100")),
                        node("score", "http-request", Map.of("method", "POST", "url", "http://127.0.0.1:" + services.getAddress().getPort()
                                + "/score?who={{ data.who }}", "body", "{\"email\": \"{{ profile.email }}\"}", "resultVariable", "answer")),
                        node("keep", "update-profile", Map.of("fields", "{\"score\": \"{{ data.answer.score }}\"}")),
                        node("end", "exit", Map.of())),
                List.of(link("start", "big", null), link("big", "score", "yes"), link("big", "end", "no"), link("score", "keep", null),
                        link("keep", "end", null)));

        Reply one = json(port, "POST", "/api/v1/journeys/" + id + "/start", Map.of("profile", "ann@a.io", "matchBy", "email",
                "data", Map.of("order", Map.of("total", 150), "who", "ann"), "idempotencyKey", "order-1"));
        assertThat(one.status()).as(one.body()).isEqualTo(202);
        assertThat(one.json().path("entered").asBoolean()).isTrue();
        Reply again = json(port, "POST", "/api/v1/journeys/" + id + "/start", Map.of("profile", "ann@a.io", "matchBy", "email",
                "data", Map.of("order", Map.of("total", 150)), "idempotencyKey", "order-1"));
        assertThat(again.json().path("entered").asBoolean()).isFalse();
        assertThat(again.json().path("reason").asText()).contains("already entered with this key");
        waitFor(() -> json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + ann, null).json().at("/fields/score").asInt() == 42);
        assertThat(apiCalls).anySatisfy(c -> assertThat(c).startsWith("POST /score?who=ann").contains("ann@a.io"));

        // many at once: Bob enters, Ann's re-entry is 'never', nobody@ is unknown
        Reply many = json(port, "POST", "/api/v1/journeys/" + id + "/start", Map.of("profiles", List.of(
                Map.of("profile", "bob@a.io", "matchBy", "email", "data", Map.of("order", Map.of("total", 5))),
                Map.of("profile", "ann@a.io", "matchBy", "email", "data", Map.of("order", Map.of("total", 500))),
                Map.of("profile", "nobody@a.io", "matchBy", "email"))));
        assertThat(many.status()).as(many.body()).isEqualTo(202);
        assertThat(many.json().path("entered").asLong()).isEqualTo(1);
        assertThat(many.json().at("/results/1/reason").asText()).contains("re-entry is 'never'");
        assertThat(many.json().at("/results/2/reason").asText()).contains("profiles[2].profile");
        Reply unknown = json(port, "POST", "/api/v1/journeys/" + id + "/start", Map.of("profile", "nobody@a.io", "matchBy", "email"));
        assertThat(unknown.status()).isEqualTo(404);
        Reply noProfile = json(port, "POST", "/api/v1/journeys/" + id + "/start", Map.of("data", Map.of()));
        assertThat(noProfile.status()).isEqualTo(400);
        assertThat(noProfile.body()).contains("profile");

        // an HTTP node whose API answers garbage: retried, then an incident; the profile stays at the node
        String cid = profile(db, "cid@a.io", "Cid");
        json(port, "POST", "/api/v1/journeys/" + id + "/start", Map.of("profile", cid, "data", Map.of("order", Map.of("total", 999), "who", "bad")));
        waitFor(() -> json(port, "GET", "/api/v1/journeys/" + id + "/incidents", null).json().size() == 1);
        JsonNode incident = json(port, "GET", "/api/v1/journeys/" + id + "/incidents", null).json().get(0);
        assertThat(incident.path("profileId").asText()).isEqualTo(cid);
        assertThat(incident.path("node").asText()).isEqualTo("score");
        assertThat(incident.path("incident").asText()).contains("not JSON");
        assertThat(stats(id).at("/nodes/score/waiting").asLong()).isEqualTo(1);
        // one whose API does not answer in time: the same
        String dan = profile(db, "dan@a.io", "Dan");
        json(port, "POST", "/api/v1/journeys/" + id + "/start", Map.of("profile", dan, "data", Map.of("order", Map.of("total", 999), "who", "slow")));
        waitFor(() -> json(port, "GET", "/api/v1/journeys/" + id + "/incidents", null).body().contains("did not answer within 1 s"));
        assertThat(stats(id).at("/nodes/score/waiting").asLong()).isEqualTo(2);

        // publishing a draft that refers to a message that does not exist: every problem named
        Reply bad = json(port, "POST", "/api/v1/journeys", Map.of("name", "Broken", "databaseId", db, "journey", Map.of("nodes", List.of(
                node("start", "start", Map.of("entry", "api")), node("send", "send-message", Map.of("messageId", "gone", "channels", "email")),
                node("lost", "pause", Map.of()), node("odd", "check-condition", Map.of("condition", "{\"type\":\"field\",\"field\":\"name\",\"op\":\"equals\"}")),
                node("end", "exit", Map.of())), "links", List.of(link("start", "send", null), link("send", "end", null)))));
        String broken = bad.json().at("/definition/id").asText();
        assertThat(bad.json().path("problems").size()).isGreaterThanOrEqualTo(2);
        Reply refused = json(port, "POST", "/api/v1/journeys/" + broken + "/publish", null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("nodes.send.messageId").contains("no message gone").contains("nodes.lost")
                .contains("nodes.odd.condition").contains("op must be one of");
        Reply notLive = json(port, "POST", "/api/v1/journeys/" + broken + "/start", Map.of("profile", ann));
        assertThat(notLive.status()).isEqualTo(400);
        assertThat(notLive.body()).contains("only a live journey");
    }

    @Test
    void anEngineStartedAgainLosesNoProfileAndRepeatsNoStep() throws Exception {
        String db = database("jr");
        List<String> people = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            people.add(profile(db, "p" + i + "@r.io", "P" + i));
        }
        String thanks = message(Map.of("name", "Hello", "sms", Map.of("text", "Hello {{ profile.name }} from the restarted engine")));
        String id = journey(db, "Recycled", List.of(
                        node("start", "start", Map.of("entry", "api")),
                        node("wait", "pause", Map.of("duration", "PT2H")),
                        node("hello", "send-message", Map.of("messageId", thanks, "channels", "sms")),
                        node("end", "exit", Map.of())),
                List.of(link("start", "wait", null), link("wait", "hello", null), link("hello", "end", null)));
        for (String p : people) {
            assertThat(json(port, "POST", "/api/v1/journeys/" + id + "/start", Map.of("profile", p)).json().path("entered").asBoolean()).isTrue();
        }
        waitFor(() -> waiting(id, "wait") == 6);
        runtime.advance(Duration.ofMinutes(30)); // a quarter of the wait passes on the old engine

        // the engine stopped and started again on its database: nothing to put back, every instance still in its pause
        JourneyRuntime.Restored restored = runtime.recycle();
        assertThat(restored.instances()).isZero();
        assertThat(waiting(id, "wait")).isEqualTo(6);
        Thread.sleep(1000);
        assertThat(smsCalls.stream().filter(s -> s.contains("restarted engine"))).isEmpty();
        runtime.advance(Duration.ofHours(2).plusMinutes(1));
        waitFor(() -> stats(id).path("exited").asLong() == 6);
        waitFor(() -> smsCalls.stream().filter(s -> s.contains("restarted engine")).count() >= 6); // the SMS worker's calls follow the queue
        Thread.sleep(500);
        assertThat(smsCalls.stream().filter(s -> s.contains("restarted engine"))).hasSize(6);
        assertThat(stats(id).at("/nodes/hello/completed").asLong()).isEqualTo(6);
    }

    /**
     * An event acknowledged just before a crash, still in the queue to journeys' workers, reaches
     * its wait at the next start; one taken before the crash but not yet marked is not given
     * again to the next wait for the same event.
     */
    @Test
    void anEventAcknowledgedBeforeACrashReachesItsWaitOnceAfterTheStart() throws Exception {
        String db = database("jx");
        String ann = profile(db, "ann@x.io", "Ann");
        String paidSms = message(Map.of("name", "Paid twice", "sms", Map.of("text", "Two payments, {{ profile.name }}")));
        String id = journey(db, "Two payments", List.of(
                        node("start", "start", Map.of("entry", "api")),
                        node("first", "wait-event", Map.of("event", "paid")),
                        node("second", "wait-event", Map.of("event", "paid")),
                        node("thanks", "send-message", Map.of("messageId", paidSms, "channels", "sms")),
                        node("end", "exit", Map.of())),
                List.of(link("start", "first", null), link("first", "second", null), link("second", "thanks", null), link("thanks", "end", null)));
        assertThat(json(port, "POST", "/api/v1/journeys/" + id + "/start", Map.of("profile", ann)).json().path("entered").asBoolean()).isTrue();
        waitFor(() -> waiting(id, "first") == 1);
        // appended and acknowledged, kept in the inbox; the queue that would have carried it died with the process
        Event paid = new Event(Ids.next(), db, ann, "paid", null, Instant.now(), Map.of("total", 10));
        runtime.ledger().pend(List.of(paid));
        runtime.recycle();
        waitFor(() -> waiting(id, "second") == 1, () -> stats(id).toString());
        assertThat(runtime.ledger().pending(10)).extracting(Event::id).doesNotContain(paid.id());
        // taken before a crash, the mark lost with it: at the next start the second wait is not given it again
        runtime.ledger().pend(List.of(paid));
        runtime.recycle();
        Thread.sleep(1500);
        assertThat(waiting(id, "second")).isEqualTo(1);
        assertThat(runtime.ledger().pending(10)).extracting(Event::id).doesNotContain(paid.id());
        assertThat(smsCalls.stream().filter(c -> c.contains("Two payments"))).isEmpty();
        // a new payment through the API goes on, and the inbox keeps nothing once it is taken
        Reply second = json(port, "POST", "/api/v1/events", Map.of("database", db, "matching", "email", "value", "ann@x.io", "type", "paid"));
        assertThat(second.status()).as(second.body()).isBetween(200, 202);
        waitFor(() -> stats(id).path("exited").asLong() == 1);
        waitFor(() -> smsCalls.stream().anyMatch(c -> c.contains("Two payments")));
        waitFor(() -> runtime.ledger().pending(10).isEmpty());
        assertThat(smsCalls.stream().filter(c -> c.contains("Two payments"))).hasSize(1);
    }

    /**
     * The engine refuses an entry (here its definition suspended, as an administrator or an
     * outage would leave it): the profile is in the journey with a visible incident, started on
     * the engine again every few seconds, and goes on once the engine takes it.
     */
    @Test
    void anEntryTheEngineRefusesWaitsWithAnIncidentAndGoesOnOnceItTakesIt() throws Exception {
        String db = database("jq");
        String ann = profile(db, "ann@q.io", "Ann");
        String id = journey(db, "Refused", List.of(
                        node("start", "start", Map.of("entry", "api")),
                        node("wait", "pause", Map.of("duration", "PT1H")),
                        node("end", "exit", Map.of())),
                List.of(link("start", "wait", null), link("wait", "end", null)));
        var engines = org.operaton.bpm.engine.ProcessEngines.getProcessEngines().values().stream()
                .filter(e -> !e.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey(id).list().isEmpty()).toList();
        assertThat(engines).isNotEmpty();
        engines.forEach(e -> e.getRepositoryService().suspendProcessDefinitionByKey(id));
        Reply entered = json(port, "POST", "/api/v1/journeys/" + id + "/start", Map.of("profile", ann));
        assertThat(entered.json().path("entered").asBoolean()).as(entered.body()).isTrue();
        waitFor(() -> json(port, "GET", "/api/v1/journeys/" + id + "/incidents", null).body().contains("not started on the engine"));
        assertThat(runtime.unstarted()).isGreaterThanOrEqualTo(1);
        engines.forEach(e -> e.getRepositoryService().activateProcessDefinitionByKey(id));
        waitFor(() -> runtime.unstarted() == 0, () -> json(port, "GET", "/api/v1/journeys/" + id + "/incidents", null).body());
        assertThat(json(port, "GET", "/api/v1/journeys/" + id + "/incidents", null).body()).doesNotContain("not started on the engine");
        runtime.advance(Duration.ofHours(1).plusMinutes(1));
        waitFor(() -> stats(id).path("exited").asLong() == 1, () -> stats(id).toString());
    }

    @Test
    void theOtherNodesActOnTheProfileOnceEach() throws Exception {
        String db = database("jn");
        database("jn2");
        String ann = profile(db, "ann@n.io", "Ann");
        String vip = json(port, "POST", "/api/v1/segments", Map.of("databaseId", db, "name", "VIP", "kind", "static")).json().at("/segment/id").asText();
        String alumni = json(port, "POST", "/api/v1/segments", Map.of("databaseId", db, "name", "Alumni", "kind", "static")).json().at("/segment/id").asText();
        assertThat(json(port, "POST", "/api/v1/segments/" + vip + "/members", Map.of("profileIds", List.of(ann))).status()).isEqualTo(200);
        assertThat(json(port, "POST", "/api/v1/promo-pools", Map.of("id", "spring", "name", "Spring")).status()).isEqualTo(201);
        Reply pool = json(port, "POST", "/api/v1/promo-pools/spring/codes", Map.of("codes", List.of("SPRING-1", "SPRING-2")));
        assertThat(pool.json().path("added").asInt()).as(pool.body()).isEqualTo(2);
        String id = journey(db, "Everything", List.of(
                        node("start", "start", Map.of("entry", "api", "reentry", "always")),
                        node("vip", "check-condition", Map.of("segment", vip)),
                        node("named", "check-condition", Map.of("condition",
                                "{\"type\":\"field\",\"field\":\"name\",\"op\":\"eq\",\"value\":\"Ann\"}")),
                        node("code", "promo-code", Map.of("pool", "spring")),
                        node("stop", "stop-list", Map.of("action", "add", "channel", "sms")),
                        node("alumni", "static-segment", Map.of("segment", alumni, "action", "add")),
                        node("unsub", "subscription", Map.of("channel", "email", "action", "unsubscribe")),
                        node("copy", "import", Map.of("database", "jn2")),
                        node("draw", "split", Map.of("shares", "50,50")),
                        node("best", "best-time", Map.of("channel", "email", "fallbackHour", "9")),
                        node("end", "exit", Map.of()),
                        node("out", "exit", Map.of())),
                List.of(link("start", "vip", null), link("vip", "named", "yes"), link("vip", "out", "no"), link("named", "code", "yes"),
                        link("named", "out", "no"), link("code", "stop", null), link("stop", "alumni", null), link("alumni", "unsub", null),
                        link("unsub", "copy", null), link("copy", "draw", null), link("draw", "best", "A"), link("draw", "best", "B"), link("best", "end", null)));
        assertThat(json(port, "POST", "/api/v1/journeys/" + id + "/start", Map.of("profile", ann)).json().path("entered").asBoolean()).isTrue();
        waitFor(() -> waiting(id, "best") == 1, () -> stats(id).toString());

        JsonNode profile = json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + ann, null).json();
        assertThat(profile.toString()).contains("\"channel\":\"sms\"");
        for (JsonNode sub : profile.path("subscriptions")) {
            String expected = switch (sub.path("channel").asText()) {
                case "sms" -> "suspended";
                case "email" -> "unsubscribed";
                default -> "active";
            };
            assertThat(sub.path("status").asText()).as(sub.toString()).isEqualTo(expected);
        }
        assertThat(json(port, "GET", "/api/v1/segments/" + alumni + "/members", null).body()).contains(ann);
        assertThat(json(port, "GET", "/api/v1/databases/jn2/profiles?matching=email&value=ann@n.io", null).body()).contains("ann@n.io");
        JsonNode instance = json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + ann + "/journeys", null).json().get(0);
        assertThat(instance.at("/variables/promo").asText()).isEqualTo("SPRING-1");
        assertThat(instance.at("/variables/bestHour").asInt()).isEqualTo(9);
        assertThat(json(port, "GET", "/api/v1/promo-pools", null).body()).contains("\"available\":1").contains("\"issued\":1");

        // the best time is 09:00 UTC next: the wait ends when the engine's clock gets there
        runtime.advance(Duration.ofHours(25));
        waitFor(() -> stats(id).at("/nodes/end/exited").asLong() == 1, () -> stats(id).toString());
    }

    private JsonNode stats(String id) {
        return json(port, "GET", "/api/v1/journeys/" + id + "/stats", null).json();
    }

    private long waiting(String id, String node) {
        return stats(id).at("/nodes/" + node + "/waiting").asLong();
    }

    /** The profile's {@code journey.*} events, oldest first, as "type node". */
    private List<String> journeySteps(String db, String profileId) {
        List<String> path = new ArrayList<>();
        for (JsonNode e : json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + profileId + "/history?limit=100", null).json().path("events")) {
            if (e.path("type").asText().startsWith("journey.")) {
                path.add(0, e.path("type").asText() + " " + e.at("/properties/node").asText());
            }
        }
        return path;
    }

    private String history(String db, String profileId) {
        return json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + profileId + "/history?limit=100", null).body();
    }

    static void waitFor(BooleanSupplier condition) throws InterruptedException {
        waitFor(condition, () -> "");
    }

    static void waitFor(BooleanSupplier condition, Supplier<String> state) throws InterruptedException {
        // generous: retries with growing pauses on a loaded 2-core CI machine once took longer than 30 s
        long end = System.currentTimeMillis() + 90_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("not reached in 90 s " + state.get());
            }
            Thread.sleep(100);
        }
    }
}
