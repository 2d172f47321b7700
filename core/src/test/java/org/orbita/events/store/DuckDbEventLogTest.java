package org.orbita.events.store;

import static org.assertj.core.api.Assertions.assertThat;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.events.EventAggregate;
import org.orbita.events.EventLog;

class DuckDbEventLogTest extends EventLogContract {

    @TempDir
    Path dir;
    DuckDbEventLog log;

    @BeforeEach
    void open() {
        log = new DuckDbEventLog(dir.resolve("events.duckdb"));
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Override
    protected EventLog log() {
        return log;
    }

    @Override
    protected void reopenWithoutCounted() throws Exception {
        log.close();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("events.duckdb")); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE events DROP COLUMN counted");
            s.execute("ALTER TABLE events DROP COLUMN value_number");
            s.execute("DROP TABLE event_firsts");
            s.execute("DROP TABLE event_firsts_upto");
        }
        log = new DuckDbEventLog(dir.resolve("events.duckdb"));
    }

    /** Parameters written into a report's statement mean what they mean bound: quotes, marks, backslashes, comments are text. */
    @Test
    void parametersWrittenInAreTheSameValuesAsBound() throws Exception {
        List<Object> values = List.of("plain", "it's", "''; DROP TABLE events; --", "a?b", "back\\slash\\'", "line\nbreak", "ünïcødé ✓", "\"quoted\"", "",
                42L, -7, Long.MIN_VALUE, true, false);
        String sql = "SELECT " + String.join(", ", java.util.Collections.nCopies(values.size(), "?")) + ", 'a ? in text', \"?\" FROM (SELECT 1 AS \"?\")";
        String inlined = DuckDbEventLog.inline(sql, values);
        assertThat(inlined).as("every value can be written in").isNotNull();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             java.sql.PreparedStatement bound = c.prepareStatement(sql)) {
            for (int i = 0; i < values.size(); i++) {
                bound.setObject(i + 1, values.get(i));
            }
            try (java.sql.ResultSet a = bound.executeQuery(); java.sql.ResultSet b = s.executeQuery(inlined)) {
                a.next();
                b.next();
                for (int i = 1; i <= values.size() + 2; i++) {
                    assertThat(b.getString(i)).as("column " + i).isEqualTo(a.getString(i));
                }
            }
        }
        assertThat(DuckDbEventLog.inline("SELECT ?", List.of(1.5))).as("other kinds are bound").isNull();
        assertThat(DuckDbEventLog.inline("SELECT ?", List.of("nul\0"))).isNull();
        assertThat(DuckDbEventLog.inline("SELECT ?, ?", List.of("one"))).as("marks and values must match").isNull();
        assertThat(DuckDbEventLog.inline("SELECT 'open", List.of())).isNull();
    }

    /**
     * Look-ups by id go through a filter of the ids stored: filled from the log when it is opened
     * again, kept by every append, grown (scanned again under the writer's lock) when past its
     * size — never answering "not there" for a stored id, in any of those states.
     */
    @Test
    void idLookUpsAreRightWhileTheFilterIsScannedKeptAndGrown() throws Exception {
        log.close();
        log = new DuckDbEventLog(dir.resolve("events.duckdb"), DuckDbEventLog.COMPACT_AFTER, 1_000);
        List<String> stored = new java.util.ArrayList<>();
        for (int batch = 0; batch < 6; batch++) {
            List<org.orbita.events.Event> events = new java.util.ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                String id = "order-" + batch + "-" + i;
                stored.add(id);
                events.add(new org.orbita.events.Event(id, db, "p" + i, "purchase", null, T0, Map.of()));
            }
            log.append(events);
            // right at every moment: before, during and after the filter's scans
            assertThat(log.existing(db, List.of(stored.get(0), stored.get(stored.size() - 1), "order-x-" + batch)))
                    .containsExactlyInAnyOrder(stored.get(0), stored.get(stored.size() - 1));
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((!log.idsReady() || log.idCapacity() < 6_000) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            log.append(List.of(new org.orbita.events.Event("tick-" + System.nanoTime(), db + "-ticks", null, "tick", null, T0, Map.of())));
        }
        assertThat(log.idsReady()).isTrue();
        assertThat(log.idCapacity()).as("grown past its first size").isGreaterThanOrEqualTo(6_000);
        assertThat(log.existing(db, stored)).hasSize(6_000);
        List<String> absent = stored.stream().map(id -> id + "-absent").toList();
        assertThat(log.existing(db, absent)).isEmpty();
        assertThat(log.existing(db + "-other", stored.subList(0, 100))).isEmpty();

        // opened again: the filter is filled from the log
        log.close();
        log = new DuckDbEventLog(dir.resolve("events.duckdb"));
        assertThat(log.existing(db, stored.subList(0, 10))).hasSize(10);
        deadline = System.nanoTime() + 10_000_000_000L;
        while (!log.idsReady() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(log.idsReady()).isTrue();
        assertThat(log.existing(db, stored)).hasSize(6_000);
        assertThat(log.existing(db, absent)).isEmpty();
    }

    /**
     * A log that had events before it had rollups gets them filled from its events when opened;
     * and a rollup compacted (its batches' rows summed per key) still answers as the events do.
     */
    @Test
    void rollupsAreFilledForAnOlderLogAndCompacted() throws Exception {
        var events = variedEvents();
        log.append(events.subList(0, 1500));
        log.append(events.subList(1500, events.size()));
        var a = new EventAggregate(Set.of(db), Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-05T00:00:00Z"),
                Set.of("message.sent", "message.opened", "message.converted"), Set.of("message.opened"), null, Map.of(), Set.of("machine"),
                Set.of("observer_of"), List.of(new EventAggregate.Time(EventAggregate.Grain.DAY), new EventAggregate.Property("campaign")),
                "value", 0);
        List<String> raw = shown(log.aggregate(a, false));
        var cohorts = new org.orbita.events.EventCohorts(Set.of(db), Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-05T00:00:00Z"),
                Set.of("message.sent"), Set.of("message.opened", "message.clicked"), EventAggregate.Grain.DAY, 3, null, 0);
        List<String> sizes = log.cohortSizes(cohorts).stream().map(Object::toString).sorted().toList();
        List<String> cells = log.cohortCells(cohorts).stream().map(Object::toString).sorted().toList();
        assertThat(sizes).isNotEmpty();
        log.close();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("events.duckdb")); Statement s = c.createStatement()) {
            s.execute("DROP TABLE event_rollup");
            s.execute("DROP TABLE event_people");
            s.execute("DROP TABLE event_firsts");
            s.execute("DROP TABLE event_firsts_upto");
        }
        log = new DuckDbEventLog(dir.resolve("events.duckdb"), 10);
        assertThat(shown(log.aggregate(a, true))).containsExactlyElementsOf(raw);
        assertThat(log.cohortSizes(cohorts).stream().map(Object::toString).sorted().toList()).as("firsts filled from the events").isEqualTo(sizes);
        assertThat(log.cohortCells(cohorts).stream().map(Object::toString).sorted().toList()).isEqualTo(cells);
        long rows = rollupRows();
        long firsts = log.firstsRows();
        log.append(events);
        assertThat(rollupRows()).as("the batch's rows were summed into the rows there were").isEqualTo(rows);
        assertThat(log.firstsRows()).as("the same events again: the same firsts, once merged").isEqualTo(firsts);
        assertThat(shown(log.aggregate(a, true))).isEqualTo(shown(log.aggregate(a, false))).isNotEqualTo(raw);
        assertThat(log.cohortSizes(cohorts).stream().map(Object::toString).sorted().toList()).isEqualTo(sizes);
    }

    /**
     * Each profile's first event per type: the events after the base merged into it once they are a quarter as many as its rows —
     * new keys added, an earlier first arriving late moves it — and cohorts read the earliest of both at any time.
     */
    @Test
    void firstsMergedKeepTheEarliestWhateverOrderTheyCameIn() throws Exception {
        log.close();
        log = new DuckDbEventLog(dir.resolve("events.duckdb"), 4);
        java.util.function.BiFunction<String, Integer, org.orbita.events.Event> sent = (p, minutes) -> new org.orbita.events.Event(
                org.orbita.common.Ids.next(), db, p, "message.sent", "email", T0.plusSeconds(60L * minutes), Map.of());
        var cohorts = new org.orbita.events.EventCohorts(Set.of(db), T0.minusSeconds(86_400), T0.plusSeconds(86_400 * 3L), Set.of("message.sent"),
                Set.of("message.sent"), EventAggregate.Grain.DAY, 3, null, 0);
        java.util.function.Supplier<List<String>> members = () -> {
            List<String> out = new java.util.ArrayList<>();
            for (var size : log.cohortSizes(cohorts)) {
                log.cohortMembers(cohorts, size.cohortMs(), null, id -> out.add(Instant.ofEpochMilli(size.cohortMs()).toString().substring(0, 10) + " " + id));
            }
            return out.stream().sorted().toList();
        };
        log.append(List.of(sent.apply("p1", 24 * 60), sent.apply("p2", 24 * 60), sent.apply("p3", 24 * 60), sent.apply("p4", 24 * 60)));
        assertThat(log.firstsRows()).as("four new, merged at once into an empty base").isEqualTo(4);
        log.append(List.of(sent.apply("p1", 0), sent.apply("p5", 0)));
        assertThat(members.get()).as("before the merge, the earliest of both")
                .containsExactly("2026-03-01 p1", "2026-03-01 p5", "2026-03-02 p2", "2026-03-02 p3", "2026-03-02 p4");
        log.append(List.of(sent.apply("p2", 48 * 60), sent.apply("p6", 48 * 60)));
        assertThat(log.firstsRows()).as("merged: a row a key").isEqualTo(6);
        assertThat(members.get()).as("p1 moved to its earlier first, p2 kept its own")
                .containsExactly("2026-03-01 p1", "2026-03-01 p5", "2026-03-02 p2", "2026-03-02 p3", "2026-03-02 p4", "2026-03-03 p6");
        log.close();
        log = new DuckDbEventLog(dir.resolve("events.duckdb"), 4);
        assertThat(members.get()).as("the same once opened again").hasSize(6);
    }

    /** A report_profiles table left by a report killed mid-query is dropped when the log opens again. */
    @Test
    void tablesLeftByAKilledReportAreDroppedOnOpen() throws Exception {
        log.close();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("events.duckdb")); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + EventRows.PROFILES_TABLE + "_left (id VARCHAR)");
            s.execute("CREATE TABLE reportprofiles_kept (id VARCHAR)");
        }
        log = new DuckDbEventLog(dir.resolve("events.duckdb"));
        log.close();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("events.duckdb")); Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables ORDER BY table_name")) {
            List<String> tables = new java.util.ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            assertThat(tables).contains("events", "reportprofiles_kept").doesNotContain(EventRows.PROFILES_TABLE + "_left");
        }
        log = new DuckDbEventLog(dir.resolve("events.duckdb"));
    }

    private long rollupRows() {
        return log.rollupRows();
    }
}
