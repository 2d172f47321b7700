package org.orbita.journeys.operaton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.operaton.bpm.engine.impl.cmd.AcquireJobsCmd;
import org.operaton.bpm.engine.impl.context.Context;
import org.operaton.bpm.engine.impl.interceptor.Command;
import org.operaton.bpm.engine.impl.interceptor.CommandInterceptor;

/**
 * Group commit for the engine's H2 file. H2 writes its changes out at each commit when told to
 * ({@code WRITE_DELAY=0}), and that write — every changed page of every table and index — was
 * most of the engine's cost. Instead H2 writes on its own once a second, and a command that
 * changed something returns only once a write made after it has finished: one flusher writes
 * at most every {@code interval}, for every command that committed before it began. What a
 * command acknowledged (an entry, an event taken, a node done) is in the file when it returns,
 * as with a write per commit, and survives {@code kill -9}.
 *
 * <p>An interceptor around the engine's outermost commands (a command inside another returns to
 * its caller's transaction, which waits when it ends).
 */
final class H2GroupCommit implements AutoCloseable {

    private volatile MVStore store;
    private final long intervalNanos;
    private final Object lock = new Object();
    /** The newest version a command waits to see written, and the newest written (under {@link #lock}). */
    private long requested;
    private long written;
    private RuntimeException failure;
    private volatile boolean closed;
    private Thread flusher;

    H2GroupCommit(long intervalMillis) {
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    }

    /** The store of the H2 database behind {@code dataSource} (embedded: its session is in this process). */
    static MVStore storeOf(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
        } catch (SQLException e) {
            throw new IllegalStateException("the journey engine's H2 store could not be reached", e);
        }
    }

    /** Starts writing for the commands, on the engine's store (until then, while the engine is built, they do not wait). */
    void start(MVStore engineStore, String name) {
        this.store = engineStore;
        flusher = Thread.ofPlatform().name(name).daemon(true).start(this::flush);
    }

    /** An interceptor to put before the engine's own (one per chain of interceptors: each links to its next). */
    CommandInterceptor interceptor() {
        return new CommandInterceptor() {
            @Override
            public <T> T execute(Command<T> command) {
                // a job's thread does not wait: a node done again after a crash is done once (the journey ledger knows it was)
                boolean waits = Context.getCommandContext() == null && Context.getJobExecutorContext() == null
                        && !(command instanceof AcquireJobsCmd);
                T result = next.execute(command);
                if (waits) {
                    awaitWritten();
                }
                return result;
            }
        };
    }

    /** Returns once everything changed before the call is in the file. */
    void awaitWritten() {
        MVStore store = this.store;
        if (store == null || closed || !store.hasUnsavedChanges()) {
            return;
        }
        long version = store.getCurrentVersion();
        synchronized (lock) {
            if (requested < version) {
                requested = version;
                lock.notifyAll();
            }
            while (written < version && failure == null && !closed) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the journey engine's changes were written", e);
                }
            }
            if (failure != null) {
                throw new IllegalStateException("the journey engine's changes could not be written", failure);
            }
        }
    }

    private void flush() {
        long last = 0;
        while (!closed) {
            synchronized (lock) {
                while (requested <= written && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            long wait = last + intervalNanos - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait); // more commands join this write
                } catch (InterruptedException e) {
                    return;
                }
            }
            // every change made at this version or before is in the write that follows
            long version = store.getCurrentVersion();
            try {
                store.commit();
            } catch (RuntimeException e) {
                synchronized (lock) {
                    failure = e; // the store is broken (H2 closes it): every waiting and later command fails with the reason
                    lock.notifyAll();
                }
                return;
            }
            last = System.nanoTime();
            synchronized (lock) {
                written = Math.max(written, version);
                lock.notifyAll();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        if (flusher != null) {
            try {
                flusher.join(5_000); // not interrupted: an interrupt in H2's file I/O closes the file
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
