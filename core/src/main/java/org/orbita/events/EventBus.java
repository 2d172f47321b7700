package org.orbita.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door every event goes through: it is appended to the event log (durable once this
 * returns), then handed to every listener — real-time segments, trigger campaigns, journeys,
 * conversions — which register here by name. Events a reaction produces come back through
 * the same door; a reaction chain deeper than {@value #MAX_DEPTH} stops there (the events are
 * stored, no listener hears them, the loop is logged and counted). A listener's failure is
 * logged with the events it was given and counted; it never fails the append.
 *
 * <p>Reading goes to the log behind the bus ({@link EventLog} methods other than
 * {@code append} are the log's own), so the bus is the only {@code EventLog} the rest of the
 * platform sees.
 */
public final class EventBus implements EventLog {

    private static final Logger log = LoggerFactory.getLogger(EventBus.class);
    /** How many reactions deep a chain of events may go (an event → a reaction's event → …). */
    public static final int MAX_DEPTH = 8;

    /** Hears appended events (after they are durable). */
    @FunctionalInterface
    public interface Listener {
        void appended(List<Event> events) throws Exception;
    }

    /** What a listener has heard so far: batches delivered, batches that failed, events waiting (async ones). */
    public record ListenerStats(String name, long delivered, long failed, long waiting) {}

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Integer> depth = ThreadLocal.withInitial(() -> 0);
    private final AtomicLong loopsStopped = new AtomicLong();
    private volatile boolean closed;

    private final EventLog store;

    /** @param store the log as stored (DuckDB, ClickHouse): only the bus appends to it, and closes it */
    public EventBus(EventLog store) {
        this.store = store;
    }

    /** A listener called on the appending thread: it should only look and hand work off. */
    public void listen(String name, Listener listener) {
        subscriptions.add(new Subscription(name, listener, null));
    }

    /**
     * A listener called on threads of its own ({@code workers} of them), so slow reactions
     * (rendering, sending, starting journeys) never hold the append. The events it
     * {@code wants} wait in a bounded queue per worker ({@code capacity} in all), a profile's
     * events always on the same worker and in order; when the queue is full the appender
     * waits. Each call gets what queued up meanwhile, up to {@code batch} events.
     */
    public void listenAsync(String name, int workers, int capacity, int batch, Predicate<Event> wants, Listener listener) {
        Async async = new Async(name, Math.max(1, workers), Math.max(1, capacity / Math.max(1, workers)), batch, wants, listener);
        subscriptions.add(new Subscription(name, listener, async));
    }

    @Override
    public void append(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        store.append(events);
        if (events.stream().anyMatch(Event::ofVisitor)) {
            events = events.stream().filter(e -> !e.ofVisitor()).toList(); // anonymous visitors' events: stored, heard by no one
            if (events.isEmpty()) {
                return;
            }
        }
        int level = depth.get();
        if (level >= MAX_DEPTH) {
            long n = loopsStopped.incrementAndGet();
            log.warn("a chain of reactions went {} deep: {} events ({}…) stored but not handed to listeners ({} stopped so far)",
                    level, events.size(), describe(events), n);
            return;
        }
        for (Subscription s : subscriptions) {
            if (s.async == null) {
                deliver(s, events, level + 1);
            } else {
                s.async.offer(events, level + 1);
            }
        }
    }

    /** Calls a listener with the reaction depth of its cause set on this thread. */
    private void deliver(Subscription s, List<Event> events, int level) {
        int before = depth.get();
        depth.set(level);
        try {
            s.listener.appended(events);
            s.delivered.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.failed.incrementAndGet();
            log.error("listener {} was interrupted with {} events ({})", s.name, events.size(), describe(events), e);
        } catch (Exception | LinkageError e) {
            s.failed.incrementAndGet();
            log.error("listener {} failed on {} events ({})", s.name, events.size(), describe(events), e);
        } finally {
            depth.set(before);
        }
    }

    private static String describe(List<Event> events) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(3, events.size()); i++) {
            Event e = events.get(i);
            b.append(i == 0 ? "" : ", ").append(e.type()).append(' ').append(e.id()).append(" of ").append(e.databaseId()).append('/')
                    .append(e.profileId());
        }
        return events.size() > 3 ? b.append(", …").toString() : b.toString();
    }

    @Override
    public List<Event> history(HistoryQuery query) {
        return store.history(query);
    }

    @Override
    public void scan(String databaseId, Instant since, Set<String> types, Consumer<Event> action) {
        store.scan(databaseId, since, types, action);
    }

    @Override
    public Map<String, long[]> tally(String databaseId, Map<String, Object> properties, Set<String> types, boolean byChannel) {
        return store.tally(databaseId, properties, types, byChannel);
    }

    @Override
    public List<EventAggregate.Row> aggregate(EventAggregate aggregate, boolean rollups) {
        return store.aggregate(aggregate, rollups);
    }

    @Override
    public List<EventCohorts.Size> cohortSizes(EventCohorts cohorts) {
        return store.cohortSizes(cohorts);
    }

    @Override
    public List<EventCohorts.Cell> cohortCells(EventCohorts cohorts) {
        return store.cohortCells(cohorts);
    }

    @Override
    public void cohortMembers(EventCohorts cohorts, long cohortMs, Integer period, java.util.function.Consumer<String> profileIds) {
        store.cohortMembers(cohorts, cohortMs, period, profileIds);
    }

    @Override
    public void funnelPaths(EventFunnel funnel, java.util.function.Consumer<EventFunnel.Path> each) {
        store.funnelPaths(funnel, each);
    }

    @Override
    public Set<String> existing(String databaseId, Collection<String> ids, java.time.Instant from, java.time.Instant to) {
        return store.existing(databaseId, ids, from, to);
    }

    @Override
    public long count(String databaseId) {
        return store.count(databaseId);
    }

    /** Every listener with what it heard, and how many loops were stopped. */
    public List<ListenerStats> stats() {
        List<ListenerStats> out = new ArrayList<>();
        for (Subscription s : subscriptions) {
            out.add(new ListenerStats(s.name, s.delivered.get(), s.failed.get(), s.async == null ? 0 : s.async.waiting()));
        }
        return out;
    }

    public long loopsStopped() {
        return loopsStopped.get();
    }

    /** Waits (up to {@code timeoutMillis}) until the asynchronous listeners took and handled everything queued so far. */
    public boolean settle(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (Subscription s : subscriptions) {
            if (s.async != null && !s.async.settle(deadline)) {
                return false;
            }
        }
        return true;
    }

    /** Stops the listeners' threads (what is still queued was stored: the log keeps it), then closes the log. */
    @Override
    public void close() {
        closed = true;
        for (Subscription s : subscriptions) {
            if (s.async != null) {
                s.async.close();
            }
        }
        store.close();
    }

    private static final class Subscription {
        final String name;
        final Listener listener;
        final Async async;
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong failed = new AtomicLong();

        Subscription(String name, Listener listener, Async async) {
            this.name = name;
            this.listener = listener;
            this.async = async;
        }
    }

    /** One queued event with the reaction depth of the append that brought it. */
    private record Queued(Event event, int depth) {}

    /** The queues and threads of an asynchronous listener. */
    private final class Async {
        private final String name;
        private final int batch;
        private final Predicate<Event> wants;
        private final List<BlockingQueue<Queued>> queues = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong taken = new AtomicLong();
        private final AtomicLong handled = new AtomicLong();
        private Subscription owner;

        Async(String name, int workers, int capacityEach, int batch, Predicate<Event> wants, Listener listener) {
            this.name = name;
            this.batch = Math.max(1, batch);
            this.wants = wants;
            for (int k = 0; k < workers; k++) {
                BlockingQueue<Queued> q = new ArrayBlockingQueue<>(capacityEach);
                queues.add(q);
                threads.add(Thread.ofPlatform().name("reaction-" + name + "-" + k).daemon(true).unstarted(() -> work(q)));
            }
            threads.forEach(Thread::start);
        }

        private Subscription owner() {
            if (owner == null) {
                owner = subscriptions.stream().filter(s -> s.async == this).findFirst().orElseThrow();
            }
            return owner;
        }

        void offer(List<Event> events, int level) {
            Map<Integer, List<Event>> inline = null;
            for (Event e : events) {
                if (!wants.test(e)) {
                    continue;
                }
                int k = e.profileId() == null ? 0 : Math.floorMod(e.profileId().hashCode(), queues.size());
                if (Thread.currentThread() == threads.get(k)) {
                    // a reaction of this listener's own worker: queueing to itself could wait forever on a full queue
                    (inline == null ? inline = new LinkedHashMap<>() : inline).computeIfAbsent(k, x -> new ArrayList<>()).add(e);
                    continue;
                }
                try {
                    taken.incrementAndGet();
                    while (!queues.get(k).offer(new Queued(e, level), 1, TimeUnit.SECONDS)) {
                        if (closed) {
                            taken.decrementAndGet();
                            return;
                        }
                        log.warn("listener {} is behind: its queue is full, the append waits", name);
                    }
                } catch (InterruptedException ie) {
                    taken.decrementAndGet();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while handing events to " + name, ie);
                }
            }
            if (inline != null) {
                inline.values().forEach(mine -> deliver(owner(), mine, level));
            }
        }

        private void work(BlockingQueue<Queued> queue) {
            List<Queued> taken = new ArrayList<>(batch);
            while (!closed) {
                try {
                    Queued first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    taken.add(first);
                    queue.drainTo(taken, batch - 1);
                    // events of one depth together: each call runs at its cause's depth
                    int from = 0;
                    for (int i = 1; i <= taken.size(); i++) {
                        if (i == taken.size() || taken.get(i).depth() != taken.get(from).depth()) {
                            List<Event> part = new ArrayList<>(i - from);
                            for (int j = from; j < i; j++) {
                                part.add(taken.get(j).event());
                            }
                            deliver(owner(), part, taken.get(from).depth());
                            from = i;
                        }
                    }
                    handled.addAndGet(taken.size());
                    taken.clear();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long waiting() {
            return taken.get() - handled.get();
        }

        boolean settle(long deadline) throws InterruptedException {
            while (waiting() > 0) {
                if (System.currentTimeMillis() > deadline) {
                    return false;
                }
                Thread.sleep(5);
            }
            return true;
        }

        void close() {
            threads.forEach(Thread::interrupt);
        }
    }

}
