package org.orbita.jobs;

import java.time.Instant;
import java.util.Optional;

/**
 * Cron schedules as the platform writes them — six fields, {@code second minute hour day month
 * weekday}, in UTC — for regular campaigns, SQL imports, segment syncs and scheduled journey
 * entries: whether an expression is one, and when it next fires.
 */
public interface Schedules {

    boolean valid(String cron);

    /** The next time after {@code after}; empty when never, or when the expression is not valid. */
    Optional<Instant> next(String cron, Instant after);
}
