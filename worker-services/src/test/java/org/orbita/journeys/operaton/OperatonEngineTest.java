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

    /**
     * With many profiles waiting in pauses, the job table holds a timer for each: the acquisition
     * of due jobs (Operaton's {@code selectNextJobsToExecute}: retries left, due, not locked,
     * active, earliest first) reads them through the due-date index instead of every row, and
     * every job has a due date (the condition has no {@code DUEDATE_ IS NULL OR} to defeat it).
     */
    @Test
    void dueJobsAreFoundThroughTheDueDateIndex() throws Exception {
        List<String> steps = new CopyOnWriteArrayList<>();
        try (JourneyEngine engine = engine()) {
            long key = deployed(engine, steps, new CopyOnWriteArrayList<>());
            engine.worker("orbita.check-condition", job -> Map.of("branch", "yes"));
            engine.worker("orbita.goal", job -> Map.of());
            engine.worker("orbita.send-message", job -> {
                steps.add(job.variable("profileId") + " " + job.headers().get("messageId"));
                return Map.of();
            });
            for (String p : List.of("ann", "bob", "cid")) {
                start(engine, key, p, Map.of());
            }
            waitFor(() -> steps.containsAll(List.of("ann m1", "bob m1", "cid m1")));
            try (var c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("engine"), "sa", ""); var st = c.createStatement()) {
                try (var rs = st.executeQuery("SELECT count(*), count(DUEDATE_) FROM ACT_RU_JOB")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("the instances wait in timers").isGreaterThanOrEqualTo(3);
                    assertThat(rs.getLong(2)).as("every job has a due date").isEqualTo(rs.getLong(1));
                }
                try (var rs = st.executeQuery("EXPLAIN SELECT RES.ID_ FROM ACT_RU_JOB RES WHERE (RES.RETRIES_ > 0) AND (RES.DUEDATE_ <= NOW())"
                        + " AND (RES.LOCK_OWNER_ IS NULL OR RES.LOCK_EXP_TIME_ < NOW()) AND RES.SUSPENSION_STATE_ = 1 ORDER BY RES.DUEDATE_ LIMIT 32")) {
                    rs.next();
                    assertThat(rs.getString(1)).contains(OperatonEngine.DUE_INDEX);
                }
            }
        }
    }
}
