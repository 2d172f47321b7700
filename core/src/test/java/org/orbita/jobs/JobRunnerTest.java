package org.orbita.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.settings.store.SqliteSettings;
import org.orbita.storage.sqlite.SqliteConnections;

class JobRunnerTest {

    @TempDir
    Path dir;

    @Test
    void whateverEndsAHandlerEndsItsJobWithTheReason() throws Exception {
        try (SqliteConnections sqlite = new SqliteConnections(dir.resolve("orbita.db"), false)) {
            Jobs jobs = new Jobs(new SqliteSettings(sqlite), Clock.systemUTC());
            try (JobRunner runner = new JobRunner(jobs, Map.<String, Consumer<String>>of(
                    "broken", id -> {
                        throw new NoClassDefFoundError("org/drools/Missing");
                    }), 1)) {
                Job job = jobs.create("ws", "broken", Map.of());
                runner.submit(job);
                for (int i = 0; i < 100 && !jobs.get(job.id()).finishedRunning(); i++) {
                    Thread.sleep(20);
                }
                Job done = jobs.get(job.id());
                assertThat(done.status()).isEqualTo(Job.Status.FAILED);
                assertThat(done.error()).contains("NoClassDefFoundError").contains("org/drools/Missing");
            }
        }
    }

    @Test
    void aJobInterruptedTwiceWithoutProgressIsFailedWithTheReasonInsteadOfStartedAgain() throws Exception {
        try (SqliteConnections sqlite = new SqliteConnections(dir.resolve("orbita.db"), false)) {
            Jobs jobs = new Jobs(new SqliteSettings(sqlite), Clock.systemUTC());
            AtomicInteger starts = new AtomicInteger();
            // a handler that starts its job and then "dies" with the server: the job stays running
            Map<String, Consumer<String>> dies = Map.of("import", id -> {
                starts.incrementAndGet();
                jobs.save(jobs.get(id).running(jobs.clock().instant()));
            });
            Job poison = jobs.create("ws", "import", Map.of());
            Job healthy = jobs.create("ws", "import", Map.of());
            jobs.save(jobs.get(poison.id()).running(jobs.clock().instant()));
            jobs.save(jobs.get(healthy.id()).running(jobs.clock().instant()));

            // first restart: both resume (a stop during a start is no proof of anything)
            try (JobRunner runner = new JobRunner(jobs, dies, 1)) {
                assertThat(runner.resumeUnfinished()).isEqualTo(2);
                awaitStarts(starts, 2);
            }
            // the healthy job got further before the next stop; the poison one did not
            Job h = jobs.get(healthy.id());
            jobs.save(h.progressed(5000, 5000, 0, 5000));

            try (JobRunner runner = new JobRunner(jobs, dies, 1)) {
                assertThat(runner.resumeUnfinished()).isEqualTo(1);
                awaitStarts(starts, 3);
            }
            Job failed = jobs.get(poison.id());
            assertThat(failed.status()).isEqualTo(Job.Status.FAILED);
            assertThat(failed.error()).contains("stopped 2 times").contains("not started again");
            assertThat(jobs.get(healthy.id()).status()).isEqualTo(Job.Status.RUNNING);
            assertThat(jobs.get(healthy.id()).starts().count()).isEqualTo(3);
        }
    }

    private static void awaitStarts(AtomicInteger starts, int expected) throws InterruptedException {
        for (int i = 0; i < 200 && starts.get() < expected; i++) {
            Thread.sleep(10);
        }
        assertThat(starts.get()).isEqualTo(expected);
    }

