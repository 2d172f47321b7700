package org.orbita.audiences.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.orbita.audiences.SegmentMembers;
import org.orbita.storage.sqlite.SqliteConnections;

/**
 * Segment memberships in the embedded SQLite file as one bit string per profile: each segment
 * of a database holds a slot, bit {@code slot} of a profile's row says whether it is a member.
 * A full recompute reads one small row per profile instead of a row per membership; member
 * counts are kept in their own table, updated in the same transaction.
 */
public final class SqliteSegmentMembers implements SegmentMembers {

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS segment_slots (db TEXT NOT NULL, segment_id TEXT NOT NULL, slot INTEGER NOT NULL,"
                    + " PRIMARY KEY (db, segment_id)) WITHOUT ROWID",
            "CREATE UNIQUE INDEX IF NOT EXISTS segment_slots_slot ON segment_slots (db, slot)",
            "CREATE INDEX IF NOT EXISTS segment_slots_segment ON segment_slots (segment_id)",
            "CREATE TABLE IF NOT EXISTS segment_bits (db TEXT NOT NULL, profile_id TEXT NOT NULL, bits BLOB NOT NULL,"
                    + " PRIMARY KEY (db, profile_id)) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS segment_counts (segment_id TEXT NOT NULL PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID");

    /** Slots of one database: segment id ↔ slot number. */
    private static final class Slots {
        final Map<String, Integer> bySegment = new HashMap<>();
        final Map<Integer, String> bySlot = new HashMap<>();
    }

    private final SqliteConnections sqlite;

    public SqliteSegmentMembers(SqliteConnections sqlite) {
        this.sqlite = sqlite;
        sqlite.schema(SCHEMA);
    }

    private final Map<String, Slots> slots = new ConcurrentHashMap<>();


