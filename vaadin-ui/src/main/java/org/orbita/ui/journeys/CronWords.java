package org.orbita.ui.journeys;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import org.springframework.scheduling.support.CronExpression;

/** A six-field cron schedule said as its next runs, in the reader's language (UTC, as the journey clock runs it). */
final class CronWords {

    private CronWords() {}

    /** "Next: Mon 7 Dec 2026, 10:00; …" or what is wrong with the expression. */
    static String nextRuns(String cron, Locale locale, BiFunction<String, Object[], String> words) {
        if (cron == null || cron.isBlank()) {
            return words.apply("journeys.cron.help", new Object[0]);
        }
        try {
            CronExpression e = CronExpression.parse(cron.strip());
            DateTimeFormatter f = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale);
            List<String> next = new ArrayList<>();
            ZonedDateTime t = ZonedDateTime.now(ZoneOffset.UTC);
            for (int i = 0; i < 3; i++) {
                t = e.next(t);
                if (t == null) {
                    break;
                }
                next.add(t.getDayOfWeek().getDisplayName(java.time.format.TextStyle.SHORT, locale) + " " + f.format(t));
            }
            return next.isEmpty() ? words.apply("journeys.cron.never", new Object[0])
                    : words.apply("journeys.cron.next", new Object[] {String.join("; ", next)});
        } catch (IllegalArgumentException ex) {
            return words.apply("journeys.cron.bad", new Object[] {ex.getMessage()});
        }
    }
}
