package org.orbita.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.access.Access;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Signer;
import org.orbita.events.HistoryQuery;
import org.orbita.inbound.InboundHooks.Input;
import org.orbita.inbound.store.SqlInboundLog;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.EventIngest;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.profiles.Profile;
import org.orbita.storage.sql.SqliteDatabase;
import org.orbita.testing.EmbeddedCore;

/**
 * The generic inbound webhook: a CRM's JSON and a landing page's form fields mapped by paths onto a
 * profile (fields, a subscription) and an event; a wrong key refused before anything is kept; a
 * resent call counted once; a body lacking the matching value kept as rejected and replayed once
 * the mapping is fixed.
 */
class InboundHooksTest {

    @TempDir
    Path dir;
    EmbeddedCore core;
    InboundHooks hooks;

    @BeforeEach
    void open() {
        core = new EmbeddedCore(dir);
        core.databases.create("ws", "crm", "CRM", new DatabaseSchema(List.of(FieldDefinition.of("email", FieldType.EMAIL).asUnique(),
                FieldDefinition.of("name", FieldType.STRING), FieldDefinition.of("city", FieldType.STRING))));
        hooks = hooks(new SnsMessages(SnsMessages.AWS_HOSTS, java.net.http.HttpClient.newHttpClient(),
                new org.orbita.outbound.NetworkGuard(false, List.of()), java.time.Clock.systemUTC()));
    }

    private InboundHooks hooks(SnsMessages sns) {
        return new InboundHooks(core.settings, new SqlInboundLog(new SqliteDatabase(core.sqlite)), core.databases, core.writing,
                new EventIngest(core.profiles, core.events, java.time.Clock.systemUTC()), new Signer("test-secret-of-32-bytes-at-least!".getBytes()),
                sns, Access.SYSTEM, java.time.Clock.systemUTC());
    }

    @AfterEach
    void close() {
        core.close();
    }

    private String key(InboundHooks.View v) {
        return v.path().substring(v.path().lastIndexOf('/') + 1);
    }

    private Profile profile(String email) {
        return core.profiles.findOwner("crm", new org.orbita.profiles.ProfileKey("email", email)).flatMap(id -> core.profiles.find("crm", id))
                .orElse(null);
    }

    @Test
    void aCrmsJsonBecomesAProfileASubscriptionAndAnEventOnce() {
        InboundHooks.View v = hooks.create("ws", new Input("amo", "amoCRM deals", "crm", "email", "$.contact.email",
                Map.of("name", "contact.name", "city", "contact.address.city"), Map.of("email", "contact.email"), "deal.won",
                Map.of("amount", "deal.price", "first_item", "deal.items[0].sku"), "deal.id", null));
        assertThat(v.path()).startsWith("/t/in/ws/amo/");
        String body = """
                {"deal": {"id": 9001, "price": 15000, "items": [{"sku": "TENT-2"}, {"sku": "MAT"}]},
                 "contact": {"email": "Vera@Camp.example", "name": "Vera", "address": {"city": "Kazan"}}}""";
        InboundHooks.Outcome o = hooks.receive("ws", "amo", key(v), "application/json", body, null);
        assertThat(o.status()).isEqualTo("accepted");
        Profile vera = profile("vera@camp.example");
        assertThat(vera).isNotNull();
        assertThat(vera.fields()).containsEntry("name", "Vera").containsEntry("city", "Kazan");
        assertThat(vera.subscriptions()).anySatisfy(s -> assertThat(String.valueOf(s.channel())).isEqualToIgnoringCase("email"));
        var history = core.events.history(new HistoryQuery("crm", vera.id(), java.util.Set.of("deal.won"), null, null, null, null, null, 50));
        assertThat(history).singleElement().satisfies(e -> {
            assertThat(e.properties()).containsEntry("amount", 15000L).containsEntry("first_item", "TENT-2").containsEntry("source", "amo");
        });
        assertThat(hooks.receive("ws", "amo", key(v), "application/json", body, null).status()).as("deal 9001 resent").isEqualTo("duplicate");
        assertThat(core.events.history(new HistoryQuery("crm", vera.id(), java.util.Set.of("deal.won"), null, null, null, null, null, 50))).hasSize(1);
        assertThat(hooks.received("ws", "amo", null, null, 10)).extracting(InboundHooks.ReceivedView::state).containsExactly("duplicate", "accepted");
    }

    @Test
    void formFieldsNestByTheirNamesAndAWrongKeyKeepsNothing() {
        InboundHooks.View v = hooks.create("ws", new Input("landing", "Landing page", "crm", "email", "lead.email", Map.of("name", "lead.name"),
                Map.of(), "lead.received", Map.of("page", "page"), null, null));
        assertThatThrownBy(() -> hooks.receive("ws", "landing", "forged", "application/x-www-form-urlencoded", "lead%5Bemail%5D=x%40y.example", null))
                .isInstanceOf(InboundHooks.Refused.class);
        assertThat(hooks.received("ws", "landing", null, null, 10)).isEmpty();
        hooks.receive("ws", "landing", key(v), "application/x-www-form-urlencoded; charset=UTF-8",
                "lead%5Bemail%5D=oleg%40camp.example&lead%5Bname%5D=%D0%9E%D0%BB%D0%B5%D0%B3&page=https%3A%2F%2Fcamp.example%2Fa", "evt-1");
        assertThat(profile("oleg@camp.example").fields()).containsEntry("name", "Олег");
        assertThat(hooks.receive("ws", "landing", key(v), "application/x-www-form-urlencoded", "lead%5Bemail%5D=oleg%40camp.example", "evt-1")
                .status()).as("the same webhook-id header").isEqualTo("duplicate");
    }

