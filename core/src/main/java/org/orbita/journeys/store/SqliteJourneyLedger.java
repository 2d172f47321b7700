package org.orbita.journeys.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.orbita.common.Json;
import org.orbita.events.Event;
import org.orbita.journeys.JourneyLedger;
import org.orbita.storage.sqlite.SqliteConnections;

/**
 * Journey instances in the embedded SQLite file: one row per instance (a {@code lock} column,
 * unique, holds journey and profile while an exclusive instance lives) and per-node counters.
 */
public final class SqliteJourneyLedger extends CountedJourneyLedger {

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS journey_instances (id TEXT NOT NULL PRIMARY KEY, ws TEXT, journey TEXT NOT NULL, version INTEGER NOT NULL,"
                    + " db TEXT, profile_id TEXT NOT NULL, node TEXT, state TEXT NOT NULL, entered_ms INTEGER NOT NULL, step_ms INTEGER NOT NULL,"
                    + " vars TEXT, incident TEXT, lock TEXT) WITHOUT ROWID",
            "CREATE UNIQUE INDEX IF NOT EXISTS journey_instances_lock ON journey_instances (lock)",
            "CREATE INDEX IF NOT EXISTS journey_instances_entered ON journey_instances (journey, profile_id, entered_ms)",
            "CREATE INDEX IF NOT EXISTS journey_instances_live ON journey_instances (journey, id) WHERE state = 'live'",
            "CREATE INDEX IF NOT EXISTS journey_instances_all_live ON journey_instances (id) WHERE state = 'live'",
            "CREATE INDEX IF NOT EXISTS journey_instances_profile ON journey_instances (db, profile_id, entered_ms)",
            "CREATE TABLE IF NOT EXISTS journey_counts (journey TEXT NOT NULL, node TEXT NOT NULL, kind TEXT NOT NULL, n INTEGER NOT NULL,"
                    + " PRIMARY KEY (journey, node, kind)) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS journey_inbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, db TEXT, profile_id TEXT, type TEXT,"
                    + " channel TEXT, ts_ms INTEGER NOT NULL, props TEXT)",
            "CREATE INDEX IF NOT EXISTS journey_inbox_id ON journey_inbox (id)");

    private final SqliteConnections sqlite;

    public SqliteJourneyLedger(SqliteConnections sqlite) {
        this.sqlite = sqlite;
        sqlite.schema(SCHEMA);
        sqlite.column("journey_instances", "path", "TEXT");
        sqlite.column("journey_instances", "converted", "INTEGER");
        sqlite.column("journey_counts", "ms", "INTEGER");
    }


    private static final String INSTANCE_COLUMNS = "id, ws, journey, version, db, profile_id, node, state, entered_ms, step_ms, vars, incident";

    @Override
    public boolean enter(JourneyLedger.Instance i, boolean exclusive) {
        boolean[] in = {false};
        sqlite.write(c -> {
            PreparedStatement ps = sqlite.statement(c, "INSERT OR IGNORE INTO journey_instances (" + INSTANCE_COLUMNS + ", lock, path)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            ps.setString(1, i.id());
            ps.setString(2, i.workspaceId());
            ps.setString(3, i.journeyId());
            ps.setInt(4, i.version());
            ps.setString(5, i.databaseId());
            ps.setString(6, i.profileId());
            ps.setString(7, i.node());
            ps.setString(8, i.state());
            ps.setLong(9, i.enteredAt().toEpochMilli());
            ps.setLong(10, i.stepAt().toEpochMilli());
            ps.setString(11, Json.write(i.variables()));
            ps.setString(12, i.incident());
            ps.setString(13, exclusive ? i.journeyId() + '\u0000' + i.profileId() : null);
            ps.setString(14, i.node());
            in[0] = ps.executeUpdate() == 1;
            if (in[0]) {
                count(c, i.journeyId(), i.node(), JourneyLedger.ENTERED);
                count(c, i.journeyId(), LedgerCounts.version(i.version()), JourneyLedger.ENTERED);
            }
        });
        return in[0];
    }

    private void count(Connection c, String journey, String node, String kind) throws SQLException {
        count(c, journey, node, kind, 0);
    }

    /** One more of a kind, and {@code ms} more milliseconds beside it (a link taken: the time spent in the node it left). */
    private void count(Connection c, String journey, String node, String kind, long ms) throws SQLException {
        PreparedStatement ps = sqlite.statement(c, "INSERT INTO journey_counts (journey, node, kind, n, ms) VALUES (?, ?, ?, 1, ?)"
                + " ON CONFLICT (journey, node, kind) DO UPDATE SET n = n + 1, ms = coalesce(ms, 0) + excluded.ms");
        ps.setString(1, journey);
        ps.setString(2, node);
        ps.setString(3, kind);
        ps.setLong(4, ms);
        ps.executeUpdate();
    }

    /** What a write needs of the instance before it: journey, version, when it came to its node, its path, whether it converted. */
    private record Before(String journey, int version, long stepMs, String path, boolean converted) {}

    private Before before(Connection c, String id) throws SQLException {
        PreparedStatement ps = sqlite.statement(c, "SELECT journey, version, step_ms, path, converted FROM journey_instances WHERE id = ?");
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Before(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getInt(5) == 1) : null;
        }
    }

