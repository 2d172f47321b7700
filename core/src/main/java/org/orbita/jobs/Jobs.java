package org.orbita.jobs;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;

/** The record of every job: created, progressed, finished. */
public final class Jobs {

    private final Documents<Job> jobs;
    private final Clock clock;

    public Jobs(SettingsStore settings, Clock clock) {
        this.jobs = new Documents<>(settings, "jobs", Job.class, Job::id);
        this.clock = clock;
    }

    public Job create(String workspaceId, String kind, Map<String, Object> params) {
        return jobs.put(Job.queued(Ids.next(), workspaceId, kind, params, clock.instant()));
    }

    /**
     * Saves a job as its runner sees it. A cancel request made meanwhile is kept, and a job
     * already cancelled stays so: the runner learns of it at its next batch.
     */
    public Job save(Job job) {
        return jobs.update(job.id(), stored -> {
            if (stored != null && stored.status() == Job.Status.CANCELLED && !job.finishedRunning()) {
                return stored;
            }
            if (stored != null && stored.cancelRequested() != null && job.cancelRequested() == null) {
                return job.cancelRequestedAt(stored.cancelRequested());
            }
            return job;
        });
    }

    /**
     * Asks a job of the workspace to stop: a queued one is cancelled at once, a running one
     * stops at its next batch, keeping what it committed.
     */
    public Job cancel(String workspaceId, String id) {
        find(id).filter(j -> j.workspaceId().equals(workspaceId)).orElseThrow(() -> new NotFoundException("job", id));
        return jobs.update(id, job -> {
            if (job.finishedRunning()) {
                throw new InvalidInputException("status", job.status().id(), "only a queued or running job can be cancelled");
            }
            Job asked = job.cancelRequestedAt(clock.instant());
            return job.status() == Job.Status.QUEUED ? asked.cancelled(asked.result(), clock.instant()) : asked;
        });
    }

    /** Whether someone asked the job to stop (runners ask at each batch). */
    public boolean cancelRequested(String id) {
        return find(id).map(j -> j.cancelRequested() != null).orElse(true);
    }

    public Optional<Job> find(String id) {
        return jobs.get(id);
    }

    public Job get(String id) {
        return find(id).orElseThrow(() -> new NotFoundException("job", id));
    }

    /** Newest first. */
    public List<Job> list(String workspaceId, int limit) {
        return jobs.list().stream()
                .filter(j -> j.workspaceId().equals(workspaceId))
                .sorted(Comparator.comparing(Job::id).reversed())
                .limit(limit)
                .toList();
    }

    /** Jobs a crash or stop interrupted: to resume at start. */
    public List<Job> unfinished() {
        return jobs.list().stream().filter(j -> !j.finishedRunning()).toList();
    }

    public Clock clock() {
        return clock;
    }
}
