package org.orbita.inbound.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.orbita.inbound.InboundLog;
import org.orbita.storage.sql.SqlDatabase;

/** The inbound log on SQL, one schema for SQLite and PostgreSQL; a source's keys unique (a resent call found by its key). */
public final class SqlInboundLog implements InboundLog {

    public static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS inbound_received (id TEXT NOT NULL PRIMARY KEY, ws TEXT NOT NULL, source TEXT NOT NULL,"
                    + " at_ms BIGINT NOT NULL, content_type TEXT, body TEXT NOT NULL, dedupe TEXT, state TEXT NOT NULL, error TEXT,"
                    + " profile_id TEXT, event_id TEXT, replays INTEGER NOT NULL)",
            "CREATE UNIQUE INDEX IF NOT EXISTS inbound_received_key ON inbound_received (ws, source, dedupe)",
            "CREATE INDEX IF NOT EXISTS inbound_received_list ON inbound_received (ws, source, id)",
            "CREATE INDEX IF NOT EXISTS inbound_received_at ON inbound_received (at_ms)");

    private static final String COLUMNS = "id, ws, source, at_ms, content_type, body, dedupe, state, error, profile_id, event_id, replays";

    private final SqlDatabase db;

    public SqlInboundLog(SqlDatabase db) {
        this.db = db;
        db.schema(SCHEMA);
    }

    @Override
    public boolean[] addAll(List<Received> received) {
        return db.write(c -> {
            boolean[] kept = new boolean[received.size()];
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbound_received (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING")) {
                for (int i = 0; i < kept.length; i++) {
                    Received r = received.get(i);
                    ps.setString(1, r.id());
                    ps.setString(2, r.workspaceId());
                    ps.setString(3, r.source());
                    ps.setLong(4, r.at().toEpochMilli());
                    ps.setString(5, r.contentType());
                    ps.setString(6, r.body());
                    ps.setString(7, r.key());
                    ps.setString(8, name(r.state()));
                    ps.setString(9, r.error());
                    ps.setString(10, r.profileId());
                    ps.setString(11, r.eventId());
                    ps.setInt(12, r.replays());
                    kept[i] = ps.executeUpdate() == 1;
                }
            }
            return kept;
        });
    }

    @Override
    public void outcomes(List<Made> made) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE inbound_received SET state = ?, error = ?, profile_id = ?, event_id = ?,"
                    + " replays = replays + ? WHERE id = ?")) {
                for (Made m : made) {
                    ps.setString(1, name(m.state()));
                    ps.setString(2, m.error());
                    ps.setString(3, m.profileId());
                    ps.setString(4, m.eventId());
                    ps.setInt(5, m.replayed() ? 1 : 0);
                    ps.setString(6, m.id());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public Optional<Received> get(String workspaceId, String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM inbound_received WHERE ws = ? AND id = ?")) {
                ps.setString(1, workspaceId);
                ps.setString(2, id);
                return rows(ps).stream().findFirst();
            }
        });
    }

    @Override
    public List<Received> list(String workspaceId, String source, State state, String before, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM inbound_received WHERE ws = ? AND source = ?"
                    + (state == null ? "" : " AND state = ?") + (before == null ? "" : " AND id < ?") + " ORDER BY id DESC LIMIT ?")) {
                int i = 1;
                ps.setString(i++, workspaceId);
                ps.setString(i++, source);
                if (state != null) {
                    ps.setString(i++, name(state));
                }
                if (before != null) {
                    ps.setString(i++, before);
                }
                ps.setInt(i, limit);
                return rows(ps);
            }
        });
    }

    @Override
    public int purge(Instant before) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM inbound_received WHERE at_ms < ?")) {
                ps.setLong(1, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void forget(String workspaceId, String source) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM inbound_received WHERE ws = ? AND source = ?")) {
                ps.setString(1, workspaceId);
                ps.setString(2, source);
                return ps.executeUpdate();
            }
        });
    }

    private static String name(State s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static List<Received> rows(PreparedStatement ps) throws SQLException {
        List<Received> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Received(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5),
                        rs.getString(6), rs.getString(7), State.valueOf(rs.getString(8).toUpperCase(Locale.ROOT)), rs.getString(9),
                        rs.getString(10), rs.getString(11), rs.getInt(12)));
            }
        }
        return out;
    }
}
