package org.orbita.webhooks.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.orbita.storage.sql.SqlDatabase;
import org.orbita.webhooks.WebhookStore;

/**
 * The webhooks' outbox on SQL, one schema for SQLite and PostgreSQL. The first pending delivery
 * of a webhook and key is found through the index on (webhook, key, state, seq); due ones through
 * (state, next).
 */
public final class SqlWebhookStore implements WebhookStore {

    public static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS webhook_deliveries (id TEXT NOT NULL PRIMARY KEY, ws TEXT NOT NULL, webhook TEXT NOT NULL,"
                    + " order_key TEXT NOT NULL, seq BIGINT NOT NULL, event_type TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL,"
                    + " attempts INTEGER NOT NULL, next_ms BIGINT NOT NULL, lease_ms BIGINT, created_ms BIGINT NOT NULL, last_ms BIGINT,"
                    + " last_status INTEGER, last_error TEXT)",
            "CREATE INDEX IF NOT EXISTS webhook_deliveries_key ON webhook_deliveries (webhook, order_key, state, seq)",
            "CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (state, next_ms, seq)",
            "CREATE INDEX IF NOT EXISTS webhook_deliveries_list ON webhook_deliveries (ws, webhook, state, seq)");

    private static final String COLUMNS = "id, ws, webhook, order_key, seq, event_type, payload, state, attempts, next_ms, created_ms, last_ms,"
            + " last_status, last_error";

    private final SqlDatabase db;

    public SqlWebhookStore(SqlDatabase db) {
        this.db = db;
        db.schema(SCHEMA);
    }

