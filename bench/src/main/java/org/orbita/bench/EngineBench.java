package org.orbita.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.orbita.journeys.Journey;
import org.orbita.journeys.Journey.Link;
import org.orbita.journeys.Journey.Node;
import org.orbita.journeys.JourneyBpmn;
import org.orbita.journeys.operaton.OperatonEngine;
import org.orbita.journeys.runtime.JourneyEngine;

/**
 * The journey engines alone, side by side: Orbita's five-node journey (filter → update → goal →
 * send → exit, each task a job of its own) with workers that do nothing, so the figures are the
 * engine's — how fast instances start and how many node completions per second it runs, in
 * rounds. Run by {@code bench/run engine [instances per round] [rounds]}; {@code -Dengine=zeebe}
 * for Zeebe's in-process engine, {@code -DengineUrl=jdbc:postgresql://…} for Operaton on PostgreSQL.
 */
public final class EngineBench {

    public static void main(String[] args) throws Exception {
        int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String kind = System.getProperty("engine", "operaton");
        Path dir = Files.createTempDirectory("orbita-enginebench");
        String url = System.getProperty("engineUrl", "jdbc:h2:file:" + dir.resolve("engine"));
        Journey five = new Journey("five", "Five", List.of(
                new Node("start", "start", null, Map.of("entry", "api")),
                new Node("big", "filter", null, Map.of("condition", "order.total > 10")),
                new Node("mark", "update-profile", null, Map.of("fields", "{\"f1\": \"journeyed\"}")),
                new Node("won", "goal", null, Map.of("goal", "bench")),
                new Node("mail", "send-message", null, Map.of("messageId", "m1", "channels", "email")),
                new Node("end", "exit", null, Map.of())),
                List.of(new Link("start", "big", null), new Link("big", "mark", "yes"), new Link("big", "end", "no"), new Link("mark", "won", null),
                        new Link("won", "mail", null), new Link("mail", "end", null)));
        AtomicLong completions = new AtomicLong();
        AtomicLong done = new AtomicLong();
        try (JourneyEngine engine = kind.equals("zeebe") ? JourneyBench.zeebeInProcess()
                : OperatonEngine.start(url, System.getProperty("engineUser", "sa"), System.getProperty("enginePassword", ""),
                        Integer.getInteger("threads", 8))) {
            System.out.printf("engine: %s%s%n", kind, kind.equals("zeebe") ? " (in-process)" : " on " + url);
            long key = engine.deploy(five);
            engine.worker("orbita.filter", 32, job -> {
                completions.incrementAndGet();
                return Map.of("branch", "yes");
            });
            for (String type : List.of("orbita.update-profile", "orbita.goal")) {
                engine.worker(type, 32, job -> {
                    completions.incrementAndGet();
                    return Map.of();
                });
            }
            engine.worker("orbita.send-message", 32, job -> {
                completions.incrementAndGet();
                done.incrementAndGet();
                return Map.of();
            });
            engine.worker(JourneyBpmn.STEP_JOB_TYPE, 32, job -> Map.of());
            ExecutorService callers = Executors.newFixedThreadPool(8);
            for (int r = 1; r <= rounds; r++) {
                long doneBefore = done.get();
                long completionsBefore = completions.get();
                long t0 = System.nanoTime();
                List<Future<?>> calls = new java.util.ArrayList<>();
                for (int i = 0; i < perRound; i++) {
                    int n = i;
                    calls.add(callers.submit(() -> {
                        Map<String, Object> vars = new HashMap<>();
                        vars.put("profileId", "p" + n);
                        vars.put("order", Map.of("total", 50));
                        return engine.startAsync(key, vars).toCompletableFuture().join();
                    }));
                }
                for (Future<?> f : calls) {
                    f.get();
                }
                double started = (System.nanoTime() - t0) / 1e9;
                while (done.get() - doneBefore < perRound) {
                    Thread.sleep(10);
                }
                round(r, perRound, started, (System.nanoTime() - t0) / 1e9, completions.get() - completionsBefore);
            }
            callers.shutdown();
        }
        System.exit(0);
    }

    /** A round's line: starts per second, and journeys and node completions per second until the last was through. */
    static void round(int r, int instances, double startedSeconds, double seconds, long completions) {
        System.out.printf("round %d: %,d instances started in %.1f s (%.0f/s); all through 4 task nodes in %.1f s (%.0f journeys/s,"
                + " %.0f node completions/s)%n", r, instances, startedSeconds, instances / startedSeconds, seconds, instances / seconds,
                completions / seconds);
    }
}
