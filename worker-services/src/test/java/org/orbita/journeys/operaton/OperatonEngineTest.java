package org.orbita.journeys.operaton;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operaton.bpm.engine.impl.util.ClockUtil;
import org.orbita.journeys.runtime.JourneyEngine;
import org.orbita.journeys.runtime.JourneyEngineContract;

/** The contract on Operaton with its state in an H2 file, and what only a durable engine does: instances outlive it. */
class OperatonEngineTest extends JourneyEngineContract {

    @TempDir
    Path dir;

    @Override
    protected boolean nodesRetriedAlone() {
        return false;
    }

    @Override
    protected JourneyEngine engine() {
        return OperatonEngine.start("jdbc:h2:file:" + dir.resolve("engine"), "sa", "", 4);
    }

    @AfterEach
    void clock() {
        ClockUtil.reset();
    }

    @Test
    void instancesWaitingInTimersAndEventsOutliveTheEngine() throws Exception {
        List<String> steps = new CopyOnWriteArrayList<>();
        List<String> passed = new CopyOnWriteArrayList<>();
        long key;
        try (JourneyEngine engine = engine()) {
            key = deployed(engine, steps, passed);
            engine.worker("orbita.check-condition", job -> Map.of("branch", "yes"));
            engine.worker("orbita.goal", job -> Map.of());
            for (String p : List.of("ann", "bob")) {
                start(engine, key, p, Map.of());
            }
            waitFor(() -> steps.containsAll(List.of("ann m1", "bob m1")));
            Thread.sleep(500);
        }
        steps.clear();
        // a new engine on the same database: both still wait for their purchase, the timeout still two hours from their entry
        try (JourneyEngine engine = engine()) {
            assertThat(engine.deploy(journey())).isEqualTo(key);
            engine.worker("orbita.send-message", job -> {
                steps.add(job.variable("profileId") + " " + job.headers().get("messageId"));
                return Map.of();
            });
            engine.worker(org.orbita.journeys.JourneyBpmn.STEP_JOB_TYPE, job -> {
                passed.add(job.variable("profileId") + " " + job.elementId());
                return Map.of();
            });
            engine.worker("orbita.goal", job -> {
                steps.add(job.variable("profileId") + " goal");
                return Map.of();
            });
            engine.publish("purchase", "ann", Map.of(), Duration.ZERO);
            waitFor(() -> steps.contains("ann goal"));
            engine.advance(Duration.ofMinutes(110));
            Thread.sleep(1500);
            assertThat(steps).containsExactly("ann goal"); // bob's timer is not due yet
            engine.advance(Duration.ofMinutes(15));
            waitFor(() -> steps.contains("bob m2"));
            assertThat(steps).containsExactly("ann goal", "bob m2");
        }
    }
}
