package org.orbita.storage.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.orbita.common.Json;
import org.orbita.profiles.KeyTakenException;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileFilter;
import org.orbita.profiles.ProfileKey;
import org.orbita.storage.ProfileEngine;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;


/**
 * The embedded store: profiles and settings in one SQLite file (see
 * {@link SqliteConnections}); a transaction spans both, so an import batch and its job
 * checkpoint commit together.
 */
public final class SqliteStore implements ProfileEngine {

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS profiles (db TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL)",
            "CREATE UNIQUE INDEX IF NOT EXISTS profiles_id ON profiles (db, id)",
            "CREATE TABLE IF NOT EXISTS profile_keys (db TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,"
                    + " profile_id TEXT NOT NULL, PRIMARY KEY (db, field, value)) WITHOUT ROWID",
            "CREATE INDEX IF NOT EXISTS profile_keys_owner ON profile_keys (db, profile_id)",
            "CREATE TABLE IF NOT EXISTS documents (collection TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,"
                    + " PRIMARY KEY (collection, id)) WITHOUT ROWID",
            // memberships: a bit per segment slot in one row per profile; counts kept beside them
            "CREATE TABLE IF NOT EXISTS segment_slots (db TEXT NOT NULL, segment_id TEXT NOT NULL, slot INTEGER NOT NULL,"
                    + " PRIMARY KEY (db, segment_id)) WITHOUT ROWID",
            "CREATE UNIQUE INDEX IF NOT EXISTS segment_slots_slot ON segment_slots (db, slot)",
            "CREATE INDEX IF NOT EXISTS segment_slots_segment ON segment_slots (segment_id)",
            "CREATE TABLE IF NOT EXISTS segment_bits (db TEXT NOT NULL, profile_id TEXT NOT NULL, bits BLOB NOT NULL,"
                    + " PRIMARY KEY (db, profile_id)) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS segment_counts (segment_id TEXT NOT NULL PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID",
            // the recent behaviour segments look at, clustered by profile (the event log stays the record)
            "CREATE TABLE IF NOT EXISTS recent_events (db TEXT NOT NULL, profile_id TEXT NOT NULL, ts_ms INTEGER NOT NULL,"
                    + " id TEXT NOT NULL, type TEXT NOT NULL, channel TEXT, props TEXT,"
                    + " PRIMARY KEY (db, profile_id, ts_ms, id)) WITHOUT ROWID",
            // campaign runs: one row per profile and channel (key = profile/channel)
            "CREATE TABLE IF NOT EXISTS send_ledger (run TEXT NOT NULL, pkey TEXT NOT NULL, profile_id TEXT NOT NULL,"
                    + " channel TEXT NOT NULL, state TEXT NOT NULL, detail TEXT, at_ms INTEGER NOT NULL, due_ms INTEGER,"
                    + " PRIMARY KEY (run, pkey)) WITHOUT ROWID",
            "CREATE INDEX IF NOT EXISTS send_ledger_profile ON send_ledger (profile_id, channel, at_ms)",
            "CREATE INDEX IF NOT EXISTS send_ledger_due ON send_ledger (run, due_ms) WHERE due_ms IS NOT NULL",
            // journey instances: where each is (lock = journey NUL profile while a live instance holds it alone)
            "CREATE TABLE IF NOT EXISTS journey_instances (id TEXT NOT NULL PRIMARY KEY, ws TEXT, journey TEXT NOT NULL, version INTEGER NOT NULL,"
                    + " db TEXT, profile_id TEXT NOT NULL, node TEXT, state TEXT NOT NULL, entered_ms INTEGER NOT NULL, step_ms INTEGER NOT NULL,"
                    + " vars TEXT, incident TEXT, lock TEXT) WITHOUT ROWID",
            "CREATE UNIQUE INDEX IF NOT EXISTS journey_instances_lock ON journey_instances (lock)",
            "CREATE INDEX IF NOT EXISTS journey_instances_entered ON journey_instances (journey, profile_id, entered_ms)",
            "CREATE INDEX IF NOT EXISTS journey_instances_live ON journey_instances (journey, id) WHERE state = 'live'",
            "CREATE INDEX IF NOT EXISTS journey_instances_all_live ON journey_instances (id) WHERE state = 'live'",
            "CREATE INDEX IF NOT EXISTS journey_instances_profile ON journey_instances (db, profile_id, entered_ms)",
            "CREATE TABLE IF NOT EXISTS journey_counts (journey TEXT NOT NULL, node TEXT NOT NULL, kind TEXT NOT NULL, n INTEGER NOT NULL,"
                    + " PRIMARY KEY (journey, node, kind)) WITHOUT ROWID");

    private final SqliteConnections db;

    /**
     * @param file the database file (created with its folder when missing)
     * @param fullSync fsync at every commit (survives power loss) rather than at WAL checkpoints
     *     (survives process crashes)
     */
    public SqliteStore(Path file, boolean fullSync) {
        this.db = new SqliteConnections(file, fullSync, SCHEMA);
        SqliteConnections connections = db;
        this.bits = new SegmentBits(connections::write, new SegmentBits.Reader() {
            @Override
            public <T> T read(SqliteConnections.SqlRead<T> query) {
                return connections.read(query);
            }
        }, connections::statement);
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return db.inTransaction(work);
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

    // ---- profiles -----------------------------------------------------------------

    @Override
    public Optional<Profile> find(String databaseId, String id) {
        return read(c -> {
            {
            PreparedStatement ps = statement(c, "SELECT doc FROM profiles WHERE db = ? AND id = ?");
                ps.setString(1, databaseId);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Json.read(rs.getString(1), Profile.class)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<String> findOwner(String databaseId, ProfileKey key) {
        return read(c -> owner(c, databaseId, key));
    }

    private Optional<String> owner(Connection c, String databaseId, ProfileKey key) throws SQLException {
        {
            PreparedStatement ps = statement(c,
                "SELECT profile_id FROM profile_keys WHERE db = ? AND field = ? AND value = ?");
            ps.setString(1, databaseId);
            ps.setString(2, key.field());
            ps.setString(3, key.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    @Override
    public Map<ProfileKey, String> findOwners(String databaseId, Collection<ProfileKey> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        List<ProfileKey> list = List.copyOf(keys);
        StringBuilder sql = new StringBuilder("SELECT field, value, profile_id FROM profile_keys WHERE db = ? AND (");
        for (int i = 0; i < list.size(); i++) {
            sql.append(i == 0 ? "" : " OR ").append("(field = ? AND value = ?)");
        }
        sql.append(')');
        return read(c -> {
            PreparedStatement ps = statement(c, sql.toString());
            ps.setString(1, databaseId);
            for (int i = 0; i < list.size(); i++) {
                ps.setString(2 + 2 * i, list.get(i).field());
                ps.setString(3 + 2 * i, list.get(i).value());
            }
            Map<ProfileKey, String> owners = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owners.put(new ProfileKey(rs.getString(1), rs.getString(2)), rs.getString(3));
                }
            }
            return owners;
        });
    }

    @Override
    public void save(Profile profile, Set<ProfileKey> keys, Set<ProfileKey> previous) {
        String db = profile.databaseId();
        write(c -> {
            Set<ProfileKey> old = previous != null ? previous : keysOf(c, db, profile.id());
            for (ProfileKey key : old) {
                if (!keys.contains(key)) {
                    PreparedStatement del = statement(c, "DELETE FROM profile_keys WHERE db = ? AND field = ? AND value = ?");
                    del.setString(1, db);
                    del.setString(2, key.field());
                    del.setString(3, key.value());
                    del.executeUpdate();
                }
            }
            for (ProfileKey key : keys) {
                if (!old.contains(key)) {
                    PreparedStatement ins = statement(c,
                            "INSERT INTO profile_keys (db, field, value, profile_id) VALUES (?, ?, ?, ?)");
                    ins.setString(1, db);
                    ins.setString(2, key.field());
                    ins.setString(3, key.value());
                    ins.setString(4, profile.id());
                    try {
                        ins.executeUpdate();
                    } catch (SQLiteException e) {
                        // The primary key says someone owns the value; the enclosing transaction undoes this save.
                        if (e.getResultCode() != SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
                            throw e;
                        }
                        throw new KeyTakenException(key, owner(c, db, key).orElse("?"));
                    }
                }
            }
            PreparedStatement ps = statement(c,
                    "INSERT INTO profiles (db, id, doc) VALUES (?, ?, ?) ON CONFLICT (db, id) DO UPDATE SET doc = excluded.doc");
            ps.setString(1, db);
            ps.setString(2, profile.id());
            ps.setString(3, Json.write(profile));
            ps.executeUpdate();
        });
    }

    private Set<ProfileKey> keysOf(Connection c, String db, String profileId) throws SQLException {
        Set<ProfileKey> keys = new HashSet<>();
        {
            PreparedStatement ps = statement(c, "SELECT field, value FROM profile_keys WHERE db = ? AND profile_id = ?");
            ps.setString(1, db);
            ps.setString(2, profileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(new ProfileKey(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return keys;
    }

    @Override
    public boolean delete(String databaseId, String id) {
        boolean[] deleted = {false};
        write(c -> {
            {
                PreparedStatement keys = statement(c, "DELETE FROM profile_keys WHERE db = ? AND profile_id = ?");
                PreparedStatement doc = statement(c, "DELETE FROM profiles WHERE db = ? AND id = ?");
                keys.setString(1, databaseId);
                keys.setString(2, id);
                keys.executeUpdate();
                doc.setString(1, databaseId);
                doc.setString(2, id);
                deleted[0] = doc.executeUpdate() > 0;
            }
        });
        return deleted[0];
    }

    @Override
    public long count(String databaseId) {
        return read(c -> {
            {
            PreparedStatement ps = statement(c, "SELECT count(*) FROM profiles WHERE db = ?");
                ps.setString(1, databaseId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public List<Profile> page(String databaseId, String afterId, int limit) {
        return read(c -> {
            {
            PreparedStatement ps = statement(c,
                    "SELECT doc FROM profiles WHERE db = ? AND id > ? ORDER BY id LIMIT ?");
                ps.setString(1, databaseId);
                ps.setString(2, afterId == null ? "" : afterId);
                ps.setInt(3, limit);
                return profiles(ps);
            }
        });
    }

    @Override
    public Optional<String> idAt(String databaseId, long position) {
        return read(c -> {
            // the (db, id) index alone answers this: no profile document is read while skipping
            PreparedStatement ps = statement(c, "SELECT id FROM profiles WHERE db = ? ORDER BY id LIMIT 1 OFFSET ?");
            ps.setString(1, databaseId);
            ps.setLong(2, position);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
        });
    }

    @Override
    public List<Profile> search(String databaseId, ProfileFilter filter, int offset, int limit) {
        return read(c -> {
            PreparedStatement ps = statement(c, "SELECT doc FROM profiles WHERE " + where(filter) + " ORDER BY id LIMIT ? OFFSET ?");
            int next = bind(ps, databaseId, filter);
            ps.setInt(next, limit);
            ps.setInt(next + 1, offset);
            return profiles(ps);
        });
    }

    @Override
    public long countSearch(String databaseId, ProfileFilter filter) {
        return read(c -> {
            PreparedStatement ps = statement(c, "SELECT count(*) FROM profiles WHERE " + where(filter));
            bind(ps, databaseId, filter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** The filter as SQL: the field's path is a parameter, never text of the statement. */
    private static String where(ProfileFilter filter) {
        String sql = "db = ? AND doc LIKE ? ESCAPE '\\'";
        if (filter.hasField()) {
            sql += " AND (CAST(json_extract(doc, ?) AS TEXT) = ?"
                    + " OR EXISTS (SELECT 1 FROM json_each(doc, ?) WHERE CAST(json_each.value AS TEXT) = ?))";
        }
        return sql;
    }

    private static int bind(PreparedStatement ps, String databaseId, ProfileFilter filter) throws SQLException {
        ps.setString(1, databaseId);
        ps.setString(2, likePattern(filter.text()));
        if (!filter.hasField()) {
            return 3;
        }
        String path = "$.fields." + filter.field();
        String value = filter.value() instanceof java.math.BigDecimal d ? d.toPlainString() : String.valueOf(filter.value());
        ps.setString(3, path);
        ps.setString(4, value);
        ps.setString(5, path);
        ps.setString(6, value);
        return 7;
    }

    private static String likePattern(String text) {
        String escaped = (text == null ? "" : text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }

    private static List<Profile> profiles(PreparedStatement ps) throws SQLException {
        List<Profile> result = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.add(Json.read(rs.getString(1), Profile.class));
            }
        }
        return result;
    }

    @Override
    public void deleteDatabase(String databaseId) {
        write(c -> {
            {
                bits.deleteDatabase(databaseId);
                for (String table : List.of("segment_bits", "recent_events")) {
                    PreparedStatement ps = statement(c, "DELETE FROM " + table + " WHERE db = ?");
                    ps.setString(1, databaseId);
                    ps.executeUpdate();
                }
                PreparedStatement keys = statement(c, "DELETE FROM profile_keys WHERE db = ?");
                PreparedStatement docs = statement(c, "DELETE FROM profiles WHERE db = ?");
                keys.setString(1, databaseId);
                keys.executeUpdate();
                docs.setString(1, databaseId);
                docs.executeUpdate();
            }
        });
    }

    // ---- segment members ------------------------------------------------------------

    private final SegmentBits bits;

    @Override
    public List<MembershipChange> applyMemberships(String databaseId, List<MembershipChange> changes) {
        return bits.apply(databaseId, changes);
    }

    @Override
    public Set<String> segmentsOf(String databaseId, String profileId) {
        return bits.segmentsOf(databaseId, profileId);
    }

    @Override
    public Map<String, Set<String>> segmentsOfRange(String databaseId, String fromId, String toId) {
        return bits.segmentsOfRange(databaseId, fromId, toId);
    }

    @Override
    public long countMembers(String segmentId) {
        return bits.count(segmentId);
    }

    @Override
    public List<String> members(String segmentId, String afterProfileId, int limit) {
        return bits.members(segmentId, afterProfileId, limit);
    }

    @Override
    public void deleteMembers(Collection<String> segmentIds) {
        bits.delete(segmentIds);
    }

    // ---- recent events ------------------------------------------------------------------

    @Override
    public void addRecent(List<org.orbita.events.Event> events) {
        if (events.isEmpty()) {
            return;
        }
        write(c -> {
            PreparedStatement ps = statement(c, "INSERT OR IGNORE INTO recent_events (db, profile_id, ts_ms, id, type, channel, props)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)");
            for (org.orbita.events.Event e : events) {
                if (e.profileId() == null) {
                    continue;
                }
                ps.setString(1, e.databaseId());
                ps.setString(2, e.profileId());
                ps.setLong(3, e.time().toEpochMilli());
                ps.setString(4, e.id());
                ps.setString(5, e.type());
                ps.setString(6, e.channel());
                ps.setString(7, e.properties().isEmpty() ? null : Json.write(e.properties()));
                ps.executeUpdate();
            }
        });
    }

    @Override
    public Map<String, List<org.orbita.events.Event>> recentOfRange(String databaseId, String fromId, String toId, java.time.Instant since) {
        return read(c -> {
            PreparedStatement ps = statement(c, "SELECT profile_id, ts_ms, id, type, channel, props FROM recent_events"
                    + " WHERE db = ? AND profile_id >= ? AND profile_id <= ? AND ts_ms >= ? ORDER BY profile_id, ts_ms, id");
            ps.setString(1, databaseId);
            ps.setString(2, fromId);
            ps.setString(3, toId);
            ps.setLong(4, since == null ? Long.MIN_VALUE : since.toEpochMilli());
            Map<String, List<org.orbita.events.Event>> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String pid = rs.getString(1);
                    String props = rs.getString(6);
                    String channel = rs.getString(5);
                    out.computeIfAbsent(pid, k -> new ArrayList<>()).add(new org.orbita.events.Event(rs.getString(3), databaseId, pid,
                            rs.getString(4), channel, java.time.Instant.ofEpochMilli(rs.getLong(2)),
                            props == null ? null : new org.orbita.common.LazyJsonMap(props)));
                }
            }
            return out;
        });
    }

    @Override
    public long pruneRecent(java.time.Instant before) {
        long[] n = {0};
        write(c -> {
            PreparedStatement ps = statement(c, "DELETE FROM recent_events WHERE ts_ms < ?");
            ps.setLong(1, before.toEpochMilli());
            n[0] = ps.executeUpdate();
        });
        return n[0];
    }

    // ---- journey ledger -------------------------------------------------------------

    private static final String INSTANCE_COLUMNS = "id, ws, journey, version, db, profile_id, node, state, entered_ms, step_ms, vars, incident";

    @Override
    public boolean enter(org.orbita.journeys.JourneyLedger.Instance i, boolean exclusive) {
        boolean[] in = {false};
        write(c -> {
            PreparedStatement ps = statement(c, "INSERT OR IGNORE INTO journey_instances (" + INSTANCE_COLUMNS + ", lock)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
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
            ps.setString(11, org.orbita.common.Json.write(i.variables()));
            ps.setString(12, i.incident());
            ps.setString(13, exclusive ? i.journeyId() + '\u0000' + i.profileId() : null);
            in[0] = ps.executeUpdate() == 1;
            if (in[0]) {
                count(c, i.journeyId(), i.node(), org.orbita.journeys.JourneyLedger.ENTERED);
            }
        });
        return in[0];
    }

    private void count(Connection c, String journey, String node, String kind) throws SQLException {
        PreparedStatement ps = statement(c, "INSERT INTO journey_counts (journey, node, kind, n) VALUES (?, ?, ?, 1)"
                + " ON CONFLICT (journey, node, kind) DO UPDATE SET n = n + 1");
        ps.setString(1, journey);
        ps.setString(2, node);
        ps.setString(3, kind);
        ps.executeUpdate();
    }

    private String journeyOf(Connection c, String id) throws SQLException {
        PreparedStatement ps = statement(c, "SELECT journey FROM journey_instances WHERE id = ?");
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Override
    public void step(String id, String from, String to, java.time.Instant at, Map<String, Object> variables) {
        write(c -> {
            PreparedStatement ps = statement(c, "UPDATE journey_instances SET node = ?, step_ms = ?, vars = ?, incident = NULL WHERE id = ? AND state = 'live'");
            ps.setString(1, to);
            ps.setLong(2, at.toEpochMilli());
            ps.setString(3, org.orbita.common.Json.write(variables));
            ps.setString(4, id);
            if (ps.executeUpdate() == 1 && !to.equals(from)) { // staying at a node (a best-time wait) counts nothing
                String journey = journeyOf(c, id);
                if (from != null) {
                    count(c, journey, from, org.orbita.journeys.JourneyLedger.COMPLETED);
                }
                count(c, journey, to, org.orbita.journeys.JourneyLedger.ENTERED);
            }
        });
    }

    @Override
    public void end(String id, String node, String state, java.time.Instant at) {
        write(c -> {
            PreparedStatement ps = statement(c, "UPDATE journey_instances SET node = ?, state = ?, step_ms = ?, lock = NULL, incident = NULL"
                    + " WHERE id = ? AND state = 'live'");
            ps.setString(1, node);
            ps.setString(2, state);
            ps.setLong(3, at.toEpochMilli());
            ps.setString(4, id);
            if (ps.executeUpdate() == 1) {
                count(c, journeyOf(c, id), node, org.orbita.journeys.JourneyLedger.EXITED);
            }
        });
    }

    @Override
    public void incident(String id, String text) {
        write(c -> {
            PreparedStatement ps = statement(c, "UPDATE journey_instances SET incident = ? WHERE id = ?");
            ps.setString(1, text);
            ps.setString(2, id);
            ps.executeUpdate();
        });
    }

    @Override
    public void converted(String journeyId, String node) {
        write(c -> count(c, journeyId, node, org.orbita.journeys.JourneyLedger.CONVERTED));
    }

    @Override
    public Optional<org.orbita.journeys.JourneyLedger.Instance> find(String id) {
        List<org.orbita.journeys.JourneyLedger.Instance> found = instances("WHERE id = ?", 1, id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public Optional<java.time.Instant> lastEntered(String journeyId, String profileId) {
        return read(c -> {
            PreparedStatement ps = statement(c, "SELECT max(entered_ms) FROM journey_instances WHERE journey = ? AND profile_id = ?");
            ps.setString(1, journeyId);
            ps.setString(2, profileId);
            try (ResultSet rs = ps.executeQuery()) {
                long ms = rs.next() ? rs.getLong(1) : 0;
                return rs.wasNull() ? Optional.empty() : Optional.of(java.time.Instant.ofEpochMilli(ms));
            }
        });
    }

    @Override
    public List<org.orbita.journeys.JourneyLedger.Instance> live(String afterId, int limit) {
        return instances("WHERE state = 'live' AND id > ? ORDER BY id", limit, afterId == null ? "" : afterId);
    }

    @Override
    public List<org.orbita.journeys.JourneyLedger.Instance> live(String journeyId, String afterId, int limit) {
        return instances("WHERE journey = ? AND state = 'live' AND id > ? ORDER BY id", limit, journeyId, afterId == null ? "" : afterId);
    }

    @Override
    public List<org.orbita.journeys.JourneyLedger.Instance> ofProfile(String databaseId, String profileId, int limit) {
        return instances("WHERE db = ? AND profile_id = ? ORDER BY entered_ms DESC, id DESC", limit, databaseId, profileId);
    }

    @Override
    public List<org.orbita.journeys.JourneyLedger.Instance> incidents(String journeyId, int limit) {
        return instances("WHERE journey = ? AND state = 'live' AND incident IS NOT NULL ORDER BY step_ms DESC", limit, journeyId);
    }

    private List<org.orbita.journeys.JourneyLedger.Instance> instances(String where, int limit, String... args) {
        return read(c -> {
            PreparedStatement ps = statement(c, "SELECT " + INSTANCE_COLUMNS + " FROM journey_instances " + where + " LIMIT ?");
            for (int k = 0; k < args.length; k++) {
                ps.setString(k + 1, args[k]);
            }
            ps.setInt(args.length + 1, limit);
            List<org.orbita.journeys.JourneyLedger.Instance> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new org.orbita.journeys.JourneyLedger.Instance(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), java.time.Instant.ofEpochMilli(rs.getLong(9)),
                            java.time.Instant.ofEpochMilli(rs.getLong(10)), org.orbita.common.Json.readMap(rs.getString(11)), rs.getString(12)));
                }
            }
            return out;
        });
    }

    @Override
    public Map<String, org.orbita.journeys.JourneyLedger.NodeStats> stats(String journeyId) {
        return read(c -> {
            Map<String, long[]> n = new java.util.TreeMap<>();
            PreparedStatement ps = statement(c, "SELECT node, kind, n FROM journey_counts WHERE journey = ?");
            ps.setString(1, journeyId);
            List<String> kinds = List.of(org.orbita.journeys.JourneyLedger.ENTERED, org.orbita.journeys.JourneyLedger.COMPLETED, "waiting",
                    org.orbita.journeys.JourneyLedger.EXITED, org.orbita.journeys.JourneyLedger.CONVERTED);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n.computeIfAbsent(rs.getString(1), k -> new long[5])[kinds.indexOf(rs.getString(2))] = rs.getLong(3);
                }
            }
            PreparedStatement waiting = statement(c, "SELECT node, count(*) FROM journey_instances WHERE journey = ? AND state = 'live' GROUP BY node");
            waiting.setString(1, journeyId);
            try (ResultSet rs = waiting.executeQuery()) {
                while (rs.next()) {
                    n.computeIfAbsent(rs.getString(1), k -> new long[5])[2] = rs.getLong(2);
                }
            }
            Map<String, org.orbita.journeys.JourneyLedger.NodeStats> out = new java.util.LinkedHashMap<>();
            n.forEach((node, v) -> out.put(node, new org.orbita.journeys.JourneyLedger.NodeStats(v[0], v[1], v[2], v[3], v[4])));
            return out;
        });
    }

    // ---- send ledger --------------------------------------------------------------

    @Override
    public Map<String, org.orbita.campaigns.SendLedger.Entry> reserve(String runId, List<org.orbita.campaigns.SendLedger.Entry> entries) {
        Map<String, org.orbita.campaigns.SendLedger.Entry> out = new java.util.LinkedHashMap<>();
        if (entries.isEmpty()) {
            return out;
        }
        java.util.Set<String> wanted = new java.util.HashSet<>();
        String[] range = {null, null};
        write(c -> {
            PreparedStatement ps = statement(c, "INSERT OR IGNORE INTO send_ledger (run, pkey, profile_id, channel, state, detail, at_ms, due_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            long now = System.currentTimeMillis();
            for (org.orbita.campaigns.SendLedger.Entry e : entries) {
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
                    ps.setNull(8, java.sql.Types.INTEGER);
                } else {
                    ps.setLong(8, e.due().toEpochMilli());
                }
                ps.executeUpdate();
            }
        });
        Map<String, org.orbita.campaigns.SendLedger.Entry> standing = read(c -> {
            Map<String, org.orbita.campaigns.SendLedger.Entry> m = new java.util.HashMap<>();
            PreparedStatement ps = statement(c, "SELECT pkey, profile_id, channel, state, detail, due_ms FROM send_ledger"
                    + " WHERE run = ? AND pkey >= ? AND pkey <= ?");
            ps.setString(1, runId);
            ps.setString(2, range[0]);
            ps.setString(3, range[1]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (wanted.contains(rs.getString(1))) {
                        long due = rs.getLong(6);
                        m.put(rs.getString(1), new org.orbita.campaigns.SendLedger.Entry(rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.wasNull() ? null : java.time.Instant.ofEpochMilli(due)));
                    }
                }
            }
            return m;
        });
        for (org.orbita.campaigns.SendLedger.Entry e : entries) {
            out.put(e.key(), standing.get(e.key()));
        }
        return out;
    }

    @Override
    public void mark(String runId, java.util.Collection<org.orbita.campaigns.SendLedger.Entry> entries) {
        write(c -> {
            PreparedStatement ps = statement(c, "UPDATE send_ledger SET state = ?, detail = ?, due_ms = ? WHERE run = ? AND pkey = ? AND state = 'pending'");
            for (org.orbita.campaigns.SendLedger.Entry e : entries) {
                ps.setString(1, e.state());
                ps.setString(2, e.detail());
                if (e.due() == null) {
                    ps.setNull(3, java.sql.Types.INTEGER);
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
    public Map<String, Long> sentSince(java.util.Collection<String> profileIds, String channel, java.time.Instant since, String exceptRun) {
        Map<String, Long> out = new java.util.HashMap<>();
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
    public List<org.orbita.campaigns.SendLedger.Entry> due(String runId, java.time.Instant now, int limit) {
        return read(c -> {
            List<org.orbita.campaigns.SendLedger.Entry> out = new ArrayList<>();
            PreparedStatement ps = statement(c, "SELECT profile_id, channel, state, detail, due_ms FROM send_ledger"
                    + " WHERE run = ? AND due_ms IS NOT NULL AND due_ms <= ? AND state = 'waiting' ORDER BY pkey LIMIT ?");
            ps.setString(1, runId);
            ps.setLong(2, now.toEpochMilli());
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new org.orbita.campaigns.SendLedger.Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            java.time.Instant.ofEpochMilli(rs.getLong(5))));
                }
            }
            return out;
        });
    }

    @Override
    public java.util.Optional<java.time.Instant> nextDue(String runId) {
        return read(c -> {
            PreparedStatement ps = statement(c, "SELECT min(due_ms) FROM send_ledger WHERE run = ? AND due_ms IS NOT NULL AND state = 'waiting'");
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? java.util.Optional.<java.time.Instant>empty() : java.util.Optional.of(java.time.Instant.ofEpochMilli(v));
            }
        });
    }

    @Override
    public Map<String, Long> countByState(String runId) {
        return read(c -> {
            Map<String, Long> m = new java.util.TreeMap<>();
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
    public List<org.orbita.campaigns.SendLedger.Entry> entries(String runId, String afterKey, int limit) {
        return read(c -> {
            List<org.orbita.campaigns.SendLedger.Entry> out = new ArrayList<>();
            PreparedStatement ps = statement(c, "SELECT profile_id, channel, state, detail FROM send_ledger WHERE run = ? AND pkey > ?"
                    + " ORDER BY pkey LIMIT ?");
            ps.setString(1, runId);
            ps.setString(2, afterKey == null ? "" : afterKey);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new org.orbita.campaigns.SendLedger.Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            return out;
        });
    }

    // ---- settings -----------------------------------------------------------------

    @Override
    public void put(String collection, String id, String json) {
        write(c -> {
            {
            PreparedStatement ps = statement(c,
                    "INSERT INTO documents (collection, id, doc) VALUES (?, ?, ?)"
                            + " ON CONFLICT (collection, id) DO UPDATE SET doc = excluded.doc");
                ps.setString(1, collection);
                ps.setString(2, id);
                ps.setString(3, json);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<String> get(String collection, String id) {
        return read(c -> {
            {
            PreparedStatement ps = statement(c, "SELECT doc FROM documents WHERE collection = ? AND id = ?");
                ps.setString(1, collection);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<String> list(String collection) {
        return read(c -> {
            {
            PreparedStatement ps = statement(c, "SELECT doc FROM documents WHERE collection = ? ORDER BY id");
                ps.setString(1, collection);
                List<String> docs = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        docs.add(rs.getString(1));
                    }
                }
                return docs;
            }
        });
    }

    @Override
    public boolean remove(String collection, String id) {
        boolean[] deleted = {false};
        write(c -> {
            {
            PreparedStatement ps = statement(c, "DELETE FROM documents WHERE collection = ? AND id = ?");
                ps.setString(1, collection);
                ps.setString(2, id);
                deleted[0] = ps.executeUpdate() > 0;
            }
        });
        return deleted[0];
    }


    @Override
    public void close() {
        db.close();
    }
}
