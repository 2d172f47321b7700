package org.orbita.journeys.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.orbita.journeys.Journey;
import org.orbita.journeys.Journey.Link;
import org.orbita.journeys.Journey.Node;
import org.orbita.journeys.JourneyBpmn;

/**
 * What every journey engine does alike, on a journey made by workflow-models: nodes done by
 * their job type's worker with the node's settings, a condition that branches, a wait for an
 * event with a timeout (the event published for one profile, the clock moved for the other),
 * the ledger's listener told of timers, events and exits. Each engine's test extends it.
 */
public abstract class JourneyEngineContract {

    /** A fresh engine (its clock where it starts). */
    protected abstract JourneyEngine engine();

    public static Journey journey() {
        return new Journey("welcome", "Welcome", List.of(
                new Node("start", "start", "API", Map.of("entry", "api")),
                new Node("email", "send-message", "Welcome letter", Map.of("messageId", "m1", "channels", "email")),
                new Node("vip", "check-condition", "VIP?", Map.of("segment", "seg-vip")),
                new Node("bought", "wait-event", "Bought?", Map.of("event", "purchase", "timeout", "PT2H")),
                new Node("goal", "goal", "Bought", Map.of("goal", "purchase")),
                new Node("reminder", "send-message", "Reminder", Map.of("messageId", "m2", "channels", "sms")),
                new Node("end", "exit", "Done", Map.of())),
                List.of(new Link("start", "email", null), new Link("email", "vip", null), new Link("vip", "bought", "yes"), new Link("vip", "end", "no"),
                        new Link("bought", "goal", "event"), new Link("bought", "reminder", "timeout"), new Link("goal", "end", null),
                        new Link("reminder", "end", null)));
    }

    protected static long start(JourneyEngine engine, long key, String profile, Map<String, Object> data) {
        Map<String, Object> variables = new HashMap<>(data);
        variables.put("profileId", profile);
        return engine.startAsync(key, variables).toCompletableFuture().join();
    }

    @Test
    void aJourneyRunsNodeByNode() throws Exception {
        List<String> steps = new CopyOnWriteArrayList<>();
        List<String> passed = new CopyOnWriteArrayList<>();
        try (JourneyEngine engine = engine()) {
            long key = deployed(engine, steps, passed);
            engine.worker("orbita.check-condition", job -> {
                String profile = (String) job.variable("profileId");
                steps.add(profile + " vip?");
                return Map.of("branch", profile.equals("ann") ? "yes" : "no");
            });
            engine.worker("orbita.goal", job -> {
                steps.add(job.variable("profileId") + " goal " + job.headers().get("goal") + " " + job.variable("total") + " "
                        + ((Map<?, ?>) job.variable("data")).get("tag"));
                return Map.of();
            });
            start(engine, key, "ann", Map.of("data", Map.of("tag", "x")));
            start(engine, key, "bob", Map.of());
            start(engine, key, "cid", Map.of("tag", "x"));
            waitFor(() -> steps.contains("ann vip?") && steps.contains("bob vip?") && steps.contains("cid vip?"));
            Thread.sleep(500); // only ann is a VIP: she now waits for her purchase
            engine.publish("purchase", "ann", Map.of("total", 120), Duration.ofMinutes(1));
            waitFor(() -> steps.contains("ann goal purchase 120 x"));
            assertThat(steps).doesNotContain("ann m2");
            // bob and cid were not VIPs: done after the letter
            assertThat(steps).filteredOn(s -> s.startsWith("bob")).containsExactly("bob m1", "bob vip?");
            waitFor(() -> passed.contains("ann bought_event"));
        }
    }

    @Test
    void anEventPublishedJustBeforeItsWaitIsKept() throws Exception {
        List<String> steps = new CopyOnWriteArrayList<>();
        try (JourneyEngine engine = engine()) {
            long key = deployed(engine, steps, new CopyOnWriteArrayList<>());
            engine.worker("orbita.check-condition", job -> {
                engine.publish("purchase", (String) job.variable("profileId"), Map.of("total", 5), Duration.ofSeconds(30));
                Thread.sleep(200);
                return Map.of("branch", "yes");
            });
            engine.worker("orbita.goal", job -> {
                steps.add(job.variable("profileId") + " goal " + job.variable("total"));
                return Map.of();
            });
            start(engine, key, "dan", Map.of());
            waitFor(() -> steps.contains("dan goal 5"));
        }
    }

    @Test
    void aWaitThatTimesOutGoesOnByItsTimeoutBranch() throws Exception {
        List<String> steps = new CopyOnWriteArrayList<>();
        List<String> passed = new CopyOnWriteArrayList<>();
        try (JourneyEngine engine = engine()) {
            long key = deployed(engine, steps, passed);
            engine.worker("orbita.check-condition", job -> Map.of("branch", "yes"));
            engine.worker("orbita.goal", job -> {
                steps.add("goal");
                return Map.of();
            });
            start(engine, key, "ann", Map.of());
            waitFor(() -> steps.contains("ann m1"));
            Thread.sleep(1000);
            engine.advance(Duration.ofHours(3));
            waitFor(() -> steps.contains("ann m2"));
            assertThat(steps).containsExactly("ann m1", "ann m2");
            waitFor(() -> passed.contains("ann bought_timeout"));
        }
    }

    @Test
    void aWorkerThatFailsIsAskedAgain() throws Exception {
        List<String> steps = new CopyOnWriteArrayList<>();
        try (JourneyEngine engine = engine()) {
            long key = deployed(engine, steps, new CopyOnWriteArrayList<>());
            java.util.concurrent.atomic.AtomicInteger tries = new java.util.concurrent.atomic.AtomicInteger();
            engine.worker("orbita.check-condition", job -> {
                if (tries.incrementAndGet() == 1) {
                    throw new IllegalStateException("the segment store is down");
                }
                steps.add("vip? retries " + job.retries());
                return Map.of("branch", "no");
            });
            start(engine, key, "eve", Map.of());
            waitFor(() -> steps.stream().anyMatch(s -> s.startsWith("vip?")));
            // the node before it, in the same transaction since the last wait, is asked again where nodes are not retried alone
            // (the runtime's ledger then answers for it without doing it again)
            assertThat(steps).containsExactlyElementsOf(nodesRetriedAlone() ? List.of("eve m1", "vip? retries 2")
                    : List.of("eve m1", "eve m1", "vip? retries 2"));
        }
    }

    /**
     * Whether a failed node is retried alone (Zeebe: each node its own job) or with the nodes
     * done since the instance's last wait (Operaton: those nodes are one transaction).
     */
    protected abstract boolean nodesRetriedAlone();

    /** The journey deployed, a send worker noting "<profile> <message>" in {@code steps}, the ledger's listener noting "<profile> <element>". */
    protected static long deployed(JourneyEngine engine, List<String> steps, List<String> passed) {
        long key = engine.deploy(journey());
        engine.worker("orbita.send-message", job -> {
            steps.add(job.variable("profileId") + " " + job.headers().get("messageId"));
            return Map.of();
        });
        engine.worker(JourneyBpmn.STEP_JOB_TYPE, job -> {
            passed.add(job.variable("profileId") + " " + job.elementId());
            return Map.of();
        });
        return key;
    }

    public static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("not reached in 20 s");
            }
            Thread.sleep(50);
        }
    }
}