    @Override
    public void step(String id, String from, String to, Instant at, Map<String, Object> variables) {
        sqlite.write(c -> {
            Before b = before(c, id);
            if (b == null) {
                return;
            }
            boolean moved = !to.equals(from); // staying at a node (a best-time wait) counts nothing
            PreparedStatement ps = sqlite.statement(c, "UPDATE journey_instances SET node = ?, step_ms = ?, vars = ?, incident = NULL, path = ?"
                    + " WHERE id = ? AND state = 'live'");
            ps.setString(1, to);
            ps.setLong(2, at.toEpochMilli());
            ps.setString(3, Json.write(variables));
            ps.setString(4, moved ? LedgerCounts.append(b.path(), to) : b.path());
            ps.setString(5, id);
            if (ps.executeUpdate() == 1 && moved) {
                if (from != null) {
                    // one counter per link taken: the node's completions and its time spent are their sums
                    count(c, b.journey(), from, LedgerCounts.TAKEN + to, Math.max(0, at.toEpochMilli() - b.stepMs()));
                }
                count(c, b.journey(), to, JourneyLedger.ENTERED);
            }
        });
    }

    @Override
    public void end(String id, String node, String state, Instant at) {
        sqlite.write(c -> {
            PreparedStatement ps = sqlite.statement(c, "UPDATE journey_instances SET node = ?, state = ?, step_ms = ?, lock = NULL, incident = NULL"
                    + " WHERE id = ? AND state = 'live'");
            ps.setString(1, node);
            ps.setString(2, state);
            ps.setLong(3, at.toEpochMilli());
            ps.setString(4, id);
            Before b = before(c, id);
            if (ps.executeUpdate() == 1) {
                count(c, b.journey(), node, JourneyLedger.EXITED);
                count(c, b.journey(), LedgerCounts.version(b.version()), state);
            }
        });
    }

    @Override
    public void incident(String id, String text) {
        sqlite.write(c -> {
            PreparedStatement ps = sqlite.statement(c, "UPDATE journey_instances SET incident = ? WHERE id = ?");
            ps.setString(1, text);
            ps.setString(2, id);
            ps.executeUpdate();
        });
    }

    @Override
    public void converted(String instanceId, String node, String attributedTo) {
        sqlite.write(c -> {
            Before b = before(c, instanceId);
            if (b == null) {
                return;
            }
            count(c, b.journey(), node, JourneyLedger.CONVERTED);
            if (attributedTo != null) {
                count(c, b.journey(), attributedTo, LedgerCounts.ATTRIBUTED);
            }
            if (!b.converted()) {
                for (String[] link : LedgerCounts.links(b.path())) {
                    count(c, b.journey(), link[0], LedgerCounts.CONVERTED_AFTER + link[1]);
                }
                PreparedStatement ps = sqlite.statement(c, "UPDATE journey_instances SET converted = 1 WHERE id = ?");
                ps.setString(1, instanceId);
                ps.executeUpdate();
                count(c, b.journey(), LedgerCounts.version(b.version()), JourneyLedger.CONVERTED);
            }
        });
    }

