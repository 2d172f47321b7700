package org.orbita.events.store;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.orbita.common.Json;
import org.orbita.events.Event;
import org.orbita.events.EventAggregate;
import org.orbita.events.EventCohorts;
import org.orbita.events.EventFunnel;
import org.orbita.events.EventLog;
import org.orbita.events.EventRollup;
import org.orbita.events.HistoryQuery;
import org.orbita.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production event log: ClickHouse through its HTTP client (client-v2) in TabSeparated
 * format, uncompressed responses and literals inlined (escaped) rather than server-side
 * parameters — the one path that works on old servers (Debian's 18.16, no
 * RowBinaryWithNamesAndTypes, no query parameters) and current ones alike.
 */
public final class ClickHouseEventLog implements EventLog {

    private static final Logger log = LoggerFactory.getLogger(ClickHouseEventLog.class);

    private static final long TIMEOUT_SECONDS = 60;
    private final Client client;
    private final String database;

    public ClickHouseEventLog(String url, String user, String password, String database) {
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("orbita.clickhouse.database must be a plain identifier: " + database);
        }
        this.database = database;
        this.client = new Client.Builder()
                .addEndpoint(url)
                .setUsername(user)
                .setPassword(password)
                .compressServerResponse(false)
                .compressClientRequest(false)
                .build();
        execute("CREATE DATABASE IF NOT EXISTS " + database);
        execute("CREATE TABLE IF NOT EXISTS " + database + ".events (id String, database_id String, profile_id String,"
                + " type String, channel String, ts_ms Int64, properties String, " + COUNTED + ")"
                + " ENGINE = MergeTree() PARTITION BY toYYYYMM(toDateTime(intDiv(ts_ms, 1000)))"
                + " ORDER BY (database_id, profile_id, ts_ms)");
        if (select("SELECT count() FROM system.columns WHERE database = '" + database + "' AND table = 'events' AND name = 'counted'").get(0)[0]
                .equals("0")) {
            execute("ALTER TABLE " + database + ".events ADD COLUMN " + COUNTED);
        }
        addIdIndex();
        createRollups();
        // tables a segment-filtered report filled and had no time to drop (its process was killed mid-query)
        for (String[] row : select("SHOW TABLES FROM " + database + " LIKE '" + EventRows.PROFILES_TABLE + "\\_%'")) {
            execute("DROP TABLE IF EXISTS " + database + "." + row[0]);
        }
    }

    /**
     * The rollups ({@link EventRollup}): the counts summed by the server as it merges parts,
     * the people kept once per key, the firsts' earliest kept; reads always group, so unmerged parts count right. A
     * database that had events before them gets them filled from its events.
     */
    private void createRollups() {
        boolean rolledUp = !select("EXISTS TABLE " + database + ".event_rollup").get(0)[0].equals("0");
        String key = "database_id String, bucket_ms Int64, type String, channel String, campaign String, journey String, message_id String,"
                + " domain String";
        String partition = " PARTITION BY toYYYYMM(toDateTime(intDiv(bucket_ms, 1000)))";
        execute("CREATE TABLE IF NOT EXISTS " + database + ".event_rollup (" + key + ", events UInt64, value_sum Float64)"
                + " ENGINE = SummingMergeTree((events, value_sum))" + partition + " ORDER BY (" + EventRows.ROLLUP_KEY + ")");
        execute("CREATE TABLE IF NOT EXISTS " + database + ".event_people (" + key + ", profile_id String)"
                + " ENGINE = ReplacingMergeTree()" + partition + " ORDER BY (" + EventRows.ROLLUP_KEY + ", profile_id)");
        if (!rolledUp) {
            for (String sql : EventRows.rebuildSql(EventRows.Dialect.CLICKHOUSE)) {
                execute(tables(sql));
            }
        }
        // from here on each insert into the events fills the rollups in the same statement
        List<String> selects = EventRows.rollupSelects(EventRows.Dialect.CLICKHOUSE);
        execute("CREATE MATERIALIZED VIEW IF NOT EXISTS " + database + ".event_rollup_feed TO " + database + ".event_rollup AS "
                + tables(selects.get(0)));
        execute("CREATE MATERIALIZED VIEW IF NOT EXISTS " + database + ".event_people_feed TO " + database + ".event_people AS "
                + tables(selects.get(1)));
        // each profile's first event of each type: merges keep the row of the highest version, the earliest first
        if (select("EXISTS TABLE " + database + ".event_firsts").get(0)[0].equals("0")) {
            execute("CREATE TABLE " + database + ".event_firsts (database_id String, type String, profile_id String, at_ms Int64,"
                    + " version UInt64) ENGINE = ReplacingMergeTree(version) ORDER BY (database_id, type, profile_id)");
            execute("INSERT INTO " + database + ".event_firsts " + tables(EventRows.firstsSelect(EventRows.Dialect.CLICKHOUSE)));
        }
        execute("CREATE MATERIALIZED VIEW IF NOT EXISTS " + database + ".event_firsts_feed TO " + database + ".event_firsts AS "
                + tables(EventRows.firstsSelect(EventRows.Dialect.CLICKHOUSE)));
    }

    /** A statement of {@link EventRows} on this database's tables. */
    private String tables(String sql) {
        return sql.replace(" FROM events", " FROM " + database + ".events").replace(" FROM event_rollup", " FROM " + database + ".event_rollup")
                .replace(" FROM event_people", " FROM " + database + ".event_people")
                .replace(" FROM event_firsts", " FROM " + database + ".event_firsts")
                .replace("INSERT INTO event_rollup", "INSERT INTO " + database + ".event_rollup")
                .replace("INSERT INTO event_people", "INSERT INTO " + database + ".event_people");
    }

    /**
     * Callers' idempotency keys are looked up by id: a bloom filter skips the parts without
     * them. Servers older than 20.1 have no such index (Debian's 18.16 among them); there a
     * lookup reads the database's ids, which is correct, only slower, and is said once here.
     */
    /**
     * Whether reports count an event ({@link EventRollup#counted}): written with each event; parts
     * stored before the column existed answer it from their JSON text.
     */
    private static final String COUNTED = "counted UInt8 DEFAULT " + EventRows.countedFromText(EventRows.Dialect.CLICKHOUSE);

    private void addIdIndex() {
        String sql = "ALTER TABLE " + database + ".events ADD INDEX IF NOT EXISTS events_id id TYPE bloom_filter(0.01) GRANULARITY 4";
        try {
            client.execute(sql).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
        } catch (Exception e) {
            if (!String.valueOf(e.getMessage()).contains("Code: 62")) { // 62: the server cannot parse skipping indexes
                throw new StorageException("ClickHouse statement failed: " + sql, e);
            }
            log.warn("This ClickHouse has no data-skipping indexes; events looked up by id (idempotency keys) read the database's ids");
        }
    }

    private void execute(String sql) {
        try {
            client.execute(sql).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
        } catch (Exception e) {
            throw new StorageException("ClickHouse statement failed: " + sql.substring(0, Math.min(80, sql.length())), e);
        }
    }

    /**
     * The events; the server fills their share of the two rollups in the same statement (the
     * materialized views {@code event_rollup_feed} and {@code event_people_feed}), so no client
     * failure between two writes leaves a batch out of the rollups.
     */
    @Override
    public void append(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        StringBuilder tsv = new StringBuilder(events.size() * 160);
        for (Event e : events) {
            tsv.append(escape(e.id())).append('\t')
                    .append(escape(e.databaseId())).append('\t')
                    .append(escape(e.profileId())).append('\t')
                    .append(escape(e.type())).append('\t')
                    .append(escape(e.channel())).append('\t')
                    .append(e.time().toEpochMilli()).append('\t')
                    .append(escape(Json.write(e.properties()))).append('\t')
                    .append(EventRollup.counted(e.properties()) ? '1' : '0').append('\n');
        }
        insert("events", tsv, events.size() + " events");
    }

    private void insert(String table, StringBuilder tsv, String what) {
        if (tsv.isEmpty()) {
            return;
        }
        try {
            client.insert(database + "." + table, new ByteArrayInputStream(tsv.toString().getBytes(StandardCharsets.UTF_8)),
                    ClickHouseFormat.TabSeparated).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
        } catch (Exception e) {
            throw new StorageException("cannot append " + what + " to ClickHouse", e);
        }
    }

    @Override
    public List<Event> history(HistoryQuery query) {
        EventRows.Sql sql = EventRows.historySql(query);
        List<Event> events = new ArrayList<>();
        for (String[] row : select(inline(sql).replace(" FROM events", " FROM " + database + ".events"))) {
            events.add(EventRows.event(row[0], row[1], emptyToNull(row[2]), row[3], row[4], Long.parseLong(row[5]), row[6]));
        }
        return events;
    }

    @Override
    public void scan(String databaseId, Instant since, Set<String> types, Consumer<Event> action) {
        String sql = inline(EventRows.scanSql(databaseId, since, types)).replace(" FROM events", " FROM " + database + ".events")
                .replace("profile_id IS NOT NULL", "profile_id != ''");
        stream(sql, row -> action.accept(EventRows.event(row[0], row[1], emptyToNull(row[2]), row[3], row[4], Long.parseLong(row[5]), row[6])));
    }

    @Override
    public Map<String, long[]> tally(String databaseId, Map<String, Object> properties, Set<String> types,
                                               boolean byChannel) {
        Map<String, long[]> out = new TreeMap<>();
        if (types.isEmpty()) {
            return out;
        }
        String key = byChannel ? "concat(ifNull(channel, ''), '/', type)" : "type";
        StringBuilder sql = new StringBuilder("SELECT " + key + " AS k, count(), uniqExact(profile_id) FROM " + database + ".events WHERE database_id = ")
                .append(literal(databaseId)).append(" AND type IN (")
                .append(String.join(", ", types.stream().map(ClickHouseEventLog::literal).toList())).append(")");
        // LIKE's escape character in ClickHouse is the backslash, as in the pattern
        properties.forEach((k, v) -> sql.append(" AND properties LIKE ").append(literal(EventLog.propertyPattern(k, v))));
        for (String[] row : select(sql + " GROUP BY k")) {
            out.put(row[0], new long[] {Long.parseLong(row[1]), Long.parseLong(row[2])});
        }
        return out;
    }

    @Override
    public List<EventAggregate.Row> aggregate(EventAggregate aggregate, boolean rollups) {
        if (aggregate.profiles() != null) {
            return withProfiles(aggregate, table -> select(aggregate, EventRows.onTable(EventRows.aggregateSql(aggregate,
                    EventRows.Dialect.CLICKHOUSE), database + "." + table)));
        }
        if (!rollups || !EventRollup.serves(aggregate)) {
            return select(aggregate, EventRows.aggregateSql(aggregate, EventRows.Dialect.CLICKHOUSE));
        }
        List<EventAggregate.Row> counts = select(aggregate, EventRows.rollupSql(aggregate, false, EventRows.Dialect.CLICKHOUSE));
        return aggregate.distinctFor().isEmpty() ? counts
                : EventRows.joined(counts, select(aggregate, EventRows.rollupSql(aggregate, true, EventRows.Dialect.CLICKHOUSE)));
    }

    /** Ids handed to the server per insert while filling an aggregate's profiles. */
    static final int PROFILES_CHUNK = 50_000;

    /**
     * Runs a statement that reads an aggregate's profiles from a Memory table of its own, filled
     * in chunks first and dropped after (HTTP calls share no session for temporary tables).
     */
    private <T> T withProfiles(EventAggregate aggregate, java.util.function.Function<String, T> query) {
        String table = EventRows.PROFILES_TABLE + "_" + java.util.UUID.randomUUID().toString().replace("-", "");
        execute("CREATE TABLE " + database + "." + table + " (id String) ENGINE = Memory");
        try {
            StringBuilder chunk = new StringBuilder();
            int[] n = {0};
            aggregate.profiles().forEach(id -> {
                chunk.append(escape(id)).append('\n');
                if (++n[0] % PROFILES_CHUNK == 0) {
                    insert(table, chunk, "a report's profiles");
                    chunk.setLength(0);
                }
            });
            insert(table, chunk, "a report's profiles");
            return query.apply(table);
        } finally {
            execute("DROP TABLE IF EXISTS " + database + "." + table);
        }
    }

    private List<EventAggregate.Row> select(EventAggregate aggregate, EventRows.Sql sql) {
        List<EventAggregate.Row> rows = new ArrayList<>();
        stream(tables(inline(sql)), cells -> rows.add(EventRows.aggregateRow(aggregate, cells)));
        return rows;
    }

    @Override
    public List<EventCohorts.Size> cohortSizes(EventCohorts cohorts) {
        List<EventCohorts.Size> out = new ArrayList<>();
        stream(tables(inline(EventRows.cohortSizesSql(cohorts, EventRows.Dialect.CLICKHOUSE, -1))), c -> out.add(EventRows.cohortSize(c)));
        return out;
    }

    @Override
    public List<EventCohorts.Cell> cohortCells(EventCohorts cohorts) {
        List<EventCohorts.Cell> out = new ArrayList<>();
        stream(tables(inline(EventRows.cohortCellsSql(cohorts, EventRows.Dialect.CLICKHOUSE, -1))), c -> out.add(EventRows.cohortCell(c)));
        return out;
    }

    @Override
    public void cohortMembers(EventCohorts cohorts, long cohortMs, Integer period, Consumer<String> profileIds) {
        stream(tables(inline(EventRows.cohortMembersSql(cohorts, cohortMs, period, EventRows.Dialect.CLICKHOUSE, -1))), c -> profileIds.accept(c[0]));
    }

    @Override
    public void funnelPaths(EventFunnel funnel, Consumer<EventFunnel.Path> each) {
        stream(tables(inline(EventRows.funnelSql(funnel, EventRows.Dialect.CLICKHOUSE))), c -> each.accept(EventRows.funnelPath(c)));
    }

    @Override
    public Set<String> existing(String databaseId, Collection<String> ids, Instant fromTime, Instant toTime) {
        Set<String> found = new HashSet<>();
        List<String> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += 1000) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 1000));
            String in = String.join(", ", chunk.stream().map(ClickHouseEventLog::literal).toList());
            for (String[] row : select("SELECT id FROM " + database + ".events WHERE database_id = " + literal(databaseId)
                    + EventRows.timeRange(fromTime, toTime) + " AND id IN (" + in + ")")) {
                found.add(row[0]);
            }
        }
        return found;
    }

    @Override
    public long count(String databaseId) {
        List<String[]> rows = select("SELECT count() FROM " + database + ".events WHERE database_id = " + literal(databaseId));
        return Long.parseLong(rows.get(0)[0]);
    }

    private List<String[]> select(String sql) {
        List<String[]> rows = new ArrayList<>();
        stream(sql, rows::add);
        return rows;
    }

    /** Runs a query and hands each TSV row to {@code action} as it arrives. */
    private void stream(String sql, Consumer<String[]> action) {
        QuerySettings settings = new QuerySettings().setFormat(ClickHouseFormat.TabSeparated);
        try (QueryResponse response = client.query(sql, settings).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                BufferedReader reader = new BufferedReader(new InputStreamReader(response.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                String[] cells = line.split("\t", -1);
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = unescape(cells[i]);
                }
                action.accept(cells);
            }
        } catch (StorageException e) {
            throw e;
        } catch (Exception e) {
            throw new StorageException("ClickHouse query failed", e);
        }
    }

    /** Replaces each {@code ?} of a statement built by {@link EventRows} with its escaped literal. */
    static String inline(EventRows.Sql sql) {
        StringBuilder out = new StringBuilder();
        int param = 0;
        for (char c : sql.text().toCharArray()) {
            if (c == '?') {
                out.append(literal(sql.params().get(param++)));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String literal(Object value) {
        if (value instanceof Long || value instanceof Integer) {
            return value.toString();
        }
        String s = String.valueOf(value);
        StringBuilder out = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\0' -> out.append("\\0");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    private static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\0' -> out.append("\\0");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case '0' -> '\0';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    default -> n;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    @Override
    public void close() {
        client.close();
    }
}
