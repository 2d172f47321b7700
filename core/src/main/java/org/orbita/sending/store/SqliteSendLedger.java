package org.orbita.sending.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.orbita.sending.SendLedger;
import org.orbita.storage.sqlite.SqliteConnections;

/** The send ledger in the embedded SQLite file: one row per run, profile and channel (key = profile/channel). */
public final class SqliteSendLedger implements SendLedger {

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS send_ledger (run TEXT NOT NULL, pkey TEXT NOT NULL, profile_id TEXT NOT NULL,"
                    + " channel TEXT NOT NULL, state TEXT NOT NULL, detail TEXT, at_ms INTEGER NOT NULL, due_ms INTEGER,"
                    + " PRIMARY KEY (run, pkey)) WITHOUT ROWID",
            "CREATE INDEX IF NOT EXISTS send_ledger_profile ON send_ledger (profile_id, channel, at_ms)",
            "CREATE INDEX IF NOT EXISTS send_ledger_due ON send_ledger (run, due_ms) WHERE due_ms IS NOT NULL");

    private final SqliteConnections db;

    public SqliteSendLedger(SqliteConnections db) {
        this.db = db;
        db.schema(SCHEMA);
    }

    private void write(SqliteConnections.SqlWork work) {
        db.write(work);
    }

    private <T> T read(SqliteConnections.SqlRead<T> query) {
        return db.read(query);
    }

    private PreparedStatement statement(Connection c, String sql) throws SQLException {
        return db.statement(c, sql);
    }

    @Override
    public Map<String, SendLedger.Entry> reserve(String runId, List<SendLedger.Entry> entries) {
        Map<String, SendLedger.Entry> out = new LinkedHashMap<>();
        if (entries.isEmpty()) {
            return out;
        }
        Set<String> wanted = new HashSet<>();
        String[] range = {null, null};
        write(c -> {
            PreparedStatement ps = statement(c, "INSERT OR IGNORE INTO send_ledger (run, pkey, profile_id, channel, state, detail, at_ms, due_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            long now = System.currentTimeMillis();
            for (SendLedger.Entry e : entries) {
                String key = e.key();
                wanted.add(key);
                range[0] = range[0] == null || key.compareTo(range[0]) < 0 ? key : range[0];
                range[1] = range[1] == null || key.compareTo(range[1]) > 0 ? key : range[1];
                ps.setString(1, runId);
                ps.setString(2, key);
                ps.setString(3, e.profileId());
                ps.setString(4, e.channel());
                ps.setString(5, e.state());
                ps.setString(6, e.detail());
                ps.setLong(7, now);
                if (e.due() == null) {
                    ps.setNull(8, Types.INTEGER);
                } else {
                    ps.setLong(8, e.due().toEpochMilli());
                }
                ps.executeUpdate();
            }
        });
        Map<String, SendLedger.Entry> standing = read(c -> {
            Map<String, SendLedger.Entry> m = new HashMap<>();
            PreparedStatement ps = statement(c, "SELECT pkey, profile_id, channel, state, detail, due_ms FROM send_ledger"
                    + " WHERE run = ? AND pkey >= ? AND pkey <= ?");
            ps.setString(1, runId);
            ps.setString(2, range[0]);
            ps.setString(3, range[1]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (wanted.contains(rs.getString(1))) {
                        long due = rs.getLong(6);
                        m.put(rs.getString(1), new SendLedger.Entry(rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.wasNull() ? null : Instant.ofEpochMilli(due)));
                    }
                }
            }
            return m;
        });
        for (SendLedger.Entry e : entries) {
            out.put(e.key(), standing.get(e.key()));
        }
        return out;
    }

    @Override
    public void mark(String runId, Collection<SendLedger.Entry> entries) {
        write(c -> {
            PreparedStatement ps = statement(c, "UPDATE send_ledger SET state = ?, detail = ?, due_ms = ? WHERE run = ? AND pkey = ? AND state = 'pending'");
            for (SendLedger.Entry e : entries) {
                ps.setString(1, e.state());
                ps.setString(2, e.detail());
                if (e.due() == null) {
                    ps.setNull(3, Types.INTEGER);
                } else {
                    ps.setLong(3, e.due().toEpochMilli());
                }
                ps.setString(4, runId);
                ps.setString(5, e.key());
                ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean advance(String runId, String key, String from, String to, String detail) {
        int[] n = {0};
        write(c -> {
            PreparedStatement ps = statement(c, "UPDATE send_ledger SET state = ?, detail = ? WHERE run = ? AND pkey = ? AND state = ?");
            ps.setString(1, to);
            ps.setString(2, detail);
            ps.setString(3, runId);
            ps.setString(4, key);
            ps.setString(5, from);
            n[0] = ps.executeUpdate();
        });
        return n[0] == 1;
    }

    @Override
    public Map<String, Long> sentSince(Collection<String> profileIds, String channel, Instant since, String exceptRun) {
        Map<String, Long> out = new HashMap<>();
        if (profileIds.isEmpty()) {
            return out;
        }
        return read(c -> {
            PreparedStatement ps = statement(c, "SELECT count(*) FROM send_ledger WHERE profile_id = ? AND channel = ? AND at_ms >= ?"
                    + " AND run <> ? AND state IN ('pending', 'queued', 'sending', 'delivered')");
            for (String id : profileIds) {
                ps.setString(1, id);
                ps.setString(2, channel);
                ps.setLong(3, since.toEpochMilli());
                ps.setString(4, exceptRun);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getLong(1) > 0) {
                        out.put(id, rs.getLong(1));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<SendLedger.Entry> due(String runId, Instant now, int limit) {
        return read(c -> {
            List<SendLedger.Entry> out = new ArrayList<>();
            PreparedStatement ps = statement(c, "SELECT profile_id, channel, state, detail, due_ms FROM send_ledger"
                    + " WHERE run = ? AND due_ms IS NOT NULL AND due_ms <= ? AND state = 'waiting' ORDER BY pkey LIMIT ?");
            ps.setString(1, runId);
            ps.setLong(2, now.toEpochMilli());
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SendLedger.Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5))));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<Instant> nextDue(String runId) {
        return read(c -> {
            PreparedStatement ps = statement(c, "SELECT min(due_ms) FROM send_ledger WHERE run = ? AND due_ms IS NOT NULL AND state = 'waiting'");
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(v));
            }
        });
    }

    @Override
    public Map<String, Long> countByState(String runId) {
        return read(c -> {
            Map<String, Long> m = new TreeMap<>();
            PreparedStatement ps = statement(c, "SELECT state, count(*) FROM send_ledger WHERE run = ? GROUP BY state");
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    m.put(rs.getString(1), rs.getLong(2));
                }
            }
            return m;
        });
    }

    @Override
    public List<SendLedger.Entry> entries(String runId, String afterKey, int limit) {
        return read(c -> {
            List<SendLedger.Entry> out = new ArrayList<>();
            PreparedStatement ps = statement(c, "SELECT profile_id, channel, state, detail FROM send_ledger WHERE run = ? AND pkey > ?"
                    + " ORDER BY pkey LIMIT ?");
            ps.setString(1, runId);
            ps.setString(2, afterKey == null ? "" : afterKey);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SendLedger.Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            return out;
        });
    }
}
