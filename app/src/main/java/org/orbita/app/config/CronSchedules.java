package org.orbita.app.config;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.orbita.jobs.Schedules;
import org.springframework.scheduling.support.CronExpression;

/** Cron schedules read by Spring's {@link CronExpression}, in UTC. */
final class CronSchedules implements Schedules {

    @Override
    public boolean valid(String cron) {
        return CronExpression.isValidExpression(cron);
    }

    @Override
    public Optional<Instant> next(String cron, Instant after) {
        try {
            ZonedDateTime next = CronExpression.parse(cron).next(after.atZone(ZoneOffset.UTC));
            return Optional.ofNullable(next).map(ZonedDateTime::toInstant);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
