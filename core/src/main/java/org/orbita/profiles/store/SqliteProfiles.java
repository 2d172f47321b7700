package org.orbita.profiles.store;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
import org.orbita.profiles.ProfileStore;
import org.orbita.storage.sqlite.SqliteConnections;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Profiles in the embedded SQLite file: one row per profile (its JSON document) and one per key
 * (unique value or merged id), whose primary key decides who owns a value. Shares the file
 * with the other embedded stores, so an import batch and its job checkpoint commit together.
 */
public final class SqliteProfiles implements ProfileStore {

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS profiles (db TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL)",
            "CREATE UNIQUE INDEX IF NOT EXISTS profiles_id ON profiles (db, id)",
            "CREATE TABLE IF NOT EXISTS profile_keys (db TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,"
                    + " profile_id TEXT NOT NULL, PRIMARY KEY (db, field, value)) WITHOUT ROWID",
            "CREATE INDEX IF NOT EXISTS profile_keys_owner ON profile_keys (db, profile_id)");

    private final SqliteConnections sqlite;

    public SqliteProfiles(SqliteConnections sqlite) {
        this.sqlite = sqlite;
        sqlite.schema(SCHEMA);
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return sqlite.inTransaction(work);
    }


    @Override
    public Optional<Profile> find(String databaseId, String id) {
        return sqlite.read(c -> {
            {
            PreparedStatement ps = sqlite.statement(c, "SELECT doc FROM profiles WHERE db = ? AND id = ?");
                ps.setString(1, databaseId);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Json.read(rs.getString(1), Profile.class)) : Optional.empty();
                }
            }
        });
    }

    private static final int EXISTING_CHUNK = 256;
    private static final String EXISTING_SQL = "SELECT id FROM profiles WHERE db = ? AND id IN ("
            + String.join(", ", java.util.Collections.nCopies(EXISTING_CHUNK, "?")) + ")";

    @Override
    public Set<String> existing(String databaseId, Collection<String> ids) {
        List<String> list = List.copyOf(new HashSet<>(ids));
        Set<String> found = new HashSet<>();
        if (list.isEmpty()) {
            return found;
        }
        return sqlite.read(c -> {
            // one statement text for every chunk (a short last chunk repeats its last id), so it is prepared once
            PreparedStatement ps = sqlite.statement(c, EXISTING_SQL);
            ps.setString(1, databaseId);
            for (int from = 0; from < list.size(); from += EXISTING_CHUNK) {
                for (int i = 0; i < EXISTING_CHUNK; i++) {
                    ps.setString(2 + i, list.get(Math.min(from + i, list.size() - 1)));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
            return found;
        });
    }

    @Override
    public Optional<String> findOwner(String databaseId, ProfileKey key) {
        return sqlite.read(c -> owner(c, databaseId, key));
    }

    private Optional<String> owner(Connection c, String databaseId, ProfileKey key) throws SQLException {
        {
            PreparedStatement ps = sqlite.statement(c,
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
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, sql.toString());
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
        sqlite.write(c -> {
            Set<ProfileKey> old = previous != null ? previous : keysOf(c, db, profile.id());
            for (ProfileKey key : old) {
                if (!keys.contains(key)) {
                    PreparedStatement del = sqlite.statement(c, "DELETE FROM profile_keys WHERE db = ? AND field = ? AND value = ?");
                    del.setString(1, db);
                    del.setString(2, key.field());
                    del.setString(3, key.value());
                    del.executeUpdate();
                }
            }
            for (ProfileKey key : keys) {
                if (!old.contains(key)) {
                    PreparedStatement ins = sqlite.statement(c,
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
            PreparedStatement ps = sqlite.statement(c,
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
            PreparedStatement ps = sqlite.statement(c, "SELECT field, value FROM profile_keys WHERE db = ? AND profile_id = ?");
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
        sqlite.write(c -> {
            {
                PreparedStatement keys = sqlite.statement(c, "DELETE FROM profile_keys WHERE db = ? AND profile_id = ?");
                PreparedStatement doc = sqlite.statement(c, "DELETE FROM profiles WHERE db = ? AND id = ?");
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
        return sqlite.read(c -> {
            {
            PreparedStatement ps = sqlite.statement(c, "SELECT count(*) FROM profiles WHERE db = ?");
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
        return sqlite.read(c -> {
            {
            PreparedStatement ps = sqlite.statement(c,
                    "SELECT doc FROM profiles WHERE db = ? AND id > ? ORDER BY id LIMIT ?");
                ps.setString(1, databaseId);
                ps.setString(2, afterId == null ? "" : afterId);
                ps.setInt(3, limit);
                return profiles(ps);
            }
        });
    }

    @Override
    public List<String> ids(String databaseId, String afterId, int limit) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT id FROM profiles WHERE db = ? AND id > ? ORDER BY id LIMIT ?");
            ps.setString(1, databaseId);
            ps.setString(2, afterId == null ? "" : afterId);
            ps.setInt(3, limit);
            List<String> out = new ArrayList<>(Math.min(limit, 10_000));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<String> idAt(String databaseId, long position) {
        return sqlite.read(c -> {
            // the (db, id) index alone answers this: no profile document is read while skipping
            PreparedStatement ps = sqlite.statement(c, "SELECT id FROM profiles WHERE db = ? ORDER BY id LIMIT 1 OFFSET ?");
            ps.setString(1, databaseId);
            ps.setLong(2, position);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
        });
    }

    @Override
    public List<Profile> search(String databaseId, ProfileFilter filter, int offset, int limit) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT doc FROM profiles WHERE " + where(filter) + " ORDER BY id LIMIT ? OFFSET ?");
            int next = bind(ps, databaseId, filter);
            ps.setInt(next, limit);
            ps.setInt(next + 1, offset);
            return profiles(ps);
        });
    }

    @Override
    public long countSearch(String databaseId, ProfileFilter filter) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT count(*) FROM profiles WHERE " + where(filter));
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
        String value = filter.value() instanceof BigDecimal d ? d.toPlainString() : String.valueOf(filter.value());
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
        sqlite.write(c -> {
            {
                PreparedStatement keys = sqlite.statement(c, "DELETE FROM profile_keys WHERE db = ?");
                PreparedStatement docs = sqlite.statement(c, "DELETE FROM profiles WHERE db = ?");
                keys.setString(1, databaseId);
                keys.executeUpdate();
                docs.setString(1, databaseId);
                docs.executeUpdate();
            }
        });
    }
}
