package org.orbita.audiences;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.orbita.common.Json;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.settings.SettingsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps dynamic segments current. Every event appended to the log (profile writes append
 * theirs too) passes through here:
 * <ul>
 * <li>behaviour events of the types some dynamic segment looks at are queued for the recent-events store, written in large batches by
 *     their own thread (so event ingest does not wait on it; when 100,000 wait, appending
 *     waits — nothing is dropped). After a crash, events the log holds but the store missed
 *     are added back from the log at start (from one day before the last written event);</li>
 * <li>their profiles are queued for re-evaluation by another thread, which first waits until
 *     the events queued before them are written. When more profiles wait than the queue holds
 *     (a big import), the database is recomputed in full instead, so nothing is missed.</li>
 * </ul>
 * Every database with dynamic segments is also recomputed on a schedule.
 */
public final class SegmentReactor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SegmentReactor.class);
    private static final int DRAIN = 1000;
    private static final int WRITE_BATCH = 20_000;
    private static final String WATERMARK = "segments_recent_watermark";
    /** The databases owed a full recompute (overflowed, not yet recomputed), kept so a restart does not forget them. */
    static final String OWED = "segments_recompute_owed";

    private record Touch(String databaseId, String profileId) {}

    private final Segments segments;
    private final ClientDatabases databases;
    private final RecentEvents recent;
    private final SettingsStore settings;
    private final BlockingQueue<Touch> touches;
    private final BlockingQueue<Event> pending = new ArrayBlockingQueue<>(100_000);
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Set<String> overflowed = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> retryAt = new ConcurrentHashMap<>();
    private final Map<String, Long> heldUntil = new ConcurrentHashMap<>();
    private static final int HOLD_FACTOR = 4;
    private final AtomicLong failures = new AtomicLong();
    private static final int RETRY_SECONDS = 30;
    private final ScheduledExecutorService evaluator = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "segments-realtime"));
    private final Thread writer;
    private volatile boolean closed;
    private volatile long lastWatermarkSave;
    private Set<String> owedSaved = Set.of();

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * @param prune forgets behaviour older than the retention; run daily
     */
    public SegmentReactor(Segments segments, ClientDatabases databases, RecentEvents recent, SettingsStore settings, EventLog log,
            int capacity, Duration recomputeInterval, Runnable prune) {
        this.segments = segments;
        this.databases = databases;
        this.recent = recent;
        this.settings = settings;
        this.touches = new ArrayBlockingQueue<>(capacity);
        marker(settings, OWED).filter(v -> !v.isBlank()).ifPresent(v -> {
            owedSaved = Set.of(v.split(","));
            overflowed.addAll(owedSaved);
        });
        this.writer = thread(() -> {
            backfill(log);
            writeLoop();
        }, "segments-recent-writer");
        writer.start();
        evaluator.scheduleWithFixedDelay(guarded("real-time evaluation", this::drain), 50, 50, TimeUnit.MILLISECONDS);
        long every = Math.max(1, recomputeInterval.toSeconds());
        evaluator.scheduleWithFixedDelay(guarded("the scheduled recompute", this::recomputeAll), every, every, TimeUnit.SECONDS);
        evaluator.scheduleWithFixedDelay(guarded("pruning recent behaviour", prune), 1, 24 * 60, TimeUnit.MINUTES);
    }

    /**
     * A periodic task that outlives its failures: a scheduled executor silently stops a task
     * that throws, so each failure is logged here and the task runs again at its next turn.
     */
    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Exception | LinkageError e) {
                log.error("{} failed; it runs again at its next turn", what, e);
            }
        };
    }

    /** Queues the behaviour events and the profiles of appended events (segment events themselves change nothing). */
    public void appended(List<Event> events) {
        for (Event e : RecentBehaviour.kept(events)) {
            if (!segments.behaviourTypes(e.databaseId()).contains(e.type())) {
                continue;
            }
            try {
                pending.put(e);
                queued.incrementAndGet();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while queueing events for segments", ie);
            }
        }
        for (Event e : events) {
            if (e.profileId() == null || e.type().startsWith("segment.") || overflowed.contains(e.databaseId())) {
                continue;
            }
            if (!touches.offer(new Touch(e.databaseId(), e.profileId()))) {
                overflowed.add(e.databaseId());
            }
        }
    }

    private void writeLoop() {
        List<Event> batch = new ArrayList<>(WRITE_BATCH);
        while (!closed) {
            try {
                Event first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, WRITE_BATCH - 1);
                recent.addRecent(batch);
                written.addAndGet(batch.size());
                saveWatermark(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // keep the batch and try again: the store may be briefly unavailable
                log.error("writing {} recent events for segments failed; retrying", batch.size(), e);
                sleep(1000);
            }
        }
    }

    private void saveWatermark(List<Event> batch) {
        long now = System.currentTimeMillis();
        if (now - lastWatermarkSave < 5_000) {
            return;
        }
        lastWatermarkSave = now;
        Instant max = batch.stream().map(Event::time).max(Instant::compareTo).orElseThrow();
        Instant previous = marker(settings, WATERMARK).map(Instant::parse).orElse(Instant.EPOCH);
        if (max.isAfter(previous)) {
            mark(settings, WATERMARK, max.toString());
        }
    }

    /** Adds back what a crash kept from the recent-events store: the log's events since a day before the last written one. */
    private void backfill(EventLog eventLog) {
        try {
            Instant from = marker(settings, WATERMARK).map(Instant::parse).map(t -> t.minus(Duration.ofDays(1))).orElse(null);
            if (from == null) {
                return;
            }
            long n = 0;
            for (ClientDatabase db : databases.listAll()) {
                List<Event> batch = new ArrayList<>();
                long[] count = {0};
                Set<String> types = segments.behaviourTypes(db.id());
                if (types.isEmpty()) {
                    continue;
                }
                eventLog.scan(db.id(), from, types, e -> {
                    if (e.profileId() != null && RecentBehaviour.kept(e.type())) {
                        batch.add(e);
                        if (batch.size() >= WRITE_BATCH) {
                            recent.addRecent(batch);
                            count[0] += batch.size();
                            batch.clear();
                        }
                    }
                });
                recent.addRecent(batch);
                n += count[0] + batch.size();
            }
            log.info("recent behaviour checked against the event log since {}: {} events", from, n);
        } catch (RuntimeException e) {
            log.error("could not check recent behaviour against the event log", e);
        }
    }

    /**
     * Evaluates everything queued so far, now (tests and the worker). A database whose
     * evaluation fails is logged, counted and recomputed in full {@value #RETRY_SECONDS} seconds
     * later (and again after each failure): nothing it missed stays missed.
     */
    public synchronized void drain() {
        while (!closed) {
            List<Touch> batch = new ArrayList<>(DRAIN);
            touches.drainTo(batch, DRAIN);
            if (batch.isEmpty()) {
                break;
            }
            awaitWritten(queued.get());
            Map<String, Set<String>> byDatabase = new LinkedHashMap<>();
            // a database that overflowed is recomputed in full below: its profiles queued before are not evaluated one by one too
            batch.stream().filter(t -> !overflowed.contains(t.databaseId()))
                    .forEach(t -> byDatabase.computeIfAbsent(t.databaseId(), k -> new HashSet<>()).add(t.profileId()));
            for (Map.Entry<String, Set<String>> e : byDatabase.entrySet()) {
                try {
                    segments.touched(e.getKey(), e.getValue());
                } catch (Exception | LinkageError ex) {
                    failed(e.getKey(), e.getValue().size() + " changed profiles", ex);
                }
            }
        }
        saveOwed();
        long now = System.currentTimeMillis();
        for (String db : List.copyOf(overflowed)) {
            if (retryAt.getOrDefault(db, 0L) > now || heldUntil.getOrDefault(db, 0L) > now) {
                continue;
            }
            // clear first: changes arriving during the recompute are queued again
            overflowed.remove(db);
            awaitWritten(queued.get());
            long started = System.currentTimeMillis();
            try {
                segments.recompute(db, null, true, n -> {});
                retryAt.remove(db);
            } catch (Exception | LinkageError ex) {
                if (closed) {
                    overflowed.add(db);
                    log.info("the full recompute of database {} was stopped by the shutdown; it runs again at the next start", db);
                    return;
                }
                failed(db, "a full recompute", ex);
            }
            // a bulk load overflows again at once: the next full recompute waits four times as long as this one took, so recomputing
            // takes at most a fifth of a core from the load (its changes are not lost: the database stays marked as overflowed)
            long took = System.currentTimeMillis() - started;
            heldUntil.put(db, System.currentTimeMillis() + HOLD_FACTOR * took);
        }
        saveOwed();
    }

    /** A marker's value: kept as a document {@code {"value": …}} (a settings store keeps documents; MongoDB's parses them). */
    static Optional<String> marker(SettingsStore settings, String id) {
        // a bare value is what versions before the document form kept in the embedded store
        return settings.get("markers", id).map(v -> v.startsWith("{") ? (String) Json.readMap(v).get("value") : v);
    }

    static void mark(SettingsStore settings, String id, String value) {
        settings.put("markers", id, Json.write(Map.of("value", value)));
    }

    /** Keeps the databases owed a full recompute when they changed (a start recomputes them). */
    private synchronized void saveOwed() {
        Set<String> now = Set.copyOf(overflowed);
        if (!now.equals(owedSaved)) {
            mark(settings, OWED, String.join(",", new java.util.TreeSet<>(now)));
            owedSaved = now;
        }
    }

    private void failed(String databaseId, String what, Throwable e) {
        long n = failures.incrementAndGet();
        overflowed.add(databaseId);
        retryAt.put(databaseId, System.currentTimeMillis() + RETRY_SECONDS * 1000L);
        log.error("real-time segment evaluation of {} in database {} failed ({} failures so far); the database is recomputed in full in {} s",
                what, databaseId, n, RETRY_SECONDS, e);
    }

    /** How many real-time evaluations (or the full recomputes that retry them) failed since the start. */
    public long failures() {
        return failures.get();
    }

    /** Waits (up to a minute) until the recent events queued before now are written. */
    private void awaitWritten(long target) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (written.get() < target && !closed && System.currentTimeMillis() < deadline) {
            sleep(2);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void recomputeAll() {
        for (ClientDatabase db : databases.listAll()) {
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

    /** How many behaviour events are queued for the recent-events store and not yet written. */
    public long unwritten() {
        return queued.get() - written.get();
    }

    /** How many profile changes wait for evaluation. */
    public int waiting() {
        return touches.size();
    }

    @Override
    public void close() {
        closed = true;
        evaluator.shutdownNow();
        try {
            evaluator.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            saveOwed();
        } catch (RuntimeException e) {
            log.error("could not keep which databases are owed a full recompute ({}); the scheduled recompute makes them current", overflowed, e);
        }
        writer.interrupt();
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // what is still queued is in the event log; the next start adds it back
        List<Event> rest = new ArrayList<>();
        pending.drainTo(rest);
        if (!rest.isEmpty()) {
            try {
                recent.addRecent(rest);
            } catch (RuntimeException e) {
                log.error("could not write {} queued recent events at shutdown; the next start adds them from the log", rest.size(), e);
            }
        }
    }
}
