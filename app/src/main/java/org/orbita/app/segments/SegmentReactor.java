package org.orbita.app.segments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.orbita.events.Event;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.segments.Segments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps dynamic segments current: every event appended (profile writes append theirs too)
 * queues its profile for re-evaluation by one worker, which takes what is waiting in
 * batches. When more changes wait than the queue holds (a big import), the database is
 * marked and recomputed in full instead, so nothing is missed. Every database with dynamic
 * segments is also recomputed on a schedule.
 */
public final class SegmentReactor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SegmentReactor.class);
    private static final int DRAIN = 1000;

    private record Touch(String databaseId, String profileId) {}

    private final Segments segments;
    private final ClientDatabases databases;
    private final BlockingQueue<Touch> queue;
    private final Set<String> overflowed = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "segments-realtime");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    /**
     * @param prune forgets behaviour older than the retention; run daily
     */
    public SegmentReactor(Segments segments, ClientDatabases databases, int capacity, Duration recomputeInterval, Runnable prune) {
        this.segments = segments;
        this.databases = databases;
        this.queue = new ArrayBlockingQueue<>(capacity);
        worker.scheduleWithFixedDelay(this::drain, 50, 50, TimeUnit.MILLISECONDS);
        long every = Math.max(1, recomputeInterval.toSeconds());
        worker.scheduleWithFixedDelay(this::recomputeAll, every, every, TimeUnit.SECONDS);
        worker.scheduleWithFixedDelay(() -> {
            try {
                prune.run();
            } catch (RuntimeException e) {
                log.error("pruning recent behaviour failed", e);
            }
        }, 1, 24 * 60, TimeUnit.MINUTES);
    }

    /** Queues the profiles of appended events (segment events themselves change nothing). */
    public void appended(List<Event> events) {
        for (Event e : events) {
            if (e.profileId() == null || e.type().startsWith("segment.") || overflowed.contains(e.databaseId())) {
                continue;
            }
            if (!queue.offer(new Touch(e.databaseId(), e.profileId()))) {
                overflowed.add(e.databaseId());
            }
        }
    }

    /** Evaluates everything queued so far, now (tests and the worker). */
    public synchronized void drain() {
        try {
            while (!closed) {
                List<Touch> batch = new ArrayList<>(DRAIN);
                queue.drainTo(batch, DRAIN);
                if (batch.isEmpty()) {
                    break;
                }
                Map<String, Set<String>> byDatabase = new LinkedHashMap<>();
                batch.forEach(t -> byDatabase.computeIfAbsent(t.databaseId(), k -> new HashSet<>()).add(t.profileId()));
                byDatabase.forEach(segments::touched);
            }
            for (String db : List.copyOf(overflowed)) {
                // clear first: changes arriving during the recompute are queued again
                overflowed.remove(db);
                segments.recompute(db, null, true, n -> {});
            }
        } catch (RuntimeException e) {
            log.error("real-time segment evaluation failed; the scheduled recompute will catch up", e);
        }
    }

    private void recomputeAll() {
        for (ClientDatabase db : allDatabases()) {
            if (closed) {
                return;
            }
            try {
                if (segments.ofDatabase(db.id()).stream().anyMatch(s -> s.dynamic())) {
                    synchronized (this) {
                        segments.recompute(db.id(), null, true, n -> {});
                    }
                }
            } catch (RuntimeException e) {
                log.error("scheduled recompute of database {} failed", db.id(), e);
            }
        }
    }

    private List<ClientDatabase> allDatabases() {
        return databases.listAll();
    }

    /** How many profile changes wait for evaluation. */
    public int waiting() {
        return queue.size();
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
    }
}
