package org.orbita.jobs;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on a small pool of threads, each kind by its own handler, and resumes the jobs
 * a stop or a crash left unfinished. A failure of the handler itself fails the job with
 * its message; the handler records ordinary outcomes on the job.
 */
public final class JobRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final Jobs jobs;
    private final Map<String, Consumer<String>> handlers;
    private final ExecutorService pool;
    /** Jobs queued or running in this process: a job is never run twice at once. */
    private final Set<String> active = ConcurrentHashMap.newKeySet();

    /** @param handlers job kind → the code that runs (or resumes) a job of that kind by id */
    public JobRunner(Jobs jobs, Map<String, Consumer<String>> handlers, int threads) {
        this.jobs = jobs;
        this.handlers = Map.copyOf(handlers);
        this.pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("orbita-job-", 0).daemon(true).factory());
    }

    /**
     * Queues a job to run; false if it is already queued or running here (the start-up
     * resume and a request made while it runs may both offer the same job).
     */
    public boolean submit(Job job) {
        if (!active.add(job.id())) {
            return false;
        }
        try {
            pool.submit(() -> {
                try {
                    run(job.id());
                } finally {
                    active.remove(job.id());
                }
            });
            return true;
        } catch (RuntimeException e) {
            active.remove(job.id());
            throw e;
        }
    }

    private void run(String jobId) {
        try {
            Job job = jobs.get(jobId);
            if (job.finishedRunning()) {
                return; // cancelled while it waited
            }
            if (job.cancelRequested() != null) {
                jobs.save(job.cancelled(job.result(), jobs.clock().instant()));
                return;
            }
            Consumer<String> handler = handlers.get(job.kind());
            if (handler == null) {
                jobs.save(job.failedWith("no handler for job kind '" + job.kind() + "'", jobs.clock().instant()));
                return;
            }
            handler.accept(jobId);
        } catch (RuntimeException | Error e) {
            // whatever ends a handler ends its job with the reason: a pool would keep an Error to itself, the job "running" forever
            log.error("Job {} failed", jobId, e);
            jobs.find(jobId).ifPresent(j -> jobs.save(j.failedWith("internal error: " + e, jobs.clock().instant())));
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
        }
    }

    /**
     * Queues every job that is not finished; returns how many. A job interrupted twice in a
     * row without getting further (a crash at its start, say, as a workbook that exhausts
     * memory causes) is failed with that reason instead of being started blindly again.
     */
    public int resumeUnfinished() {
        int resumed = 0;
        for (Job job : jobs.unfinished()) {
            if (job.cancelRequested() != null) {
                jobs.save(job.cancelled(job.result(), jobs.clock().instant()));
            } else if (job.interruptedWithoutProgress() && job.starts().stalled() > 0) {
                log.warn("Not resuming {} job {}: interrupted {} times at row {} without progress", job.kind(), job.id(),
                        job.starts().stalled() + 1, job.checkpoint());
                jobs.save(job.failedWith("the server stopped " + (job.starts().stalled() + 1) + " times while this job ran, each time before it got past row "
                        + job.checkpoint() + "; it is not started again, as it may be what stops the server (submit it anew to retry)",
                        jobs.clock().instant()));
            } else {
                if (submit(job)) {
                    log.info("Resuming {} job {} after row {}", job.kind(), job.id(), job.checkpoint());
                    resumed++;
                }
            }
        }
        return resumed;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("Jobs still running at shutdown; they resume at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
