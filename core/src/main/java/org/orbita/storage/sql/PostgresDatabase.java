package org.orbita.storage.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.orbita.storage.StorageException;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL as a {@link SqlDatabase}: a small pool of connections opened at start, each call a
 * transaction of its own on one of them; a connection that failed is replaced before it is used again.
 */
public final class PostgresDatabase implements SqlDatabase, AutoCloseable {

    private final String url;
    private final Properties properties = new Properties();
    private final BlockingQueue<Connection> pool;
    private final List<Connection> all = new ArrayList<>();

    public PostgresDatabase(String url, String user, String password, int connections) {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("a jdbc:postgresql: URL, got " + url);
        }
        this.url = url;
        if (user != null && !user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        properties.setProperty("reWriteBatchedInserts", "true");
        this.pool = new ArrayBlockingQueue<>(connections);
        for (int i = 0; i < connections; i++) {
            Connection c = open();
            all.add(c);
            pool.add(c);
        }
    }

    private Connection open() {
        try {
            Connection c = DriverManager.getConnection(url, properties);
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            throw new StorageException("cannot connect to PostgreSQL at " + url.replaceAll("(?i)password=[^&;]*", "password=***"), e);
        }
    }

    @Override
    public <T> T write(Work<T> work) {
        return run(work);
    }

    @Override
    public <T> T read(Work<T> work) {
        return run(work);
    }

    private <T> T run(Work<T> work) {
        Connection c;
        try {
            c = pool.poll(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for a PostgreSQL connection", e);
        }
        if (c == null) {
            throw new StorageException("no PostgreSQL connection free for 30 s", null);
        }
        boolean broken = false;
        try {
            T out = work.run(c);
            c.commit();
            return out;
        } catch (SQLException e) {
            broken = rollback(c);
            throw new StorageException("PostgreSQL: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            broken = rollback(c);
            throw e;
        } finally {
            pool.add(broken ? replace(c) : c);
        }
    }

    /** Rolls back; true when the connection is no longer usable. */
    private static boolean rollback(Connection c) {
        try {
            c.rollback();
            return false;
        } catch (SQLException e) {
            return true;
        }
    }

    private synchronized Connection replace(Connection broken) {
        try {
            broken.close();
        } catch (SQLException e) {
            // it is being replaced because it failed; closing it may fail the same way
            LoggerFactory.getLogger(PostgresDatabase.class).debug("closing a failed PostgreSQL connection failed too", e);
        }
        all.remove(broken);
        Connection fresh = open();
        all.add(fresh);
        return fresh;
    }

    @Override
    public String engine() {
        return "postgresql";
    }

    @Override
    public synchronized void close() {
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException e) {
                throw new StorageException("cannot close a PostgreSQL connection", e);
            }
        }
    }
}
