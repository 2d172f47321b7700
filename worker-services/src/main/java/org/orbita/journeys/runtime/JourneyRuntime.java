package org.orbita.journeys.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.orbita.audiences.SegmentMembers;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.UnavailableException;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.journeys.Journey;
import org.orbita.journeys.JourneyBpmn;
import org.orbita.journeys.JourneyDefinition;
import org.orbita.journeys.JourneyLedger;
import org.orbita.journeys.Journeys;
import org.orbita.journeys.NodeCatalog;
import org.orbita.journeys.NodeType;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the workspace's live journeys on Zeebe and keeps each instance in the journey ledger:
 * profiles enter (by event, segment entry, the API or a schedule, under the start's re-entry
 * rule), each node's jobs go to its handler, every step — a task done, a timer or event passed,
 * an exit reached — is written to the ledger and to the profile's history ({@code journey.*}
 * events), and after a restart (or a recycled engine) every live instance is started again at
 * its node, timers keeping their original due time.
 *
 * <p>Longer than the ~400 lines we aim for: entries, jobs, steps and restores on the in-process
 * engine; it is rebuilt on the open engine that replaces it (issue 20).
 */
public final class JourneyRuntime implements Journeys.Lifecycle, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JourneyRuntime.class);

    /** Variables every instance carries. */
    public static final String INSTANCE = "orbitaInstance";
    public static final String PROFILE = "profileId";
    public static final String DATABASE = "databaseId";
    public static final String DATA = "data";

    /** How an entry went: the instance, or why the profile did not enter. */
    public record Entry(String instanceId, boolean entered, String reason) {}

    /** What a restore did: instances put back, ended (at an exit) and how long it took. */
    public record Restored(long instances, long ended, long millis) {}

    private final Supplier<JourneyEngine> engines;
    private final int shardCount;
    private volatile List<JourneyEngine> shards = List.of();
    private final JourneyLedger ledger;
    private final ProfileStore profiles;
    private final Journeys journeys;
    private final EventLog events;
    private final Clock clock;
    private final Map<String, NodeJob.Handler> handlers = new LinkedHashMap<>();
    private final Map<String, Long> deployed = new ConcurrentHashMap<>(); // shard/journey@version → process definition key
    private final Map<String, JourneyDefinition> versions = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> reportedExits = new ConcurrentHashMap<>(); // journey@version → exits with a listener
    private volatile List<JourneyDefinition> live = List.of();
    private volatile Set<String> watchedTypes = Set.of();
    private volatile long liveAt;
    private final AtomicLong created = new AtomicLong();
    /** Instances the ledger has and the engine refused to start: started again every few seconds, their incident cleared then. */
    private final Set<String> unstarted = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ScheduledExecutorService retries = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "journey-entries-retry");
        t.setDaemon(true);
        return t;
    });
    /** How many refused entries may wait for the engine before new entries are refused with 503. */
    static final int MAX_UNSTARTED = 10_000;
    static final String NOT_STARTED = "not started on the engine: ";

    /**
     * @param engines makes an engine (the embedded one, or a client of a cluster); called again
     *     when the embedded engine is recycled
     * @param shards how many engines share the profiles (by a hash of the profile id): the
     *     in-process engine slows down as its state grows, so many small ones keep it fast; 1 for a cluster
     */
    public JourneyRuntime(Supplier<JourneyEngine> engines, int shards, JourneyLedger ledger, Journeys journeys, ProfileStore profiles, EventLog events,
                          Clock clock) {
        this.profiles = profiles;
        this.engines = engines;
        this.shardCount = Math.max(1, shards);
        this.ledger = ledger;
        this.journeys = journeys;
        this.events = events;
        this.clock = clock;
        journeys.runBy(this);
    }

    /** Gives a node type's jobs to a handler (before {@link #start()}). */
    public JourneyRuntime handle(String nodeType, NodeJob.Handler handler) {
        NodeCatalog.find(nodeType).filter(t -> t.jobType() != null)
                .orElseThrow(() -> new IllegalArgumentException("not a task node: " + nodeType));
        handlers.put(nodeType, handler);
        return this;
    }

    /** Starts the engines and their workers, deploys the live journeys and puts every live instance back where it was. */
    public synchronized Restored start() {
        // one after the other: each in-process engine picks a free port, which another starting at the same time could pick too
        List<JourneyEngine> started = new ArrayList<>();
        for (int k = 0; k < shardCount; k++) {
            started.add(engines.get());
        }
        deployed.clear();
        created.set(0);
        for (JourneyEngine engine : started) {
            for (NodeType t : NodeCatalog.all()) {
                NodeJob.Handler h = handlers.get(t.id());
                if (t.jobType() != null && h != null) {
                    engine.worker(t.jobType(), job -> onJob(engine, job, h));
                }
            }
            engine.worker(JourneyBpmn.STEP_JOB_TYPE, 64, job -> onStep(engine, job));
        }
        shards = started;
        journeys.live().forEach(this::published);
        // a durable engine still has every instance where it was, its timers due when they were
        Restored restored = started.get(0).durable() ? new Restored(0, 0, 0) : restore();
        if (started.get(0).durable()) {
            // entries the engine refused before the stop: the ledger has them with their incident
            for (JourneyDefinition d : journeys.live()) {
                ledger.incidents(d.id(), MAX_UNSTARTED).stream().filter(i -> i.incident().startsWith(NOT_STARTED)).forEach(i -> unstarted.add(i.id()));
            }
        }
        if (!retrying) {
            retrying = true;
            retries.scheduleWithFixedDelay(this::retryQuietly, 3, 3, java.util.concurrent.TimeUnit.SECONDS);
        }
        long replayed = replayPending();
        if (replayed > 0) {
            log.info("journeys: {} events appended before the last stop taken now", replayed);
        }
        return restored;
    }

    /** The engine that runs a profile's instances. */
    private int shardOf(String profileId) {
        return Math.floorMod(profileId.hashCode() * 0x9E3779B1, shards.size());
    }

    /**
     * Stops the engine and starts a fresh one with every live instance put back (the embedded
     * engine never frees finished instances: recycling bounds its memory).
     */
    public synchronized Restored recycle() {
        shards.forEach(JourneyEngine::close);
        return start();
    }

    /** Moves every embedded engine's clock (tests: a pause of a day without waiting a day). */
    public void advance(Duration d) {
        shards.forEach(e -> e.advance(d));
    }

    /** Instances created on the current engine (started or put back): what recycling is measured by. */
    public long createdSinceStart() {
        return created.get();
    }

    // ---- versions ----------------------------------------------------------------------------

    private JourneyDefinition versionOf(String journeyId, int version) {
        return versions.computeIfAbsent(journeyId + "@" + version, k -> journeys.version(journeyId, version));
    }

    /** The process definition key of a published version on a shard, deployed there on first use. */
    private long keyOf(int shard, String journeyId, int version) {
        return deployed.computeIfAbsent(shard + "/" + journeyId + "@" + version,
                k -> shards.get(shard).deploy(versionOf(journeyId, version).journey()));
    }

    /** A newly published version: deployed now on every engine, so an engine's problem shows at once. */
    @Override
    public void published(JourneyDefinition d) {
        for (int k = 0; k < shards.size(); k++) {
            keyOf(k, d.id(), d.version());
        }
        liveAt = 0;
    }

    /** A stopped journey: its live instances end as stopped (each Zeebe instance is cancelled at its next step). */
    @Override
    public long stopped(JourneyDefinition d) {
        liveAt = 0;
        long n = 0;
        String after = null;
        List<JourneyLedger.Instance> page;
        do {
            page = ledger.live(d.id(), after, 1000);
            for (JourneyLedger.Instance i : page) {
                ledger.end(i.id(), i.node(), JourneyLedger.STOPPED, clock.instant());
                n++;
                after = i.id();
            }
        } while (page.size() == 1000);
        return n;
    }

    // ---- entry -------------------------------------------------------------------------------

    /**
     * A profile enters a live journey with its data (the start's re-entry rule and "one live
     * instance" apply); {@code key} makes a repeated call enter once.
     */
    public Entry enter(JourneyDefinition d, Profile p, Map<String, Object> data, String key) {
        if (unstarted.size() >= MAX_UNSTARTED) {
            throw new UnavailableException("the journey engine refuses entries (" + unstarted.size() + " wait to be started on it); try again later",
                    Duration.ofSeconds(30));
        }
        if (d.status() != JourneyDefinition.Status.LIVE) {
            throw new InvalidInputException("status", d.status().id(), "only a live journey takes profiles; publish it first");
        }
        if (!p.databaseId().equals(d.databaseId())) {
            throw new InvalidInputException("profile", p.id(), "the profile is not in the journey's database " + d.databaseId());
        }
        JourneyDefinition v = versionOf(d.id(), d.version());
        Instant now = clock.instant();
        String reentry = Optional.ofNullable(v.startSetting("reentry")).orElse("never");
        Optional<Instant> last = ledger.lastEntered(d.id(), p.id());
        String id = key == null ? Ids.next() : "k" + digest(d.id() + '\u0000' + p.id() + '\u0000' + key);
        if (key != null && ledger.find(id).isPresent()) {
            return new Entry(id, false, "already entered with this key");
        }
        if (last.isPresent() && reentry.equals("never")) {
            return new Entry(null, false, "entered before; the journey's re-entry is 'never'");
        }
        if (last.isPresent() && reentry.equals("after")) {
            long days = Long.parseLong(Optional.ofNullable(v.startSetting("reentryDays")).orElse("0").strip());
            if (last.get().isAfter(now.minus(Duration.ofDays(days)))) {
                return new Entry(null, false, "entered on " + last.get() + "; re-entry after " + days + " days");
            }
        }
        Journey.Node start = v.journey().nodes().stream().filter(n -> n.type().equals("start")).findFirst().orElseThrow();
        Map<String, Object> variables = new LinkedHashMap<>(data == null ? Map.of() : data);
        variables.put(DATA, data == null ? Map.of() : data);
        variables.put(PROFILE, p.id());
        variables.put(DATABASE, p.databaseId());
        variables.put(INSTANCE, id);
        JourneyLedger.Instance instance = new JourneyLedger.Instance(id, d.workspaceId(), d.id(), d.version(), p.databaseId(), p.id(), start.id(),
                JourneyLedger.LIVE, now, now, variables, null);
        if (!ledger.enter(instance, !reentry.equals("always"))) {
            return new Entry(null, false, "already in the journey");
        }
        // every move is in the ledger: the start event's to the first node too (no job marks it)
        ledger.step(id, start.id(), next(v.journey(), start.id(), null), now, variables);
        events.append(List.of(step(instance, "journey.entered", start, now)));
        startOnEngine(id, d.id(), d.version(), p.id(), variables);
        created.incrementAndGet();
        return new Entry(id, true, null);
    }

    /**
     * Starts the instance on its engine without waiting: the ledger has it already. One the
     * engine refuses (its database down or full, the definition not there) shows an incident and
     * is started again every few seconds until the engine takes it.
     */
    private void startOnEngine(String id, String journeyId, int version, String profileId, Map<String, Object> variables) {
        int shard = shardOf(profileId);
        CompletionStage<Long> started;
        try {
            started = shards.get(shard).startAsync(keyOf(shard, journeyId, version), variables);
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        started.whenComplete((key, failure) -> {
            if (failure != null) {
                unstarted.add(id);
                ledger.incident(id, NOT_STARTED + failure.getMessage());
                log.warn("journey {}: instance {} not started on the engine (tried again in a few seconds): {}", journeyId, id, failure.getMessage());
            } else if (startedOnEngine.incrementAndGet() > 0 && unstarted.remove(id)) {
                ledger.incident(id, null);
                log.info("journey {}: instance {} started on the engine after it refused", journeyId, id);
            }
        });
    }

    /** Starts again what the engine refused, a thousand at a time. */
    private void retryUnstarted() {
        int n = 0;
        for (String id : List.copyOf(unstarted)) {
            if (++n > 1000) {
                return;
            }
            Optional<JourneyLedger.Instance> i = ledger.find(id);
            if (i.isEmpty() || !JourneyLedger.LIVE.equals(i.get().state())) {
                unstarted.remove(id);
                continue;
            }
            JourneyLedger.Instance x = i.get();
            startOnEngine(x.id(), x.journeyId(), x.version(), x.profileId(), x.variables());
        }
    }

    /** Entries the engine has stored since this runtime was made (an entry is acknowledged once the ledger has it; the engine's follows). */
    public long startedOnEngine() {
        return startedOnEngine.get();
    }

    private final AtomicLong startedOnEngine = new AtomicLong();

    /** How many entries the engine refused and that wait to be started on it. */
    public int unstarted() {
        return unstarted.size();
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Event step(JourneyLedger.Instance i, String type, Journey.Node node, Instant at) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("journey", i.journeyId());
        props.put("version", i.version());
        props.put("instance", i.id());
        props.put("node", node.id());
        props.put("node_type", node.type());
        if (node.name() != null) {
            props.put("node_name", node.name());
        }
        return new Event(Ids.next(), i.databaseId(), i.profileId(), type, null, at, props);
    }

    // ---- events: entries and waits -----------------------------------------------------------

    /**
     * Whether an event may enter a profile into a live journey or be awaited by an instance:
     * cheap, asked on the appending thread (events of journeys themselves never are).
     */
    public boolean wants(Event e) {
        return e.profileId() != null && !e.type().startsWith("journey.") && watched().contains(e.type());
    }

    /**
     * Entries by event or segment, and events waiting instances wait for (an asynchronous
     * listener of the event bus: an entry waits for the engine's answer). Every event is looked
     * at; the failures are thrown together after the last.
     */
    public void appended(List<Event> appended) {
        IllegalStateException failed = null;
        List<String> taken = new ArrayList<>();
        for (Event e : appended) {
            if (!wants(e)) {
                continue;
            }
            try {
                take(e, false);
                taken.add(e.id());
            } catch (RuntimeException ex) {
                if (failed == null) {
                    failed = new IllegalStateException("journeys could not take every event");
                }
                failed.addSuppressed(new IllegalStateException("event " + e.type() + " " + e.id() + " of profile " + e.profileId(), ex));
            }
        }
        // what failed stays in the inbox: taken again at the next start
        ledger.taken(taken);
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * Keeps the events journeys want in the ledger's inbox as they are appended (a listener on
     * the appending thread, before the queue to {@link #appended}): an event acknowledged just
     * before a crash is taken at the next start, not lost with the queue.
     */
    public void pend(List<Event> appended) {
        List<Event> wanted = appended.stream().filter(this::wants).toList();
        if (!wanted.isEmpty()) {
            ledger.pend(wanted);
        }
    }

    /**
     * Takes what the inbox still holds — events appended before the last stop that journeys had
     * not taken — in the order they came. A wait gets such an event once: an instance whose
     * variables already carry it (taken before the crash, not yet marked) is not given it again.
     * The first failure stops the replay; the rest waits for the next start (a profile's events
     * keep their order).
     */
    private long replayPending() {
        long replayed = 0;
        while (true) {
            List<Event> page = ledger.pending(500);
            if (page.isEmpty()) {
                return replayed;
            }
            for (Event e : page) {
                try {
                    take(e, true);
                } catch (RuntimeException ex) {
                    log.warn("journeys: event {} {} of profile {} kept in the inbox for the next start: {}", e.type(), e.id(), e.profileId(),
                            ex.getMessage());
                    return replayed;
                }
                ledger.taken(List.of(e.id()));
                replayed++;
            }
        }
    }

    /** Whether one of the profile's live instances already took this event (its variables carry the event's id). */
    private boolean alreadyTaken(Event e) {
        return ledger.ofProfile(e.databaseId(), e.profileId(), 100).stream()
                .filter(i -> JourneyLedger.LIVE.equals(i.state()))
                .anyMatch(i -> i.variables().get("event") instanceof Map<?, ?> m && e.id().equals(m.get("id")));
    }

    private List<JourneyDefinition> liveJourneys() {
        if (System.nanoTime() - liveAt > 2_000_000_000L) {
            List<JourneyDefinition> now = journeys.live();
            Set<String> types = new HashSet<>();
            for (JourneyDefinition d : now) {
                JourneyDefinition v = versionOf(d.id(), d.version());
                String entry = v.startSetting("entry");
                if ("event".equals(entry) && v.startSetting("event") != null) {
                    types.add(v.startSetting("event"));
                }
                if ("segment".equals(entry)) {
                    types.add(SegmentMembers.ENTERED);
                }
                v.journey().nodes().stream().filter(n -> n.type().equals("wait-event") && n.settings().get("event") != null)
                        .forEach(n -> types.add(n.settings().get("event")));
            }
            live = now;
            watchedTypes = Set.copyOf(types);
            liveAt = System.nanoTime();
        }
        return live;
    }

    /** The event types live journeys enter on or wait for. */
    private Set<String> watched() {
        liveJourneys();
        return watchedTypes;
    }

    private void take(Event e, boolean replayed) {
        boolean waited = false;
        for (JourneyDefinition d : liveJourneys()) {
            if (!d.databaseId().equals(e.databaseId())) {
                continue;
            }
            JourneyDefinition v = versionOf(d.id(), d.version());
            String entry = v.startSetting("entry");
            boolean enters = "event".equals(entry) ? e.type().equals(v.startSetting("event"))
                    : "segment".equals(entry) && e.type().equals("segment.entered") && String.valueOf(e.properties().get("segment")).equals(v.startSetting("segment"));
            if (enters) {
                journeys.find(d.id()).ifPresent(fresh -> profileOf(e).ifPresent(p -> enter(fresh, p, e.properties(), "event-" + e.id())));
            }
            waited |= v.journey().nodes().stream().anyMatch(n -> n.type().equals("wait-event") && e.type().equals(n.settings().get("event")));
        }
        if (waited && !shards.isEmpty() && !(replayed && alreadyTaken(e))) {
            Map<String, Object> vars = new HashMap<>(e.properties());
            vars.put("event", Map.of("type", e.type(), "time", e.time().toString(), "id", e.id()));
            // kept a little while: an instance a step away from its wait still gets it
            shards.get(shardOf(e.profileId())).publish(e.type(), e.profileId(), vars, Duration.ofSeconds(10));
        }
    }

    private Optional<Profile> profileOf(Event e) {
        return profiles.find(e.databaseId(), e.profileId());
    }

    // ---- jobs --------------------------------------------------------------------------------

    private Optional<JourneyLedger.Instance> liveInstance(JourneyEngine engine, JourneyEngine.Job job) {
        Object id = job.variable(INSTANCE);
        Optional<JourneyLedger.Instance> i = id == null ? Optional.empty() : ledger.find(id.toString());
        if (i.isEmpty() || !JourneyLedger.LIVE.equals(i.get().state())) {
            engine.cancel(job.instanceKey()); // stopped, or not Orbita's
            return Optional.empty();
        }
        return i;
    }

    private Map<String, Object> onJob(JourneyEngine engine, JourneyEngine.Job job, NodeJob.Handler handler) throws Exception {
        Optional<JourneyLedger.Instance> found = liveInstance(engine, job);
        if (found.isEmpty()) {
            return null;
        }
        JourneyLedger.Instance i = found.get();
        JourneyDefinition v = versionOf(i.journeyId(), i.version());
        Journey.Node node = node(v.journey(), job.elementId());
        if (!node.id().equals(i.node())) {
            // done before: the ledger moved on and the engine runs the node again (a crash before the engine's commit, or a
            // later node of the same transaction failed): what the node gave, and the way the instance went from it, again
            return doneBefore(v.journey(), node, i);
        }
        Map<String, Object> variables = job.variables();
        Map<String, Object> out;
        try {
            out = new HashMap<>(handler.work(new NodeJob(i, v, node, variables)));
        } catch (Exception e) {
            if (job.retries() <= 1) {
                ledger.incident(i.id(), node.id() + ": " + e.getMessage());
                log.warn("journey {} instance {}: node {} failed for good: {}", i.journeyId(), i.id(), node.id(), e.getMessage());
            }
            throw e;
        }
        Map<String, Object> merged = new HashMap<>(variables);
        merged.putAll(out);
        merged.remove(JourneyBpmn.RESUME_VARIABLE);
        String next = node.type().equals("best-time") ? node.id() : next(v.journey(), node.id(), (String) out.get("branch"));
        Instant now = clock.instant();
        ledger.step(i.id(), node.id(), next, now, merged);
        Journey.Node after = node(v.journey(), next);
        if (after.type().equals("exit") && !reportedExits.computeIfAbsent(i.journeyId() + "@" + i.version(),
                k -> JourneyBpmn.reportedExits(v.journey())).contains(after.id())) {
            // an exit only tasks lead to has no listener: the instance ends here
            ledger.end(i.id(), after.id(), JourneyLedger.DONE, now);
            events.append(List.of(step(i, "journey.step", node, now), step(i, "journey.exited", after, now)));
        } else {
            events.append(List.of(step(i, "journey.step", node, now)));
        }
        if (variables.get(JourneyBpmn.RESUME_VARIABLE) != null) {
            out.put(JourneyBpmn.RESUME_VARIABLE, null);
        }
        return out;
    }

    /**
     * What a node the ledger has passed gives when the engine runs it again: the instance's
     * variables as the ledger has them, and the branch its path took from the node (the latest
     * time it passed there), so the engine goes the same way.
     */
    private Map<String, Object> doneBefore(Journey j, Journey.Node node, JourneyLedger.Instance i) {
        Map<String, Object> out = new HashMap<>(i.variables());
        List.of(INSTANCE, PROFILE, DATABASE, DATA, JourneyBpmn.RESUME_VARIABLE).forEach(out::remove);
        out.remove("branch");
        String branch = branchTaken(j, ledger.path(i.id()), node.id());
        if (branch != null) {
            out.put("branch", branch);
        }
        return out;
    }

    /** The branch of the link the path took from {@code from} the last time it passed there; null when not by a branch. */
    static String branchTaken(Journey j, List<String> path, String from) {
        for (int k = path.size() - 2; k >= 0; k--) {
            if (path.get(k).equals(from)) {
                String to = path.get(k + 1);
                return j.links().stream().filter(l -> l.from().equals(from) && l.to().equals(to)).map(Journey.Link::branch)
                        .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            }
        }
        return null;
    }

    /** The ledger's listener: a timer or an event passed, or an exit reached. */
    private Map<String, Object> onStep(JourneyEngine engine, JourneyEngine.Job job) {
        Optional<JourneyLedger.Instance> found = liveInstance(engine, job);
        if (found.isEmpty()) {
            return null;
        }
        JourneyLedger.Instance i = found.get();
        JourneyDefinition v = versionOf(i.journeyId(), i.version());
        JourneyBpmn.Element element = element(v.journey(), job.elementId());
        Journey.Node node = node(v.journey(), element.node());
        Instant now = clock.instant();
        if (node.type().equals("exit")) {
            ledger.end(i.id(), node.id(), JourneyLedger.DONE, now);
            events.append(List.of(step(i, "journey.exited", node, now)));
        } else if (node.id().equals(i.node())) {
            Map<String, Object> merged = new HashMap<>(job.variables());
            merged.remove(JourneyBpmn.RESUME_VARIABLE);
            String branch = node.type().equals("best-time") ? null : element.branch();
            ledger.step(i.id(), node.id(), next(v.journey(), node.id(), branch), now, merged);
            events.append(List.of(step(i, "journey.step", node, now)));
        }
        return Map.of();
    }

    private static JourneyBpmn.Element element(Journey j, String elementId) {
        return j.nodes().stream().anyMatch(n -> n.id().equals(elementId)) ? new JourneyBpmn.Element(elementId, null) : JourneyBpmn.elementOf(elementId);
    }

    private static Journey.Node node(Journey j, String id) {
        return j.nodes().stream().filter(n -> n.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("journey " + j.id() + " has no node " + id));
    }

    /** The node after {@code from} by {@code branch} (the only link when not branching). */
    static String next(Journey j, String from, String branch) {
        List<Journey.Link> out = j.links().stream().filter(l -> l.from().equals(from)).toList();
        return out.stream().filter(l -> branch == null || branch.equals(l.branch())).findFirst().or(() -> out.stream().findFirst())
                .map(Journey.Link::to).orElse(from);
    }

    // ---- restore -----------------------------------------------------------------------------

    /** Puts every live instance of the ledger back on the engine at its node, a page at a time. */
    public Restored restore() {
        long started = System.nanoTime();
        long restored = 0;
        long ended = 0;
        String after = null;
        List<JourneyLedger.Instance> page;
        Instant now = clock.instant();
        do {
            page = ledger.live(after, 1000);
            // up to IN_FLIGHT creations on their way at once (more only queue up in the engine and time out)
            ArrayDeque<Map.Entry<JourneyLedger.Instance, CompletableFuture<?>>> sent = new ArrayDeque<>();
            for (JourneyLedger.Instance i : page) {
                after = i.id();
                if (sent.size() >= IN_FLIGHT) {
                    restored += settle(sent.removeFirst());
                }
                try {
                    CompletionStage<?> f = restore(i, now);
                    if (f == null) {
                        ended++;
                    } else {
                        sent.addLast(Map.entry(i, f.toCompletableFuture()));
                    }
                } catch (RuntimeException e) {
                    notRestored(i, e);
                }
            }
            while (!sent.isEmpty()) {
                restored += settle(sent.removeFirst());
            }
            if (page.size() == 1000 && (restored + ended) % 10_000 < 1000) {
                log.info("journeys: {} live instances put back so far", restored + ended);
            }
        } while (page.size() == 1000);
        Restored r = new Restored(restored, ended, (System.nanoTime() - started) / 1_000_000);
        if (restored + ended > 0) {
            log.info("journeys: {} live instances restored ({} ended) in {} ms", r.instances(), r.ended(), r.millis());
        }
        return r;
    }

    private static final int IN_FLIGHT = 64;

    private int settle(Map.Entry<JourneyLedger.Instance, CompletableFuture<?>> sent) {
        try {
            sent.getValue().join();
            created.incrementAndGet();
            return 1;
        } catch (RuntimeException e) {
            notRestored(sent.getKey(), e);
            return 0;
        }
    }

    private void notRestored(JourneyLedger.Instance i, RuntimeException e) {
        ledger.incident(i.id(), "not restored: " + e.getMessage());
        log.error("journey instance {} of {} not restored", i.id(), i.journeyId(), e);
    }

    /** Sends the creation that puts an instance back; null when it had ended (at an exit). */
    private CompletionStage<?> restore(JourneyLedger.Instance i, Instant now) {
        JourneyDefinition v = versionOf(i.journeyId(), i.version());
        Journey.Node node = node(v.journey(), i.node());
        int shard = shardOf(i.profileId());
        long key = keyOf(shard, i.journeyId(), i.version());
        Map<String, Object> variables = new HashMap<>(i.variables());
        variables.remove(JourneyBpmn.RESUME_VARIABLE);
        String element = node.id();
        switch (node.type()) {
            case "exit" -> {
                ledger.end(i.id(), node.id(), JourneyLedger.DONE, now);
                return null;
            }
            case "start" -> element = next(v.journey(), node.id(), null);
            case "pause", "wait-event" -> {
                String length = node.settings().get(node.type().equals("pause") ? "duration" : "timeout");
                if (length != null && !length.isBlank()) {
                    Instant due = i.stepAt().plus(Duration.parse(length.strip()));
                    Duration left = due.isAfter(now) ? Duration.between(now, due) : Duration.ZERO;
                    variables.put(JourneyBpmn.RESUME_VARIABLE, Map.of("node", node.id(), "left", left.toString()));
                }
            }
            // the time was worked out before the restart: wait for it again; otherwise work it out now
            case "best-time" -> element = variables.get("bestTime") != null ? node.id() + "_wait" : node.id();
            default -> { }
        }
        if (node.type().equals("start")) {
            // entered but not yet moved on (a crash between the two writes): the ledger moves it to its first node now
            ledger.step(i.id(), node.id(), element, now, variables);
        }
        return shards.get(shard).startAtAsync(key, element, variables);
    }

    /** Per node: entered, completed, waiting, exited, converted. */
    public Map<String, JourneyLedger.NodeStats> stats(String journeyId) {
        return ledger.stats(journeyId);
    }

    public JourneyLedger ledger() {
        return ledger;
    }

    @Override
    public void close() {
        retries.shutdownNow();
        shards.forEach(JourneyEngine::close);
    }

    private volatile boolean retrying;

    /** A round of retries; what fails is logged and tried at the next round (the scheduler stops at the first exception it is given). */
    private void retryQuietly() {
        try {
            retryUnstarted();
        } catch (RuntimeException e) {
            log.warn("journeys: refused entries not started again this round: {}", e.getMessage(), e);
        }
    }
}