    @Override
    public List<String> path(String instanceId) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT path FROM journey_instances WHERE id = ?");
            ps.setString(1, instanceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? LedgerCounts.nodes(rs.getString(1)) : List.of();
            }
        });
    }

    @Override
    protected List<LedgerCounts.Count> counts(String journeyId) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT node, kind, n, ms FROM journey_counts WHERE journey = ?");
            ps.setString(1, journeyId);
            List<LedgerCounts.Count> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LedgerCounts.Count(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<JourneyLedger.Instance> find(String id) {
        List<JourneyLedger.Instance> found = instances("WHERE id = ?", 1, id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public Optional<Instant> lastEntered(String journeyId, String profileId) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT max(entered_ms) FROM journey_instances WHERE journey = ? AND profile_id = ?");
            ps.setString(1, journeyId);
            ps.setString(2, profileId);
            try (ResultSet rs = ps.executeQuery()) {
                long ms = rs.next() ? rs.getLong(1) : 0;
                return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ms));
            }
        });
    }

    @Override
    public List<JourneyLedger.Instance> live(String afterId, int limit) {
        return instances("WHERE state = 'live' AND id > ? ORDER BY id", limit, afterId == null ? "" : afterId);
    }

    @Override
    public List<JourneyLedger.Instance> live(String journeyId, String afterId, int limit) {
        return instances("WHERE journey = ? AND state = 'live' AND id > ? ORDER BY id", limit, journeyId, afterId == null ? "" : afterId);
    }

    @Override
    public List<JourneyLedger.Instance> ofProfile(String databaseId, String profileId, int limit) {
        return instances("WHERE db = ? AND profile_id = ? ORDER BY entered_ms DESC, id DESC", limit, databaseId, profileId);
    }

    @Override
    public List<JourneyLedger.Instance> incidents(String journeyId, int limit) {
        return instances("WHERE journey = ? AND state = 'live' AND incident IS NOT NULL ORDER BY step_ms DESC", limit, journeyId);
    }

    private List<JourneyLedger.Instance> instances(String where, int limit, String... args) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT " + INSTANCE_COLUMNS + " FROM journey_instances " + where + " LIMIT ?");
            for (int k = 0; k < args.length; k++) {
                ps.setString(k + 1, args[k]);
            }
            ps.setInt(args.length + 1, limit);
            List<JourneyLedger.Instance> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new JourneyLedger.Instance(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), Instant.ofEpochMilli(rs.getLong(9)),
                            Instant.ofEpochMilli(rs.getLong(10)), Json.readMap(rs.getString(11)), rs.getString(12)));
                }
            }
            return out;
        });
    }

    @Override
    public void pend(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        sqlite.write(c -> {
            PreparedStatement ps = sqlite.statement(c, "INSERT INTO journey_inbox (id, db, profile_id, type, channel, ts_ms, props) VALUES (?, ?, ?, ?, ?, ?, ?)");
            for (Event e : events) {
                ps.setString(1, e.id());
                ps.setString(2, e.databaseId());
                ps.setString(3, e.profileId());
                ps.setString(4, e.type());
                ps.setString(5, e.channel());
                ps.setLong(6, e.time().toEpochMilli());
                ps.setString(7, Json.write(e.properties()));
                ps.addBatch();
            }
            ps.executeBatch();
        });
    }

    @Override
    public List<Event> pending(int limit) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT id, db, profile_id, type, channel, ts_ms, props FROM journey_inbox ORDER BY seq LIMIT ?");
            ps.setInt(1, limit);
            List<Event> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Event(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            Instant.ofEpochMilli(rs.getLong(6)), Json.readMap(rs.getString(7))));
                }
            }
            return out;
        });
    }

    @Override
    public void taken(Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return;
        }
        sqlite.write(c -> {
            PreparedStatement ps = sqlite.statement(c, "DELETE FROM journey_inbox WHERE id = ?");
            for (String id : eventIds) {
                ps.setString(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
        });
    }

    @Override
    protected Map<String, Long> liveBy(String column, String journeyId) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT " + column + ", count(*) FROM journey_instances WHERE journey = ? AND state = 'live'"
                    + " GROUP BY " + column);
            ps.setString(1, journeyId);
            Map<String, Long> out = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        });
    }
}
