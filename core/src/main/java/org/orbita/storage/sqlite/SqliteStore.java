package org.orbita.storage.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.orbita.common.Json;
import org.orbita.profiles.KeyTakenException;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileFilter;
import org.orbita.profiles.ProfileKey;
import org.orbita.storage.ProfileEngine;
import org.orbita.storage.StorageException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The embedded store: profiles and settings in one SQLite file in WAL mode. One writer
 * connection (SQLite has one writer anyway) and a small pool of readers; a transaction
 * spans profiles and settings, so an import batch and its job checkpoint commit together.
 */
public final class SqliteStore implements ProfileEngine {

    private static final int READERS = 8;

    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> allReaders = new ArrayList<>();
    private int depth;
    private final Map<Connection, Map<String, PreparedStatement>> statements = new ConcurrentHashMap<>();

    /**
     * @param file the database file (created with its folder when missing)
     * @param fullSync fsync at every commit (survives power loss) rather than at WAL checkpoints
     *     (survives process crashes)
     */
    public SqliteStore(Path file, boolean fullSync) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            String url = "jdbc:sqlite:" + file.toAbsolutePath();
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(fullSync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(30_000);
            config.setCacheSize(-65_536);
            config.setTempStore(SQLiteConfig.TempStore.MEMORY);
            // Otherwise the driver runs "SELECT last_insert_rowid()" after every insert; ids here are our own.
            config.setGetGeneratedKeys(false);
            this.writer = config.createConnection(url);
            try (Statement s = writer.createStatement()) {
                // Checkpoint the WAL every ~40 MB instead of every 4 MB: fewer, larger copies during bulk writes.
                s.execute("PRAGMA wal_autocheckpoint = 10000");
                s.execute("PRAGMA mmap_size = 268435456");
            }
            createSchema();
            SQLiteConfig readOnly = new SQLiteConfig(config.toProperties());
            readOnly.setReadOnly(true);
            for (int i = 0; i < READERS; i++) {
                Connection reader = readOnly.createConnection(url);
                allReaders.add(reader);
                readers.add(reader);
            }
        } catch (Exception e) {
            throw new StorageException("cannot open the embedded store at " + file, e);
        }
    }

    private void createSchema() throws SQLException {
        try (Statement s = writer.createStatement()) {
            s.executeUpdate("CREATE TABLE IF NOT EXISTS profiles (db TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL)");
            s.executeUpdate("CREATE UNIQUE INDEX IF NOT EXISTS profiles_id ON profiles (db, id)");
            s.executeUpdate("CREATE TABLE IF NOT EXISTS profile_keys (db TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,"
                    + " profile_id TEXT NOT NULL, PRIMARY KEY (db, field, value)) WITHOUT ROWID");
            s.executeUpdate("CREATE INDEX IF NOT EXISTS profile_keys_owner ON profile_keys (db, profile_id)");
            s.executeUpdate("CREATE TABLE IF NOT EXISTS documents (collection TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,"
                    + " PRIMARY KEY (collection, id)) WITHOUT ROWID");
        }
    }

    // ---- transactions -------------------------------------------------------------

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        writeLock.lock();
        try {
            if (depth == 0) {
                return outer(work);
            }
            return nested(work);
        } finally {
            writeLock.unlock();
        }
    }

    private <T> T outer(Supplier<T> work) {
        try {
            writer.setAutoCommit(false);
        } catch (SQLException e) {
            throw new StorageException("cannot begin a transaction", e);
        }
        depth = 1;
        boolean committed = false;
        try {
            T result = work.get();
            writer.commit();
            committed = true;
            return result;
        } catch (SQLException e) {
            throw new StorageException("cannot commit", e);
        } finally {
            depth = 0;
            try {
                if (!committed) {
                    writer.rollback();
                }
                writer.setAutoCommit(true);
            } catch (SQLException e) {
                throw new StorageException("cannot end a transaction", e);
            }
        }
    }

    /**
     * A savepoint per nesting level, named by its depth; the statements are prepared once
     * (sqlite-jdbc's own savepoints prepare three statements per row of a batch).
     */
    private <T> T nested(Supplier<T> work) {
        String name = "orbita_sp" + depth;
        try {
            statement(writer, "SAVEPOINT " + name).execute();
        } catch (SQLException e) {
            throw new StorageException("cannot set a savepoint", e);
        }
        depth++;
        try {
            T result = work.get();
            statement(writer, "RELEASE " + name).execute();
            return result;
        } catch (RuntimeException e) {
            try {
                statement(writer, "ROLLBACK TO " + name).execute();
                statement(writer, "RELEASE " + name).execute();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } catch (SQLException e) {
            throw new StorageException("cannot release a savepoint", e);
        } finally {
            depth--;
        }
    }

    /**
     * Runs a write: inside an open transaction it joins it (the caller's own savepoint, if it
     * needs one, undoes it); otherwise it is a transaction of its own.
     */
    private void write(SqlWork work) {
        if (writeLock.isHeldByCurrentThread() && depth > 0) {
            try {
                work.run(writer);
                return;
            } catch (SQLException e) {
                throw new StorageException("write failed", e);
            }
        }
        inTransaction(() -> {
            try {
                work.run(writer);
                return null;
            } catch (SQLException e) {
                throw new StorageException("write failed", e);
            }
        });
    }

    private <T> T read(SqlRead<T> query) {
        if (writeLock.isHeldByCurrentThread()) {
            try {
                return query.run(writer);
            } catch (SQLException e) {
                throw new StorageException("read failed", e);
            }
        }
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for a connection", e);
        }
        try {
            return query.run(c);
        } catch (SQLException e) {
            throw new StorageException("read failed", e);
        } finally {
            readers.add(c);
        }
    }

    /**
     * A prepared statement cached per connection: preparing costs more than running the
     * small statements a profile write makes. Callers must not close it.
     */
    private PreparedStatement statement(Connection c, String sql) throws SQLException {
        Map<String, PreparedStatement> cache = statements.computeIfAbsent(c, k -> new HashMap<>());
        PreparedStatement ps = cache.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            cache.put(sql, ps);
        }
        ps.clearParameters();
        return ps;
    }

    @FunctionalInterface
    private interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface SqlRead<T> {
        T run(Connection c) throws SQLException;
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
                PreparedStatement keys = statement(c, "DELETE FROM profile_keys WHERE db = ?");
                PreparedStatement docs = statement(c, "DELETE FROM profiles WHERE db = ?");
                keys.setString(1, databaseId);
                keys.executeUpdate();
                docs.setString(1, databaseId);
                docs.executeUpdate();
            }
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
        writeLock.lock();
        try {
            for (Connection c : allReaders) {
                c.close();
            }
            writer.close();
        } catch (SQLException e) {
            throw new StorageException("cannot close the embedded store", e);
        } finally {
            writeLock.unlock();
        }
    }
}
