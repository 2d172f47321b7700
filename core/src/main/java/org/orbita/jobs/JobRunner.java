package org.orbita.jobs;

import java.util.Map;
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

    /** @param handlers job kind → the code that runs (or resumes) a job of that kind by id */
    public JobRunner(Jobs jobs, Map<String, Consumer<String>> handlers, int threads) {
        this.jobs = jobs;
        this.handlers = Map.copyOf(handlers);
        this.pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("orbita-job-", 0).daemon(true).factory());
    }

    public void submit(Job job) {
        pool.submit(() -> run(job.id()));
    }

    private void run(String jobId) {
        try {
            Job job = jobs.get(jobId);
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

    /** Queues every job that is not finished; returns how many. */
    public int resumeUnfinished() {
        var unfinished = jobs.unfinished();
        for (Job job : unfinished) {
            log.info("Resuming {} job {} after row {}", job.kind(), job.id(), job.checkpoint());
            submit(job);
        }
        return unfinished.size();
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
