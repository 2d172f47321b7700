package org.orbita.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.flowable.common.engine.impl.interceptor.Command;
import org.flowable.engine.ProcessEngine;
import org.flowable.engine.ProcessEngineConfiguration;
import org.flowable.engine.delegate.DelegateExecution;
import org.flowable.engine.delegate.JavaDelegate;
import org.flowable.engine.impl.cfg.StandaloneProcessEngineConfiguration;

/**
 * Flowable 7.2 (Apache-2.0) on the journey the engine bench gives Operaton ({@link EngineBench}):
 * start → filter → (yes) update → goal → send → end, (no) → end; the entry committed before any
 * node runs (the first task asynchronous, as Operaton's {@code asyncAfter} on the start), the four
 * tasks then in that job's one transaction, each a delegate that does nothing but count; starts
 * stored up to 200 per transaction by two starter threads from a queue of 2,000, as
 * {@code OperatonEngine} stores them; no history; ids taken 10,000 at a time; eight job threads;
 * H2 with each commit written when made, or PostgreSQL. Only to compare the engines — Flowable is
 * not part of the application. Run by {@code bench/run flowable [instances per round] [rounds]},
 * {@code -DengineUrl=jdbc:postgresql://…} for PostgreSQL.
 */
public final class FlowableBench {

    static final AtomicLong COMPLETIONS = new AtomicLong();
    static final AtomicLong DONE = new AtomicLong();

    /** The filter node: lets everyone through. */
    public static final class Filter implements JavaDelegate {
        @Override
        public void execute(DelegateExecution execution) {
            COMPLETIONS.incrementAndGet();
            execution.setVariable("branch", "yes");
        }
    }

    /** The update and goal nodes. */
    public static final class Task implements JavaDelegate {
        @Override
        public void execute(DelegateExecution execution) {
            COMPLETIONS.incrementAndGet();
        }
    }

    /** The send node: the journey's last task. */
    public static final class Send implements JavaDelegate {
        @Override
        public void execute(DelegateExecution execution) {
            COMPLETIONS.incrementAndGet();
            DONE.incrementAndGet();
        }
    }

    static final String BPMN = """
            <?xml version="1.0" encoding="UTF-8"?>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:flowable="http://flowable.org/bpmn"
                         targetNamespace="https://orbita.dev/bench">
              <process id="five" name="Five" isExecutable="true">
                <startEvent id="start"/>
                <sequenceFlow id="s1" sourceRef="start" targetRef="big"/>
                <serviceTask id="big" flowable:async="true" flowable:exclusive="false" flowable:class="org.orbita.bench.FlowableBench$Filter"/>
                <sequenceFlow id="s2" sourceRef="big" targetRef="split"/>
                <exclusiveGateway id="split"/>
                <sequenceFlow id="yes" sourceRef="split" targetRef="mark"><conditionExpression>${branch == 'yes'}</conditionExpression></sequenceFlow>
                <sequenceFlow id="no" sourceRef="split" targetRef="end"><conditionExpression>${branch != 'yes'}</conditionExpression></sequenceFlow>
                <serviceTask id="mark" flowable:class="org.orbita.bench.FlowableBench$Task"/>
                <sequenceFlow id="s3" sourceRef="mark" targetRef="won"/>
                <serviceTask id="won" flowable:class="org.orbita.bench.FlowableBench$Task"/>
                <sequenceFlow id="s4" sourceRef="won" targetRef="mail"/>
                <serviceTask id="mail" flowable:class="org.orbita.bench.FlowableBench$Send"/>
                <sequenceFlow id="s5" sourceRef="mail" targetRef="end"/>
                <endEvent id="end"/>
              </process>
            </definitions>
            """;

    private record Start(Map<String, Object> variables, CompletableFuture<String> done) {}

