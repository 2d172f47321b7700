package org.orbita.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.access.Access;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.events.Event;
import org.orbita.outbound.NetworkGuard;
import org.orbita.storage.sql.SqliteDatabase;
import org.orbita.testing.EmbeddedCore;
import org.orbita.testing.MovableClock;
import org.orbita.webhooks.Webhooks.Input;
import org.orbita.webhooks.store.SqlWebhookStore;

/**
 * Webhooks for any event, against a receiver on loopback that checks each call as the Standard
 * Webhooks libraries do: events reach it signed, once per id, each profile's in order; failures
 * are tried again on the schedule, then kept as dead letters and replayed; a webhook failing too
 * long (or answered 410) is disabled and its people told.
 */
class WebhooksTest {

    @TempDir
    Path dir;
    EmbeddedCore core;
    Webhooks webhooks;
    HttpServer server;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));

    /** What the receiver heard: the body, whether its signature checked out, the id. */
    record Heard(String id, String body, boolean signed) {
        JsonNode json() {
            return Json.read(body, JsonNode.class);
        }
    }

    final List<Heard> heard = new CopyOnWriteArrayList<>();
    /** Statuses the receiver answers, in turn; 204 once they run out. */
    final Queue<Integer> answers = new ArrayDeque<>();
    /** Statuses answered to the calls of one event (by its id), in turn, before {@link #answers} (calls made at once arrive in any order). */
    final Map<String, Queue<Integer>> answersFor = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicReference<String> secret = new AtomicReference<>();
    final List<Webhook> disabled = new CopyOnWriteArrayList<>();
    String url;

    @BeforeEach
    void open() throws IOException {
        core = new EmbeddedCore(dir, clock);
        core.databases.create("ws", "shop", "Shop", null);
        core.databases.create("other", "elsewhere", "Another workspace's", null);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = x.getRequestHeaders().getFirst("webhook-id");
            boolean signed = "application/json".equals(x.getRequestHeaders().getFirst("Content-Type"))
                    && WebhookSignature.verify(secret.get(), id, x.getRequestHeaders().getFirst("webhook-timestamp"),
                    x.getRequestHeaders().getFirst("webhook-signature"), body, clock.instant().getEpochSecond());
            heard.add(new Heard(id, body, signed));
            Integer status;
            Queue<Integer> own = answersFor.get(Json.read(body, com.fasterxml.jackson.databind.JsonNode.class).at("/data/eventId").asText());
            synchronized (answers) {
                status = own != null && !own.isEmpty() ? own.poll() : answers.poll();
            }
            byte[] out = (status == null || status < 300 ? "" : "receiver says no").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status == null ? 204 : status, out.length == 0 ? -1 : out.length);
            x.getResponseBody().write(out);
            x.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        webhooks(new Webhooks.Policy(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5)), 4, Duration.ofHours(1), Duration.ofDays(7),
                Duration.ofDays(30), Duration.ofMinutes(2), 2), NetworkGuard.open());
    }

    private void webhooks(Webhooks.Policy policy, NetworkGuard guard) {
        webhooks = new Webhooks(core.settings, new SqlWebhookStore(new SqliteDatabase(core.sqlite)), core.databases,
                new WebhookSender(guard, Duration.ofSeconds(5)), Access.SYSTEM, clock, policy);
        webhooks.onDisabled(disabled::add);
        core.events.listen("webhooks", webhooks::appended);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        server.stop(0);
        core.close();
    }

    private String subscribe(List<String> events, List<String> databases) {
        Webhooks.Made made = webhooks.create("ws", new Input("CRM", url, events, databases, null, "ops@shop.example", null));
        secret.set(made.secret());
        return made.webhook().id();
    }

    private Event event(String id, String profile, String type) {
        return new Event(id, "shop", profile, type, null, clock.instant(), Map.of("segment", "vip"));
    }

    private int deliver() throws InterruptedException {
        return webhooks.deliverDue(pool);
    }

    @Test
    void theSignatureIsTheOneTheStandardWebhooksLibrariesCheck() {
        // the specification's published example (standard-webhooks, libraries' "sign function works" test)
        assertThat(WebhookSignature.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}")).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        String sig = WebhookSignature.sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_1", 1000, "{}");
        assertThat(WebhookSignature.verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_1", "1000", "v1,bogus " + sig, "{}", 1200)).isTrue();
        assertThat(WebhookSignature.verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_1", "1000", sig, "{}", 1301)).as("too old").isFalse();
        assertThat(WebhookSignature.verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_1", "1000", sig, "{ }", 1000)).as("body changed").isFalse();
        assertThat(WebhookSignature.valid(WebhookSignature.newSecret())).isTrue();
        assertThat(WebhookSignature.valid("whsec_short")).isFalse();
    }

    @Test
    void anEventReachesTheReceiverSignedOncePerIdAndOnlyWhatWasAskedFor() throws InterruptedException {
        String id = subscribe(List.of("segment.entered", "profile.*"), List.of("shop"));
        core.events.append(List.of(event("e1", "ann", "segment.entered"), event("e2", "ann", "message.sent"),
                event("e3", "bob", "profile.updated"), new Event("e4", "elsewhere", "x", "segment.entered", null, clock.instant(), Map.of())));
        core.events.append(List.of(event("e1", "ann", "segment.entered"))); // heard twice (a replay): one call
        assertThat(deliver()).isEqualTo(2);
        assertThat(heard).hasSize(2).allSatisfy(h -> assertThat(h.signed()).as(h.body()).isTrue());
        JsonNode first = heard.stream().filter(h -> h.body().contains("segment.entered")).findFirst().orElseThrow().json();
        assertThat(first.path("type").asText()).isEqualTo("segment.entered");
        assertThat(first.at("/data/eventId").asText()).isEqualTo("e1");
        assertThat(first.at("/data/database").asText()).isEqualTo("shop");
        assertThat(first.at("/data/profileId").asText()).isEqualTo("ann");
        assertThat(first.at("/data/properties/segment").asText()).isEqualTo("vip");
        assertThat(heard).extracting(Heard::id).doesNotHaveDuplicates().allSatisfy(i -> assertThat(i).startsWith("msg_"));
        assertThat(deliver()).as("nothing more due").isZero();
        assertThat(webhooks.get("ws", id).deliveries()).containsEntry("delivered", 2L).containsEntry("pending", 0L);
        assertThat(webhooks.deliveries("ws", id, "delivered", null, 10)).hasSize(2);
    }

    @Test
    void failuresAreTriedAgainOnTheScheduleEachProfileInOrderThenKeptAsDeadLettersAndReplayed() throws InterruptedException {
        String id = subscribe(List.of("*"), List.of());
        answersFor.put("a1", new ArrayDeque<>(List.of(500))); // ann's first call fails (b1's, made at the same time, does not)
        core.events.append(List.of(event("a1", "ann", "order.created")));
        core.events.append(List.of(event("a2", "ann", "order.status_changed"), event("b1", "bob", "order.created")));
        assertThat(deliver()).as("a1 and b1; a2 waits behind a1").isEqualTo(2);
        assertThat(heard).extracting(h -> h.json().at("/data/eventId").asText()).containsExactlyInAnyOrder("a1", "b1");
        assertThat(deliver()).as("a1's retry is 5 s away").isZero();

        clock.advance(Duration.ofSeconds(5));
        assertThat(deliver()).isEqualTo(1);
        assertThat(deliver()).isEqualTo(1);
        List<String> anns = heard.stream().map(h -> h.json().at("/data/eventId").asText()).filter(e -> e.startsWith("a")).toList();
        assertThat(anns).containsExactly("a1", "a1", "a2");
        String a1 = heard.get(0).body().contains("\"a1\"") ? heard.get(0).id() : heard.get(1).id();
        assertThat(heard.stream().filter(h -> h.body().contains("\"a1\"")).map(Heard::id)).as("the same id on a retry").containsOnly(a1);

        answers.addAll(List.of(503, 500, 502)); // every attempt of c1 fails: 1 + the 2 retries
        core.events.append(List.of(event("c1", "cy", "order.created")));
        deliver();
        clock.advance(Duration.ofSeconds(5));
        deliver();
        clock.advance(Duration.ofSeconds(300));
        deliver();
        List<Webhooks.DeliveryView> dead = webhooks.deliveries("ws", id, "dead", null, 10);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).attempts()).isEqualTo(3);
        assertThat(dead.get(0).lastStatus()).isEqualTo(502);
        assertThat(dead.get(0).lastError()).contains("HTTP 502").contains("receiver says no");

        assertThatThrownBy(() -> webhooks.replay("ws", id, webhooks.deliveries("ws", id, "delivered", null, 1).get(0).id()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("only dead letters");
        assertThat(webhooks.replay("ws", id, dead.get(0).id())).isEqualTo(1);
        assertThat(deliver()).isEqualTo(1);
        assertThat(webhooks.delivery("ws", id, dead.get(0).id()).state()).isEqualTo("delivered");
        assertThat(webhooks.get("ws", id).failures()).as("a success clears the run of failures").isZero();
    }

    @Test
    void aWebhookFailingTooLongIsDisabledItsCallsKeptAsDeadLettersAndItsPeopleTold() throws InterruptedException {
        String id = subscribe(List.of("*"), List.of());
        for (int i = 0; i < 20; i++) {
            answers.add(500);
        }
        core.events.append(List.of(event("f1", "ann", "order.created"), event("f2", "ann", "order.created"), event("f3", "bob", "order.created")));
        deliver(); // f1, f3 fail: 2 failures
        clock.advance(Duration.ofSeconds(5));
        deliver(); // 4 failures, but not yet an hour of failing
        assertThat(webhooks.get("ws", id).enabled()).isTrue();
        clock.advance(Duration.ofHours(1));
        deliver(); // past the hour with ≥ 4 failures: disabled
        Webhooks.View v = webhooks.get("ws", id);
        assertThat(v.enabled()).isFalse();
        assertThat(v.disabled()).contains("failed in a row").contains("HTTP 500");
        assertThat(disabled).hasSize(1);
        assertThat(disabled.get(0).noticeEmails()).isEqualTo("ops@shop.example");
        assertThat(v.deliveries()).containsEntry("pending", 0L).containsEntry("dead", 3L);

        int calls = heard.size();
        core.events.append(List.of(event("f4", "ann", "order.created")));
        assertThat(deliver()).isZero();
        assertThat(heard).as("a disabled webhook sends nothing").hasSize(calls);
        assertThat(webhooks.get("ws", id).deliveries()).as("and keeps nothing new").containsEntry("pending", 0L).containsEntry("dead", 3L);

        answers.clear();
        webhooks.update("ws", id, new Input(null, null, null, null, null, null, true));
        assertThat(webhooks.replay("ws", id, null)).isEqualTo(3);
        assertThat(deliver()).isEqualTo(2);
        assertThat(deliver()).isEqualTo(1);
        assertThat(webhooks.get("ws", id).deliveries()).containsEntry("delivered", 3L).containsEntry("dead", 0L);
    }

    @Test
    void gone410DisablesAtOnce() throws InterruptedException {
        String id = subscribe(List.of("*"), List.of());
        answers.add(410);
        core.events.append(List.of(event("g1", "ann", "order.created")));
        deliver();
        assertThat(webhooks.get("ws", id).disabled()).contains("410");
        assertThat(disabled).hasSize(1);
    }

    @Test
    void aPrivateAddressIsRefusedUnlessAllowedAndTheCallGivenUp() throws InterruptedException {
        webhooks(Webhooks.Policy.defaults(), new NetworkGuard(false, List.of()));
        String id = subscribe(List.of("*"), List.of());
        core.events.append(List.of(event("p1", "ann", "order.created")));
        deliver();
        assertThat(heard).isEmpty();
        Webhooks.DeliveryView d = webhooks.deliveries("ws", id, "dead", null, 10).get(0);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.lastError()).contains("loopback or private address");
        Webhooks.Tested t = webhooks.test("ws", id);
        assertThat(t.ok()).isFalse();
        assertThat(t.error()).contains("loopback or private address");
    }

    @Test
    void everyProblemOfAWebhookIsNamedByItsField() {
        assertThatThrownBy(() -> webhooks.create("ws", new Input(" ", "ftp://x", List.of("Bad Type", "segment.*"), List.of("nope", "elsewhere"),
                "whsec_short", "not-an-address", null)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .contains("name", "url", "events", "databases", "secret", "noticeEmails"));
        assertThatThrownBy(() -> webhooks.create("ws", new Input("x", url, List.of(), null, null, null, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("events");
        String id = subscribe(List.of("*"), List.of());
        assertThatThrownBy(() -> webhooks.update("ws", id, new Input(null, null, null, null, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", null, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("rotat");
        assertThat(webhooks.test("ws", id).ok()).isTrue();
        assertThat(heard.get(0).signed()).isTrue();
        assertThat(heard.get(0).json().path("type").asText()).isEqualTo("webhook.test");
        String old = secret.get();
        secret.set(webhooks.rotateSecret("ws", id).secret());
        assertThat(secret.get()).isNotEqualTo(old).startsWith("whsec_");
        assertThat(webhooks.test("ws", id).ok()).isTrue();
        assertThat(heard.get(1).signed()).as("signed with the new secret").isTrue();
        assertThat(Json.write(webhooks.list("ws"))).doesNotContain(secret.get().substring(6));
    }
}
