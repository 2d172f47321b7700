package org.orbita.storage.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.orbita.storage.StorageException;
import org.sqlite.SQLiteConfig;

/**
 * One SQLite file in WAL mode, shared by every capability's embedded store: a single writer
 * connection behind a lock (SQLite has one writer anyway) with nestable transactions — so
 * writes of several stores made in one {@link #inTransaction} commit together — a small pool
 * of read-only connections, and prepared statements cached per connection. Each store creates
 * its own tables with {@link #schema}.
 */
public final class SqliteConnections implements AutoCloseable {

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
    public SqliteConnections(Path file, boolean fullSync) {
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

    /** Creates what is missing of a store's tables and indexes (statements that say IF NOT EXISTS). */
    public void schema(List<String> ddl) {
        write(c -> {
            try (Statement s = c.createStatement()) {
                for (String statement : ddl) {
                    s.executeUpdate(statement);
                }
            }
        });
    }

    /** Adds a column to a table made before the column was (SQLite has no ADD COLUMN IF NOT EXISTS). */
    public void column(String table, String column, String type) {
        write(c -> {
            boolean there = false;
            try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
                while (rs.next()) {
                    there |= column.equalsIgnoreCase(rs.getString("name"));
                }
            }
            if (!there) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
                }
            }
        });
    }

    /** A transaction, or a savepoint inside the one this thread holds. */
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
    public void write(SqlWork work) {
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

    public <T> T read(SqlRead<T> query) {
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
    public PreparedStatement statement(Connection c, String sql) throws SQLException {
        Map<String, PreparedStatement> cache = statements.computeIfAbsent(c, k -> new HashMap<>());
        PreparedStatement ps = cache.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            cache.put(sql, ps);
        }
        ps.clearParameters();
        return ps;
    }

    /** A write on the writer connection. */
    @FunctionalInterface
    public interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    /** A read on a reader connection (the writer, inside this thread's transaction). */
    @FunctionalInterface
    public interface SqlRead<T> {
        T run(Connection c) throws SQLException;
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
