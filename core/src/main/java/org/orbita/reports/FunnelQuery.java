package org.orbita.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.events.EventFunnel;

/**
 * A funnel report's question (N6): its steps (an event type, and property values its events must
 * have), the period a first step must fall in, the conversion window, the order mode, and a
 * property of the first step to break it down by.
 */
public record FunnelQuery(Instant from, Instant to, String database, List<EventFunnel.Step> steps, Duration window, FunnelWalk.Mode mode,
                          String breakdown) {

    /** The longest conversion window. */
    public static final Duration LONGEST_WINDOW = Duration.ofDays(180);

    /** A step as a request gives it. */
    public record StepInput(String type, Map<String, String> where) {}

    public static FunnelQuery of(Instant now, Instant from, Instant to, String database, List<StepInput> steps, Integer windowHours, String mode,
                                 String breakdown) {
        List<FieldError> errors = new ArrayList<>();
        Instant end = to == null ? now : to;
        Instant begin = from == null ? end.minus(Duration.ofDays(30)) : from;
        if (!begin.isBefore(end)) {
            errors.add(FieldError.of("from", begin.toString(), "must be before to (" + end + ")"));
        } else if (Duration.between(begin, end).compareTo(ReportQuery.LONGEST) > 0) {
            errors.add(FieldError.of("from", begin.toString(), "a funnel's period is at most " + ReportQuery.LONGEST.toDays() + " days"));
        }
        if (database != null && !database.matches("[A-Za-z0-9_.:-]{1,100}")) {
            errors.add(FieldError.of("database", database, "an id: 1 to 100 letters, digits, '.', '_', ':' or '-'"));
        }
        List<EventFunnel.Step> out = new ArrayList<>();
        if (steps == null || steps.size() < 2 || steps.size() > 10) {
            errors.add(FieldError.of("steps", steps == null ? null : steps.size(), "2 to 10 steps"));
        } else {
            for (int i = 0; i < steps.size(); i++) {
                StepInput s = steps.get(i);
                if (s == null || s.type() == null || !s.type().matches("[A-Za-z0-9_.:-]{1,100}")) {
                    errors.add(FieldError.of("steps[" + i + "].type", s == null ? null : s.type(),
                            "an event type: 1 to 100 letters, digits, '.', '_', ':' or '-'"));
                    continue;
                }
                Map<String, String> where = s.where() == null ? Map.of() : s.where();
                boolean ok = true;
                for (Map.Entry<String, String> w : where.entrySet()) {
                    if (w.getKey() == null || !w.getKey().matches("[A-Za-z0-9_]{1,64}")) {
                        errors.add(FieldError.of("steps[" + i + "].where", w.getKey(), "a property name: letters, digits and underscores"));
                        ok = false;
                    } else if (w.getValue() == null || w.getValue().length() > 500) {
                        errors.add(FieldError.of("steps[" + i + "].where." + w.getKey(), w.getValue(), "a value of at most 500 characters"));
                        ok = false;
                    }
                }
                if (ok) {
                    out.add(new EventFunnel.Step(s.type(), where));
                }
            }
        }
        int hours = windowHours == null ? 24 * 7 : windowHours;
        if (hours < 1 || Duration.ofHours(hours).compareTo(LONGEST_WINDOW) > 0) {
            errors.add(FieldError.of("windowHours", windowHours, "1 to " + LONGEST_WINDOW.toHours() + " hours"));
        }
        FunnelWalk.Mode m = FunnelWalk.Mode.ORDERED;
        if (mode != null) {
            try {
                m = FunnelWalk.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of("mode", mode, "one of ordered, strict, any"));
            }
        }
        if (breakdown != null && !breakdown.matches("[A-Za-z0-9_]{1,64}")) {
            errors.add(FieldError.of("breakdown", breakdown, "a property name: letters, digits and underscores"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new FunnelQuery(begin, end, database, List.copyOf(out), Duration.ofHours(hours), m, breakdown);
    }
}
