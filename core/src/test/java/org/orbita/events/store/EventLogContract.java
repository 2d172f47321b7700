package org.orbita.events.store;

import static org.assertj.core.api.Assertions.assertThat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.orbita.common.Ids;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.events.HistoryQuery;

/** What every event log must do alike; each adapter's test extends it. */
public abstract class EventLogContract {

    protected abstract EventLog log();

    /** A database id no other test run uses, since some engines outlive a test. */
    protected final String db = "db-" + Ids.next().substring(24);
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private Event event(String profile, String type, String channel, int minutes, Map<String, Object> props) {
        return new Event(Ids.next(), db, profile, type, channel, T0.plusSeconds(60L * minutes), props);
    }

    @Test
    void servesAProfilesHistoryNewestFirstWithFiltersAndCursor() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(event("p1", i % 3 == 0 ? "purchase" : "open", i % 2 == 0 ? "email" : "sms", i,
                    Map.of("n", (long) i, "note", "tab\there \"quoted\" \\ back\nline")));
        }
        events.add(event("p2", "purchase", "email", 5, Map.of()));
        log().append(events);

        List<Event> page = log().history(HistoryQuery.latest(db, "p1", 10));
        assertThat(page).hasSize(10);
        assertThat(page.get(0).time()).isEqualTo(T0.plusSeconds(60L * 29));
        assertThat(page.get(0).properties()).containsEntry("n", 29L).containsEntry("note", "tab\there \"quoted\" \\ back\nline");
        Event last = page.get(9);
        List<Event> next = log().history(new HistoryQuery(db, "p1", Set.of(), null, null, null, last.time(), last.id(), 100));
        assertThat(next).hasSize(20);
        assertThat(next.get(0).time()).isBefore(last.time());

        List<Event> purchasesByEmail = log().history(new HistoryQuery(db, "p1", Set.of("purchase"), "email",
                T0, T0.plusSeconds(60L * 20), null, null, 100));
        assertThat(purchasesByEmail).extracting(e -> e.properties().get("n")).containsExactly(18L, 12L, 6L, 0L);
        assertThat(log().count(db)).isEqualTo(31);
    }

    @Test
    void aDatabasesCatalogNamesItsEventTypesAndTheirPropertiesByFrequency() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(event("p" + i, "purchase", null, i, i < 4 ? Map.of("amount", (long) i, "sku", "A" + i) : Map.of("amount", (long) i)));
        }
        events.add(event("p1", "page_view", "web", 7, Map.of("url", "/sale")));
        log().append(events);
        log().append(List.of(new Event(Ids.next(), db + "-other", "q", "elsewhere", null, T0, Map.of("x", 1L))));
        assertThat(log().history(HistoryQuery.latestOfDatabase(db, 3))).hasSize(3).first()
                .satisfies(e -> assertThat(e.type()).isEqualTo("page_view"));
        List<org.orbita.events.EventCatalog.Seen> seen = org.orbita.events.EventCatalog.of(log(), db);
        assertThat(seen).extracting(org.orbita.events.EventCatalog.Seen::type).containsExactly("purchase", "page_view");
        assertThat(seen.get(0).count()).isEqualTo(6);
        assertThat(seen.get(0).properties()).containsExactly("amount", "sku");
        assertThat(seen.get(1).properties()).containsExactly("url");
    }

    @Test
    void talliesEventsByTypeForOnePropertyValue() {
        log().append(List.of(event("p1", "message.sent", "email", 1, Map.of("campaign", "c_1", "run", "r1")),
                event("p2", "message.sent", "email", 1, Map.of("campaign", "c_1")),
                event("p1", "message.opened", "email", 2, Map.of("campaign", "c_1")),
                event("p1", "message.opened", "email", 3, Map.of("campaign", "c_1")),
                event("p3", "message.opened", "email", 3, Map.of("campaign", "cx1")), // the '_' in c_1 is no wildcard
                event("p2", "message.clicked", "email", 4, Map.of("campaign", "c_10")),
                event("p2", "purchase", null, 5, Map.of("campaign", "c_1")),
                event("p4", "message.opened", "email", 3, Map.of("campaign", "c_1", "machine", true)),
                event("p5", "message.opened", "email", 3, Map.of("machine", false, "campaign", "c_1"))));
        Map<String, long[]> t = log().tally(db, Map.of("campaign", "c_1"), Set.of("message.sent", "message.opened", "message.clicked"));
        assertThat(t).containsOnlyKeys("message.sent", "message.opened");
        assertThat(t.get("message.sent")).containsExactly(2, 2);
        assertThat(t.get("message.opened")).containsExactly(4, 3);
        assertThat(log().tally(db, Map.of("campaign", "c_1", "machine", true), Set.of("message.opened")).get("message.opened"))
                .containsExactly(1, 1);
        assertThat(log().tally(db, Map.of("campaign", "c_1"), Set.of())).isEmpty();
        // by channel: the purchase had none
        Map<String, long[]> byChannel = log().tally(db, Map.of("campaign", "c_1"), Set.of("message.sent", "purchase"), true);
        assertThat(byChannel).containsOnlyKeys("email/message.sent", "/purchase");
        assertThat(byChannel.get("email/message.sent")).containsExactly(2, 2);
        Assertions.assertThatThrownBy(() -> log().tally(db, Map.of("campaign", "x' OR '1'='1"), Set.of("purchase")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBatchIsStoredWholeOrNotAtAll() {
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            // the 4,500th event cannot be written: everything before it must go too
            Map<String, Object> props = i == 4500 ? Map.of("broken", new Object()) : Map.of("n", (long) i);
            batch.add(event("p" + (i % 50), "page.view", null, i, props));
        }
        Assertions.assertThatThrownBy(() -> log().append(batch)).isInstanceOf(RuntimeException.class);
        assertThat(log().count(db)).isZero();
        log().append(batch.subList(0, 4500));
        assertThat(log().count(db)).isEqualTo(4500);
    }

    /** A batch within one appender chunk (no explicit transaction in DuckDB) is all or nothing too. */
    @Test
    void aSmallBatchIsStoredWholeOrNotAtAll() {
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Map<String, Object> props = i == 999 ? Map.of("broken", new Object()) : Map.of("n", (long) i);
            batch.add(event("p" + (i % 50), "page.view", null, i, props));
        }
        Assertions.assertThatThrownBy(() -> log().append(batch)).isInstanceOf(RuntimeException.class);
        assertThat(log().count(db)).isZero();
    }

    @Test
    void findsWhichIdsADatabaseAlreadyHolds() {
        log().append(List.of(new Event("order-1", db, "p1", "purchase", null, T0, Map.of()),
                new Event("order-2", db, "p1", "purchase", null, T0, Map.of())));
        assertThat(log().existing(db, List.of("order-1", "order-3", "order-2"))).containsExactlyInAnyOrder("order-1", "order-2");
        assertThat(log().existing(db + "-other", List.of("order-1"))).isEmpty();
        assertThat(log().existing(db, List.of("o' OR '1'='1"))).isEmpty();
    }

    @Test
    void valuesThatLookLikeSqlStayValues() {
        String nasty = "p' OR 1=1 --";
        log().append(List.of(event(nasty, "x", null, 0, Map.of())));
        assertThat(log().history(HistoryQuery.latest(db, nasty, 10))).hasSize(1);
        assertThat(log().history(HistoryQuery.latest(db, "p", 10))).isEmpty();
    }

    @Test
    void scansADatabaseInProfileThenTimeOrder() {
        log().append(List.of(event("p2", "purchase", null, 3, Map.of("amount", 10L)), event("p1", "open", "email", 2, Map.of()),
                event("p1", "purchase", null, 1, Map.of()), event("p3", "purchase", null, 0, Map.of()),
                event("p2", "purchase", null, 1, Map.of())));
        List<String> seen = new ArrayList<>();
        log().scan(db, T0.plusSeconds(60), Set.of("purchase"), e -> seen.add(e.profileId() + "@" + e.time().getEpochSecond() / 60 % 60));
        assertThat(seen).containsExactly("p1@1", "p2@1", "p2@3");
        List<Event> all = new ArrayList<>();
        log().scan(db, null, Set.of(), all::add);
        assertThat(all).hasSize(5);
        assertThat(all.get(2).properties()).isEmpty();
        assertThat(all.stream().filter(e -> e.profileId().equals("p2") && e.time().equals(T0.plusSeconds(180))).findFirst().orElseThrow()
                .properties()).containsEntry("amount", 10L);
    }
}
