package org.orbita.audiences;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.orbita.jobs.Job;
import org.orbita.jobs.Jobs;

/** Full recomputes as jobs ("segments"): one database, or one segment of it. */
public final class SegmentJobs {

    public static final String KIND = "segments";

    private final Segments segments;
    private final Jobs jobs;
    private final SegmentReactor reactor;

    public SegmentJobs(Segments segments, Jobs jobs, SegmentReactor reactor) {
        this.segments = segments;
        this.jobs = jobs;
        this.reactor = reactor;
    }

    public Job submit(String workspaceId, String databaseId, String segmentId) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("databaseId", databaseId);
        if (segmentId != null) {
            params.put("segmentId", segmentId);
        }
        return jobs.create(workspaceId, KIND, params);
    }

    public Job run(String jobId) {
        Job job = jobs.save(jobs.get(jobId).running(jobs.clock().instant()));
        String db = (String) job.params().get("databaseId");
        String only = (String) job.params().get("segmentId");
        try {
            Job started = job;
            Segments.Recomputed r;
            // the reactor's lock keeps real-time evaluation from interleaving with the recompute
            synchronized (reactor) {
                r = segments.recompute(db, only == null ? null : Set.of(only), true, n -> {
                    if (jobs.cancelRequested(jobId)) {
                        throw new Cancelled(n);
                    }
                    jobs.save(started.progressed(n, n, 0, n));
                });
            }
            return jobs.save(job.progressed(r.profiles(), r.profiles(), 0, r.profiles()).succeeded(Map.of(
                    "profiles", r.profiles(), "entered", r.entered(), "left", r.left(), "millis", r.millis()), jobs.clock().instant()));
        } catch (Cancelled c) {
            // the profiles evaluated so far keep their memberships; the rest keep theirs from before
            return jobs.save(jobs.get(jobId).cancelled(Map.of("profiles", c.profiles), jobs.clock().instant()));
        } catch (RuntimeException e) {
            return jobs.save(job.failedWith(e.getMessage(), jobs.clock().instant()));
        }
    }

    /** Thrown from the progress callback to stop a recompute someone cancelled. */
    private static final class Cancelled extends RuntimeException {
        private final long profiles;

        Cancelled(long profiles) {
            super("cancelled", null, false, false);
            this.profiles = profiles;
        }
    }
}
