package org.orbita.journeys.zeebe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.orbita.journeys.Journey;
import org.orbita.journeys.JourneyBpmn;
import org.orbita.journeys.Journey.Link;
import org.orbita.journeys.Journey.Node;

/**
 * A journey made by workflow-models, deployed to Zeebe's in-process engine through
 * camunda-client-java, its nodes done by job workers: a send, a condition that branches, a wait
 * for an event with a timeout (the event published for one profile, the clock moved for the other).
 */
class ZeebeEngineTest {

    static Journey journey() {
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

    @Test
    void aJourneyRunsOnTheInProcessEngineNodeByNode() throws Exception {
        List<String> steps = new CopyOnWriteArrayList<>();
        try (ZeebeEngine engine = deployed(steps)) {
            engine.worker("orbita.check-condition", job -> {
                String profile = (String) job.variable("profileId");
                steps.add(profile + " vip?");
                return Map.of("branch", profile.equals("ann") ? "yes" : "no");
            });
            engine.worker("orbita.goal", job -> {
                steps.add(job.variable("profileId") + " goal " + job.headers().get("goal") + " " + job.variable("total"));
                return Map.of();
            });
            engine.start("welcome", "ann", Map.of());
            engine.start("welcome", "bob", Map.of());
            engine.start("welcome", "cid", Map.of("tag", "x"));
            waitFor(() -> steps.contains("ann vip?") && steps.contains("bob vip?") && steps.contains("cid vip?"));
            Thread.sleep(500); // ann and cid... only ann is VIP: she now waits for her purchase
            engine.publish("purchase", "ann", Map.of("total", 120), Duration.ofMinutes(1));
            waitFor(() -> steps.contains("ann goal purchase 120"));
            assertThat(steps).doesNotContain("ann m2");
            // bob and cid were not VIPs: done after the letter
            assertThat(steps).filteredOn(s -> s.startsWith("bob")).containsExactly("bob m1", "bob vip?");
        }
    }

    @Test
    void aWaitThatTimesOutGoesOnByItsTimeoutBranch() throws Exception {
        List<String> steps = new CopyOnWriteArrayList<>();
        try (ZeebeEngine engine = deployed(steps)) {
            engine.worker("orbita.check-condition", job -> Map.of("branch", "yes"));
            engine.worker("orbita.goal", job -> {
                steps.add("goal");
                return Map.of();
            });
            engine.start("welcome", "ann", Map.of());
            waitFor(() -> steps.contains("ann m1"));
            Thread.sleep(500);
            engine.advance(Duration.ofHours(3));
            waitFor(() -> steps.contains("ann m2"));
            assertThat(steps).containsExactly("ann m1", "ann m2");
        }
    }

    @Test
    void anInstanceStartedAtAnElementKeepsWhatWasLeftOfItsTimer() throws Exception {
        List<String> steps = new CopyOnWriteArrayList<>();
        List<String> passed = new CopyOnWriteArrayList<>();
        try (ZeebeEngine engine = ZeebeEngine.embedded()) {
            long key = engine.deploy(journey());
            engine.worker("orbita.send-message", job -> {
                steps.add(job.variable("profileId") + " " + job.headers().get("messageId"));
                return Map.of();
            });
            engine.worker(JourneyBpmn.STEP_JOB_TYPE, job -> {
                passed.add(job.variable("profileId") + " " + job.elementId());
                return Map.of();
            });
            // ann had 10 minutes of her 2 hours left; bob comes back to the wait with no resume: the full 2 hours
            engine.startAt(key, "bought", Map.of("profileId", "ann", JourneyBpmn.RESUME_VARIABLE, Map.of("node", "bought", "left", "PT10M")));
            engine.startAt(key, "bought", Map.of("profileId", "bob"));
            Thread.sleep(1000);
            engine.advance(Duration.ofMinutes(11));
            waitFor(() -> steps.contains("ann m2"));
            Thread.sleep(500);
            assertThat(steps).containsExactly("ann m2");
            waitFor(() -> passed.contains("ann bought_timeout"));
            assertThat(passed).doesNotContain("bob bought_timeout", "ann end"); // an exit only tasks lead to has no listener
            engine.advance(Duration.ofHours(2));
            waitFor(() -> steps.contains("bob m2"));
        }
    }

    /** The in-process engine with the journey deployed and a send worker noting "<profile> <message>" in {@code steps}. */
    static ZeebeEngine deployed(List<String> steps) {
        ZeebeEngine engine = ZeebeEngine.embedded();
        engine.deploy(journey());
        engine.worker("orbita.send-message", job -> {
            steps.add(job.variable("profileId") + " " + job.headers().get("messageId"));
            return Map.of();
        });
        engine.worker(JourneyBpmn.STEP_JOB_TYPE, job -> Map.of()); // the ledger's listener on timers, events and ends
        return engine;
    }

    static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("not reached in 20 s");
            }
            Thread.sleep(50);
        }
    }
}