    private Slots slots(Connection c, String db) throws SQLException {
        Slots s = slots.get(db);
        if (s != null) {
            return s;
        }
        s = new Slots();
        try (PreparedStatement ps = c.prepareStatement("SELECT segment_id, slot FROM segment_slots WHERE db = ?")) {
            ps.setString(1, db);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    s.bySegment.put(rs.getString(1), rs.getInt(2));
                    s.bySlot.put(rs.getInt(2), rs.getString(1));
                }
            }
        }
        slots.put(db, s);
        return s;
    }

    private Slots slots(String db) {
        Slots s = slots.get(db);
        return s != null ? s : sqlite.read(c -> slots(c, db));
    }

    @Override
    public List<MembershipChange> applyMemberships(String db, List<MembershipChange> changes) {
        List<MembershipChange> applied = new ArrayList<>();
        if (changes.isEmpty()) {
            return applied;
        }
        Map<String, List<MembershipChange>> byProfile = new LinkedHashMap<>();
        changes.forEach(m -> byProfile.computeIfAbsent(m.profileId(), k -> new ArrayList<>()).add(m));
        try {
            sqlite.write(c -> {
                Slots s = slots(c, db);
                Map<String, Long> deltas = new HashMap<>();
                PreparedStatement get = sqlite.statement(c, "SELECT bits FROM segment_bits WHERE db = ? AND profile_id = ?");
                PreparedStatement put = sqlite.statement(c, "INSERT OR REPLACE INTO segment_bits (db, profile_id, bits) VALUES (?, ?, ?)");
                PreparedStatement del = sqlite.statement(c, "DELETE FROM segment_bits WHERE db = ? AND profile_id = ?");
                {
                    for (Map.Entry<String, List<MembershipChange>> e : byProfile.entrySet()) {
                        get.setString(1, db);
                        get.setString(2, e.getKey());
                        byte[] bits;
                        try (ResultSet rs = get.executeQuery()) {
                            bits = rs.next() ? rs.getBytes(1) : new byte[0];
                        }
                        byte[] before = bits.clone();
                        for (MembershipChange m : e.getValue()) {
                            int slot = m.member() ? slotFor(c, s, db, m.segmentId()) : s.bySegment.getOrDefault(m.segmentId(), -1);
                            if (slot < 0) {
                                continue;
                            }
                            boolean has = test(bits, slot);
                            if (has != m.member()) {
                                bits = set(bits, slot, m.member());
                                applied.add(m);
                                deltas.merge(m.segmentId(), m.member() ? 1L : -1L, Long::sum);
                            }
                        }
                        if (!Arrays.equals(before, bits)) {
                            if (empty(bits)) {
                                del.setString(1, db);
                                del.setString(2, e.getKey());
                                del.executeUpdate();
                            } else {
                                put.setString(1, db);
                                put.setString(2, e.getKey());
                                put.setBytes(3, bits);
                                put.executeUpdate();
                            }
                        }
                    }
                }
                {
                    PreparedStatement count = sqlite.statement(c, "INSERT INTO segment_counts (segment_id, n) VALUES (?, ?)"
                            + " ON CONFLICT (segment_id) DO UPDATE SET n = n + excluded.n");
                    for (Map.Entry<String, Long> d : deltas.entrySet()) {
                        count.setString(1, d.getKey());
                        count.setLong(2, d.getValue());
                        count.executeUpdate();
                    }
                }
            });
        } catch (RuntimeException e) {
            slots.remove(db); // a slot given out in the failed transaction does not exist
            throw e;
        }
        return applied;
    }

    private static int slotFor(Connection c, Slots s, String db, String segmentId) throws SQLException {
        Integer slot = s.bySegment.get(segmentId);
        if (slot != null) {
            return slot;
        }
        int free = 0;
        while (s.bySlot.containsKey(free)) {
            free++;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO segment_slots (db, segment_id, slot) VALUES (?, ?, ?)")) {
            ps.setString(1, db);
            ps.setString(2, segmentId);
            ps.setInt(3, free);
            ps.executeUpdate();
        }
        s.bySegment.put(segmentId, free);
        s.bySlot.put(free, segmentId);
        return free;
    }

    static boolean test(byte[] bits, int slot) {
        int i = slot >> 3;
        return i < bits.length && (bits[i] & (1 << (slot & 7))) != 0;
    }

    static byte[] set(byte[] bits, int slot, boolean on) {
        int i = slot >> 3;
        byte[] out = i < bits.length ? bits : Arrays.copyOf(bits, i + 1);
        if (on) {
            out[i] |= (byte) (1 << (slot & 7));
        } else {
            out[i] &= (byte) ~(1 << (slot & 7));
        }
        return out;
    }

    private static boolean empty(byte[] bits) {
        for (byte b : bits) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> decode(Slots s, byte[] bits) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < bits.length; i++) {
            int b = bits[i] & 0xff;
            while (b != 0) {
                int bit = Integer.numberOfTrailingZeros(b);
                String id = s.bySlot.get(i * 8 + bit);
                if (id != null) {
                    out.add(id);
                }
                b &= b - 1;
            }
        }
        return out;
    }

    @Override
    public Set<String> segmentsOf(String db, String profileId) {
        Slots s = slots(db);
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT bits FROM segment_bits WHERE db = ? AND profile_id = ?");
            ps.setString(1, db);
            ps.setString(2, profileId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? decode(s, rs.getBytes(1)) : new HashSet<>();
            }
        });
    }

    @Override
    public Map<String, Set<String>> segmentsOfRange(String db, String fromId, String toId) {
        Slots s = slots(db);
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c,
                    "SELECT profile_id, bits FROM segment_bits WHERE db = ? AND profile_id >= ? AND profile_id <= ?");
            ps.setString(1, db);
            ps.setString(2, fromId);
            ps.setString(3, toId);
            Map<String, Set<String>> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), decode(s, rs.getBytes(2)));
                }
            }
            return out;
        });
    }

    @Override
    public long countMembers(String segmentId) {
        return sqlite.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT n FROM segment_counts WHERE segment_id = ?")) {
                ps.setString(1, segmentId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /** The database and slot of a segment, or null when it has no members (never had a slot). */
    private String[] where(Connection c, String segmentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT db, slot FROM segment_slots WHERE segment_id = ?")) {
            ps.setString(1, segmentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), String.valueOf(rs.getInt(2))} : null;
            }
        }
    }

    /** Members after a profile id, in id order: rows are read in order until enough have the bit. */
    @Override
    public List<String> members(String segmentId, String after, int limit) {
        return sqlite.read(c -> {
            List<String> out = new ArrayList<>();
            String[] w = where(c, segmentId);
            if (w == null) {
                return out;
            }
            int slot = Integer.parseInt(w[1]);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT profile_id, bits FROM segment_bits WHERE db = ? AND profile_id > ? AND length(bits) > ? ORDER BY profile_id")) {
                ps.setString(1, w[0]);
                ps.setString(2, after == null ? "" : after);
                ps.setInt(3, slot >> 3);
                try (ResultSet rs = ps.executeQuery()) {
                    while (out.size() < limit && rs.next()) {
                        if (test(rs.getBytes(2), slot)) {
                            out.add(rs.getString(1));
                        }
                    }
                }
            }
            return out;
        });
    }

    /** Drops segments' memberships and frees their slots. */
    @Override
    public void deleteMembers(Collection<String> segmentIds) {
        sqlite.write(c -> {
            for (String id : segmentIds) {
                String[] w = where(c, id);
                if (w != null) {
                    int slot = Integer.parseInt(w[1]);
                    List<Object[]> rows = new ArrayList<>();
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT profile_id, bits FROM segment_bits WHERE db = ? AND length(bits) > ?")) {
                        ps.setString(1, w[0]);
                        ps.setInt(2, slot >> 3);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                byte[] bits = rs.getBytes(2);
                                if (test(bits, slot)) {
                                    rows.add(new Object[] {rs.getString(1), set(bits, slot, false)});
                                }
                            }
                        }
                    }
                    try (PreparedStatement put = c.prepareStatement("UPDATE segment_bits SET bits = ? WHERE db = ? AND profile_id = ?")) {
                        for (Object[] r : rows) {
                            put.setBytes(1, (byte[]) r[1]);
                            put.setString(2, w[0]);
                            put.setString(3, (String) r[0]);
                            put.executeUpdate();
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM segment_slots WHERE segment_id = ?")) {
                        ps.setString(1, id);
                        ps.executeUpdate();
                    }
                    slots.remove(w[0]);
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM segment_counts WHERE segment_id = ?")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
        });
    }

    /** Forgets a whole database's slots and counts (its rows are deleted by the store). */
    @Override
    public void deleteDatabase(String db) {
        sqlite.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM segment_bits WHERE db = ?")) {
                ps.setString(1, db);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM segment_counts WHERE segment_id IN (SELECT segment_id FROM segment_slots WHERE db = ?)")) {
                ps.setString(1, db);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM segment_slots WHERE db = ?")) {
                ps.setString(1, db);
                ps.executeUpdate();
            }
        });
        slots.remove(db);
    }
}
