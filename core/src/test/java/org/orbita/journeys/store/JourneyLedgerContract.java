package org.orbita.journeys.store;

import static org.assertj.core.api.Assertions.assertThat;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.orbita.common.Ids;
import org.orbita.journeys.JourneyLedger;

/** What every journey ledger must do alike. */
public abstract class JourneyLedgerContract {

    protected abstract JourneyLedger journeys();

    @Test
    void theJourneyLedgerKeepsOneLiveInstancePerProfileAndCountsEachStep() {
        String journey = "j" + Ids.next();
        Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
        JourneyLedger ledger = journeys();
        var ann = new JourneyLedger.Instance("i1" + journey, "ws", journey, 1, "db1", "ann", "start",
                JourneyLedger.LIVE, t0, t0, Map.of("data", Map.of("total", 12)), null);
        assertThat(ledger.enter(ann, true)).isTrue();
        assertThat(ledger.enter(ann, true)).as("the same instance again").isFalse();
        var again = new JourneyLedger.Instance("i2" + journey, "ws", journey, 1, "db1", "ann", "start",
                JourneyLedger.LIVE, t0.plusSeconds(5), t0.plusSeconds(5), Map.of(), null);
        assertThat(ledger.enter(again, true)).as("ann is in the journey already").isFalse();
        assertThat(ledger.enter(again, false)).as("unless a second instance is allowed").isTrue();
        ledger.end(again.id(), "start", JourneyLedger.STOPPED, t0.plusSeconds(6));

        ledger.step(ann.id(), "start", "wait", t0.plusSeconds(60), Map.of("data", Map.of("total", 12), "branch", "yes"));
        ledger.incident(ann.id(), "HTTP 500");
        assertThat(ledger.incidents(journey, 10)).extracting(JourneyLedger.Instance::incident).containsExactly("HTTP 500");
        var found = ledger.find(ann.id()).orElseThrow();
        assertThat(found.node()).isEqualTo("wait");
        assertThat(found.stepAt()).isEqualTo(t0.plusSeconds(60));
        assertThat(found.variables()).containsEntry("branch", "yes").containsEntry("data", Map.of("total", 12L));
        assertThat(ledger.live(null, 100)).extracting(JourneyLedger.Instance::id).contains(ann.id()).doesNotContain(again.id());
        assertThat(ledger.live(journey, null, 100)).extracting(JourneyLedger.Instance::id).containsExactly(ann.id());
        assertThat(ledger.lastEntered(journey, "ann")).contains(t0.plusSeconds(5));

        ledger.step(ann.id(), "wait", "goal", t0.plusSeconds(120), Map.of());
        ledger.converted(ann.id(), "goal", "wait");
        ledger.converted(ann.id(), "goal", null); // a second goal: the version counts the instance once
        assertThat(ledger.path(ann.id())).containsExactly("start", "wait", "goal");
        ledger.end(ann.id(), "end", JourneyLedger.DONE, t0.plusSeconds(121));
        ledger.step(ann.id(), "end", "more", t0.plusSeconds(122), Map.of()); // an ended instance does not move
        assertThat(ledger.find(ann.id()).orElseThrow().state()).isEqualTo(JourneyLedger.DONE);
        var stats = ledger.stats(journey);
        // a minute at the start, a minute in the wait; the goal's conversion attributed to the wait (as to a message)
        assertThat(stats.get("start")).isEqualTo(new JourneyLedger.NodeStats(2, 1, 0, 1, 0, 0, 60_000));
        assertThat(stats.get("wait")).isEqualTo(new JourneyLedger.NodeStats(1, 1, 0, 0, 0, 1, 60_000));
        assertThat(stats.get("goal")).isEqualTo(new JourneyLedger.NodeStats(1, 0, 0, 0, 2));
        assertThat(stats.get("end")).isEqualTo(new JourneyLedger.NodeStats(0, 0, 0, 1, 0));
        assertThat(stats).doesNotContainKey("@1");
        assertThat(ledger.links(journey)).containsExactly(new JourneyLedger.LinkStats("start", "wait", 1, 1),
                new JourneyLedger.LinkStats("wait", "goal", 1, 1));
        assertThat(ledger.enter(new JourneyLedger.Instance("i3" + journey, "ws", journey, 1, "db1", "ann", "start",
                JourneyLedger.LIVE, t0.plusSeconds(200), t0.plusSeconds(200), Map.of(), null), true))
                .as("once the first ended, ann may enter again").isTrue();
        assertThat(ledger.ofProfile("db1", "ann", 10)).extracting(JourneyLedger.Instance::id)
                .containsExactly("i3" + journey, again.id(), ann.id());
        assertThat(ledger.versions(journey)).containsExactly(new JourneyLedger.VersionStats(1, 3, 1, 1, 1, 1));
        assertThat(ledger.path("i3" + journey)).containsExactly("start");
        assertThat(ledger.path("no-such-instance")).isEmpty();
    }

    @Test
    void theInboxKeepsEventsInOrderUntilTheyAreTaken() {
        JourneyLedger ledger = journeys();
        ledger.taken(ledger.pending(10_000).stream().map(org.orbita.events.Event::id).toList());
        Instant t = Instant.parse("2026-12-06T10:00:00Z");
        var paid = new org.orbita.events.Event(Ids.next(), "db1", "ann", "paid", null, t, Map.of("total", 12, "items", java.util.List.of("a")));
        var opened = new org.orbita.events.Event(Ids.next(), "db1", "bob", "message.opened", "email", t.plusSeconds(1), Map.of());
        var later = new org.orbita.events.Event("client-key-1", "db1", "ann", "paid", null, t.minusSeconds(60), Map.of());
        ledger.pend(java.util.List.of(paid, opened));
        ledger.pend(java.util.List.of(later));
        ledger.pend(java.util.List.of());
        // in the order kept, whatever the ids or the events' own times
        assertThat(ledger.pending(10)).containsExactly(new org.orbita.events.Event(paid.id(), "db1", "ann", "paid", null, t,
                Map.of("total", 12L, "items", java.util.List.of("a"))), opened, later);
        assertThat(ledger.pending(1)).extracting(org.orbita.events.Event::id).containsExactly(paid.id());
        ledger.taken(java.util.List.of(paid.id(), later.id()));
        assertThat(ledger.pending(10)).extracting(org.orbita.events.Event::id).containsExactly(opened.id());
        ledger.taken(java.util.List.of(opened.id(), "never-kept"));
        assertThat(ledger.pending(10)).isEmpty();
    }
}
