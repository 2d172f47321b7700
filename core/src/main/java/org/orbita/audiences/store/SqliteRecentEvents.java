package org.orbita.audiences.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.orbita.audiences.RecentEvents;
import org.orbita.common.Json;
import org.orbita.common.LazyJsonMap;
import org.orbita.events.Event;
import org.orbita.storage.sqlite.SqliteConnections;

/**
 * Recent behaviour in an embedded SQLite file, clustered by profile (the event log stays the record). The app keeps it in a
 * file of its own ({@link #inFile}): it is the embedded store's largest writer (every kept event), derived (added back from
 * the log after a crash) and never in a transaction with another store, so its writes and their checkpoints do not queue
 * the profiles', the market's and the settings' writers behind them.
 */
public final class SqliteRecentEvents implements RecentEvents, AutoCloseable {

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS recent_events (db TEXT NOT NULL, profile_id TEXT NOT NULL, ts_ms INTEGER NOT NULL,"
                    + " id TEXT NOT NULL, type TEXT NOT NULL, channel TEXT, props TEXT,"
                    + " PRIMARY KEY (db, profile_id, ts_ms, id)) WITHOUT ROWID");

    /** The primary key's order (written out: a chain of key extractors costs more than the inserts it orders). */
    private static final java.util.Comparator<Event> IN_TABLE_ORDER = (a, b) -> {
        int c = a.databaseId().compareTo(b.databaseId());
        if (c != 0) {
            return c;
        }
        c = (a.profileId() == null ? "" : a.profileId()).compareTo(b.profileId() == null ? "" : b.profileId());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.time().toEpochMilli(), b.time().toEpochMilli());
        return c != 0 ? c : a.id().compareTo(b.id());
    };

    private final SqliteConnections sqlite;
    private final boolean owned;

    /** In a file shared with other stores (closed by its owner). */
    public SqliteRecentEvents(SqliteConnections sqlite) {
        this(sqlite, false);
    }

    private SqliteRecentEvents(SqliteConnections sqlite, boolean owned) {
        this.sqlite = sqlite;
        this.owned = owned;
        sqlite.schema(SCHEMA);
    }

    /** In a file of its own, closed with this store. */
    public static SqliteRecentEvents inFile(java.nio.file.Path file, boolean fullSync) {
        return new SqliteRecentEvents(new SqliteConnections(file, fullSync), true);
    }

    /**
     * Moves into this file what an earlier version kept in the shared one ({@code recent_events} there), a page at a time in
     * the table's order, then drops the old table: a crash midway copies again what it had (a row added twice is kept once).
     *
     * @return how many rows were moved (0 when there was no old table)
     */
    public long adopt(SqliteConnections shared) {
        if (shared == sqlite) {
            return 0;
        }
        boolean there = shared.read(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'recent_events'")) {
                return rs.next();
            }
        });
        if (!there) {
            return 0;
        }
        long moved = 0;
        Object[] after = {"", "", Long.MIN_VALUE, ""};
        while (true) {
            List<Object[]> page = shared.read(c -> {
                PreparedStatement ps = c.prepareStatement("SELECT db, profile_id, ts_ms, id, type, channel, props FROM recent_events"
                        + " WHERE (db, profile_id, ts_ms, id) > (?, ?, ?, ?) ORDER BY db, profile_id, ts_ms, id LIMIT 20000");
                ps.setString(1, (String) after[0]);
                ps.setString(2, (String) after[1]);
                ps.setLong(3, (Long) after[2]);
                ps.setString(4, (String) after[3]);
                List<Object[]> rows = new ArrayList<>();
                try (ps; ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7)});
                    }
                }
                return rows;
            });
            if (page.isEmpty()) {
                break;
            }
            sqlite.write(c -> {
                PreparedStatement ps = sqlite.statement(c, "INSERT OR IGNORE INTO recent_events (db, profile_id, ts_ms, id, type, channel, props)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)");
                for (Object[] r : page) {
                    ps.setString(1, (String) r[0]);
                    ps.setString(2, (String) r[1]);
                    ps.setLong(3, (Long) r[2]);
                    ps.setString(4, (String) r[3]);
                    ps.setString(5, (String) r[4]);
                    ps.setString(6, (String) r[5]);
                    ps.setString(7, (String) r[6]);
                    ps.executeUpdate();
                }
            });
            moved += page.size();
            System.arraycopy(page.get(page.size() - 1), 0, after, 0, 4);
        }
        shared.write(c -> c.createStatement().executeUpdate("DROP TABLE recent_events"));
        return moved;
    }

    @Override
    public void close() {
        if (owned) {
            sqlite.close();
        }
    }


    @Override
    public void addRecent(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        // in the table's order: a batch touches its pages one after another, not at random
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(IN_TABLE_ORDER);
        sqlite.write(c -> {
            PreparedStatement ps = sqlite.statement(c, "INSERT OR IGNORE INTO recent_events (db, profile_id, ts_ms, id, type, channel, props)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)");
            for (Event e : sorted) {
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
    public Map<String, List<Event>> recentOfRange(String databaseId, String fromId, String toId, Instant since) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT profile_id, ts_ms, id, type, channel, props FROM recent_events"
                    + " WHERE db = ? AND profile_id >= ? AND profile_id <= ? AND ts_ms >= ? ORDER BY profile_id, ts_ms, id");
            ps.setString(1, databaseId);
            ps.setString(2, fromId);
            ps.setString(3, toId);
            ps.setLong(4, since == null ? Long.MIN_VALUE : since.toEpochMilli());
            Map<String, List<Event>> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String pid = rs.getString(1);
                    String props = rs.getString(6);
                    String channel = rs.getString(5);
                    out.computeIfAbsent(pid, k -> new ArrayList<>()).add(new Event(rs.getString(3), databaseId, pid,
                            rs.getString(4), channel, Instant.ofEpochMilli(rs.getLong(2)),
                            props == null ? null : new LazyJsonMap(props)));
                }
            }
            return out;
        });
    }

    @Override
    public long pruneRecent(Instant before) {
        long[] n = {0};
        sqlite.write(c -> {
            PreparedStatement ps = sqlite.statement(c, "DELETE FROM recent_events WHERE ts_ms < ?");
            ps.setLong(1, before.toEpochMilli());
            n[0] = ps.executeUpdate();
        });
        return n[0];
    }

    @Override
    public void deleteDatabase(String databaseId) {
        sqlite.write(c -> {
            PreparedStatement ps = sqlite.statement(c, "DELETE FROM recent_events WHERE db = ?");
            ps.setString(1, databaseId);
            ps.executeUpdate();
        });
    }
}