    public static void main(String[] args) throws Exception {
        int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = Integer.getInteger("threads", 8);
        Path dir = Files.createTempDirectory("orbita-flowablebench");
        String url = System.getProperty("engineUrl", "jdbc:h2:file:" + dir.resolve("engine") + ";WRITE_DELAY=0");
        StandaloneProcessEngineConfiguration c = new StandaloneProcessEngineConfiguration();
        c.setJdbcUrl(url);
        c.setJdbcDriver(url.startsWith("jdbc:postgresql:") ? "org.postgresql.Driver" : "org.h2.Driver");
        c.setJdbcUsername(System.getProperty("engineUser", "sa"));
        c.setJdbcPassword(System.getProperty("enginePassword", ""));
        c.setJdbcMaxActiveConnections(threads * 2 + 16);
        c.setJdbcMaxIdleConnections(threads * 2 + 16);
        c.setIdBlockSize(10_000);
        c.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
        c.setHistoryLevel(org.flowable.common.engine.impl.history.HistoryLevel.NONE);
        c.setAsyncExecutorActivate(true);
        c.setAsyncExecutorCorePoolSize(threads);
        c.setAsyncExecutorMaxPoolSize(threads);
        c.setAsyncExecutorThreadPoolQueueSize(threads * 8);
        c.setAsyncExecutorMaxAsyncJobsDuePerAcquisition(Math.max(3, threads * 4));
        c.setAsyncExecutorDefaultAsyncJobAcquireWaitTime(100);
        c.setAsyncExecutorAsyncJobLockTimeInMillis(60_000);
        ProcessEngine engine = c.buildProcessEngine();
        System.out.printf("engine: Flowable %s on %s%n", ProcessEngine.class.getPackage().getImplementationVersion(), url);
        String definition = engine.getRepositoryService().createDeployment().addString("five.bpmn20.xml", BPMN).deploy().getId();
        String definitionId = engine.getRepositoryService().createProcessDefinitionQuery().deploymentId(definition).singleResult().getId();
        BlockingQueue<Start> starts = new ArrayBlockingQueue<>(2_000);
        List<Thread> starters = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            Thread t = new Thread(() -> {
                List<Start> batch = new ArrayList<>(200);
                while (!Thread.currentThread().isInterrupted()) {
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
                    starts.drainTo(batch, 199);
                    try {
                        List<String> ids = engine.getManagementService().executeCommand((Command<List<String>>) ctx -> {
                            List<String> out = new ArrayList<>(batch.size());
                            for (Start x : batch) {
                                out.add(engine.getRuntimeService().startProcessInstanceById(definitionId, x.variables()).getId());
                            }
                            return out;
                        });
                        for (int k = 0; k < batch.size(); k++) {
                            batch.get(k).done().complete(ids.get(k));
                        }
                    } catch (RuntimeException e) {
                        batch.forEach(x -> x.done().completeExceptionally(e));
                    }
                }
            }, "flowable-starter-" + s);
            t.setDaemon(true);
            t.start();
            starters.add(t);
        }
        ExecutorService callers = Executors.newFixedThreadPool(8);
        for (int r = 1; r <= rounds; r++) {
            long doneBefore = DONE.get();
            long completionsBefore = COMPLETIONS.get();
            long t0 = System.nanoTime();
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < perRound; i++) {
                int n = i;
                calls.add(callers.submit(() -> {
                    Start x = new Start(Map.of("profileId", "p" + n, "order", "{\"total\": 50}"), new CompletableFuture<>());
                    starts.put(x);
                    return x.done().join();
                }));
            }
            for (Future<?> f : calls) {
                f.get();
            }
            double started = (System.nanoTime() - t0) / 1e9;
            while (DONE.get() - doneBefore < perRound) {
                Thread.sleep(10);
            }
            EngineBench.round(r, perRound, started, (System.nanoTime() - t0) / 1e9, COMPLETIONS.get() - completionsBefore);
        }
        callers.shutdown();
        starters.forEach(Thread::interrupt);
        engine.close();
        System.exit(0);
    }
}
