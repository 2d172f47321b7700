package org.orbita.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the audit log's lines are kept: appended in order, never changed, removed only when
 * older than the retention.
 */
public interface AuditStore {

    /**
     * Appends the line {@code next} makes from the last one (empty for the first), numbered and
     * chained after it; two appends at once never take the same number.
     */
    AuditEntry append(Function<Optional<AuditEntry>, AuditEntry> next);

    /** Lines matching the query, newest first, before {@code query.beforeSeq()} (0: from the newest). */
    List<AuditEntry> find(AuditQuery query, int limit);

    /** Every line after {@code afterSeq} in order, at most {@code limit} (the chain check and exports page through). */
    List<AuditEntry> after(long afterSeq, int limit);

    /** Removes the lines older than {@code before}; how many. */
    long prune(Instant before);
}
