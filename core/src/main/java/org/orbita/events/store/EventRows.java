package org.orbita.events.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orbita.common.Json;
import org.orbita.events.Event;
import org.orbita.events.EventAggregate;
import org.orbita.events.EventCohorts;
import org.orbita.events.EventFunnel;
import org.orbita.events.EventRollup;
import org.orbita.events.HistoryQuery;

/**
 * The event table as both SQL engines (DuckDB and ClickHouse) store it: one row per
 * event, time as epoch milliseconds, properties as JSON text — SQL both accept.
 */
public final class EventRows {

    /** A statement with positional parameters. */
    public record Sql(String text, List<Object> params) {}

    private EventRows() {}

    /** {@code AND} the epoch-millisecond bounds of a time range (either null: open), inlined: both are numbers. */
    public static String timeRange(Instant from, Instant to) {
        return (from == null ? "" : " AND ts_ms >= " + from.toEpochMilli()) + (to == null ? "" : " AND ts_ms <= " + to.toEpochMilli());
    }

    public static Sql historySql(HistoryQuery q) {
        StringBuilder sql = new StringBuilder(
                "SELECT id, database_id, profile_id, type, channel, ts_ms, properties FROM events WHERE database_id = ?");
        List<Object> params = new ArrayList<>(List.of(q.databaseId()));
        if (q.profileId() != null && q.alsoOf().isEmpty()) {
            sql.append(" AND profile_id = ?");
            params.add(q.profileId());
        } else if (q.profileId() != null) {
            sql.append(" AND profile_id IN (?").append(", ?".repeat(q.alsoOf().size())).append(')');
            params.add(q.profileId());
            params.addAll(q.alsoOf().stream().sorted().toList());
        }
        if (!q.types().isEmpty()) {
            sql.append(" AND type IN (").append(String.join(", ", q.types().stream().map(t -> "?").toList())).append(')');
            params.addAll(q.types().stream().sorted().toList());
        }
        if (q.channel() != null) {
            sql.append(" AND channel = ?");
            params.add(q.channel());
        }
        if (q.from() != null) {
            sql.append(" AND ts_ms >= ?");
            params.add(q.from().toEpochMilli());
        }
        if (q.to() != null) {
            sql.append(" AND ts_ms < ?");
            params.add(q.to().toEpochMilli());
        }
        if (q.beforeTime() != null) {
            sql.append(" AND (ts_ms < ? OR (ts_ms = ? AND id < ?))");
            long before = q.beforeTime().toEpochMilli();
            params.add(before);
            params.add(before);
            params.add(q.beforeId() == null ? "" : q.beforeId());
        }
        sql.append(" ORDER BY ts_ms DESC, id DESC LIMIT ").append(Math.max(1, Math.min(q.limit(), 1000)));
        return new Sql(sql.toString(), params);
    }

    public static Sql scanSql(String databaseId, Instant since, Set<String> types) {
        StringBuilder sql = new StringBuilder(
                "SELECT id, database_id, profile_id, type, channel, ts_ms, properties FROM events WHERE database_id = ?");
        List<Object> params = new ArrayList<>(List.of(databaseId));
        if (since != null) {
            sql.append(" AND ts_ms >= ?");
            params.add(since.toEpochMilli());
        }
        if (!types.isEmpty()) {
            sql.append(" AND type IN (").append(String.join(", ", types.stream().map(t -> "?").toList())).append(')');
            params.addAll(types.stream().sorted().toList());
        }
        sql.append(" AND profile_id IS NOT NULL ORDER BY profile_id, ts_ms, id");
        return new Sql(sql.toString(), params);
    }

    public static Event event(String id, String databaseId, String profileId, String type, String channel, long tsMs,
            String properties) {
        return new Event(id, databaseId, profileId, type, channel == null || channel.isEmpty() ? null : channel,
                Instant.ofEpochMilli(tsMs), properties == null || properties.isEmpty() ? null : Json.readMap(properties));
    }

