package org.orbita.journeys.operaton;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.ProcessEngineConfiguration;
import org.operaton.bpm.engine.delegate.DelegateExecution;
import org.operaton.bpm.engine.delegate.ExecutionListener;
import org.operaton.bpm.engine.impl.bpmn.behavior.AbstractBpmnActivityBehavior;
import org.operaton.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.operaton.bpm.engine.impl.cfg.TransactionState;
import org.operaton.bpm.engine.impl.context.Context;
import org.operaton.bpm.engine.impl.jobexecutor.DefaultJobExecutor;
import org.operaton.bpm.engine.impl.jobexecutor.JobExecutorContext;
import org.operaton.bpm.engine.impl.pvm.delegate.ActivityExecution;
import org.operaton.bpm.engine.impl.util.ClockUtil;
import org.operaton.bpm.engine.repository.ProcessDefinition;
import org.operaton.bpm.model.bpmn.instance.BaseElement;
import org.operaton.bpm.model.bpmn.instance.ExtensionElements;
import org.operaton.bpm.model.bpmn.instance.operaton.OperatonProperties;
import org.operaton.bpm.model.bpmn.instance.operaton.OperatonProperty;
import org.orbita.common.Json;
import org.orbita.journeys.Journey;
import org.orbita.journeys.JourneyBpmn;
import org.orbita.journeys.runtime.JourneyEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journeys on Operaton (Apache-2.0, the Camunda 7 line), embedded in the application with its
 * state in a database — an H2 file by default, PostgreSQL in production, shared by every app node
 * whose job executors then take the jobs between them. Nothing is re-created after a restart:
 * instances, their timers with their due times and their variables are in the database.
 *
 * <p>A node's job runs on the engine's job executor in the task's own transaction
 * ({@link OperatonBpmn}): the worker registered for its job type is called with the instance's
 * variables and the node's settings; what it returns is set on the instance and the instance
 * moves on; a failure is retried (three times, a second apart), then leaves an incident. A worker
 * that answers null (the instance is not Orbita's to run any more) leaves it parked, and it is
 * deleted once that transaction has committed. Events go to the instances waiting for them by the
 * profile (the instance's business key); one no instance waits for yet is offered again for as
 * long as it is kept.
 */
public final class OperatonEngine implements JourneyEngine {

    private static final Logger log = LoggerFactory.getLogger(OperatonEngine.class);

    /** What a variable holding a map or a list as JSON text starts with. */
    static final String JSON_MARK = "\u001ejson:"; // not NUL: PostgreSQL refuses it in text
    private static final String PROFILE = "profileId";

    private final ProcessEngine engine;
    private final DefaultJobExecutor executor;
    private final org.operaton.bpm.engine.impl.interceptor.CommandExecutor commands;
    private final List<Thread> starters = new ArrayList<>();
    private volatile boolean closing;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final Map<Long, String> definitions = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> headers = new ConcurrentHashMap<>();
    /** Events no instance waited for yet, by profile: offered again when one of the profile's instances reaches a wait. */
    private final Map<String, ConcurrentLinkedQueue<Pending>> pending = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger pendingCount = new java.util.concurrent.atomic.AtomicInteger();
    /** At most this many events are kept for instances not at their wait yet; beyond it the oldest go first. */
    static final int MOST_PENDING = 100_000;
    private final ScheduledExecutorService chores;
    /** Ids a node takes from the engine's database at once (Operaton's default: 100). */
    static final int ID_BLOCK = 10_000;

    /** An event no instance waited for yet, offered again until {@code until}. */
    private record Pending(String eventType, String profileId, Map<String, Object> variables, Instant until) {}

    /**
     * An engine on a database: {@code jdbcUrl} H2 ({@code jdbc:h2:file:…}) or PostgreSQL; its
     * tables are made or updated on first use. {@code threads}: how many jobs run at once.
     */
    public static OperatonEngine start(String jdbcUrl, String user, String password, int threads) {
        return new OperatonEngine(jdbcUrl, user, password, threads);
    }

    private OperatonEngine(String jdbcUrl, String user, String password, int threads) {
        executor = new DefaultJobExecutor();
        executor.setCorePoolSize(threads);
        executor.setMaxPoolSize(threads);
        // room for two acquisitions' jobs: an acquisition whose jobs the pool cannot queue is rejected and tried again (spinning)
        executor.setQueueSize(threads * 8);
        executor.setMaxJobsPerAcquisition(Math.max(3, threads * 4));
        // due timers are looked for at least every 5 s when idle; new jobs wake the acquisition at once
        executor.setMaxWait(5_000);
        executor.setWaitTimeInMillis(100);
        // a job not done within a minute (its node died with its process) is taken by another job executor
        executor.setLockTimeInMillis(60_000);
        StandaloneProcessEngineConfiguration c = new StandaloneProcessEngineConfiguration();
        boolean h2 = jdbcUrl.startsWith("jdbc:h2:");
        c.setJdbcUrl(h2 ? h2Durable(jdbcUrl) : jdbcUrl);
        c.setJdbcDriver(jdbcUrl.startsWith("jdbc:postgresql:") ? "org.postgresql.Driver" : "org.h2.Driver");
        c.setJdbcUsername(user == null ? "" : user);
        c.setJdbcPassword(password == null ? "" : password);
        // the job threads, the acquisition, and the callers entering profiles and publishing events at once; a connection is
        // never taken back from a slow command (MyBatis reclaims one held over its checkout time, failing that command)
        c.setJdbcMaxActiveConnections(threads * 2 + 16);
        c.setJdbcMaxIdleConnections(threads * 2 + 16);
        c.setJdbcMaxCheckoutTime(10 * 60_000);
        // ids are taken from the database a block at a time (a transaction of its own, behind a lock): large blocks, few of them
        c.setIdBlockSize(ID_BLOCK);
        c.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
        c.setHistory(ProcessEngineConfiguration.HISTORY_NONE); // the journey ledger keeps what the UI and reports need
        c.setEnforceHistoryTimeToLive(false);
        // no DMN in journeys: its FEEL on JUEL, so Scala's FEEL (which clashes with Zeebe's) is not needed
        c.setDmnFeelEnableLegacyBehavior(true);
        c.setMetricsEnabled(false);
        c.setDbMetricsReporterActivate(false);
        // every job has a due date (an async one: now) and the due ones are found through an index on it, earliest first: without
        // these the acquisition read every job — with 1,000,000 profiles waiting in pauses, every timer — each time it looked
        c.setEnsureJobDueDateNotNull(true);
        c.setJobExecutorAcquireByDueDate(true);
        c.setJobExecutor(executor);
        c.setJobExecutorActivate(false); // started below, once the jobs a killed process held are free again
        c.setProcessEngineName("orbita-journeys-" + Integer.toHexString(System.identityHashCode(this)));
        Map<Object, Object> beans = new HashMap<>();
        beans.put("orbitaTasks", new Tasks());
        beans.put("orbitaSteps", new Steps());
        beans.put("orbitaArrivals", new Arrivals());
        c.setBeans(beans);
        this.engine = c.buildProcessEngine();
        if (h2) {
            // an H2 file is one process's at a time: the jobs locked in it were a killed process's, free at once rather than in a minute
            engine.getManagementService().createJobQuery().list(); // the schema is there
            try (var connection = c.getDataSource().getConnection(); var s = connection.createStatement()) {
                int freed = s.executeUpdate("UPDATE ACT_RU_JOB SET LOCK_OWNER_ = NULL, LOCK_EXP_TIME_ = NULL WHERE LOCK_OWNER_ IS NOT NULL");
                if (freed > 0) {
                    log.info("journeys: {} jobs a stopped process held are free again", freed);
                }
            } catch (java.sql.SQLException e) {
                engine.close();
                throw new IllegalStateException("the journey engine's jobs could not be freed", e);
            }
        }
        indexDueDates(c);
        this.commands = c.getCommandExecutorTxRequired();
        executor.start();
        for (int k = 0; k < STARTERS; k++) {
            starters.add(Thread.ofPlatform().name("journeys-starts-" + k).daemon(true).start(this::startQueued));
        }
        this.chores = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("journeys-events").daemon(true).unstarted(r));
        chores.scheduleWithFixedDelay(this::dropExpired, 1, 1, TimeUnit.SECONDS);
    }

    /** The index the acquisition of due jobs reads ({@code DUEDATE_ <= now}, earliest first), and a due date on jobs made without one. */
    static final String DUE_INDEX = "ORBITA_IDX_JOB_DUE";

    private void indexDueDates(StandaloneProcessEngineConfiguration c) {
        engine.getManagementService().createJobQuery().list(); // the schema is there
        for (int attempt = 1; ; attempt++) {
            try (var connection = c.getDataSource().getConnection(); var s = connection.createStatement()) {
                // jobs stored before every job had a due date: due now (the acquisition no longer looks for none)
                int dated = s.executeUpdate("UPDATE ACT_RU_JOB SET DUEDATE_ = CURRENT_TIMESTAMP WHERE DUEDATE_ IS NULL");
                if (dated > 0) {
                    log.info("journeys: {} jobs stored without a due date are due now", dated);
                }
                s.execute("CREATE INDEX IF NOT EXISTS " + DUE_INDEX + " ON ACT_RU_JOB (DUEDATE_)");
                return;
            } catch (java.sql.SQLException e) {
                // two nodes starting on one PostgreSQL at once may both create it: the second is told it exists, and tries again
                if (attempt == 3) {
                    engine.close();
                    throw new IllegalStateException("the journey engine's job index could not be made", e);
                }
                log.info("journeys: the job index was not made ({}); trying again", e.getMessage());
            }
        }
    }

    /**
     * H2 writes its commits out half a second later by default; a process killed in between loses
     * them. Each commit is written when made ({@code WRITE_DELAY=0}), so what the engine
     * acknowledged survives {@code kill -9} (the operating system holds what was written). Writes
     * shared by the commits of a few milliseconds (a longer delay and a flusher the commands wait
     * for) cost a third less, but after {@code kill -9} H2 2.3.232 came back with an index
     * pointing at a row its table did not have ("Row not found in primary index"): not done.
     */
    static String h2Durable(String url) {
        return url.toUpperCase(java.util.Locale.ROOT).contains("WRITE_DELAY") ? url : url + ";WRITE_DELAY=0";
    }

    @Override
    public boolean durable() {
        return true;
    }

    /**
     * Deploys the journey as Operaton's BPMN, tagged with a digest of the journey; a journey
     * deployed before (each start deploys the live ones) keeps its definition and its instances.
     * Returns the definition's key.
     */
    @Override
    public long deploy(Journey journey) {
        String tag = digest(journey);
        ProcessDefinition d = engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey(journey.id()).versionTag(tag)
                .orderByProcessDefinitionVersion().desc().list().stream().findFirst().orElse(null);
        if (d == null) {
            String xml = OperatonBpmn.toXml(journey, tag);
            var deployment = engine.getRepositoryService().createDeployment().name(journey.id()).addString(journey.id() + ".bpmn", xml).deployWithResult();
            d = engine.getRepositoryService().createProcessDefinitionQuery().deploymentId(deployment.getId()).singleResult();
        }
        long key = keyOf(d.getId());
        definitions.put(key, d.getId());
        return key;
    }

    /** A journey's digest: its nodes, settings and links as JSON with every key in order. */
    static String digest(Journey journey) {
        try {
            byte[] json = CANONICAL.writeValueAsBytes(journey);
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(json), 0, 16);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("a journey's digest", e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper CANONICAL = new com.fasterxml.jackson.databind.ObjectMapper()
            .configure(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** A definition's id ({@code journey:3:4711}) as a number: its database id, the part after the last colon. */
    private static long keyOf(String definitionId) {
        return Long.parseLong(definitionId.substring(definitionId.lastIndexOf(':') + 1));
    }

    @Override
    public void worker(String jobType, int parallel, Worker worker) {
        workers.put(jobType, worker);
    }

    /**
     * Starts an instance: completes once the engine has stored it (its first node runs in a
     * job). Starts asked at the same time are stored together, up to {@link #START_BATCH} in one
     * transaction (an entry alone cost a transaction and a write of the engine's file); when more
     * than {@link #START_QUEUE} wait, the caller waits for room — entries are admitted at the
     * rate the engine takes them, none dropped.
     */
    @Override
    public CompletionStage<Long> startAsync(long definitionKey, Map<String, Object> variables) {
        Start start;
        try {
            String profile = variables.get(PROFILE) == null ? null : variables.get(PROFILE).toString();
            start = new Start(definition(definitionKey), profile, encode(variables), new CompletableFuture<>());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        try {
            unsettled.incrementAndGet();
            start.done().whenComplete((k, f) -> unsettled.decrementAndGet());
            starts.put(start);
        } catch (InterruptedException e) {
            unsettled.decrementAndGet();
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new IllegalStateException("interrupted while waiting for room among the engine's starts", e));
        }
        return start.done();
    }

    /** How many starts go into one of the engine's transactions at most, and how many may wait for one. */
    static final int START_BATCH = 200;
    /** Threads storing starts: two, so one batch is being built while the other is written. */
    static final int STARTERS = 2;
    static final int START_QUEUE = 2_000;
    private final java.util.concurrent.BlockingQueue<Start> starts = new java.util.concurrent.ArrayBlockingQueue<>(START_QUEUE);

    /** Starts asked and not yet stored or refused (queued, or in a batch being written). */
    private final java.util.concurrent.atomic.AtomicInteger unsettled = new java.util.concurrent.atomic.AtomicInteger();

    private record Start(String definitionId, String profile, Map<String, Object> variables, CompletableFuture<Long> done) {}

    private long startOne(Start x) {
        return Long.parseLong(engine.getRuntimeService().startProcessInstanceById(x.definitionId(), x.profile(), x.variables()).getId());
    }

    /** A starter's loop: what waits, a batch at a time, until the engine closes. */
    private void startQueued() {
        List<Start> batch = new ArrayList<>(START_BATCH);
        // never interrupted: an interrupt in the middle of H2's file I/O closes the file under the engine
        while (!closing) {
            batch.clear();
            try {
                Start first = starts.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                return;
            }
            starts.drainTo(batch, START_BATCH - 1);
            try {
                List<Long> keys = commands.execute(context -> {
                    List<Long> out = new ArrayList<>(batch.size());
                    for (Start x : batch) {
                        out.add(startOne(x));
                    }
                    return out;
                });
                for (int k = 0; k < batch.size(); k++) {
                    batch.get(k).done().complete(keys.get(k));
                }
            } catch (RuntimeException together) {
                // one start the engine refuses fails only itself: each alone
                for (Start x : batch) {
                    try {
                        x.done().complete(startOne(x));
                    } catch (RuntimeException alone) {
                        x.done().completeExceptionally(alone);
                    }
                }
            } catch (Error e) {
                batch.forEach(x -> x.done().completeExceptionally(e));
                throw e;
            }
        }
    }

    @Override
    public CompletionStage<?> startAtAsync(long definitionKey, String elementId, Map<String, Object> variables) {
        try {
            String profile = variables.get(PROFILE) == null ? null : variables.get(PROFILE).toString();
            return CompletableFuture.completedFuture(engine.getRuntimeService().createProcessInstanceById(definition(definitionKey))
                    .businessKey(profile).setVariables(encode(variables)).startBeforeActivity(elementId).execute().getId());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private String definition(long key) {
        String id = definitions.get(key);
        if (id == null) {
            throw new IllegalStateException("no journey deployed under key " + key + " on this engine");
        }
        return id;
    }

    /** Cancels an instance; asked from a node's own job, it is cancelled once that job's transaction has committed. */
    @Override
    public void cancel(long instanceKey) {
        String id = String.valueOf(instanceKey);
        if (Context.getCommandContext() != null) {
            Context.getCommandContext().getTransactionContext().addTransactionListener(TransactionState.COMMITTED,
                    ctx -> chores.execute(() -> delete(id)));
        } else {
            delete(id);
        }
    }

    private void delete(String id) {
        try {
            engine.getRuntimeService().deleteProcessInstanceIfExists(id, "cancelled by Orbita", true, true, true, true);
        } catch (RuntimeException e) {
            log.warn("journey instance {} not cancelled on the engine: {}", id, e.getMessage());
        }
    }

    /**
     * A profile's event to its instances waiting for it; when none waits yet, kept for {@code keep}
     * and offered again when one of the profile's instances reaches a wait (not polled).
     */
    @Override
    public void publish(String eventType, String profileId, Map<String, Object> variables, Duration keep) {
        if (correlate(eventType, profileId, variables) == 0 && keep.isPositive()) {
            pending.computeIfAbsent(profileId, k -> new ConcurrentLinkedQueue<>()).add(new Pending(eventType, profileId, variables, Instant.now().plus(keep)));
            if (pendingCount.incrementAndGet() > MOST_PENDING) {
                dropOldest();
            }
        }
    }

    private int correlate(String eventType, String profileId, Map<String, Object> variables) {
        return engine.getRuntimeService().createMessageCorrelation(JourneyBpmn.MESSAGE_PREFIX + eventType).processInstanceBusinessKey(profileId)
                .setVariables(encode(variables == null ? Map.of() : variables)).correlateAllWithResult().size();
    }

    /** A profile's instance reached a wait (and committed): its kept events are offered again. */
    private void arrived(String profileId) {
        ConcurrentLinkedQueue<Pending> mine = pending.get(profileId);
        if (mine == null) {
            return;
        }
        Instant now = Instant.now();
        for (Pending p : mine) {
            try {
                if (now.isAfter(p.until()) || correlate(p.eventType(), p.profileId(), p.variables()) > 0) {
                    forget(mine, p);
                }
            } catch (RuntimeException e) {
                forget(mine, p);
                log.warn("event {} of profile {} not delivered to its journeys: {}", p.eventType(), p.profileId(), e.getMessage());
            }
        }
        pending.computeIfPresent(profileId, (k, q) -> q.isEmpty() ? null : q);
    }

    private void forget(ConcurrentLinkedQueue<Pending> queue, Pending p) {
        if (queue.remove(p)) {
            pendingCount.decrementAndGet();
        }
    }

    private void dropExpired() {
        Instant now = Instant.now();
        for (Map.Entry<String, ConcurrentLinkedQueue<Pending>> e : pending.entrySet()) {
            e.getValue().forEach(p -> {
                if (now.isAfter(p.until())) {
                    forget(e.getValue(), p);
                }
            });
            pending.computeIfPresent(e.getKey(), (k, q) -> q.isEmpty() ? null : q);
        }
    }

    private void dropOldest() {
        Pending oldest = null;
        ConcurrentLinkedQueue<Pending> in = null;
        for (ConcurrentLinkedQueue<Pending> q : pending.values()) {
            Pending head = q.peek();
            if (head != null && (oldest == null || head.until().isBefore(oldest.until()))) {
                oldest = head;
                in = q;
            }
        }
        if (oldest != null) {
            forget(in, oldest);
        }
    }

    /**
     * Moves the engine's clock (tests) once the starts asked are stored and what is due now has
     * run — an instance still on its way to a pause would otherwise set its timer from the moved
     * clock — and wakes the job executor to look for the timers now due.
     */
    @Override
    public void advance(Duration d) {
        long until = System.nanoTime() + 30_000_000_000L;
        while ((unsettled.get() > 0 || engine.getManagementService().createJobQuery().executable().count() > 0) && System.nanoTime() < until) {
            executor.jobWasAdded();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the engine caught up", e);
            }
        }
        long offset = ClockUtil.getCurrentTime().getTime() - System.currentTimeMillis() + d.toMillis();
        ClockUtil.offset(offset);
        executor.jobWasAdded();
    }

    @Override
    public void close() {
        // nothing here is interrupted: an interrupt in the middle of H2's file I/O closes the file under the engine
        chores.shutdown();
        closing = true;
        try {
            chores.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Thread t : starters) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Start x; (x = starts.poll()) != null; ) {
            x.done().completeExceptionally(new IllegalStateException("the journey engine closed before the instance was started"));
        }
        engine.close();
    }

    /** Stored variables: maps and lists as JSON text behind a mark (no Java serialization in the engine's database). */
    static Map<String, Object> encode(Map<String, Object> variables) {
        Map<String, Object> out = new LinkedHashMap<>();
        variables.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> || v instanceof List<?> ? JSON_MARK + Json.write(v)
                : v instanceof Instant t ? t.toString() : v));
        return out;
    }

    /** The variables as they were given. */
    static Map<String, Object> decode(Map<String, Object> stored) {
        Map<String, Object> out = new HashMap<>(stored);
        out.replaceAll((k, v) -> v instanceof String s && s.startsWith(JSON_MARK) ? Json.read(s.substring(JSON_MARK.length()), Object.class) : v);
        return out;
    }

    private Job job(DelegateExecution e) {
        JobExecutorContext context = Context.getJobExecutorContext();
        int retries = context == null || context.getCurrentJob() == null ? 3 : context.getCurrentJob().getRetries();
        return new Job(Long.parseLong(e.getProcessInstanceId()), e.getCurrentActivityId(), decode(e.getVariables()), headers(e), retries);
    }

    /** A task's settings (its properties), read from its definition once. */
    private Map<String, String> headers(DelegateExecution e) {
        return headers.computeIfAbsent(e.getProcessDefinitionId() + "/" + e.getCurrentActivityId(), k -> {
            Map<String, String> out = new HashMap<>();
            BaseElement element = (BaseElement) e.getBpmnModelElementInstance();
            ExtensionElements ext = element == null ? null : element.getExtensionElements();
            if (ext != null) {
                for (OperatonProperties props : ext.getChildElementsByType(OperatonProperties.class)) {
                    for (OperatonProperty p : props.getOperatonProperties()) {
                        out.put(p.getOperatonName(), p.getOperatonValue());
                    }
                }
            }
            return Map.copyOf(out);
        });
    }

    /** {@code ${orbitaTasks.of('orbita.send-message')}}: the behaviour of a job type's tasks. */
    public final class Tasks {
        private final Map<String, TaskBehavior> behaviors = new ConcurrentHashMap<>();

        public TaskBehavior of(String jobType) {
            return behaviors.computeIfAbsent(jobType, TaskBehavior::new);
        }
    }

    /** A node's task: its worker's answer set on the instance, which moves on; null parks it to be cancelled. */
    public final class TaskBehavior extends AbstractBpmnActivityBehavior {
        private final String jobType;

        TaskBehavior(String jobType) {
            this.jobType = jobType;
        }

        @Override
        public void execute(ActivityExecution execution) throws Exception {
            Worker w = workers.get(jobType);
            if (w == null) {
                throw new IllegalStateException("no worker for " + jobType + " on this node");
            }
            Map<String, Object> out = w.work(job(execution));
            if (out == null) {
                return; // parked here: the worker cancelled the instance, deleted after this commits
            }
            Map<String, Object> set = new HashMap<>(out);
            set.values().removeIf(java.util.Objects::isNull);
            out.forEach((k, v) -> {
                if (v == null) {
                    execution.removeVariable(k);
                }
            });
            execution.setVariables(encode(set));
            leave(execution);
        }
    }

    /** {@code ${orbitaSteps}}: the ledger's listener on timers, events and exits. */
    private final class Steps implements ExecutionListener {
        @Override
        public void notify(DelegateExecution execution) throws Exception {
            Worker w = workers.get(JourneyBpmn.STEP_JOB_TYPE);
            if (w == null) {
                throw new IllegalStateException("no worker for " + JourneyBpmn.STEP_JOB_TYPE + " on this node");
            }
            Map<String, Object> out = w.work(job(execution));
            if (out != null && !out.isEmpty()) {
                execution.setVariables(encode(out));
            }
        }
    }

    /** {@code ${orbitaArrivals}}: an instance reached a wait for an event; once that commits, the profile's kept events are offered. */
    private final class Arrivals implements ExecutionListener {
        @Override
        public void notify(DelegateExecution execution) {
            String profile = execution.getProcessBusinessKey();
            if (profile != null && pending.containsKey(profile)) {
                Context.getCommandContext().getTransactionContext().addTransactionListener(TransactionState.COMMITTED,
                        ctx -> chores.execute(() -> arrived(profile)));
            }
        }
    }

    /** The engine's clock (the application's when tests have not moved it). */
    static Date now() {
        return ClockUtil.getCurrentTime();
    }
}
