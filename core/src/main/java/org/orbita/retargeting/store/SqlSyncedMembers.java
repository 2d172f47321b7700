package org.orbita.retargeting.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.orbita.retargeting.SyncedMembers;
import org.orbita.storage.sql.SqlDatabase;

/** The synced members on SQL, one schema for SQLite and PostgreSQL. */
public final class SqlSyncedMembers implements SyncedMembers {

    public static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS audience_members (sync TEXT NOT NULL, profile TEXT NOT NULL, email TEXT, phone TEXT,"
                    + " PRIMARY KEY (sync, profile))");

    private final SqlDatabase db;

    public SqlSyncedMembers(SqlDatabase db) {
        this.db = db;
        db.schema(SCHEMA);
    }

    @Override
    public List<Synced> page(String syncId, String afterProfile, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT profile, email, phone FROM audience_members WHERE sync = ? AND profile > ?"
                    + " ORDER BY profile LIMIT ?")) {
                ps.setString(1, syncId);
                ps.setString(2, afterProfile == null ? "" : afterProfile);
                ps.setInt(3, limit);
                List<Synced> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Synced(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void put(String syncId, Collection<Synced> members) {
        if (members.isEmpty()) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audience_members (sync, profile, email, phone) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (sync, profile) DO UPDATE SET email = excluded.email, phone = excluded.phone")) {
                for (Synced m : members) {
                    ps.setString(1, syncId);
                    ps.setString(2, m.profileId());
                    ps.setString(3, m.email());
                    ps.setString(4, m.phone());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void delete(String syncId, Collection<String> profileIds) {
        if (profileIds.isEmpty()) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM audience_members WHERE sync = ? AND profile = ?")) {
                for (String p : profileIds) {
                    ps.setString(1, syncId);
                    ps.setString(2, p);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public long count(String syncId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM audience_members WHERE sync = ?")) {
                ps.setString(1, syncId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public void forget(String syncId) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM audience_members WHERE sync = ?")) {
                ps.setString(1, syncId);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
