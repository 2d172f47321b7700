package org.orbita.journeys.zeebe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.orbita.journeys.JourneyBpmn;
import org.orbita.journeys.runtime.JourneyEngine;
import org.orbita.journeys.runtime.JourneyEngineContract;

/**
 * The engine contract on Zeebe's in-process engine through camunda-client-java (test scope: the
 * engine is under Camunda's licence and never shipped), and what only an engine that keeps
 * nothing needs: an instance put back at an element keeps what was left of its timer.
 */
class ZeebeEngineTest extends JourneyEngineContract {

    @Override
    protected boolean nodesRetriedAlone() {
        return true;
    }

    @Override
    protected JourneyEngine engine() {
        return ZeebeInProcess.start();
    }

    @Test
    void anInstanceStartedAtAnElementKeepsWhatWasLeftOfItsTimer() throws Exception {
        List<String> steps = new CopyOnWriteArrayList<>();
        List<String> passed = new CopyOnWriteArrayList<>();
        try (ZeebeEngine engine = ZeebeInProcess.start()) {
            long key = deployed(engine, steps, passed);
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
}