    @Test
    void aQueuedJobCancelledNeverRunsAndAFinishedOneCannotBeCancelled() throws Exception {
        try (SqliteConnections sqlite = new SqliteConnections(dir.resolve("orbita.db"), false)) {
            Jobs jobs = new Jobs(new SqliteSettings(sqlite), Clock.systemUTC());
            AtomicInteger ran = new AtomicInteger();
            try (JobRunner runner = new JobRunner(jobs, Map.of("import", id -> ran.incrementAndGet()), 1)) {
                Job job = jobs.create("ws", "import", Map.of());
                assertThatThrownBy(() -> jobs.cancel("other", job.id())).isInstanceOf(NotFoundException.class);
                Job cancelled = jobs.cancel("ws", job.id());
                assertThat(cancelled.status()).isEqualTo(Job.Status.CANCELLED);
                runner.submit(cancelled);
                runner.resumeUnfinished();
                Thread.sleep(100);
                assertThat(ran.get()).isZero();
                assertThatThrownBy(() -> jobs.cancel("ws", job.id())).isInstanceOf(InvalidInputException.class)
                        .hasMessageContaining("only a queued or running job can be cancelled");
            }
            // a running job keeps a cancel request through its own saves, made from the copy it holds
            Job running = jobs.save(jobs.create("ws", "import", Map.of()).running(jobs.clock().instant()));
            jobs.cancel("ws", running.id());
            Job saved = jobs.save(running.progressed(10, 10, 0, 10));
            assertThat(saved.cancelRequested()).isNotNull();
            assertThat(jobs.cancelRequested(running.id())).isTrue();
        }
    }

    /**
     * A job submitted while the start-up resume runs (the web server answers before the
     * application is ready) was run twice at once, each run writing the same rows.
     */
    @Test
    void aJobSubmittedTwiceRunsOnce() throws Exception {
        try (SqliteConnections sqlite = new SqliteConnections(dir.resolve("orbita.db"), false)) {
            Jobs jobs = new Jobs(new SqliteSettings(sqlite), Clock.systemUTC());
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            Map<String, Consumer<String>> slow = Map.of("import", id -> {
                runs.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                jobs.save(jobs.get(id).succeeded(Map.of(), jobs.clock().instant()));
            });
            Job job = jobs.create("ws", "import", Map.of());
            try (JobRunner runner = new JobRunner(jobs, slow, 2)) {
                runner.submit(job);
                assertThat(runner.resumeUnfinished()).as("the queued job is already on its way").isZero();
                runner.submit(job);
                for (int i = 0; i < 100 && runs.get() == 0; i++) {
                    Thread.sleep(20);
                }
                Thread.sleep(200);
                release.countDown();
                for (int i = 0; i < 100 && !jobs.get(job.id()).finishedRunning(); i++) {
                    Thread.sleep(20);
                }
            }
            assertThat(runs.get()).isEqualTo(1);
            assertThat(jobs.get(job.id()).status()).isEqualTo(Job.Status.SUCCEEDED);
        }
    }

    /**
     * An import's writer saves the job's progress inside its store transaction; a cancel
     * request (or another job's save) arriving meanwhile waited for that transaction while
     * holding the lock the writer needed next: both stopped for good.
     */
    @Test
    void savingAJobInsideATransactionWhileAnotherThreadSavesDoesNotDeadlock() throws Exception {
        // not closed when the threads deadlock: closing would wait for them forever
        SqliteConnections sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        Jobs jobs = new Jobs(new SqliteSettings(sqlite), Clock.systemUTC());
        Job job = jobs.save(jobs.create("ws", "import", Map.of()).running(jobs.clock().instant()));
        ExecutorService threads = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon(true).factory());
        CountDownLatch inTransaction = new CountDownLatch(1);
        Thread[] canceller = new Thread[1];
        Future<?> writer = threads.submit(() -> sqlite.inTransaction(() -> {
            inTransaction.countDown();
            // wait until the other thread is blocked on the store, then save as the import's writer does
            for (int i = 0; i < 500 && (canceller[0] == null || canceller[0].getState() != Thread.State.WAITING); i++) {
                sleep(10);
            }
            return jobs.save(jobs.get(job.id()).progressed(5_000, 5_000, 0, 5_001));
        }));
        Future<?> cancel = threads.submit(() -> {
            canceller[0] = Thread.currentThread();
            await(inTransaction);
            return jobs.cancel("ws", job.id());
        });
        try {
            writer.get(20, TimeUnit.SECONDS);
            cancel.get(20, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the two saves wait for each other", e);
        }
        threads.shutdown();
        Job saved = jobs.get(job.id());
        assertThat(saved.processed()).isEqualTo(5_000);
        assertThat(saved.cancelRequested()).isNotNull();
        sqlite.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
