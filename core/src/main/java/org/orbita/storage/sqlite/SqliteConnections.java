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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * One SQLite file in WAL mode, shared by every capability's embedded store: a single writer
 * connection behind a lock (SQLite has one writer anyway) with nestable transactions — so
 * writes of several stores made in one {@link #inTransaction} commit together — a small pool
 * of read-only connections, and prepared statements cached per connection. Each store creates
 * its own tables with {@link #schema}.
 *
 * <p>The write-ahead log is copied into the file by a thread of its own ({@link #checkpoints}), not by whichever write
 * commits when the log passed its size: a bulk write's commits then only append to the log. Should that thread fall behind
 * (a reader holding an old snapshot, a burst), the writer still checkpoints itself past {@value #VALVE_PAGES} pages.
 */
public final class SqliteConnections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SqliteConnections.class);
    private static final int READERS = 8;
    /** ~400 MB of log: past it a commit checkpoints (SQLite's own automatic checkpoint), the background one being behind. */
    static final int VALVE_PAGES = 100_000;
    private static final long CHECKPOINT_EVERY_MS = 200;

    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> allReaders = new ArrayList<>();
    private int depth;
    private final Map<Connection, Map<String, PreparedStatement>> statements = new ConcurrentHashMap<>();
    private final Connection checkpointer;
    private final Thread checkpoints;
    private volatile boolean closed;

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
                s.execute("PRAGMA wal_autocheckpoint = " + VALVE_PAGES);
                s.execute("PRAGMA mmap_size = 268435456");
            }
            this.checkpointer = config.createConnection(url);
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
        this.checkpoints = new Thread(this::checkpointLoop, "sqlite-checkpoints-" + file.getFileName());
        checkpoints.setDaemon(true);
        checkpoints.start();
    }

    /**
     * Copies what the log holds into the file every {@value #CHECKPOINT_EVERY_MS} ms, without waiting for readers or the
     * writer (a passive checkpoint: what a reader's snapshot still needs is copied at a later turn). A failure is logged and
     * tried again at the next turn; meanwhile the writer's own checkpoint past the valve keeps the log bounded.
     */
    private void checkpointLoop() {
        int failures = 0;
        while (!closed) {
            java.util.concurrent.locks.LockSupport.parkNanos(CHECKPOINT_EVERY_MS * 1_000_000L);
            if (closed) {
                return;
            }
            try (Statement s = checkpointer.createStatement(); java.sql.ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                rs.next();
                failures = 0;
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                if (failures++ % 100 == 0) {
                    log.warn("checkpointing the embedded store's log failed ({} in a row); the writer checkpoints past {} pages meanwhile",
                            failures, VALVE_PAGES, e);
                }
            }
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
        closed = true;
        java.util.concurrent.locks.LockSupport.unpark(checkpoints);
        try {
            checkpoints.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeLock.lock();
        try {
            checkpointer.close();
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