    @Override
    public void add(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                for (Delivery d : deliveries) {
                    ps.setString(1, d.id());
                    ps.setString(2, d.workspaceId());
                    ps.setString(3, d.webhookId());
                    ps.setString(4, d.orderKey());
                    ps.setLong(5, d.seq());
                    ps.setString(6, d.eventType());
                    ps.setString(7, d.payload());
                    ps.setString(8, name(d.state()));
                    ps.setInt(9, d.attempts());
                    ps.setLong(10, d.next().toEpochMilli());
                    ps.setLong(11, d.created().toEpochMilli());
                    millis(ps, 12, d.lastAttempt());
                    integer(ps, 13, d.lastStatus());
                    ps.setString(14, d.lastError());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<Delivery> due(Instant now, int limit) {
        long ms = now.toEpochMilli();
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM webhook_deliveries d WHERE state = 'pending' AND next_ms <= ?"
                    + " AND (lease_ms IS NULL OR lease_ms < ?) AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.webhook = d.webhook"
                    + " AND e.order_key = d.order_key AND e.state = 'pending' AND e.seq < d.seq) ORDER BY next_ms, seq LIMIT ?")) {
                ps.setLong(1, ms);
                ps.setLong(2, ms);
                ps.setInt(3, limit);
                return rows(ps);
            }
        });
    }

    @Override
    public Set<String> lease(Collection<String> ids, Instant now, Instant until) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return db.write(c -> {
            Set<String> taken = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET lease_ms = ? WHERE id IN ("
                    + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ") AND state = 'pending'"
                    + " AND (lease_ms IS NULL OR lease_ms < ?) RETURNING id")) {
                int i = 1;
                ps.setLong(i++, until.toEpochMilli());
                for (String id : ids) {
                    ps.setString(i++, id);
                }
                ps.setLong(i, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        taken.add(rs.getString(1));
                    }
                }
            }
            return taken;
        });
    }

    @Override
    public void record(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET state = ?, attempts = ?, next_ms = coalesce(?, next_ms),"
                    + " lease_ms = NULL, last_ms = ?, last_status = ?, last_error = ? WHERE id = ?")) {
                for (Outcome o : outcomes) {
                    ps.setString(1, name(o.state()));
                    ps.setInt(2, o.attempts());
                    millis(ps, 3, o.next());
                    ps.setLong(4, o.at().toEpochMilli());
                    integer(ps, 5, o.status());
                    ps.setString(6, o.error());
                    ps.setString(7, o.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public int killPending(String workspaceId, String webhookId, Instant at, String error) {
        return db.write(c -> update(c, "UPDATE webhook_deliveries SET state = 'dead', lease_ms = NULL, last_ms = ?, last_error = ?"
                + " WHERE ws = ? AND webhook = ? AND state = 'pending'", at.toEpochMilli(), error, workspaceId, webhookId));
    }

    @Override
    public List<Delivery> list(String workspaceId, String webhookId, State state, Long before, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM webhook_deliveries WHERE ws = ? AND webhook = ? AND state = ?"
                    + " AND seq < ? ORDER BY seq DESC LIMIT ?")) {
                ps.setString(1, workspaceId);
                ps.setString(2, webhookId);
                ps.setString(3, name(state));
                ps.setLong(4, before == null ? Long.MAX_VALUE : before);
                ps.setInt(5, limit);
                return rows(ps);
            }
        });
    }

    @Override
    public Optional<Delivery> get(String workspaceId, String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM webhook_deliveries WHERE ws = ? AND id = ?")) {
                ps.setString(1, workspaceId);
                ps.setString(2, id);
                return rows(ps).stream().findFirst();
            }
        });
    }

    @Override
    public int replay(String workspaceId, String webhookId, String id, Instant now) {
        return db.write(c -> id == null
                ? update(c, "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_ms = ?, lease_ms = NULL WHERE ws = ? AND webhook = ?"
                        + " AND state = 'dead'", now.toEpochMilli(), workspaceId, webhookId)
                : update(c, "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_ms = ?, lease_ms = NULL WHERE ws = ? AND webhook = ?"
                        + " AND state = 'dead' AND id = ?", now.toEpochMilli(), workspaceId, webhookId, id));
    }

    @Override
    public Map<State, Long> counts(String workspaceId, String webhookId) {
        return db.read(c -> {
            Map<State, Long> out = new EnumMap<>(State.class);
            for (State s : State.values()) {
                out.put(s, 0L);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT state, count(*) FROM webhook_deliveries WHERE ws = ? AND webhook = ? GROUP BY state")) {
                ps.setString(1, workspaceId);
                ps.setString(2, webhookId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(State.valueOf(rs.getString(1).toUpperCase(Locale.ROOT)), rs.getLong(2));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public int purge(Instant deliveredBefore, Instant deadBefore) {
        return db.write(c -> update(c, "DELETE FROM webhook_deliveries WHERE (state = 'delivered' AND last_ms < ?) OR (state = 'dead' AND last_ms < ?)",
                deliveredBefore.toEpochMilli(), deadBefore.toEpochMilli()));
    }

    @Override
    public void forget(String workspaceId, String webhookId) {
        db.write(c -> update(c, "DELETE FROM webhook_deliveries WHERE ws = ? AND webhook = ?", workspaceId, webhookId));
    }

    private static String name(State s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                Object p = params[i];
                if (p == null) {
                    ps.setNull(i + 1, Types.NULL); // unspecified: PostgreSQL takes it for any column
                } else if (p instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else if (p instanceof Integer n) {
                    ps.setInt(i + 1, n);
                } else {
                    ps.setString(i + 1, p.toString());
                }
            }
            return ps.executeUpdate();
        }
    }

    private static List<Delivery> rows(PreparedStatement ps) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long last = rs.getLong(12);
                Instant lastAt = rs.wasNull() ? null : Instant.ofEpochMilli(last);
                int status = rs.getInt(13);
                Integer lastStatus = rs.wasNull() ? null : status;
                out.add(new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6),
                        rs.getString(7), State.valueOf(rs.getString(8).toUpperCase(Locale.ROOT)), rs.getInt(9), Instant.ofEpochMilli(rs.getLong(10)),
                        Instant.ofEpochMilli(rs.getLong(11)), lastAt, lastStatus, rs.getString(14)));
            }
        }
        return out;
    }

    private static void millis(PreparedStatement ps, int i, Instant at) throws SQLException {
        if (at == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, at.toEpochMilli());
        }
    }

    private static void integer(PreparedStatement ps, int i, Integer n) throws SQLException {
        if (n == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, n);
        }
    }
}
