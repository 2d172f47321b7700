package org.orbita.sites.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.orbita.sites.Visitors;
import org.orbita.storage.sqlite.SqliteConnections;

/** Visitors' merges in SQLite: one row per merge; at most one in force per visitor (a partial unique index). */
public final class SqliteVisitors implements Visitors {

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS site_merges (id TEXT PRIMARY KEY, db TEXT NOT NULL, visitor TEXT NOT NULL, profile_id TEXT NOT NULL,"
                    + " site TEXT, how TEXT NOT NULL, at_ms INTEGER NOT NULL, reversed_ms INTEGER)",
            "CREATE UNIQUE INDEX IF NOT EXISTS site_merges_in_force ON site_merges (db, visitor) WHERE reversed_ms IS NULL",
            "CREATE INDEX IF NOT EXISTS site_merges_profile ON site_merges (db, profile_id)",
            "CREATE INDEX IF NOT EXISTS site_merges_at ON site_merges (db, at_ms)",
            "CREATE TABLE IF NOT EXISTS site_conflicts (id TEXT PRIMARY KEY, db TEXT NOT NULL, visitor TEXT NOT NULL, site TEXT,"
                    + " linked TEXT NOT NULL, claimed TEXT NOT NULL, how TEXT NOT NULL, at_ms INTEGER NOT NULL)",
            "CREATE INDEX IF NOT EXISTS site_conflicts_at ON site_conflicts (db, at_ms)");
    private static final String COLUMNS = "id, db, visitor, profile_id, site, how, at_ms, reversed_ms";

    private final SqliteConnections sqlite;

    public SqliteVisitors(SqliteConnections sqlite) {
        this.sqlite = sqlite;
        sqlite.schema(SCHEMA);
    }

    @Override
    public Optional<Merge> linkOf(String databaseId, String visitorId) {
        List<Merge> found = select("SELECT " + COLUMNS + " FROM site_merges WHERE db = ? AND visitor = ? AND reversed_ms IS NULL",
                databaseId, visitorId);
        return found.stream().findFirst();
    }

    @Override
    public boolean link(Merge m) {
        int[] n = {0};
        sqlite.write(c -> {
            PreparedStatement ps = sqlite.statement(c, "INSERT OR IGNORE INTO site_merges (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, NULL)");
            ps.setString(1, m.id());
            ps.setString(2, m.databaseId());
            ps.setString(3, m.visitorId());
            ps.setString(4, m.profileId());
            ps.setString(5, m.siteId());
            ps.setString(6, m.how());
            ps.setLong(7, m.at().toEpochMilli());
            n[0] = ps.executeUpdate();
        });
        return n[0] == 1;
    }

    @Override
    public List<Merge> linksOf(String databaseId, String profileId) {
        return select("SELECT " + COLUMNS + " FROM site_merges WHERE db = ? AND profile_id = ? AND reversed_ms IS NULL ORDER BY at_ms",
                databaseId, profileId);
    }

    @Override
    public List<Merge> merges(String databaseId, int limit) {
        return select("SELECT " + COLUMNS + " FROM site_merges WHERE db = ? ORDER BY at_ms DESC, id DESC LIMIT " + Math.max(1, Math.min(limit, 1000)),
                databaseId);
    }

    @Override
    public Optional<Merge> merge(String databaseId, String mergeId) {
        return select("SELECT " + COLUMNS + " FROM site_merges WHERE db = ? AND id = ?", databaseId, mergeId).stream().findFirst();
    }

    @Override
    public Optional<Merge> reverse(String databaseId, String mergeId, Instant at) {
        int[] n = {0};
        sqlite.write(c -> {
            PreparedStatement ps = sqlite.statement(c, "UPDATE site_merges SET reversed_ms = ? WHERE db = ? AND id = ? AND reversed_ms IS NULL");
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, databaseId);
            ps.setString(3, mergeId);
            n[0] = ps.executeUpdate();
        });
        return n[0] == 1 ? merge(databaseId, mergeId) : Optional.empty();
    }

    @Override
    public void conflict(Conflict k) {
        sqlite.write(c -> {
            PreparedStatement ps = sqlite.statement(c, "INSERT OR IGNORE INTO site_conflicts (id, db, visitor, site, linked, claimed, how, at_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            ps.setString(1, k.id());
            ps.setString(2, k.databaseId());
            ps.setString(3, k.visitorId());
            ps.setString(4, k.siteId());
            ps.setString(5, k.linkedProfile());
            ps.setString(6, k.claimedProfile());
            ps.setString(7, k.how());
            ps.setLong(8, k.at().toEpochMilli());
            ps.executeUpdate();
        });
    }

    @Override
    public List<Conflict> conflicts(String databaseId, int limit) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT id, db, visitor, site, linked, claimed, how, at_ms FROM site_conflicts WHERE db = ?"
                    + " ORDER BY at_ms DESC, id DESC LIMIT " + Math.max(1, Math.min(limit, 1000)));
            ps.setString(1, databaseId);
            List<Conflict> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Conflict(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(7), Instant.ofEpochMilli(rs.getLong(8))));
                }
            }
            return out;
        });
    }

    @Override
    public void deleteDatabase(String databaseId) {
        sqlite.write(c -> {
            for (String table : List.of("site_merges", "site_conflicts")) {
                PreparedStatement ps = sqlite.statement(c, "DELETE FROM " + table + " WHERE db = ?");
                ps.setString(1, databaseId);
                ps.executeUpdate();
            }
        });
    }

    private List<Merge> select(String sql, String... params) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, sql);
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            List<Merge> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(merge(rs));
                }
            }
            return out;
        });
    }

    private static Merge merge(ResultSet rs) throws SQLException {
        long reversed = rs.getLong(8);
        Instant reversedAt = rs.wasNull() ? null : Instant.ofEpochMilli(reversed);
        return new Merge(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                Instant.ofEpochMilli(rs.getLong(7)), reversedAt);
    }
}
