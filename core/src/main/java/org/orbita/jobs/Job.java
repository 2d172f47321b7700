package org.orbita.jobs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A long piece of work (import, export, copy, segment build, send) with progress, a
 * result and a per-row error report. {@code checkpoint} is the last input row whose
 * effects are committed, so a restarted job resumes after it.
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
        Instant finished) {

    public Job {
        params = params == null ? Map.of() : params;
        result = result == null ? Map.of() : result;
    }

    public Job running(Instant now) {
        return new Job(id, workspaceId, kind, Status.RUNNING, processed, succeeded, failed, checkpoint, params, result, null,
                created, started == null ? now : started, null);
    }

    public Job progressed(long processed, long succeeded, long failed, long checkpoint) {
        return new Job(id, workspaceId, kind, status, processed, succeeded, failed, checkpoint, params, result, error, created,
                started, finished);
    }

    /** The same job with what it has done so far (a running job's totals, kept with its checkpoint). */
    public Job withResult(Map<String, Object> result) {
        return new Job(id, workspaceId, kind, status, processed, succeeded, failed, checkpoint, params, result, error, created, started, finished);
    }

    public Job succeeded(Map<String, Object> result, Instant now) {
        return new Job(id, workspaceId, kind, Status.SUCCEEDED, processed, succeeded, failed, checkpoint, params, result, null,
                created, started, now);
    }

    public Job failedWith(String error, Instant now) {
        return new Job(id, workspaceId, kind, Status.FAILED, processed, succeeded, failed, checkpoint, params, result, error,
                created, started, now);
    }

    public boolean finishedRunning() {
        return status == Status.SUCCEEDED || status == Status.FAILED;
    }

    /** Where a job is in its life. */
    public enum Status {
        QUEUED, RUNNING, SUCCEEDED, FAILED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Status fromId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }
}
