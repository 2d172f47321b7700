package org.orbita.events.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orbita.common.Json;
import org.orbita.events.Event;
import org.orbita.events.EventAggregate;
import org.orbita.events.HistoryQuery;

/**
 * The event table as both SQL engines (DuckDB and ClickHouse) store it: one row per
 * event, time as epoch milliseconds, properties as JSON text — SQL both accept.
 */
public final class EventRows {

    /** A statement with positional parameters. */
    public record Sql(String text, List<Object> params) {}

    private EventRows() {}

    public static Sql historySql(HistoryQuery q) {
        StringBuilder sql = new StringBuilder(
                "SELECT id, database_id, profile_id, type, channel, ts_ms, properties FROM events WHERE database_id = ?");
        List<Object> params = new ArrayList<>(List.of(q.databaseId()));
        if (q.profileId() != null) {
            sql.append(" AND profile_id = ?");
            params.add(q.profileId());
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
     * The statement of an aggregate: key columns {@code k0…}, then the type, the number of events,
     * of distinct profiles, and the sum. Property names were checked by {@link EventAggregate}
     * (letters, digits, underscores), so they go into the text; values are parameters.
     */
    public static Sql aggregateSql(EventAggregate a, Dialect d) {
        List<Object> params = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (EventAggregate.Dimension dim : a.groupBy()) {
            keys.add(switch (dim) {
                case EventAggregate.Time t -> bucket(t.grain(), a.offsetSeconds() * 1000L, d);
                case EventAggregate.Channel c -> d == Dialect.DUCKDB ? "coalesce(channel, '')" : "ifNull(channel, '')";
                case EventAggregate.Property p -> text(p.name(), d);
                case EventAggregate.DomainOf p -> d == Dialect.DUCKDB ? "lower(split_part(" + text(p.name(), d) + ", '@', 2))"
                        : "if(position(" + text(p.name(), d) + ", '@') > 0, lower(substring(" + text(p.name(), d) + ", position("
                                + text(p.name(), d) + ", '@') + 1)), '')";
            });
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(keys.get(i)).append(" AS k").append(i).append(", ");
        }
        String sum = a.sumOf() == null ? "0" : d == Dialect.DUCKDB
                ? "sum(coalesce(TRY_CAST(json_extract_string(properties, '$." + a.sumOf() + "') AS DOUBLE), 0))"
                : "sum(visitParamExtractFloat(properties, '" + a.sumOf() + "'))";
        sql.append("type, count(*), ").append(d == Dialect.DUCKDB ? "count(DISTINCT profile_id)" : "uniqExact(profile_id)").append(", ")
                .append(sum).append(" FROM events WHERE database_id IN (").append(marks(a.databases().size())).append(')');
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
        // these two look for the key in the stored JSON text as it is written (no spaces) rather than parse every row
        String lacks = d == Dialect.DUCKDB ? " AND NOT contains(properties, ?)" : " AND position(properties, ?) = 0";
        a.notTrue().stream().sorted().forEach(name -> {
            sql.append(lacks);
            params.add("\"" + name + "\":true");
        });
        a.absent().stream().sorted().forEach(name -> {
            sql.append(lacks);
            params.add("\"" + name + "\":");
        });
        sql.append(" GROUP BY ");
        for (int i = 0; i < keys.size(); i++) {
            sql.append('k').append(i).append(", ");
        }
        sql.append("type");
        return new Sql(sql.toString(), params);
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

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** A property's text, "" when the event has none. */
    private static String text(String name, Dialect d) {
        return d == Dialect.DUCKDB ? "coalesce(json_extract_string(properties, '$." + name + "'), '')"
                : "visitParamExtractString(properties, '" + name + "')";
    }

    /** The start of an event's time bucket in epoch milliseconds, cut {@code offset} ms from UTC. */
    private static String bucket(EventAggregate.Grain grain, long offset, Dialect d) {
        String x = "(ts_ms + " + offset + ")";
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
