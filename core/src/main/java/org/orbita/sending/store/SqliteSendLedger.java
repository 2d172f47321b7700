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
import org.orbita.sending.LedgerState;
import org.orbita.sending.SendChannel;
import org.orbita.sending.SendKind;
import org.orbita.sending.SendLedger;
import org.orbita.storage.sqlite.SqliteConnections;

/**
 * The send ledger in the embedded SQLite file: one row per run, profile and channel (key =
 * profile/channel), and one per run saying what it is.
 */
public final class SqliteSendLedger implements SendLedger {

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS send_ledger (run TEXT NOT NULL, pkey TEXT NOT NULL, profile_id TEXT NOT NULL,"
                    + " channel TEXT NOT NULL, state TEXT NOT NULL, detail TEXT, at_ms INTEGER NOT NULL, due_ms INTEGER,"
                    + " PRIMARY KEY (run, pkey)) WITHOUT ROWID",
            "CREATE INDEX IF NOT EXISTS send_ledger_profile ON send_ledger (profile_id, channel, at_ms)",
            "CREATE INDEX IF NOT EXISTS send_ledger_due ON send_ledger (run, due_ms) WHERE due_ms IS NOT NULL",
            "CREATE TABLE IF NOT EXISTS send_runs (run TEXT NOT NULL PRIMARY KEY, kind TEXT NOT NULL, ws TEXT, db TEXT,"
                    + " campaign TEXT, journey TEXT) WITHOUT ROWID");
    private static final String OUTGOING = "('pending', 'queued', 'sending', 'delivered')";

    private final SqliteConnections sqlite;

    public SqliteSendLedger(SqliteConnections sqlite) {
        this.sqlite = sqlite;
        sqlite.schema(SCHEMA);
        // added after the first release: a ledger made before gets the column
        sqlite.column("send_ledger", "address", "TEXT");
        sqlite.schema(List.of("CREATE INDEX IF NOT EXISTS send_ledger_address ON send_ledger (address, channel, at_ms) WHERE address IS NOT NULL"));
    }

    private PreparedStatement statement(Connection c, String sql) throws SQLException {
        return sqlite.statement(c, sql);
    }

    @Override
    public Map<String, Entry> reserve(Run run, List<Entry> entries) {
        Map<String, Entry> out = new LinkedHashMap<>();
        if (entries.isEmpty()) {
            return out;
        }
        Set<String> wanted = new HashSet<>();
        String[] range = {null, null};
        sqlite.write(c -> {
            PreparedStatement r = statement(c, "INSERT OR IGNORE INTO send_runs (run, kind, ws, db, campaign, journey) VALUES (?, ?, ?, ?, ?, ?)");
            r.setString(1, run.id());
            r.setString(2, run.kind().id());
            r.setString(3, run.workspaceId());
            r.setString(4, run.databaseId());
            r.setString(5, run.campaignId());
            r.setString(6, run.journeyId());
            r.executeUpdate();
            PreparedStatement ps = statement(c, "INSERT OR IGNORE INTO send_ledger (run, pkey, profile_id, channel, state, detail, at_ms, due_ms,"
                    + " address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
            long now = System.currentTimeMillis();
            for (Entry e : entries) {
                String key = e.key();
                wanted.add(key);
                range[0] = range[0] == null || key.compareTo(range[0]) < 0 ? key : range[0];
                range[1] = range[1] == null || key.compareTo(range[1]) > 0 ? key : range[1];
                ps.setString(1, run.id());
                ps.setString(2, key);
                ps.setString(3, e.profileId());
                ps.setString(4, e.channel().id());
                ps.setString(5, e.state().id());
                ps.setString(6, e.detail());
                ps.setLong(7, now);
                setDue(ps, 8, e.due());
                ps.setString(9, e.address());
                ps.executeUpdate();
            }
        });
        Map<String, Entry> standing = sqlite.read(c -> {
            Map<String, Entry> m = new HashMap<>();
            PreparedStatement ps = statement(c, "SELECT pkey, profile_id, channel, state, detail, due_ms FROM send_ledger"
                    + " WHERE run = ? AND pkey >= ? AND pkey <= ?");
            ps.setString(1, run.id());
            ps.setString(2, range[0]);
            ps.setString(3, range[1]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (wanted.contains(rs.getString(1))) {
                        m.put(rs.getString(1), entry(rs, 2));
                    }
                }
            }
            return m;
        });
        for (Entry e : entries) {
            out.put(e.key(), standing.get(e.key()));
        }
        return out;
    }

