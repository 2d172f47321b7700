package org.orbita.jobs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A long piece of work (import, export, copy, segment build, send) with progress, a
 * result and a per-row error report. {@code checkpoint} is the last input row whose
 * effects are committed, so a restarted job resumes after it. {@code cancelRequested}
 * is when someone asked it to stop; {@code starts} counts its starts and where the last
 * one began, so a job that stops the server before it gets anywhere is not started again
 * and again.
 */
public record Job(
        String id,
        String workspaceId,
        String kind,
        Status status,
        long processed,
        long succeeded,
        long failed,
        long checkpoint,
        Map<String, Object> params,
        Map<String, Object> result,
        String error,
        Instant created,
        Instant started,
        Instant finished,
        Instant cancelRequested,
        Starts starts) {

    public Job {
        params = params == null ? Map.of() : params;
        result = result == null ? Map.of() : result;
        starts = starts == null ? Starts.NONE : starts;
    }

    /** A new job, queued. */
    public static Job queued(String id, String workspaceId, String kind, Map<String, Object> params, Instant now) {
        return new Job(id, workspaceId, kind, Status.QUEUED, 0, 0, 0, 0, params, null, null, now, null, null, null, null);
    }

    /**
     * The job (re)started now. A job found running was interrupted (a stop or a crash): if it
     * had got no further than where that start began, the start is counted as stalled.
     */
    public Job running(Instant now) {
        boolean interrupted = status == Status.RUNNING;
        int stalled = interrupted && !starts.progressedTo(processed, checkpoint) ? starts.stalled() + 1 : 0;
        return new Job(id, workspaceId, kind, Status.RUNNING, processed, succeeded, failed, checkpoint, params, result, null,
                created, started == null ? now : started, null, cancelRequested, new Starts(starts.count() + 1, stalled, processed, checkpoint));
    }

    /** Whether the job was interrupted without getting past where its last start began. */
    public boolean interruptedWithoutProgress() {
        return status == Status.RUNNING && starts.count() > 0 && !starts.progressedTo(processed, checkpoint);
    }

    public Job progressed(long processed, long succeeded, long failed, long checkpoint) {
        return new Job(id, workspaceId, kind, status, processed, succeeded, failed, checkpoint, params, result, error, created,
                started, finished, cancelRequested, starts);
    }

    /** The same job with what it has done so far (a running job's totals, kept with its checkpoint). */
    public Job withResult(Map<String, Object> result) {
        return new Job(id, workspaceId, kind, status, processed, succeeded, failed, checkpoint, params, result, error, created, started,
                finished, cancelRequested, starts);
    }

    public Job succeeded(Map<String, Object> result, Instant now) {
        return new Job(id, workspaceId, kind, Status.SUCCEEDED, processed, succeeded, failed, checkpoint, params, result, null,
                created, started, now, cancelRequested, starts);
    }

    public Job failedWith(String error, Instant now) {
        return new Job(id, workspaceId, kind, Status.FAILED, processed, succeeded, failed, checkpoint, params, result, error,
                created, started, now, cancelRequested, starts);
    }

    /** Asked to stop: a queued job stops at once, a running one at its next batch. */
    public Job cancelRequestedAt(Instant now) {
        return new Job(id, workspaceId, kind, status, processed, succeeded, failed, checkpoint, params, result, error, created, started,
                finished, cancelRequested == null ? now : cancelRequested, starts);
    }

    /** Stopped as asked, with what it had done. */
    public Job cancelled(Map<String, Object> result, Instant now) {
        return new Job(id, workspaceId, kind, Status.CANCELLED, processed, succeeded, failed, checkpoint, params, result, null,
                created, started, now, cancelRequested == null ? now : cancelRequested, starts);
    }

    public boolean finishedRunning() {
        return status == Status.SUCCEEDED || status == Status.FAILED || status == Status.CANCELLED;
    }

    /** Where a job is in its life. */
    public enum Status {
        QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Status fromId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * How often a job was started, how many starts in a row were interrupted without getting
     * further than where they began, and where the last start began.
     */
    public record Starts(int count, int stalled, long processed, long checkpoint) {
        static final Starts NONE = new Starts(0, 0, 0, 0);

        boolean progressedTo(long processedNow, long checkpointNow) {
            return processedNow > processed || checkpointNow > checkpoint;
        }
    }
}
