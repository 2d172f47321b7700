package org.orbita.events.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.orbita.common.Json;
import org.orbita.events.Event;
import org.orbita.events.EventAggregate;
import org.orbita.events.EventCohorts;
import org.orbita.events.EventFunnel;
import org.orbita.events.EventLog;
import org.orbita.events.EventRollup;
import org.orbita.events.HistoryQuery;
import org.orbita.storage.StorageException;

/**
 * The embedded event log: DuckDB in-process. Writes go through DuckDB's appender (JDBC
 * batches are two orders of magnitude slower); one process owns the file. Beside the events,
 * the two rollups reports read ({@link EventRollup}), kept in the same transactions; a log made
 * before them gets them filled from its events when it is first opened.
 */
public final class DuckDbEventLog implements EventLog {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DuckDbEventLog.class);

    private final DuckDBConnection connection;
    private final ReentrantLock writeLock = new ReentrantLock();
    /**
     * The (database, id) pairs the log holds, so that {@link #existing} — every keyed event's
     * idempotency check — reads the log only for ids it may hold instead of scanning every event's
     * id. Filled from the log by a background scan when opened ({@code idsReady} after it), and by
     * every write before its commit; a larger one is filled the same way when it is past its size.
     */
    private volatile IdFilter ids;
    private volatile IdFilter nextIds;
    private volatile boolean idsReady;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicReference<Thread> idScan = new java.util.concurrent.atomic.AtomicReference<>();
    private final long compactAfter;

    static final String CHECKPOINT_THRESHOLD = "256MB";

    public DuckDbEventLog(Path file) {
        this(file, COMPACT_AFTER);
    }

    /** A log whose rollups are compacted past {@code compactAfter} rows added (tests). */
    DuckDbEventLog(Path file, long compactAfter) {
        this(file, compactAfter, 1_000_000);
    }

    /** The same, with its filter of ids sized for at least {@code idCapacity} (tests: a small one, to see it grow). */
    DuckDbEventLog(Path file, long compactAfter, long idCapacity) {
        this.compactAfter = compactAfter;
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            this.connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), streaming());
            try (Statement s = connection.createStatement()) {
                // Checkpoint once the log passes 256 MB, not DuckDB's 16 MB: 4,000,000 appended events take 17–18 s instead of
                // 23–24 s (64 MB: 21.7 s; 1 GB: 17.3 s), and a restart after kill -9 replays at most that much (130 MB: 1.0 s).
                s.execute("SET checkpoint_threshold = '" + CHECKPOINT_THRESHOLD + "'");
                s.execute("CREATE TABLE IF NOT EXISTS events (id VARCHAR, database_id VARCHAR, profile_id VARCHAR,"
                        + " type VARCHAR, channel VARCHAR, ts_ms BIGINT, properties VARCHAR, counted BOOLEAN, value_number DOUBLE)");
                addColumn(s, "counted", "BOOLEAN", EventRows.countedFromText(EventRows.Dialect.DUCKDB));
                addColumn(s, "value_number", "DOUBLE", EventRows.numberFromText(EventRollup.VALUE));
                boolean rolledUp = exists(s, "event_rollup");
                s.execute("BEGIN TRANSACTION");
                s.execute("CREATE TABLE IF NOT EXISTS event_rollup (database_id VARCHAR, bucket_ms BIGINT, type VARCHAR, channel VARCHAR,"
                        + " campaign VARCHAR, journey VARCHAR, message_id VARCHAR, domain VARCHAR, events BIGINT, value_sum DOUBLE)");
                s.execute("CREATE TABLE IF NOT EXISTS event_people (database_id VARCHAR, bucket_ms BIGINT, type VARCHAR, channel VARCHAR,"
                        + " campaign VARCHAR, journey VARCHAR, message_id VARCHAR, domain VARCHAR, profile_id VARCHAR)");
                if (!rolledUp) {
                    for (String sql : EventRows.rebuildSql(EventRows.Dialect.DUCKDB)) {
                        s.execute(sql);
                    }
                }
                if (!exists(s, "event_firsts_upto")) {
                    // a log from before the firsts rollup (or without its mark): filled from its events
                    s.execute("DROP TABLE IF EXISTS event_firsts");
                    s.execute("CREATE TABLE event_firsts (database_id VARCHAR, type VARCHAR, profile_id VARCHAR, at_ms BIGINT)");
                    s.execute("CREATE TABLE event_firsts_upto (upto BIGINT)");
                    s.execute("INSERT INTO event_firsts_upto SELECT coalesce(max(rowid) + 1, 0) FROM events");
                    s.execute("INSERT INTO event_firsts " + EventRows.firstsSelect(EventRows.Dialect.DUCKDB));
                }
                s.execute("COMMIT");
                dropLeftProfileTables(s);
                rollup.counted(s);
                firsts.counted(s);
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
                    rs.next();
                    ids = new IdFilter(Math.max(idCapacity, 2 * rs.getLong(1)));
                }
            }
        } catch (Exception e) {
            throw new StorageException("cannot open the embedded event log at " + file, e);
        }
        scanIds(ids, false);
    }

    /**
     * Fills a filter with every (database, id) pair stored, on a background thread. A larger
     * filter ({@code replacing}) starts its scan under the writer's lock, after which every write
     * adds to it too, so no pair written meanwhile is missed; it then takes the place of the
     * current one. The first filter exists before any write, so its scan needs no lock.
     */
    private void scanIds(IdFilter target, boolean replacing) {
        Thread t = new Thread(() -> {
            try (Connection c = connection.duplicate(); Statement s = c.createStatement()) {
                ResultSet rs;
                if (replacing) {
                    writeLock.lock();
                    try {
                        nextIds = target;
                        rs = s.executeQuery("SELECT database_id, id FROM events");
                    } finally {
                        writeLock.unlock();
                    }
                } else {
                    rs = s.executeQuery("SELECT database_id, id FROM events");
                }
                try (rs) {
                    while (rs.next()) {
                        if (closed) {
                            return;
                        }
                        target.add(rs.getString(1), rs.getString(2));
                    }
                }
                if (replacing) {
                    ids = target;
                    nextIds = null;
                } else {
                    idsReady = true;
                }
            } catch (SQLException | RuntimeException e) {
                nextIds = null;
                if (!closed) {
                    log.error("the event ids could not be read into their filter; look-ups by id read the log instead", e);
                }
            } finally {
                idScan.set(null);
            }
        }, "event-ids");
        t.setDaemon(true);
        if (idScan.compareAndSet(null, t)) {
            t.start();
        }
    }

    /** Tables a segment-filtered report filled and had no time to drop (the process was killed mid-query). */
    private static void dropLeftProfileTables(Statement s) throws SQLException {
        List<String> left = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_name LIKE '"
                + EventRows.PROFILES_TABLE + "\\_%' ESCAPE '\\'")) {
            while (rs.next()) {
                left.add(rs.getString(1));
            }
        }
        for (String table : left) {
            s.execute("DROP TABLE IF EXISTS \"" + table.replace("\"", "") + "\"");
        }
    }

    /**
     * A column events gained after some logs were stored: a log without it gets it, filled once from the stored JSON
     * text, in one transaction (a crash leaves the log as it was, to be filled again) — {@code counted} (whether reports
     * count the event) and {@code value_number} (the {@code value} property as a number, {@link EventRollup#value}, so a
     * report's sums — revenue — do not parse every row's JSON).
     */
    private static void addColumn(Statement s, String column, String type, String fromText) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.columns WHERE table_name = 'events' AND column_name = '"
                + column + "'")) {
            rs.next();
            if (rs.getLong(1) > 0) {
                return;
            }
        }
        s.execute("BEGIN TRANSACTION");
        s.execute("ALTER TABLE events ADD COLUMN " + column + " " + type);
        s.execute("UPDATE events SET " + column + " = " + fromText);
        s.execute("COMMIT");
    }

    private static boolean exists(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = '" + table + "'")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    /** Results stream from DuckDB instead of being materialized whole (scans of a large log). */
    private static Properties streaming() {
        Properties p = new Properties();
        p.setProperty("jdbc_stream_results", "true");
        return p;
    }

    /** Compaction starts past this many rows added to the counts rollup since it last ran (and past doubling it). */
    static final long COMPACT_AFTER = 100_000;

    /** A call's events waiting to be written, and what became of them. */
    private record Pending(List<Event> events, List<String> properties, java.util.concurrent.CompletableFuture<Void> done) {}

    private final java.util.concurrent.ConcurrentLinkedQueue<Pending> queued = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** At most this many events go into one group's transaction. */
    private static final int GROUP = 20_000;

    /**
     * A call's events and both rollups' share of them ({@link EventRollup}) are stored together
     * or not at all (an error, {@code kill -9}), and stored when it returns. Calls made at the
     * same time are written in one transaction by whichever of them holds the writer's lock (a
     * group commit: many small appends cost one transaction, not one each); if that transaction
     * fails, each call's events are tried alone, so one call's bad events fail only that call.
     * DuckDB's appender commits each full chunk on its own unless a transaction holds them.
     */
    @Override
    public void append(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        // every value is made first: a row that cannot be written fails here, before the appender (whose close flushes) has any
        List<String> properties = new ArrayList<>(events.size());
        for (Event e : events) {
            properties.add(Json.write(e.properties()));
        }
        Pending mine = new Pending(events, properties, new java.util.concurrent.CompletableFuture<>());
        queued.add(mine);
        while (!mine.done().isDone()) {
            if (writeLock.tryLock()) {
                try {
                    writeQueued();
                } finally {
                    writeLock.unlock();
                }
            } else {
                try {
                    mine.done().get(2, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // the writer has not reached this call yet: try for the lock again
                } catch (java.util.concurrent.ExecutionException e) {
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StorageException("interrupted while appending " + events.size() + " events", e);
                }
            }
        }
        try {
            mine.done().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof StorageException se ? se : new StorageException("cannot append " + events.size() + " events", e.getCause());
        }
        compactIfDue();
    }

    /** Writes what is queued, a group at a time (the writer's lock held). */
    private void writeQueued() {
        while (!queued.isEmpty()) {
            List<Pending> group = new ArrayList<>();
            int n = 0;
            for (Pending p; n < GROUP && (p = queued.poll()) != null; ) {
                group.add(p);
                n += p.events().size();
            }
            try {
                write(group);
                group.forEach(p -> p.done().complete(null));
            } catch (StorageException e) {
                if (group.size() == 1) {
                    group.get(0).done().completeExceptionally(e);
                    continue;
                }
                for (Pending p : group) {
                    try {
                        write(List.of(p));
                        p.done().complete(null);
                    } catch (StorageException alone) {
                        p.done().completeExceptionally(alone);
                    }
                }
            }
        }
    }

    /** One transaction: the calls' events and their rollups. */
    private void write(List<Pending> group) {
        List<Event> events = new ArrayList<>();
        group.forEach(p -> events.addAll(p.events()));
        EventRollup.Deltas deltas = EventRollup.of(events);
        // known before they are stored: a look-up never misses a stored id (one that then fails to store is a harmless "perhaps")
        IdFilter now = ids;
        IdFilter next = nextIds;
        for (Event e : events) {
            now.add(e.databaseId(), e.id());
            if (next != null) {
                next.add(e.databaseId(), e.id());
            }
        }
        if (idsReady && now.full() && next == null) {
            scanIds(new IdFilter(now.capacity() * 2), true);
        }
        try {
            sql("BEGIN TRANSACTION");
            try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
                for (Pending p : group) {
                    for (int i = 0; i < p.events().size(); i++) {
                        Event e = p.events().get(i);
                        appender.beginRow();
                        appender.append(e.id());
                        appender.append(e.databaseId());
                        nullable(appender, e.profileId());
                        appender.append(e.type());
                        nullable(appender, e.channel());
                        appender.append(e.time().toEpochMilli());
                        appender.append(p.properties().get(i));
                        appender.append(EventRollup.counted(e.properties()));
                        appender.append(EventRollup.value(e.properties()));
                        appender.endRow();
                    }
                }
                appender.flush();
            }
            try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "event_rollup")) {
                for (Map.Entry<EventRollup.Key, EventRollup.Totals> e : deltas.counts().entrySet()) {
                    appender.beginRow();
                    key(appender, e.getKey());
                    appender.append(e.getValue().events());
                    appender.append(e.getValue().sum());
                    appender.endRow();
                }
                appender.flush();
            }
            try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "event_people")) {
                for (EventRollup.Person p : deltas.people()) {
                    appender.beginRow();
                    key(appender, p.key());
                    appender.append(p.profileId());
                    appender.endRow();
                }
                appender.flush();
            }
            sql("COMMIT");
            rollup.rows += deltas.counts().size();
            firsts.added += events.size();
        } catch (SQLException | RuntimeException e) {
            rollback(e);
            throw new StorageException("cannot append " + events.size() + " events (none was stored)", e);
        }
    }

    /** Whether look-ups by id are answered through the filter (its first scan is done), and how many pairs it is sized for. */
    boolean idsReady() {
        return idsReady;
    }

    long idCapacity() {
        return ids.capacity();
    }

    /** The rows the firsts rollup holds now (what it merged: a row a key). */
    long firstsRows() {
        writeLock.lock();
        try {
            return firsts.base;
        } finally {
            writeLock.unlock();
        }
    }

    /** The rows the counts rollup holds now. */
    long rollupRows() {
        writeLock.lock();
        try {
            return rollup.rows;
        } finally {
            writeLock.unlock();
        }
    }

    private static void key(DuckDBAppender appender, EventRollup.Key k) throws SQLException {
        appender.append(k.databaseId());
        appender.append(k.bucketMs());
        appender.append(k.type());
        appender.append(k.channel());
        appender.append(k.campaign());
        appender.append(k.journey());
        appender.append(k.messageId());
        appender.append(k.domain());
    }

    /**
     * The counts rollup: each batch adds its own rows; once they have doubled since the last time, it
     * is summed per key and rewritten in one transaction (readers see the old rows or the new, never
     * both). The cost is proportional to the rollup, not to the events.
     */
    private final class Merged {
        final String table;
        final String merge;
        /** Its rows, and how many it had when last merged (written under the write lock, read without it). */
        volatile long rows;
        volatile long compacted;

        Merged(String table, String merge) {
            this.table = table;
            this.merge = merge;
        }

        void counted(Statement s) throws SQLException {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                rows = rs.getLong(1);
                compacted = rows;
            }
        }

        boolean due() {
            return rows - compacted >= Math.max(compactAfter, compacted);
        }

        void compact() throws SQLException {
            inTransaction("CREATE TEMP TABLE compacted AS " + merge, "DELETE FROM " + table, "INSERT INTO " + table + " SELECT * FROM compacted",
                    "DROP TABLE compacted");
            try (Statement s = connection.createStatement()) {
                counted(s);
            }
        }
    }

    /** The counts rollup, summed per key. */
    private final Merged rollup = new Merged("event_rollup", "SELECT " + EventRows.ROLLUP_KEY + ", sum(events) AS events, sum(value_sum) AS value_sum"
            + " FROM event_rollup GROUP BY " + EventRows.ROLLUP_KEY);

    /**
     * Each profile's first event per type, kept without a write at ingest: {@code event_firsts} holds a row a key for
     * the events up to a mark (a row id of the events, which are only ever appended), and once the events after it are
     * a quarter as many as those rows they are grouped and merged in — new keys added, an earlier first moved — reading the
     * base, not rewriting it. Readers take the earliest of the base and the events after the mark (their row ids
     * are a filter DuckDB's scan applies, so only the tail is read). Keeping them at ingest instead (a row per event
     * in a table of their own, merged the same way) cost a quarter of the ingest; this costs a grouping of each event once.
     */
    private final class Firsts {
        /** Rows in the base, and events appended after its mark (written under the write lock, read without it). */
        volatile long base;
        volatile long added;
        /** The events' row id the base has merged up to (exclusive). */
        volatile long upto;

        void counted(Statement s) throws SQLException {
            try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM event_firsts), (SELECT max(upto) FROM event_firsts_upto),"
                    + " (SELECT coalesce(max(rowid) + 1, 0) FROM events)")) {
                rs.next();
                base = rs.getLong(1);
                upto = rs.getLong(2);
                added = rs.getLong(3) - upto;
            }
        }

        /** Past a quarter of the base: readers never read more than that of the events besides it. */
        boolean due() {
            return added >= Math.max(compactAfter, base / 4);
        }

        void merge() throws SQLException {
            String same = "f.database_id = m.database_id AND f.type = m.type AND f.profile_id = m.profile_id";
            inTransaction("CREATE TEMP TABLE firsts_merged AS " + EventRows.firstsSelect(EventRows.Dialect.DUCKDB)
                            .replace(" WHERE ", " WHERE rowid >= " + upto + " AND "),
                    "UPDATE event_firsts AS f SET at_ms = m.at_ms FROM firsts_merged AS m WHERE " + same + " AND m.at_ms < f.at_ms",
                    "INSERT INTO event_firsts SELECT m.database_id, m.type, m.profile_id, m.at_ms FROM firsts_merged AS m"
                            + " WHERE NOT EXISTS (SELECT 1 FROM event_firsts AS f WHERE " + same + ")",
                    "UPDATE event_firsts_upto SET upto = (SELECT coalesce(max(rowid) + 1, 0) FROM events)",
                    "DROP TABLE firsts_merged");
            try (Statement s = connection.createStatement()) {
                counted(s);
            }
        }
    }

    private final Firsts firsts = new Firsts();

    private void compactIfDue() {
        if (!rollup.due() && !firsts.due()) {
            return; // looked at without the lock: an append does not wait for the writer of the next group to ask
        }
        writeLock.lock();
        try {
            if (rollup.due()) {
                rollup.compact();
            }
            if (firsts.due()) {
                firsts.merge();
            }
        } catch (SQLException e) {
            throw new StorageException("cannot compact the event log's rollups (the events and the rollups as they were are kept)", e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Statements in one transaction, rolled back whole when one fails (the writer's lock held). */
    private void inTransaction(String... statements) throws SQLException {
        sql("BEGIN TRANSACTION");
        try {
            for (String statement : statements) {
                sql(statement);
            }
            sql("COMMIT");
        } catch (SQLException e) {
            rollback(e);
            throw e;
        }
    }

    private void sql(String statement) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }

    private void rollback(Exception cause) {
        try {
            sql("ROLLBACK");
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void nullable(DuckDBAppender appender, String value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else {
            appender.append(value);
        }
    }

    @Override
    public List<Event> history(HistoryQuery query) {
        EventRows.Sql sql = EventRows.historySql(query);
        return reading("cannot read history", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.text())) {
                for (int i = 0; i < sql.params().size(); i++) {
                    ps.setObject(i + 1, sql.params().get(i));
                }
                List<Event> events = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(EventRows.event(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getLong(6), rs.getString(7)));
                    }
                }
                return events;
            }
        });
    }

    @Override
    public void scan(String databaseId, Instant since, Set<String> types, Consumer<Event> action) {
        EventRows.Sql sql = EventRows.scanSql(databaseId, since, types);
        rows(sql, rs -> action.accept(EventRows.event(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getLong(6), rs.getString(7))));
    }

    @Override
    public Map<String, long[]> tally(String databaseId, Map<String, Object> properties, Set<String> types,
                                               boolean byChannel) {
        Map<String, long[]> out = new TreeMap<>();
        if (types.isEmpty()) {
            return out;
        }
        String key = byChannel ? "coalesce(channel, '') || '/' || type" : "type";
        StringBuilder sql = new StringBuilder("SELECT " + key + " AS k, count(*), count(DISTINCT profile_id) FROM events WHERE database_id = ? AND type IN (")
                .append(String.join(", ", Collections.nCopies(types.size(), "?"))).append(")");
        List<String> patterns = new ArrayList<>();
        properties.forEach((k, v) -> {
            patterns.add(EventLog.propertyPattern(k, v));
            sql.append(" AND properties LIKE ? ESCAPE '\\'");
        });
        sql.append(" GROUP BY k");
        return reading("cannot tally events", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                ps.setString(i++, databaseId);
                for (String t : types) {
                    ps.setString(i++, t);
                }
                for (String p : patterns) {
                    ps.setString(i++, p);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<EventAggregate.Row> aggregate(EventAggregate aggregate, boolean rollups) {
        if (aggregate.profiles() != null) {
            return withProfiles(aggregate, table -> select(aggregate, EventRows.onTable(EventRows.aggregateSql(aggregate, EventRows.Dialect.DUCKDB),
                    table)));
        }
        if (!rollups || !EventRollup.serves(aggregate)) {
            return select(aggregate, EventRows.aggregateSql(aggregate, EventRows.Dialect.DUCKDB));
        }
        List<EventAggregate.Row> counts = select(aggregate, EventRows.rollupSql(aggregate, false, EventRows.Dialect.DUCKDB));
        return aggregate.distinctFor().isEmpty() ? counts
                : EventRows.joined(counts, select(aggregate, EventRows.rollupSql(aggregate, true, EventRows.Dialect.DUCKDB)));
    }

    /**
     * Runs a statement that reads an aggregate's profiles from a table of its own, filled through
     * the appender first and dropped after (a plain table with a name of its own: DuckDB's
     * appender writes no temporary tables).
     */
    private <T> T withProfiles(EventAggregate aggregate, java.util.function.Function<String, T> query) {
        String table = EventRows.PROFILES_TABLE + "_" + java.util.UUID.randomUUID().toString().replace("-", "");
        try (Connection c = connection.duplicate(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id VARCHAR)");
            try {
                try (DuckDBAppender appender = ((DuckDBConnection) c).createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
                    aggregate.profiles().forEach(id -> {
                        try {
                            appender.beginRow();
                            appender.append(id);
                            appender.endRow();
                        } catch (SQLException e) {
                            throw new StorageException("cannot hand a report its profiles", e);
                        }
                    });
                    appender.flush();
                }
                return query.apply(table);
            } finally {
                s.execute("DROP TABLE " + table);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot hand a report its profiles", e);
        }
    }

    private List<EventAggregate.Row> select(EventAggregate aggregate, EventRows.Sql sql) {
        List<EventAggregate.Row> rows = new ArrayList<>();
        cells(sql, aggregate.groupBy().size() + 4, cells -> rows.add(EventRows.aggregateRow(aggregate, cells)));
        return rows;
    }

    @Override
    public List<EventCohorts.Size> cohortSizes(EventCohorts cohorts) {
        List<EventCohorts.Size> out = new ArrayList<>();
        cells(EventRows.cohortSizesSql(cohorts, EventRows.Dialect.DUCKDB, firsts.upto), 2, c -> out.add(EventRows.cohortSize(c)));
        return out;
    }

    @Override
    public List<EventCohorts.Cell> cohortCells(EventCohorts cohorts) {
        List<EventCohorts.Cell> out = new ArrayList<>();
        cells(EventRows.cohortCellsSql(cohorts, EventRows.Dialect.DUCKDB, firsts.upto), 6, c -> out.add(EventRows.cohortCell(c)));
        return out;
    }

    @Override
    public void cohortMembers(EventCohorts cohorts, long cohortMs, Integer period, Consumer<String> profileIds) {
        cells(EventRows.cohortMembersSql(cohorts, cohortMs, period, EventRows.Dialect.DUCKDB, firsts.upto), 1, c -> profileIds.accept(c[0]));
    }

    @Override
    public void funnelPaths(EventFunnel funnel, Consumer<EventFunnel.Path> each) {
        // the arrays read as arrays: the driver's text of a list is made in Java and cost more than the query
        rows(EventRows.funnelSql(funnel, EventRows.Dialect.DUCKDB),
                rs -> each.accept(EventRows.funnelPath(rs.getString(1), longs(rs.getArray(2)), rs.getString(3))));
    }

    private static long[] longs(java.sql.Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = ((Number) values[i]).longValue();
        }
        return out;
    }

    /** Runs a query, each result row's first {@code columns} cells as text to {@code action}, streamed. */
    private void cells(EventRows.Sql sql, int columns, Consumer<String[]> action) {
        rows(sql, rs -> {
            String[] cells = new String[columns];
            for (int i = 0; i < columns; i++) {
                cells[i] = rs.getString(i + 1);
            }
            action.accept(cells);
        });
    }

    /**
     * A statement with its {@code ?} parameters written in as DuckDB literals — text quoted with its quotes doubled
     * (DuckDB's ordinary strings have no other escape), whole numbers and booleans as they are — or null when one is
     * of another kind, holds a NUL, or the marks outside quotes do not match the parameters (then it is bound as usual).
     */
    static String inline(String sql, List<Object> params) {
        StringBuilder out = new StringBuilder(sql.length() + 16 * params.size());
        int next = 0;
        char quote = 0;
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
                out.append(ch);
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                out.append(ch);
            } else if (ch == '?') {
                if (next == params.size()) {
                    return null;
                }
                Object p = params.get(next++);
                if (p instanceof String t && t.indexOf('\0') < 0) {
                    out.append('\'').append(t.replace("'", "''")).append('\'');
                } else if (p instanceof Long || p instanceof Integer || p instanceof Short || p instanceof Boolean) {
                    out.append(p);
                } else {
                    return null;
                }
            } else {
                out.append(ch);
            }
        }
        return quote == 0 && next == params.size() ? out.toString() : null;
    }

    /** What reads one result row. */
    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    /**
     * Runs a query, each result row to {@code row}, streamed. Its parameters go in as literals when they can
     * ({@link #inline}): DuckDB plans a prepared statement before it knows them and then cannot push a filter on them
     * down to the table's scan (its zone maps skip no row group) — a cohort's sizes took 553 ms with parameters, 339
     * ms with the same values written in.
     */
    private void rows(EventRows.Sql sql, Row row) {
        String text = inline(sql.text(), sql.params());
        reading("cannot query the event log", c -> {
            try (PreparedStatement ps = c.prepareStatement(text == null ? sql.text() : text)) {
                for (int i = 0; text == null && i < sql.params().size(); i++) {
                    ps.setObject(i + 1, sql.params().get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        row.read(rs);
                    }
                }
            }
            return null;
        });
    }

    /** What a read does on a connection. */
    @FunctionalInterface
    private interface Reading<T> {
        T on(Connection c) throws SQLException;
    }

    /** A read on a kept connection ({@link #reader}); what fails is told as {@code what}, its connection closed. */
    private <T> T reading(String what, Reading<T> work) {
        Connection c;
        T t;
        try {
            c = reader();
        } catch (SQLException e) {
            throw new StorageException(what, e);
        }
        try {
            t = work.on(c);
        } catch (SQLException | RuntimeException e) {
            RuntimeException told = e instanceof RuntimeException r ? r : new StorageException(what, e);
            try {
                c.close();
            } catch (SQLException closing) {
                told.addSuppressed(closing);
            }
            throw told;
        }
        release(c);
        return t;
    }

    /**
     * Reports' connections, kept between queries: a connection made for each query answered a cohort's statements
     * 25–30 % slower than one used again (measured in one process on one log: cells 898–1,068 ms against 694–847 ms).
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<Connection> readers = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final int KEPT_READERS = 4;

    private Connection reader() throws SQLException {
        Connection c = readers.poll();
        return c != null ? c : connection.duplicate();
    }

    /** Keeps a reader for the next query (at most a few; one whose query failed is closed by {@link #reading}, not kept). */
    private void release(Connection c) {
        if (!closed && readers.size() < KEPT_READERS) {
            readers.offer(c);
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            throw new StorageException("cannot close a connection to the event log", e);
        }
    }

    @Override
    public Set<String> existing(String databaseId, Collection<String> ids, Instant fromTime, Instant toTime) {
        Set<String> found = new HashSet<>();
        IdFilter known = idsReady ? this.ids : null;
        List<String> all = known == null ? List.copyOf(ids) : ids.stream().filter(id -> known.mightContain(databaseId, id)).toList();
        for (int from = 0; from < all.size(); from += 1000) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 1000));
            String sql = "SELECT id FROM events WHERE database_id = ?" + EventRows.timeRange(fromTime, toTime)
                    + " AND id IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
            try (Connection c = connection.duplicate(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, databaseId);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 2, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            } catch (SQLException e) {
                throw new StorageException("cannot look events up by id", e);
            }
        }
        return found;
    }

    @Override
    public long count(String databaseId) {
        try (Connection c = connection.duplicate();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM events WHERE database_id = ?")) {
            ps.setString(1, databaseId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot count events", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread scan = idScan.get();
        if (scan != null) {
            try {
                scan.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            for (Connection c; (c = readers.poll()) != null; ) {
                c.close();
            }
            connection.close();
        } catch (SQLException e) {
            throw new StorageException("cannot close the event log", e);
        }
    }
}