    /** An entry from columns profile_id, channel, state, detail, due_ms starting at {@code first}. */
    private static Entry entry(ResultSet rs, int first) throws SQLException {
        long due = rs.getLong(first + 4);
        Instant at = rs.wasNull() ? null : Instant.ofEpochMilli(due);
        return new Entry(rs.getString(first), SendChannel.fromId(rs.getString(first + 1)), LedgerState.fromId(rs.getString(first + 2)),
                rs.getString(first + 3), at);
    }

    private static void setDue(PreparedStatement ps, int index, Instant due) throws SQLException {
        if (due == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, due.toEpochMilli());
        }
    }

    @Override
    public Optional<Run> run(String runId) {
        return sqlite.read(c -> {
            PreparedStatement ps = statement(c, "SELECT kind, ws, db, campaign, journey FROM send_runs WHERE run = ?");
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Run(runId, SendKind.fromId(rs.getString(1)), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5))) : Optional.<Run>empty();
            }
        });
    }

    @Override
    public void mark(String runId, Collection<Entry> entries) {
        sqlite.write(c -> {
            PreparedStatement ps = statement(c, "UPDATE send_ledger SET state = ?, detail = ?, due_ms = ? WHERE run = ? AND pkey = ? AND state = 'pending'");
            for (Entry e : entries) {
                ps.setString(1, e.state().id());
                ps.setString(2, e.detail());
                setDue(ps, 3, e.due());
                ps.setString(4, runId);
                ps.setString(5, e.key());
                ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean advance(String runId, String key, LedgerState from, LedgerState to, String detail) {
        int[] n = {0};
        sqlite.write(c -> {
            PreparedStatement ps = statement(c, "UPDATE send_ledger SET state = ?, detail = ? WHERE run = ? AND pkey = ? AND state = ?");
            ps.setString(1, to.id());
            ps.setString(2, detail);
            ps.setString(3, runId);
            ps.setString(4, key);
            ps.setString(5, from.id());
            n[0] = ps.executeUpdate();
        });
        return n[0] == 1;
    }

    @Override
    public Map<String, Long> sentSince(Collection<String> profileIds, SendChannel channel, Instant since, String exceptRun) {
        return outgoingSince("profile_id", profileIds, channel, since, exceptRun);
    }

    @Override
    public Map<String, Long> sentToAddressesSince(Collection<String> addresses, SendChannel channel, Instant since, String exceptRun) {
        return outgoingSince("address", addresses, channel, since, exceptRun);
    }

    /** Per value of a key column (a profile, an address): outgoing entries of a channel since a moment, other runs only. */
    private Map<String, Long> outgoingSince(String column, Collection<String> keys, SendChannel channel, Instant since, String exceptRun) {
        Map<String, Long> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        return sqlite.read(c -> {
            PreparedStatement ps = statement(c, "SELECT count(*) FROM send_ledger WHERE " + column + " = ? AND channel = ? AND at_ms >= ?"
                    + " AND run <> ? AND state IN " + OUTGOING);
            for (String key : keys) {
                ps.setString(1, key);
                ps.setString(2, channel.id());
                ps.setLong(3, since.toEpochMilli());
                ps.setString(4, exceptRun);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getLong(1) > 0) {
                        out.put(key, rs.getLong(1));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<Entry> due(String runId, Instant now, int limit) {
        return sqlite.read(c -> {
            List<Entry> out = new ArrayList<>();
            PreparedStatement ps = statement(c, "SELECT profile_id, channel, state, detail, due_ms FROM send_ledger"
                    + " WHERE run = ? AND due_ms IS NOT NULL AND due_ms <= ? AND state = 'waiting' ORDER BY pkey LIMIT ?");
            ps.setString(1, runId);
            ps.setLong(2, now.toEpochMilli());
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs, 1));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<Instant> nextDue(String runId) {
        return sqlite.read(c -> {
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
        return sqlite.read(c -> {
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
    public List<Entry> entries(String runId, String afterKey, int limit) {
        return sqlite.read(c -> {
            List<Entry> out = new ArrayList<>();
            PreparedStatement ps = statement(c, "SELECT profile_id, channel, state, detail, due_ms FROM send_ledger WHERE run = ? AND pkey > ?"
                    + " ORDER BY pkey LIMIT ?");
            ps.setString(1, runId);
            ps.setString(2, afterKey == null ? "" : afterKey);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs, 1));
                }
            }
            return out;
        });
    }
}
