package org.orbita.jobs;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orbita.common.Ids;
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
        return jobs.put(new Job(Ids.next(), workspaceId, kind, Job.Status.QUEUED, 0, 0, 0, 0, params, null, null,
                clock.instant(), null, null));
    }

    public Job save(Job job) {
        return jobs.put(job);
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