    @Test
    void aCallLackingItsMatchingValueIsKeptRejectedAndReplayedAfterTheMappingIsFixed() {
        InboundHooks.View v = hooks.create("ws", new Input("shop", "Shop", "crm", "email", "customer.email", Map.of(), Map.of(), "order.paid",
                Map.of("total", "total"), null, null));
        assertThatThrownBy(() -> hooks.receive("ws", "shop", key(v), "application/json", "{\"buyer\": {\"email\": \"ann@camp.example\"}, \"total\": 5}",
                null)).isInstanceOf(InvalidInputException.class).hasMessageContaining("customer.email");
        InboundHooks.ReceivedView rejected = hooks.received("ws", "shop", "rejected", null, 10).get(0);
        assertThat(rejected.error()).contains("customer.email");
        assertThatThrownBy(() -> hooks.receive("ws", "shop", key(v), "application/json", "[1, 2]", null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("JSON object");

        hooks.update("ws", "shop", new Input(null, null, null, null, "buyer.email", Map.of("name", "buyer.name"), null, null, null, null, null));
        InboundHooks.Outcome replayed = hooks.replay("ws", "shop", rejected.id());
        assertThat(replayed.status()).isEqualTo("accepted");
        assertThat(profile("ann@camp.example")).isNotNull();
        InboundHooks.ReceivedView after = hooks.received("ws", "shop", "accepted", null, 10).get(0);
        assertThat(after.id()).isEqualTo(rejected.id());
        assertThat(after.replays()).isEqualTo(1);
        hooks.replay("ws", "shop", rejected.id());
        String ann = profile("ann@camp.example").id();
        assertThat(core.events.history(new HistoryQuery("crm", ann, java.util.Set.of("order.paid"), null, null, null, null, null, 50)))
                .as("a replay of an accepted call records its event once").hasSize(1);
    }

    @Test
    void concurrentCallsWrittenTogetherAreEachAnsweredAsIfAlone() throws Exception {
        InboundHooks.View v = hooks.create("ws", new Input("amo", "amoCRM deals", "crm", "email", "contact.email", Map.of("name", "contact.name"),
                Map.of("email", "contact.email"), "deal.won", Map.of("amount", "deal.price"), "deal.id", null));
        int deals = 300;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(32);
        java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> answers = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
            for (int round = 0; round < 2; round++) { // every deal sent twice, the two racing
                for (int i = 0; i < deals; i++) {
                    int deal = i;
                    sent.add(pool.submit(() -> {
                        String contact = deal % 10 == 0 ? "{\"name\": \"no address\"}" // lacks the matching value: rejected
                                : "{\"email\": \"p" + deal / 2 + "@camp.example\", \"name\": \"P" + deal / 2 + "\"}"; // two deals a person
                        String body = "{\"deal\": {\"id\": " + deal + ", \"price\": " + deal + "}, \"contact\": " + contact + "}";
                        String status;
                        try {
                            status = hooks.receive("ws", "amo", key(v), "application/json", body, null).status();
                        } catch (InvalidInputException e) {
                            assertThat(e.getMessage()).contains("contact.email");
                            status = "rejected";
                        }
                        answers.computeIfAbsent(status, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                    }));
                }
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(answers).hasSize(3);
        assertThat(answers.get("accepted").get()).isEqualTo(270);
        assertThat(answers.get("rejected").get()).isEqualTo(30);
        assertThat(answers.get("duplicate").get()).as("each deal's second call, whichever came second").isEqualTo(300);
        java.util.Set<Integer> people = new java.util.TreeSet<>();
        for (int i = 0; i < deals; i++) {
            if (i % 10 != 0) {
                people.add(i / 2);
            }
        }
        assertThat(core.profiles.count("crm")).isEqualTo(people.size());
        int events = 0;
        for (int person : people) {
            Profile p = profile("p" + person + "@camp.example");
            assertThat(p.fields()).containsEntry("name", "P" + person);
            events += core.events.history(new HistoryQuery("crm", p.id(), java.util.Set.of("deal.won"), null, null, null, null, null, 50)).size();
        }
        assertThat(events).as("one event per accepted deal, none for a duplicate").isEqualTo(270);
        assertThat(hooks.received("ws", "amo", "accepted", null, 500)).hasSize(270).allSatisfy(r -> assertThat(r.profileId()).isNotNull());
        assertThat(hooks.received("ws", "amo", "rejected", null, 500)).hasSize(30);
        assertThat(hooks.received("ws", "amo", "duplicate", null, 500)).hasSize(300);
    }

    @Test
    void everyProblemOfASourceIsNamed() {
        assertThatThrownBy(() -> hooks.create("ws", new Input("Bad Id", null, null, null, null, null, null, null, null, null, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> hooks.create("ws", new Input("src", "", "nowhere", "email", "a..b", Map.of(), Map.of("fax", "x"), "Bad Type",
                Map.of("p", "$$"), "x[", null))).isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                .extracting(f -> f.field()).contains("name", "database", "matchingPath", "subscriptions.fax", "event", "properties.p", "idPath"));
        assertThatThrownBy(() -> hooks.create("ws", new Input("src", "x", "crm", "name", "a", Map.of("nope", "b"), Map.of(), null, Map.of(), null,
                null))).isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                .contains("matching", "fields.nope"));
    }

    @Test
    void anSnsSubscriptionIsConfirmedAndOnlyItsTopicsSignedNotificationsBecomeEventsOnce() throws Exception {
        String topic = "arn:aws:sns:eu-central-1:123456789012:ses-events";
        try (org.orbita.testing.SnsOnLoopback aws = new org.orbita.testing.SnsOnLoopback(dir)) {
            InboundHooks sns = hooks(aws.messages());
            assertThatThrownBy(() -> sns.create("ws", new Input("ses", "SES", "crm", "email", "Message.mail.destination[0]", Map.of(), Map.of(),
                    "email.bounced", Map.of(), "x", null, List.of("arn:aws:sqs:eu-central-1:1:q"))))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                            .containsExactly("snsTopics", "idPath"));
            InboundHooks.View v = sns.create("ws", new Input("ses", "SES events", "crm", "email", "Message.mail.destination[0]",
                    Map.of("name", "Message.mail.commonHeaders.to[0]"), Map.of(),
                    "email.bounced", Map.of("kind", "Message.bounce.bounceType", "topic", "TopicArn"), null, null, List.of(topic)));
            assertThat(v.snsTopics()).containsExactly(topic);
            String confirmUrl = aws.base() + "/?Action=ConfirmSubscription&TopicArn=" + topic + "&Token=abc123";
            String confirmation = aws.signed("SubscriptionConfirmation", "1", org.orbita.testing.SnsOnLoopback.CERT_PATH, topic, "m-0",
                    "You have chosen to subscribe to the topic " + topic + ".", Map.of("SubscribeURL", confirmUrl, "Token", "abc123"));
            assertThat(sns.receive("ws", "ses", key(v), "text/plain; charset=UTF-8", confirmation, null).status()).isEqualTo("confirmed");
            assertThat(aws.requests).anySatisfy(r -> assertThat(r).contains("Action=ConfirmSubscription").contains("Token=abc123"));
            String bounce = aws.signed("Notification", "2", org.orbita.testing.SnsOnLoopback.CERT_PATH, topic, "m-1",
                    "{\"eventType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Permanent\"},\"mail\":{\"destination\":[\"Vera@Camp.example\"]}}",
                    Map.of("Subject", "Amazon SES Email Event Notification"));
            InboundHooks.Outcome o = sns.receive("ws", "ses", key(v), "text/plain; charset=UTF-8", bounce, null);
            assertThat(o.status()).isEqualTo("accepted");
            assertThat(profile("vera@camp.example").id()).isEqualTo(o.profileId());
            var history = core.events.history(new HistoryQuery("crm", o.profileId(), java.util.Set.of("email.bounced"), null, null, null, null, null, 50));
            assertThat(history).singleElement().satisfies(e -> assertThat(e.properties()).containsEntry("kind", "Permanent").containsEntry("topic", topic));
            assertThat(sns.receive("ws", "ses", key(v), "text/plain", bounce, null).status()).as("SNS sent it again").isEqualTo("duplicate");
            // refused before anything is kept: another topic, a changed message, an unsigned one
            String otherTopic = aws.signed("Notification", "1", org.orbita.testing.SnsOnLoopback.CERT_PATH, topic.replace("ses-events", "other"), "m-2",
                    "{}", Map.of());
            assertThatThrownBy(() -> sns.receive("ws", "ses", key(v), "text/plain", otherTopic, null)).isInstanceOf(InboundHooks.Refused.class)
                    .hasMessageContaining("not one this source takes");
            String changed = bounce.replace("Permanent", "Transient");
            assertThatThrownBy(() -> sns.receive("ws", "ses", key(v), "text/plain", changed, null)).hasMessageContaining("does not check");
            assertThatThrownBy(() -> sns.receive("ws", "ses", key(v), "application/json", "{\"mail\":{\"destination\":[\"x@y.example\"]}}", null))
                    .hasMessageContaining("not an Amazon SNS message");
            assertThat(sns.received("ws", "ses", null, null, 10)).extracting(InboundHooks.ReceivedView::state)
                    .containsExactly("duplicate", "accepted", "accepted");
        }
    }
}
