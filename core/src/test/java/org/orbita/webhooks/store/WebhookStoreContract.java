package org.orbita.webhooks.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.orbita.webhooks.WebhookStore;
import org.orbita.webhooks.WebhookStore.Delivery;
import org.orbita.webhooks.WebhookStore.Outcome;
import org.orbita.webhooks.WebhookStore.State;

/** What the webhooks' outbox does on every engine it runs on. */
public abstract class WebhookStoreContract {

    protected abstract WebhookStore store();

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    private static Delivery pending(String id, String hook, String key, long seq, Instant next) {
        return new Delivery(id, "ws", hook, key, seq, "segment.entered", "{\"n\":" + seq + "}", State.PENDING, 0, next, T, null, null, null);
    }

    @Test
    void aKeysDeliveriesWaitBehindItsFirstPendingOne() {
        WebhookStore s = store();
        s.add(List.of(pending("a1", "h", "db/ann", 1, T), pending("b1", "h", "db/bob", 2, T), pending("a2", "h", "db/ann", 3, T),
                pending("a3", "other", "db/ann", 4, T)));
        assertThat(s.due(T, 10)).extracting(Delivery::id).containsExactly("a1", "b1", "a3");

        s.record(List.of(new Outcome("a1", State.PENDING, 1, T.plusSeconds(5), T, 500, "HTTP 500")));
        assertThat(s.due(T, 10)).extracting(Delivery::id).as("a1 waits for its retry; a2 still behind it").containsExactly("b1", "a3");
        assertThat(s.due(T.plusSeconds(5), 10)).extracting(Delivery::id).contains("a1").doesNotContain("a2");

        s.record(List.of(new Outcome("a1", State.DELIVERED, 2, null, T.plusSeconds(6), 204, null)));
        assertThat(s.due(T.plusSeconds(6), 10)).extracting(Delivery::id).contains("a2");
        Delivery a1 = s.get("ws", "a1").orElseThrow();
        assertThat(a1.state()).isEqualTo(State.DELIVERED);
        assertThat(a1.attempts()).isEqualTo(2);
        assertThat(a1.lastStatus()).isEqualTo(204);
        assertThat(a1.lastError()).isNull();
    }

    @Test
    void anIdKeptOnceAndALeaseTakenOnce() {
        WebhookStore s = store();
        s.add(List.of(pending("x", "h", "k", 1, T)));
        s.add(List.of(new Delivery("x", "ws", "h", "k", 9, "other", "{}", State.PENDING, 0, T, T, null, null, null)));
        assertThat(s.get("ws", "x").orElseThrow().seq()).as("the first kept").isEqualTo(1);
        assertThat(s.get("other-ws", "x")).isEmpty();

        s.add(List.of(pending("y", "h", "k2", 2, T)));
        assertThat(s.lease(List.of("x", "y", "nope"), T, T.plusSeconds(60))).containsExactlyInAnyOrder("x", "y");
        assertThat(s.lease(List.of("x"), T.plusSeconds(1), T.plusSeconds(61))).as("taken").isEmpty();
        assertThat(s.due(T.plusSeconds(1), 10)).as("leased: not due").isEmpty();
        assertThat(s.due(T.plusSeconds(61), 10)).as("a lease that ran out (its node died)").hasSize(2);
        assertThat(s.lease(List.of("x"), T.plusSeconds(61), T.plusSeconds(120))).containsExactly("x");
        s.record(List.of(new Outcome("x", State.PENDING, 1, T.plusSeconds(200), T.plusSeconds(62), null, "connection: reset")));
        assertThat(s.due(T.plusSeconds(121), 10)).as("a recorded outcome ends the lease; its retry is later").extracting(Delivery::id)
                .containsExactly("y");
    }

    @Test
    void deadLettersAreListedCountedReplayedAndPurged() {
        WebhookStore s = store();
        s.add(List.of(pending("d1", "h", "k1", 1, T), pending("d2", "h", "k2", 2, T), pending("d3", "h", "k3", 3, T)));
        s.record(List.of(new Outcome("d1", State.DEAD, 8, null, T, 500, "HTTP 500: down")));
        assertThat(s.killPending("ws", "h", T, "the webhook was disabled")).isEqualTo(2);
        assertThat(s.counts("ws", "h")).containsEntry(State.DEAD, 3L).containsEntry(State.PENDING, 0L);
        assertThat(s.list("ws", "h", State.DEAD, null, 2)).extracting(Delivery::id).containsExactly("d3", "d2");
        assertThat(s.list("ws", "h", State.DEAD, 2L, 10)).extracting(Delivery::id).containsExactly("d1");
        assertThat(s.get("ws", "d1").orElseThrow().lastError()).isEqualTo("HTTP 500: down");

        assertThat(s.replay("ws", "h", "d1", T.plusSeconds(10))).isEqualTo(1);
        Delivery again = s.get("ws", "d1").orElseThrow();
        assertThat(again.state()).isEqualTo(State.PENDING);
        assertThat(again.attempts()).isZero();
        assertThat(s.replay("ws", "h", null, T.plusSeconds(10))).isEqualTo(2);
        assertThat(s.due(T.plusSeconds(10), 10)).hasSize(3);

        s.record(List.of(new Outcome("d1", State.DELIVERED, 1, null, T.plusSeconds(11), 200, null),
                new Outcome("d2", State.DEAD, 1, null, T.plusSeconds(11), null, "connection: refused")));
        assertThat(s.get("ws", "d2").orElseThrow().lastStatus()).isNull();
        assertThat(s.purge(T.plusSeconds(12), T.plusSeconds(5))).as("the delivered one only").isEqualTo(1);
        assertThat(s.purge(T.plusSeconds(12), T.plusSeconds(12))).as("then the dead one").isEqualTo(1);
        s.forget("ws", "h");
        assertThat(s.counts("ws", "h")).containsEntry(State.PENDING, 0L).containsEntry(State.DEAD, 0L);
    }
}
