package org.orbita.events.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.orbita.common.Json;
import org.orbita.events.Event;
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
}