    /** The two SQL engines an event log runs on: the same statements but for a few functions. */
    public enum Dialect { DUCKDB, CLICKHOUSE }

    /**
     * The statement of an aggregate on the raw events: key columns {@code k0…}, then the type,
     * the number of events, of distinct profiles (of the types asked), and the sum. Property
     * names were checked by {@link EventAggregate} (letters, digits, underscores), so they go
     * into the text; values are parameters.
     */
    public static Sql aggregateSql(EventAggregate a, Dialect d) {
        List<Object> params = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (EventAggregate.Dimension dim : a.groupBy()) {
            keys.add(switch (dim) {
                case EventAggregate.Time t -> bucket(t.grain(), a.offsetSeconds() * 1000L, "ts_ms", d);
                case EventAggregate.Channel c -> channel(d);
                case EventAggregate.Property p -> text(p.name(), d);
                case EventAggregate.DomainOf p -> domain(p.name(), d);
            });
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(keys.get(i)).append(" AS k").append(i).append(", ");
        }
        String sum = a.sumOf() == null ? "0" : "sum(" + number(a.sumOf(), d) + ")";
        String people = "0";
        if (!a.distinctFor().isEmpty()) {
            String in = "type IN (" + marks(a.distinctFor().size()) + ")";
            people = d == Dialect.DUCKDB ? "count(DISTINCT CASE WHEN " + in + " THEN profile_id END)"
                    : "uniqExactIf(profile_id, " + in + " AND profile_id != '')";
            params.addAll(a.distinctFor().stream().sorted().toList());
        }
        sql.append("type, count(*), ").append(people).append(", ").append(sum)
                .append(" FROM events WHERE database_id IN (").append(marks(a.databases().size())).append(')');
        params.addAll(a.databases().stream().sorted().toList());
        sql.append(" AND ts_ms >= ? AND ts_ms < ?");
        params.add(a.from().toEpochMilli());
        params.add(a.to().toEpochMilli());
        sql.append(" AND type IN (").append(marks(a.types().size())).append(')');
        params.addAll(a.types().stream().sorted().toList());
        if (a.channel() != null) {
            sql.append(" AND channel = ?");
            params.add(a.channel());
        }
        a.properties().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            sql.append(" AND ").append(text(e.getKey(), d)).append(" = ?");
            params.add(e.getValue());
        });
        if (a.notTrue().equals(Set.of(EventRollup.MACHINE)) && a.absent().equals(Set.of(EventRollup.OBSERVER))) {
            sql.append(" AND ").append(counted(d)); // what reports leave out, answered at ingest
        } else {
            a.notTrue().stream().sorted().forEach(name -> {
                sql.append(" AND ").append(lacks(d));
                params.add("\"" + name + "\":true");
            });
            a.absent().stream().sorted().forEach(name -> {
                sql.append(" AND ").append(lacks(d));
                params.add("\"" + name + "\":");
            });
        }
        if (a.profiles() != null) {
            sql.append(" AND profile_id IN (SELECT id FROM ").append(PROFILES_TABLE).append(')');
        }
        return new Sql(groupBy(sql, keys.size()), params);
    }

    /**
     * The same aggregate read from a rollup ({@link EventRollup}): {@code people} false reads the
     * counts (events, sums; no profiles), true the people rollup (distinct profiles of the types
     * in {@link EventAggregate#distinctFor}; no events). The caller joins the two by key.
     */
    public static Sql rollupSql(EventAggregate a, boolean people, Dialect d) {
        List<Object> params = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (EventAggregate.Dimension dim : a.groupBy()) {
            keys.add(switch (dim) {
                case EventAggregate.Time t -> bucket(t.grain(), a.offsetSeconds() * 1000L, "bucket_ms", d);
                case EventAggregate.Channel c -> "channel";
                case EventAggregate.Property p -> p.name();
                case EventAggregate.DomainOf p -> "domain";
            });
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(keys.get(i)).append(" AS k").append(i).append(", ");
        }
        Set<String> types = people ? a.distinctFor() : a.types();
        sql.append("type, ").append(people ? "0, " + (d == Dialect.DUCKDB ? "count(DISTINCT profile_id)" : "uniqExact(profile_id)") + ", 0"
                : "sum(events), 0, " + (a.sumOf() == null ? "0" : "sum(value_sum)"))
                .append(people ? " FROM event_people" : " FROM event_rollup").append(" WHERE database_id IN (").append(marks(a.databases().size())).append(')');
        params.addAll(a.databases().stream().sorted().toList());
        sql.append(" AND bucket_ms >= ? AND bucket_ms < ?");
        params.add(a.from().toEpochMilli());
        params.add(a.to().toEpochMilli());
        sql.append(" AND type IN (").append(marks(types.size())).append(')');
        params.addAll(types.stream().sorted().toList());
        if (a.channel() != null) {
            sql.append(" AND channel = ?");
            params.add(a.channel());
        }
        a.properties().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            sql.append(" AND ").append(e.getKey()).append(" = ?");
            params.add(e.getValue());
        });
        return new Sql(groupBy(sql, keys.size()), params);
    }

    /** The table a store fills with an aggregate's profiles ({@link EventAggregate#profiles}) for the statement to read. */
    public static final String PROFILES_TABLE = "report_profiles";

    /** A statement reading an aggregate's profiles from the table a store filled with them. */
    public static Sql onTable(Sql sql, String table) {
        return new Sql(sql.text().replace(" " + PROFILES_TABLE + ")", " " + table + ")"), sql.params());
    }

    /** The two rollups' tables: their columns in order (the counts' last two are its figures). */
    public static final String ROLLUP_KEY = "database_id, bucket_ms, type, channel, campaign, journey, message_id, domain";

    /**
     * The two rollups of a set of events as SQL: the SQL twin of {@link EventRollup#of}, which
     * keeps them at ingest on DuckDB. ClickHouse runs them as materialized views on each inserted
     * block (the events and their rollups written by one statement); both run them to fill the
     * rollups of a log that had events before it had rollups. Columns named as the rollups' tables.
     */
    public static List<String> rollupSelects(Dialect d) {
        // DuckDB's channel may be NULL: coalesced under another name, renamed outside (an alias may not shadow the column it reads);
        // ClickHouse's is never NULL, and 18.16 loses aliases of a subquery's columns in a view: its names go on directly
        boolean duck = d == Dialect.DUCKDB;
        java.util.function.UnaryOperator<String> as = name -> duck ? "r_" + name : name;
        String key = "database_id" + (duck ? " AS r_database_id" : "") + ", " + (duck ? "(ts_ms // " + EventRollup.BUCKET_MS + ")"
                : "intDiv(ts_ms, " + EventRollup.BUCKET_MS + ")") + " * " + EventRollup.BUCKET_MS + " AS " + as.apply("bucket_ms") + ", type"
                + (duck ? " AS r_type, coalesce(channel, '') AS r_channel" : ", channel") + ", "
                + String.join(", ", EventRollup.PROPERTIES.stream().map(p -> text(p, d) + " AS " + as.apply(p)).toList())
                + ", " + domain(EventRollup.ADDRESS, d) + " AS " + as.apply("domain");
        List<String> columns = new ArrayList<>(List.of(ROLLUP_KEY.split(", ")));
        String groups = " GROUP BY " + String.join(", ", columns.stream().map(as).toList());
        String skip = " WHERE " + counted(d);
        String people = String.join(", ", EventRollup.PEOPLE_TYPES.stream().sorted().map(t -> "'" + t + "'").toList());
        String counts = "SELECT " + key + ", count(*) AS " + as.apply("events") + ", sum(" + number(EventRollup.VALUE, d) + ") AS "
                + as.apply("value_sum") + " FROM events" + skip + groups;
        String persons = "SELECT " + key + ", profile_id FROM events" + skip + " AND type IN (" + people + ")"
                + (duck ? " AND profile_id IS NOT NULL AND profile_id != ''" : " AND profile_id != ''") + groups + ", profile_id";
        if (!duck) {
            return List.of(counts, persons);
        }
        String names = String.join(", ", columns.stream().map(c -> "r_" + c + " AS " + c).toList());
        return List.of("SELECT " + names + ", r_events AS events, r_value_sum AS value_sum FROM (" + counts + ")",
                "SELECT " + names + ", profile_id FROM (" + persons + ")");
    }

    /** The statements that fill the two rollups from the stored events (a log that had events before it had rollups). */
    public static List<String> rebuildSql(Dialect d) {
        List<String> selects = rollupSelects(d);
        return List.of("INSERT INTO event_rollup " + selects.get(0), "INSERT INTO event_people " + selects.get(1));
    }

    /**
     * The events reports count: no machine's opens and clicks, no observer's copies — the
     * {@code counted} column each store fills at ingest ({@link EventRollup#counted}).
     */
    private static String counted(Dialect d) {
        return d == Dialect.DUCKDB ? "counted" : "counted = 1";
    }

    /**
     * The same answer from the stored JSON text (the key looked for as written), for a log whose
     * events were stored before they had the {@code counted} column (DuckDB fills it once from
     * this; ClickHouse computes it from this for parts written before).
     */
    public static String countedFromText(Dialect d) {
        return lacks(d).replace("?", "'\"" + EventRollup.MACHINE + "\":true'") + " AND " + lacks(d).replace("?", "'\"" + EventRollup.OBSERVER + "\":'");
    }

    /**
     * The firsts rollup's rows from the stored events: each profile's first counted event
     * of each type per database (ClickHouse's table also takes a version that makes its merges keep the earliest).
     */
    public static String firstsSelect(Dialect d) {
        return "SELECT database_id, type, profile_id, min(ts_ms) AS at_ms"
                + (d == Dialect.DUCKDB ? "" : ", toUInt64(9223372036854775807 - min(ts_ms)) AS version")
                + " FROM events WHERE " + (d == Dialect.DUCKDB ? "profile_id IS NOT NULL AND profile_id != ''" : "profile_id != ''") + " AND "
                + counted(d) + " GROUP BY database_id, type, profile_id";
    }

    /**
     * Each profile's first start event of a cohort question, when it falls in its period: columns {@code profile_id,
     * first_ms} — from the firsts rollup (a million rows where the start events were several million); still grouped,
     * as a rollup's rows are merged only later. {@code upto}: the events' row id from which DuckDB's rollup has not
     * merged them yet (those are read from the events themselves), or -1 where the rollup is whole (ClickHouse fills
     * it in each insert's statement).
     */
    private static String firsts(EventCohorts q, Dialect d, long upto, List<Object> params) {
        String where = " WHERE database_id IN (" + marks(q.databases().size()) + ") AND type IN (" + marks(q.start().size()) + ")";
        String rows = upto < 0 ? "event_firsts" + where
                : "(SELECT profile_id, at_ms FROM event_firsts" + where + " UNION ALL SELECT profile_id, ts_ms AS at_ms FROM events" + where
                        + " AND rowid >= " + upto + " AND profile_id IS NOT NULL AND profile_id != '' AND " + counted(d) + ")";
        StringBuilder s = new StringBuilder("(SELECT profile_id, min(at_ms) AS first_ms FROM ").append(rows)
                .append(" GROUP BY profile_id HAVING min(at_ms) >= ? AND min(at_ms) < ?)");
        for (int i = upto < 0 ? 1 : 2; i > 0; i--) {
            params.addAll(q.databases().stream().sorted().toList());
            params.addAll(q.start().stream().sorted().toList());
        }
        params.add(q.from().toEpochMilli());
        params.add(q.to().toEpochMilli());
        return s.toString();
    }

    /** The cohorts' sizes: columns cohort (its bucket's start, epoch ms) and profiles. */
    public static Sql cohortSizesSql(EventCohorts q, Dialect d, long firstsUpto) {
        List<Object> params = new ArrayList<>();
        String firsts = firsts(q, d, firstsUpto, params);
        return new Sql("SELECT " + bucket(q.grain(), q.offsetSeconds() * 1000L, "first_ms", d) + " AS c, count(*) FROM " + firsts + " AS f GROUP BY c",
                params);
    }

    /**
     * The cohorts' cells: cohort, period since (0 the cohort's own), distinct active profiles,
     * events, the sum, profile-days. Both engines take the first events as a subquery joined
     * {@code USING (profile_id)} (ClickHouse 18.16 has neither CTEs nor ON with expressions).
     */
    public static Sql cohortCellsSql(EventCohorts q, Dialect d, long firstsUpto) {
        List<Object> params = new ArrayList<>();
        long off = q.offsetSeconds() * 1000L;
        String period = period(q.grain(), off, d);
        // a profile-day as one 64-bit hash in DuckDB (a string per row cost a third of the query); ClickHouse counts the pair
        String day = d == Dialect.DUCKDB ? "((ts_ms + " + off + ") // 86400000)" : "intDiv(ts_ms + " + off + ", 86400000)";
        String sum = q.sumOf() == null ? "0" : "sum(" + number(q.sumOf(), d) + ")";
        StringBuilder sql = new StringBuilder("SELECT ").append(bucket(q.grain(), off, "first_ms", d)).append(" AS c, ").append(period).append(" AS p, ")
                .append(d == Dialect.DUCKDB ? "count(DISTINCT profile_id), count(*), " + sum + ", count(DISTINCT hash(profile_id, " + day + "))"
                        : "uniqExact(profile_id), count(), " + sum + ", uniqExact(profile_id, " + day + ")")
                .append(" FROM events ").append(d == Dialect.DUCKDB ? "JOIN " : "ALL INNER JOIN ").append(firsts(q, d, firstsUpto, params))
                .append(" AS f USING (profile_id) WHERE database_id IN (").append(marks(q.databases().size())).append(") AND type IN (")
                .append(marks(q.active().size())).append(") AND ts_ms >= first_ms AND ts_ms >= ? AND ts_ms < ? AND ").append(counted(d))
                .append(" GROUP BY c, p HAVING p <= ").append(q.periods());
        params.addAll(q.databases().stream().sorted().toList());
        params.addAll(q.active().stream().sorted().toList());
        // no first is before the period: a bound the scan can skip older parts of the log by
        params.add(q.from().toEpochMilli());
        params.add(q.activityEnd().toEpochMilli());
        return new Sql(sql.toString(), params);
    }

    /** The profiles of one cohort (its bucket's start), or of its active ones in one period when {@code period} is given. */
    public static Sql cohortMembersSql(EventCohorts q, long cohortMs, Integer period, Dialect d, long firstsUpto) {
        List<Object> params = new ArrayList<>();
        long off = q.offsetSeconds() * 1000L;
        String cohort = bucket(q.grain(), off, "first_ms", d);
        if (period == null) {
            String firsts = firsts(q, d, firstsUpto, params);
            params.add(cohortMs);
            return new Sql("SELECT profile_id FROM " + firsts + " AS f WHERE " + cohort + " = ?", params);
        }
        StringBuilder sql = new StringBuilder("SELECT DISTINCT profile_id FROM events ").append(d == Dialect.DUCKDB ? "JOIN " : "ALL INNER JOIN ")
                .append(firsts(q, d, firstsUpto, params)).append(" AS f USING (profile_id) WHERE database_id IN (").append(marks(q.databases().size()))
                .append(") AND type IN (").append(marks(q.active().size())).append(") AND ts_ms >= first_ms AND ts_ms >= ? AND ts_ms < ? AND ")
                .append(counted(d)).append(" AND ").append(cohort).append(" = ? AND ").append(period(q.grain(), off, d)).append(" = ?");
        params.addAll(q.databases().stream().sorted().toList());
        params.addAll(q.active().stream().sorted().toList());
        params.add(q.from().toEpochMilli());
        params.add(q.activityEnd().toEpochMilli());
        params.add(cohortMs);
        params.add((long) period);
        return new Sql(sql.toString(), params);
    }

    /**
     * A funnel's paths: per profile with a first step in the period, its step events as one list
     * of numbers, each {@code time × 1024 + mask} (one list, not two: a driver's arrays cost more
     * per row than the query; in no order: {@link #funnelPath} sorts them — sorting inside the
     * aggregate cost DuckDB more than the whole walk), and the breakdown's value on its first
     * first-step event. Times go in as numbers, types and property values as parameters.
     */
    public static Sql funnelSql(EventFunnel f, Dialect d) {
        List<Object> params = new ArrayList<>();
        StringBuilder mask = new StringBuilder("(");
        Set<String> types = new java.util.TreeSet<>();
        for (int i = 0; i < f.steps().size(); i++) {
            EventFunnel.Step step = f.steps().get(i);
            types.add(step.type());
            mask.append(i == 0 ? "" : " + ").append("CASE WHEN type = ?");
            params.add(step.type());
            for (Map.Entry<String, String> w : new java.util.TreeMap<>(step.where()).entrySet()) {
                mask.append(" AND ").append(text(w.getKey(), d)).append(" = ?");
                params.add(w.getValue());
            }
            mask.append(" THEN ").append(1 << i).append(" ELSE 0 END");
        }
        mask.append(')');
        long to = f.to().toEpochMilli();
        String first = "m % 2 = 1 AND ts_ms < " + to;
        StringBuilder sql = new StringBuilder("SELECT profile_id, ")
                .append(d == Dialect.DUCKDB ? "list(ts_ms * 1024 + m), arg_min(b, ts_ms) FILTER (WHERE " + first + ")"
                        : "groupArray(ts_ms * 1024 + m), argMinIf(b, ts_ms, " + first + ")")
                .append(" FROM (SELECT profile_id, ts_ms, ").append(mask).append(" AS m, ")
                .append(f.breakdown() == null ? "''" : text(f.breakdown(), d)).append(" AS b FROM events WHERE database_id IN (")
                .append(marks(f.databases().size())).append(") AND type IN (").append(marks(types.size())).append(") AND ts_ms >= ")
                .append(f.from().toEpochMilli()).append(" AND ts_ms < ").append(f.to().plus(f.window()).toEpochMilli()).append(" AND ")
                .append(d == Dialect.DUCKDB ? "profile_id IS NOT NULL" : "profile_id != ''").append(" AND ").append(counted(d))
                .append(") AS x WHERE m > 0 GROUP BY profile_id HAVING sum(CASE WHEN ").append(first).append(" THEN 1 ELSE 0 END) > 0");
        params.addAll(f.databases().stream().sorted().toList());
        params.addAll(types);
        return new Sql(sql.toString(), params);
    }

    /** A funnel path from a result row: profile, steps (as the engine printed its array), breakdown. */
    public static EventFunnel.Path funnelPath(String[] cells) {
        return funnelPath(cells[0], numbers(cells[1]), cells[2]);
    }

    /**
     * A funnel path from a profile's step events, each {@code time × 1024 + mask} in any order
     * ({@link #funnelSql}), sorted here in place: by time, then step (a mask is below 2¹⁰: ten steps at most).
     */
    public static EventFunnel.Path funnelPath(String profileId, long[] keys, String breakdown) {
        java.util.Arrays.sort(keys);
        int[] m = new int[keys.length];
        long[] t = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            m[i] = (int) (keys[i] & 1023);
            t[i] = keys[i] >> 10;
        }
        return new EventFunnel.Path(profileId, m, t, breakdown == null ? "" : breakdown);
    }

    /** The numbers of an array as DuckDB ({@code [1, 2]}) or ClickHouse ({@code [1,2]}) prints it. */
    private static long[] numbers(String array) {
        String inner = array.strip();
        inner = inner.substring(1, inner.length() - 1).strip();
        if (inner.isEmpty()) {
            return new long[0];
        }
        String[] parts = inner.split(",");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Long.parseLong(parts[i].strip());
        }
        return out;
    }

    /** How many of a grain's periods lie between a profile's first event and an event: days, weeks (Monday to Sunday) or calendar months. */
    private static String period(EventAggregate.Grain grain, long off, Dialect d) {
        String div = d == Dialect.DUCKDB ? "((%s + " + off + ") // 86400000)" : "intDiv(%s + " + off + ", 86400000)";
        return switch (grain) {
            case DAY -> "(" + div.formatted("ts_ms") + " - " + div.formatted("first_ms") + ")";
            case WEEK -> {
                String ts = div.formatted("ts_ms");
                String first = div.formatted("first_ms");
                String diff = "((" + ts + " - ((" + ts + " + 3) % 7)) - (" + first + " - ((" + first + " + 3) % 7)))";
                yield d == Dialect.DUCKDB ? "(" + diff + " // 7)" : "intDiv(" + diff + ", 7)";
            }
            default -> {
                java.util.function.Function<String, String> months = c -> d == Dialect.DUCKDB
                        ? "(year(epoch_ms(" + c + " + " + off + ")) * 12 + month(epoch_ms(" + c + " + " + off + ")))"
                        : "(toYear(toDateTime(intDiv(" + c + " + " + off + ", 1000), 'UTC')) * 12 + toMonth(toDateTime(intDiv(" + c + " + " + off
                                + ", 1000), 'UTC')))";
                yield "(" + months.apply("ts_ms") + " - " + months.apply("first_ms") + ")";
            }
        };
    }

    private static String groupBy(StringBuilder sql, int keys) {
        sql.append(" GROUP BY ");
        for (int i = 0; i < keys; i++) {
            sql.append('k').append(i).append(", ");
        }
        return sql.append("type").toString();
    }

    /** A condition that the stored JSON text lacks a parameter's text: the key looked for as written (no spaces) rather than every row parsed. */
    private static String lacks(Dialect d) {
        return d == Dialect.DUCKDB ? "NOT contains(properties, ?)" : "position(properties, ?) = 0";
    }

    private static String channel(Dialect d) {
        return d == Dialect.DUCKDB ? "coalesce(channel, '')" : "ifNull(channel, '')";
    }

    /** A numeric property, 0 when it is absent or not a number. */
    /** A numeric property; DuckDB's log keeps {@code value} as a column of its own ({@code value_number}, filled at ingest). */
    private static String number(String name, Dialect d) {
        if (d == Dialect.DUCKDB) {
            return name.equals(EventRollup.VALUE) ? "value_number" : numberFromText(name);
        }
        return "visitParamExtractFloat(properties, '" + name + "')";
    }

    /** A numeric property read from the stored JSON text in DuckDB (0 when it is not a number). */
    public static String numberFromText(String name) {
        return "coalesce(TRY_CAST(json_extract_string(properties, '$." + name + "') AS DOUBLE), 0)";
    }

    /** The domain of an address property: what follows its {@code @}, lower case. */
    private static String domain(String name, Dialect d) {
        return d == Dialect.DUCKDB ? "lower(split_part(" + text(name, d) + ", '@', 2))"
                : "if(position(" + text(name, d) + ", '@') > 0, lower(substring(" + text(name, d) + ", position("
                        + text(name, d) + ", '@') + 1)), '')";
    }

    public static EventCohorts.Size cohortSize(String[] cells) {
        return new EventCohorts.Size(Long.parseLong(cells[0]), Long.parseLong(cells[1]));
    }

    public static EventCohorts.Cell cohortCell(String[] cells) {
        return new EventCohorts.Cell(Long.parseLong(cells[0]), Integer.parseInt(cells[1]), Long.parseLong(cells[2]), Long.parseLong(cells[3]),
                cells[4] == null || cells[4].isEmpty() ? 0 : Double.parseDouble(cells[4]), Long.parseLong(cells[5]));
    }

    /** A row of an aggregate's result, its cells as text (what both engines give back). */
    public static EventAggregate.Row aggregateRow(EventAggregate a, String[] cells) {
        int n = a.groupBy().size();
        List<String> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(cells[i] == null ? "" : cells[i]);
        }
        return new EventAggregate.Row(keys, cells[n], Long.parseLong(cells[n + 1]), Long.parseLong(cells[n + 2]),
                cells[n + 3] == null || cells[n + 3].isEmpty() ? 0 : Double.parseDouble(cells[n + 3]));
    }

    /** A rollup's counts with its people joined on (keys, type): one row per group, as the raw events give it. */
    public static List<EventAggregate.Row> joined(List<EventAggregate.Row> counts, List<EventAggregate.Row> people) {
        Map<List<String>, EventAggregate.Row> out = new java.util.LinkedHashMap<>();
        for (EventAggregate.Row r : counts) {
            out.put(key(r), r);
        }
        for (EventAggregate.Row p : people) {
            EventAggregate.Row r = out.get(key(p));
            out.put(key(p), r == null ? p : new EventAggregate.Row(r.keys(), r.type(), r.events(), p.profiles(), r.sum()));
        }
        return new ArrayList<>(out.values());
    }

    private static List<String> key(EventAggregate.Row r) {
        List<String> k = new ArrayList<>(r.keys());
        k.add(r.type());
        return k;
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** A property's text, "" when the event has none. */
    private static String text(String name, Dialect d) {
        // a string as it is, anything else (a number, true) as its JSON text — in both stores, as EventRollup.text reads it
        return d == Dialect.DUCKDB ? "coalesce(json_extract_string(properties, '$." + name + "'), '')"
                : "if(substring(visitParamExtractRaw(properties, '" + name + "'), 1, 1) = '\"', visitParamExtractString(properties, '" + name
                        + "'), visitParamExtractRaw(properties, '" + name + "'))";
    }

    /** The start of an event's time bucket in epoch milliseconds, cut {@code offset} ms from UTC. */
    private static String bucket(EventAggregate.Grain grain, long offset, String column, Dialect d) {
        String x = "(" + column + " + " + offset + ")";
        String div = d == Dialect.DUCKDB ? "(%s // %d)" : "intDiv(%s, %d)";
        String days = div.formatted(x, 86_400_000L);
        String local = switch (grain) {
            case HOUR -> div.formatted(x, 3_600_000L) + " * 3600000";
            case DAY -> days + " * 86400000";
            // the epoch's first day was a Thursday: Monday is 3 days before it
            case WEEK -> "(" + days + " - ((" + days + " + 3) % 7)) * 86400000";
            case MONTH, YEAR -> {
                String unit = grain == EventAggregate.Grain.MONTH ? "month" : "year";
                yield d == Dialect.DUCKDB ? "epoch_ms(date_trunc('" + unit + "', epoch_ms(" + x + ")))"
                        : "toInt64(toDateTime(toStartOf" + (grain == EventAggregate.Grain.MONTH ? "Month" : "Year") + "(toDateTime(intDiv(" + x
                                + ", 1000), 'UTC')), 'UTC')) * 1000";
            }
        };
        return "(" + local + " - " + offset + ")";
    }
}
