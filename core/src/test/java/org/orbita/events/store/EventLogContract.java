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
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

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

    /**
     * A report's aggregate: events, distinct profiles and a sum per group, groups by channel,
     * property, an address's domain and time buckets cut in a time zone; machine opens left out.
     * Figures counted by hand from the events below.
     */
    @Test
    void aggregatesGroupsAsReportsAskThem() {
        String other = db + "-b";
        List<Event> events = new ArrayList<>(List.of(
                // 2026-03-01 10:00Z, a Sunday; at +03:00 it is 13:00
                event("p1", "message.sent", "email", 0, Map.of("campaign", "c1", "recipient", "a@Mail.example")),
                event("p2", "message.sent", "email", 1, Map.of("campaign", "c1", "recipient", "b@mail.example")),
                event("p3", "message.sent", "sms", 2, Map.of("campaign", "c2")),
                event("p9", "message.sent", "email", 2, Map.of("observer_of", "c1", "recipient", "boss@mail.example")),
                event("p1", "message.opened", "email", 3, Map.of("campaign", "c1", "machine", false)),
                event("p1", "message.opened", "email", 4, Map.of("campaign", "c1", "machine", false)),
                event("p2", "message.opened", "email", 5, Map.of("campaign", "c1", "machine", true)),
                event("p1", "message.converted", "email", 6, Map.of("campaign", "c1", "value", 12.5)),
                event("p1", "message.converted", "email", 7, Map.of("campaign", "c1", "value", 7.25)),
                // 14 hours later: 2026-03-02 00:00Z, 03:00 at +03:00, a Monday
                event("p2", "message.sent", "email", 14 * 60, Map.of("campaign", "c1", "recipient", "c@other.example"))));
        events.add(new Event(Ids.next(), other, "q1", "message.sent", "email", T0, Map.of("campaign", "c1", "recipient", "x@mail.example")));
        log().append(events);
        Instant from = T0.minusSeconds(86_400 * 40L);
        Instant to = T0.plusSeconds(86_400 * 40L);
        Set<String> types = Set.of("message.sent", "message.opened", "message.converted");

        var byChannel = log().aggregate(new org.orbita.events.EventAggregate(Set.of(db), from, to, types, types, null, Map.of(), Set.of("machine"),
                Set.of("observer_of"), List.of(new org.orbita.events.EventAggregate.Channel()), "value", 0));
        assertThat(byChannel).extracting(r -> r.keys().get(0) + " " + r.type() + " " + r.events() + " " + r.profiles())
                .containsExactlyInAnyOrder("email message.sent 3 2", "sms message.sent 1 1", "email message.opened 2 1",
                        "email message.converted 2 1");
        assertThat(byChannel).filteredOn(r -> r.type().equals("message.converted")).singleElement()
                .satisfies(r -> assertThat(r.sum()).isEqualTo(19.75));

        var twoDatabases = log().aggregate(new org.orbita.events.EventAggregate(Set.of(db, other), from, to, Set.of("message.sent"), Set.of(), "email",
                Map.of("campaign", "c1"), Set.of(), Set.of(), List.of(new org.orbita.events.EventAggregate.DomainOf("recipient")), null, 0));
        assertThat(twoDatabases).extracting(r -> r.keys().get(0) + " " + r.events())
                .containsExactlyInAnyOrder("mail.example 3", "other.example 1");

        for (var grain : org.orbita.events.EventAggregate.Grain.values()) {
            var utc = log().aggregate(new org.orbita.events.EventAggregate(Set.of(db), from, to, Set.of("message.sent"), Set.of(), null, Map.of(), Set.of(),
                    Set.of("observer_of"), List.of(new org.orbita.events.EventAggregate.Time(grain)), null, 0));
            var moscow = log().aggregate(new org.orbita.events.EventAggregate(Set.of(db), from, to, Set.of("message.sent"), Set.of(), null, Map.of(), Set.of(),
                    Set.of("observer_of"), List.of(new org.orbita.events.EventAggregate.Time(grain)), null, 3 * 3600));
            java.util.function.Function<List<org.orbita.events.EventAggregate.Row>, List<String>> shown = rows -> rows.stream()
                    .map(r -> Instant.ofEpochMilli(Long.parseLong(r.keys().get(0))) + "=" + r.events()).sorted().toList();
            switch (grain) {
                case HOUR -> {
                    assertThat(shown.apply(utc)).containsExactly("2026-03-01T10:00:00Z=3", "2026-03-02T00:00:00Z=1");
                    assertThat(shown.apply(moscow)).containsExactly("2026-03-01T10:00:00Z=3", "2026-03-02T00:00:00Z=1");
                }
                case DAY -> {
                    assertThat(shown.apply(utc)).containsExactly("2026-03-01T00:00:00Z=3", "2026-03-02T00:00:00Z=1");
                    // midnight in Moscow is 21:00Z the day before
                    assertThat(shown.apply(moscow)).containsExactly("2026-02-28T21:00:00Z=3", "2026-03-01T21:00:00Z=1");
                }
                case WEEK -> {
                    assertThat(shown.apply(utc)).containsExactly("2026-02-23T00:00:00Z=3", "2026-03-02T00:00:00Z=1");
                    assertThat(shown.apply(moscow)).containsExactly("2026-02-22T21:00:00Z=3", "2026-03-01T21:00:00Z=1");
                }
                case MONTH -> {
                    assertThat(shown.apply(utc)).containsExactly("2026-03-01T00:00:00Z=4");
                    assertThat(shown.apply(moscow)).containsExactly("2026-02-28T21:00:00Z=4");
                }
                case YEAR -> {
                    assertThat(shown.apply(utc)).containsExactly("2026-01-01T00:00:00Z=4");
                    assertThat(shown.apply(moscow)).containsExactly("2025-12-31T21:00:00Z=4");
                }
            }
        }
    }

    /** A property that is a number or true groups and filters by its JSON text in every store, as the rollups read it (a message's version). */
    @Test
    void propertiesThatAreNotStringsGroupByTheirText() {
        log().append(List.of(
                event("p1", "message.clicked", "email", 0, Map.of("message_version", 3, "url", "https://a.example/", "device", "mobile")),
                event("p2", "message.clicked", "email", 1, Map.of("message_version", 3, "url", "https://a.example/", "device", "desktop")),
                event("p3", "message.clicked", "email", 2, Map.of("message_version", 4, "url", "https://a.example/", "machine", true)),
                event("p4", "message.clicked", "email", 3, Map.of("message_version", "4", "url", "https://b.example/", "machine", false))));
        Instant from = T0.minusSeconds(3600);
        Instant to = T0.plusSeconds(3600);
        var byVersion = log().aggregate(new org.orbita.events.EventAggregate(Set.of(db), from, to, Set.of("message.clicked"), Set.of("message.clicked"),
                null, Map.of(), Set.of(), Set.of(), List.of(new org.orbita.events.EventAggregate.Property("message_version"),
                        new org.orbita.events.EventAggregate.Property("machine")), null, 0));
        assertThat(byVersion).extracting(r -> r.keys() + " " + r.events() + " " + r.profiles())
                .containsExactlyInAnyOrder("[3, ] 2 2", "[4, true] 1 1", "[4, false] 1 1");
        var oneVersion = log().aggregate(new org.orbita.events.EventAggregate(Set.of(db), from, to, Set.of("message.clicked"), Set.of(), null,
                Map.of("message_version", "3"), Set.of("machine"), Set.of(), List.of(new org.orbita.events.EventAggregate.Property("device")), null, 0));
        assertThat(oneVersion).extracting(r -> r.keys().get(0) + " " + r.events()).containsExactlyInAnyOrder("mobile 1", "desktop 1");
    }

    /** Three days of varied events in several batches: what the rollups are asked, in every shape they answer. */
    protected List<Event> variedEvents() {
        java.util.Random rnd = new java.util.Random(11);
        String[] types = {"message.sent", "message.delivered", "message.opened", "message.clicked", "message.bounced", "message.converted"};
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Map<String, Object> props = new java.util.HashMap<>();
            props.put("campaign", "c" + rnd.nextInt(4));
            if (rnd.nextInt(3) == 0) {
                props.put("journey", "j" + rnd.nextInt(2));
            }
            props.put("message_id", "m" + rnd.nextInt(3));
            switch (rnd.nextInt(6)) {
                case 0 -> props.put("recipient", "p" + rnd.nextInt(9) + "@Mail" + rnd.nextInt(3) + ".Example");
                case 1 -> props.put("machine", rnd.nextBoolean());
                case 2 -> props.put("value", rnd.nextBoolean() ? (Object) (rnd.nextInt(1000) / 4.0) : String.valueOf(rnd.nextInt(50)));
                case 3 -> props.put("observer_of", "c1");
                case 4 -> props.put("value", "not a number");
                default -> { }
            }
            String profile = rnd.nextInt(20) == 0 ? null : "p" + rnd.nextInt(40);
            String channel = rnd.nextInt(10) == 0 ? null : rnd.nextBoolean() ? "email" : "sms";
            out.add(event(profile, types[rnd.nextInt(types.length)], channel, rnd.nextInt(3 * 24 * 60), props));
        }
        return out;
    }

    /**
     * Numbers agree: every aggregate the rollups answer gives what the raw events give — periods
     * and time zones on half hours, each grouping they keep, filters, distinct people and sums —
     * with the batches' rows for one key not yet summed.
     */
    @Test
    void rollupsAnswerAsTheRawEventsDo() {
        List<Event> events = variedEvents();
        for (int from = 0; from < events.size(); from += 700) {
            log().append(events.subList(from, Math.min(events.size(), from + 700)));
        }
        Set<String> all = Set.of("message.sent", "message.delivered", "message.opened", "message.clicked", "message.bounced", "message.converted");
        Set<String> people = Set.of("message.opened", "message.clicked");
        var time = org.orbita.events.EventAggregate.Grain.values();
        List<List<org.orbita.events.EventAggregate.Dimension>> groupings = List.of(List.of(), List.of(new org.orbita.events.EventAggregate.Channel()),
                List.of(new org.orbita.events.EventAggregate.Time(time[0]), new org.orbita.events.EventAggregate.Channel()),
                List.of(new org.orbita.events.EventAggregate.Time(time[1]), new org.orbita.events.EventAggregate.Property("campaign")),
                List.of(new org.orbita.events.EventAggregate.Time(time[2]), new org.orbita.events.EventAggregate.Property("journey"),
                        new org.orbita.events.EventAggregate.Property("message_id")),
                List.of(new org.orbita.events.EventAggregate.DomainOf("recipient"), new org.orbita.events.EventAggregate.Time(time[3])));
        int compared = 0;
        for (int offset : new int[] {0, 3 * 3600, 5 * 3600 + 1800}) {
            for (var groupBy : groupings) {
                for (Map<String, String> filter : List.of(Map.<String, String>of(), Map.of("campaign", "c2", "journey", "j1"))) {
                    Instant from = T0.plusSeconds(3600 * 7 + 1800);
                    var a = new org.orbita.events.EventAggregate(Set.of(db), from, from.plusSeconds(86_400L * 2), all, people,
                            filter.isEmpty() ? null : "email", filter, Set.of("machine"), Set.of("observer_of"), groupBy, "value", offset);
                    assertThat(org.orbita.events.EventRollup.serves(a)).as("the rollups answer %s", a).isTrue();
                    List<String> raw = shown(log().aggregate(a, false));
                    assertThat(raw).as("raw %s", a).isNotEmpty();
                    assertThat(shown(log().aggregate(a, true))).as("rollups %s", a).containsExactlyElementsOf(raw);
                    compared += raw.size();
                }
            }
        }
        assertThat(compared).isGreaterThan(1000);
    }

    /** An aggregate of some profiles (a segment's members, streamed to the store) counts only their events, never from the rollups. */
    @Test
    void anAggregateOfSomeProfilesCountsOnlyTheirEvents() {
        List<Event> events = variedEvents();
        log().append(events);
        Set<String> all = Set.of("message.sent", "message.opened", "message.converted");
        Instant from = T0.minusSeconds(86_400);
        Instant to = T0.plusSeconds(86_400 * 5L);
        Set<String> some = Set.of("p1", "p2", "p7", "nobody");
        var a = new org.orbita.events.EventAggregate(Set.of(db), from, to, all, Set.of("message.opened"), null, Map.of(), Set.of("machine"),
                Set.of("observer_of"), List.of(new org.orbita.events.EventAggregate.Channel()), "value", 0, some::forEach);
        assertThat(org.orbita.events.EventRollup.serves(a)).isFalse();
        // the same counted over a log holding only their events
        List<String> expected = new ArrayList<>();
        Map<String, long[]> byKey = new java.util.TreeMap<>();
        Map<String, Set<String>> people = new java.util.HashMap<>();
        Map<String, Double> sums = new java.util.HashMap<>();
        for (Event e : events) {
            Object machine = e.properties().get("machine");
            if (e.profileId() == null || !some.contains(e.profileId()) || !all.contains(e.type()) || Boolean.TRUE.equals(machine)
                    || e.properties().containsKey("observer_of")) {
                continue;
            }
            String key = "[" + (e.channel() == null ? "" : e.channel()) + "] " + e.type();
            byKey.computeIfAbsent(key, k -> new long[1])[0]++;
            if (e.type().equals("message.opened")) {
                people.computeIfAbsent(key, k -> new java.util.HashSet<>()).add(e.profileId());
            }
            Object v = e.properties().get("value");
            sums.merge(key, v instanceof Number n ? n.doubleValue() : v instanceof String t && t.matches("[0-9]+") ? Double.parseDouble(t) : 0, Double::sum);
        }
        byKey.forEach((k, n) -> expected.add(k + " " + n[0] + " " + people.getOrDefault(k, Set.of()).size() + " "
                + String.format(java.util.Locale.ROOT, "%.2f", sums.getOrDefault(k, 0.0))));
        assertThat(shown(log().aggregate(a))).isNotEmpty().containsExactlyElementsOf(expected.stream().sorted().toList());
    }

    /** An aggregate's rows as sortable text, sums to the cent (the two paths add doubles in different orders). */
    protected static List<String> shown(List<org.orbita.events.EventAggregate.Row> rows) {
        return rows.stream().map(r -> r.keys() + " " + r.type() + " " + r.events() + " " + r.profiles() + " " + String.format(java.util.Locale.ROOT,
                "%.2f", r.sum())).sorted().toList();
    }

    /**
     * Cohorts counted by hand: profiles by the day (week, month) of their first start event, and
     * per period since, who was active, how often, the sum and the profile-days; a machine's open
     * never counts; a cohort's members and a cell's members stream out.
     */
    @Test
    void cohortsGroupProfilesByTheirFirstEventAndCountWhatTheyDidSince() {
        int h = 60;
        int d = 24 * 60;
        log().append(List.of(
                event("p1", "profile.created", null, 0, Map.of()),
                event("p1", "message.opened", "email", h, Map.of("machine", false)),
                event("p1", "message.opened", "email", d, Map.of()),
                event("p1", "message.opened", "email", d + h, Map.of()),
                event("p1", "message.opened", "email", 2 * d, Map.of("machine", true)),
                event("p1", "message.opened", "email", 3 * d, Map.of()),
                event("p3", "profile.created", null, 5, Map.of()),
                event("p2", "profile.created", null, d, Map.of()),
                event("p2", "message.opened", "email", d + 1, Map.of()),
                event("p2", "message.opened", "email", 2 * d, Map.of()),
                event("p2", "message.converted", "email", 2 * d + 1, Map.of("value", 10)),
                // created before the period: in no cohort
                event("p4", "profile.created", null, -2 * d, Map.of()),
                event("p4", "message.opened", "email", h, Map.of())));
        Instant from = Instant.parse("2026-03-01T00:00:00Z");
        Instant to = Instant.parse("2026-03-03T00:00:00Z");
        java.util.function.Function<org.orbita.events.EventAggregate.Grain, org.orbita.events.EventCohorts> q = g -> new org.orbita.events.EventCohorts(
                Set.of(db), from, to, Set.of("profile.created"), Set.of("message.opened", "message.converted"), g, 5, "value", 0);
        var day = q.apply(org.orbita.events.EventAggregate.Grain.DAY);
        assertThat(log().cohortSizes(day)).extracting(x -> Instant.ofEpochMilli(x.cohortMs()) + "=" + x.profiles())
                .containsExactlyInAnyOrder("2026-03-01T00:00:00Z=2", "2026-03-02T00:00:00Z=1");
        assertThat(log().cohortCells(day)).extracting(c -> Instant.ofEpochMilli(c.cohortMs()).toString().substring(0, 10) + " p" + c.period() + " "
                + c.profiles() + " " + c.events() + " " + c.sum() + " " + c.profileDays())
                .containsExactlyInAnyOrder("2026-03-01 p0 1 1 0.0 1", "2026-03-01 p1 1 2 0.0 1", "2026-03-01 p3 1 1 0.0 1",
                        "2026-03-02 p0 1 1 0.0 1", "2026-03-02 p1 1 2 10.0 1");
        var week = q.apply(org.orbita.events.EventAggregate.Grain.WEEK);
        // 1 March 2026 is a Sunday: p1 and p3 start the week of 23 February, p2 the next
        assertThat(log().cohortSizes(week)).extracting(x -> Instant.ofEpochMilli(x.cohortMs()) + "=" + x.profiles())
                .containsExactlyInAnyOrder("2026-02-23T00:00:00Z=2", "2026-03-02T00:00:00Z=1");
        assertThat(log().cohortCells(week)).extracting(c -> Instant.ofEpochMilli(c.cohortMs()).toString().substring(0, 10) + " p" + c.period() + " "
                + c.profiles() + " " + c.events())
                .containsExactlyInAnyOrder("2026-02-23 p0 1 1", "2026-02-23 p1 1 3", "2026-03-02 p0 1 3");
        var month = q.apply(org.orbita.events.EventAggregate.Grain.MONTH);
        assertThat(log().cohortCells(month)).extracting(c -> c.period() + " " + c.profiles() + " " + c.events() + " " + c.profileDays())
                .containsExactly("0 2 7 5");
        List<String> members = new ArrayList<>();
        log().cohortMembers(day, from.toEpochMilli(), null, members::add);
        assertThat(members).containsExactlyInAnyOrder("p1", "p3");
        members.clear();
        log().cohortMembers(day, from.toEpochMilli(), 1, members::add);
        assertThat(members).containsExactly("p1");
    }

    /**
     * A funnel's paths: per profile with a first step in the period, its step events as bit
     * masks in time order (an event matching two steps has both bits), property filters applied,
     * machines left out, the breakdown from its first first-step event; no first step, no path.
     */
    @Test
    void funnelPathsGiveEachProfilesStepEventsInTimeOrder() {
        log().append(List.of(
                event("p1", "message.opened", "email", 3, Map.of("campaign", "c1")),
                event("p1", "message.sent", "email", 1, Map.of("campaign", "c1", "city", "Kazan")),
                event("p1", "message.sent", "email", 2, Map.of("campaign", "c2", "city", "Omsk")),
                event("p1", "message.clicked", "email", 4, Map.of("campaign", "c1", "machine", true)),
                event("p1", "message.clicked", "email", 5, Map.of("campaign", "c9")),
                event("p2", "message.opened", "email", 1, Map.of("campaign", "c1")),
                event("p3", "message.sent", "email", 24 * 60 + 1, Map.of("campaign", "c1"))));
        var f = new org.orbita.events.EventFunnel(Set.of(db), T0, T0.plusSeconds(86_400), java.time.Duration.ofDays(1), List.of(
                new org.orbita.events.EventFunnel.Step("message.sent", Map.of()),
                new org.orbita.events.EventFunnel.Step("message.opened", Map.of("campaign", "c1")),
                new org.orbita.events.EventFunnel.Step("message.clicked", Map.of())), "city");
        List<String> paths = new ArrayList<>();
        log().funnelPaths(f, p -> paths.add(p.profileId() + " " + java.util.Arrays.toString(p.masks()) + " "
                + java.util.Arrays.stream(p.times()).map(t -> (t - T0.toEpochMilli()) / 60_000).boxed().toList() + " " + p.breakdown()));
        // p3's send is a day later: after the period, so no path; p2 has no first step
        assertThat(paths).containsExactly("p1 [1, 1, 2, 4] [1, 2, 3, 5] Kazan");
    }

    /**
     * Closes the log, takes what later versions added away — the events' {@code counted} column
     * (and DuckDB's {@code value_number}), the firsts rollup — as a log stored before them, and
     * opens it again.
     */
    protected abstract void reopenWithoutCounted() throws Exception;

    /**
     * A log stored before events had their {@code counted} column answers every raw report — an
     * aggregate, a funnel, a cohort — as it did: machines' opens and observers' copies left out
     * from the stored text, and the rollups still agree with the raw events.
     */
    @Test
    void aLogStoredBeforeTheCountedColumnReportsAsBefore() throws Exception {
        log().append(variedEvents());
        Instant from = T0.minusSeconds(86_400);
        Instant to = T0.plusSeconds(86_400 * 5L);
        var aggregate = new org.orbita.events.EventAggregate(Set.of(db), from, to, Set.of("message.sent", "message.opened", "message.clicked"),
                Set.of("message.opened"), null, Map.of(), Set.of("machine"), Set.of("observer_of"),
                List.of(new org.orbita.events.EventAggregate.Time(org.orbita.events.EventAggregate.Grain.DAY)), null, 0);
        var funnel = new org.orbita.events.EventFunnel(Set.of(db), from, to, java.time.Duration.ofDays(1), List.of(
                new org.orbita.events.EventFunnel.Step("message.sent", Map.of()), new org.orbita.events.EventFunnel.Step("message.opened", Map.of())),
                null);
        var cohorts = new org.orbita.events.EventCohorts(Set.of(db), from, to, Set.of("message.sent"), Set.of("message.opened", "message.clicked"),
                org.orbita.events.EventAggregate.Grain.DAY, 3, null, 0);
        java.util.function.Supplier<List<String>> answers = () -> {
            List<String> out = new ArrayList<>();
            log().aggregate(aggregate, false).forEach(r -> out.add("aggregate " + r));
            log().funnelPaths(funnel, p -> out.add("path " + p.profileId() + " " + java.util.Arrays.toString(p.masks()) + " "
                    + java.util.Arrays.toString(p.times())));
            log().cohortCells(cohorts).forEach(c -> out.add("cell " + c));
            return out.stream().sorted().toList();
        };
        List<String> before = answers.get();
        assertThat(before).anyMatch(a -> a.startsWith("aggregate")).anyMatch(a -> a.startsWith("path")).anyMatch(a -> a.startsWith("cell"));
        reopenWithoutCounted();
        assertThat(answers.get()).isEqualTo(before);
        assertThat(log().aggregate(aggregate, true).stream().map(Object::toString).sorted().toList())
                .isEqualTo(log().aggregate(aggregate, false).stream().map(Object::toString).sorted().toList());
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

    /**
     * Calls at the same time share a write (group commit: one transaction in DuckDB, one insert in
     * ClickHouse): every one stored once, the rollups agreeing, each call returning once stored.
     */
    @Test
    void appendsAtTheSameTimeAreAllStored() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.List<java.util.concurrent.Future<?>> calls = new java.util.ArrayList<>();
        java.time.Instant t0 = java.time.Instant.parse("2026-03-01T10:00:00Z");
        for (int i = 0; i < 1600; i++) {
            int n = i;
            calls.add(pool.submit(() -> log().append(java.util.List.of(new org.orbita.events.Event("e" + n, db, "p" + (n % 40),
                    "journey.step", null, t0.plusSeconds(n), java.util.Map.of("journey", "j1"))))));
        }
        for (java.util.concurrent.Future<?> f : calls) {
            f.get();
        }
        pool.shutdown();
        assertThat(log().count(db)).isEqualTo(1600);
        assertThat(log().existing(db, java.util.List.of("e0", "e777", "e1599"))).containsExactlyInAnyOrder("e0", "e777", "e1599");
        var byType = log().aggregate(new org.orbita.events.EventAggregate(java.util.Set.of(db), t0, t0.plusSeconds(7200), java.util.Set.of("journey.step"),
                java.util.Set.of(), null, java.util.Map.of(), java.util.Set.of("machine"), java.util.Set.of("observer_of"), java.util.List.of(), null, 0), true);
        assertThat(byType).singleElement().satisfies(r -> assertThat(r.events()).isEqualTo(1600));
    }
}
