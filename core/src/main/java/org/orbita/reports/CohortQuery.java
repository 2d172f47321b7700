package org.orbita.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.events.EventAggregate;

/**
 * A cohort report's question (N4 cohorts, N5 lifetime value): whose first event of the start
 * types fell in the period makes the cohorts (by day, week or month); the active types count as
 * engagement in each period since; {@code value} of active events sums to revenue.
 */
public record CohortQuery(Instant from, Instant to, String database, Set<String> start, Set<String> active, EventAggregate.Grain grain,
                          int periods) {

    public static final Set<String> DEFAULT_START = Set.of("profile.created");
    public static final Set<String> DEFAULT_ACTIVE = Set.of("message.opened", "message.clicked", "message.converted");

    /** A query from what a request said, each value checked and refused by name; periods default to the grain's usual span. */
    public static CohortQuery of(Instant now, Instant from, Instant to, String database, List<String> start, List<String> active, String grain,
                                 Integer periods) {
        List<FieldError> errors = new ArrayList<>();
        EventAggregate.Grain g = EventAggregate.Grain.WEEK;
        if (grain != null) {
            try {
                g = EventAggregate.Grain.valueOf(grain.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                g = null;
            }
            if (g == null || g == EventAggregate.Grain.HOUR || g == EventAggregate.Grain.YEAR) {
                errors.add(FieldError.of("grain", grain, "one of day, week, month"));
                g = EventAggregate.Grain.WEEK;
            }
        }
        int most = switch (g) {
            case DAY -> 31;
            case WEEK -> 26;
            default -> 24;
        };
        int n = periods == null ? switch (g) {
            case DAY -> 14;
            case WEEK -> 8;
            default -> 6;
        } : periods;
        if (n < 1 || n > most) {
            errors.add(FieldError.of("periods", periods, "1 to " + most + " by " + g.name().toLowerCase(Locale.ROOT)));
        }
        long days = switch (g) {
            case DAY -> 1;
            case WEEK -> 7;
            default -> 31;
        };
        Instant end = to == null ? now : to;
        Instant begin = from == null ? end.minus(Duration.ofDays(days * n)) : from;
        if (!begin.isBefore(end)) {
            errors.add(FieldError.of("from", begin.toString(), "must be before to (" + end + ")"));
        } else if (Duration.between(begin, end).compareTo(ReportQuery.LONGEST) > 0) {
            errors.add(FieldError.of("from", begin.toString(), "cohorts start within at most " + ReportQuery.LONGEST.toDays() + " days"));
        }
        if (database != null && !database.matches("[A-Za-z0-9_.:-]{1,100}")) {
            errors.add(FieldError.of("database", database, "an id: 1 to 100 letters, digits, '.', '_', ':' or '-'"));
        }
        Set<String> starts = types("start", start, DEFAULT_START, errors);
        Set<String> actives = types("active", active, DEFAULT_ACTIVE, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new CohortQuery(begin, end, database, starts, actives, g, n);
    }

    private static Set<String> types(String field, List<String> given, Set<String> otherwise, List<FieldError> errors) {
        if (given == null || given.isEmpty()) {
            return otherwise;
        }
        if (given.size() > 20) {
            errors.add(FieldError.of(field, String.join(",", given), "at most 20 event types"));
        }
        Set<String> out = new LinkedHashSet<>();
        for (String t : given) {
            if (t == null || !t.matches("[A-Za-z0-9_.:-]{1,100}")) {
                errors.add(FieldError.of(field, t, "an event type: 1 to 100 letters, digits, '.', '_', ':' or '-'"));
            } else {
                out.add(t);
            }
        }
        return out;
    }
}
