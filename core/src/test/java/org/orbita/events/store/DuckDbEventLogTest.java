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
        }
        log = new DuckDbEventLog(dir.resolve("events.duckdb"));
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
        log.close();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("events.duckdb")); Statement s = c.createStatement()) {
            s.execute("DROP TABLE event_rollup");
            s.execute("DROP TABLE event_people");
        }
        log = new DuckDbEventLog(dir.resolve("events.duckdb"), 10);
        assertThat(shown(log.aggregate(a, true))).containsExactlyElementsOf(raw);
        long rows = rollupRows();
        log.append(events);
        assertThat(rollupRows()).as("the batch's rows were summed into the rows there were").isEqualTo(rows);
        assertThat(shown(log.aggregate(a, true))).isEqualTo(shown(log.aggregate(a, false))).isNotEqualTo(raw);
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
