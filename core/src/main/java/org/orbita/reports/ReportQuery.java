package org.orbita.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.events.EventRollup;

/**
 * What a report is asked for: its period (the last 30 days unless given; whole half hours, its
 * edges moved out to them, so that rollups answer it), filters (a database by
 * the id its workspace knows it by, a channel, a campaign, a journey, a message; null: all), up to
 * three groupings, whether to put the period before beside it, and a segment whose current members'
 * events alone count ({@link #inSegment}).
 */
public record ReportQuery(Instant from, Instant to, String database, String channel, String campaign, String journey, String message,
                          List<Dimension> groupBy, boolean compare, String segment) {

    /** The longest period a report covers. */
    public static final Duration LONGEST = Duration.ofDays(732);
    /** The longest period grouped by the hour. */
    public static final Duration LONGEST_BY_HOUR = Duration.ofDays(31);

    /** A query from what a request said, each value checked and refused by name; {@code groupBy} as ids ({@code day,channel}). */
    public static ReportQuery of(ReportKind kind, Instant now, Instant from, Instant to, String database, String channel, String campaign,
                                 String journey, String message, List<String> groupBy, boolean compare) {
        List<FieldError> errors = new ArrayList<>();
        Instant end = edge(to == null ? now : to, true);
        Instant start = edge(from == null ? end.minus(Duration.ofDays(30)) : from, false);
        if (!start.isBefore(end)) {
            errors.add(FieldError.of("from", start.toString(), "must be before to (" + end + ")"));
        } else if (Duration.between(start, end).compareTo(LONGEST) > 0) {
            errors.add(FieldError.of("from", start.toString(), "a report covers at most " + LONGEST.toDays() + " days"));
        }
        token("channel", channel, errors);
        token("campaign", campaign, errors);
        token("journey", journey, errors);
        token("message", message, errors);
        token("database", database, errors);
        List<Dimension> groups = new ArrayList<>();
        List<String> asked = groupBy == null || groupBy.isEmpty() ? kind.defaultGroups().stream().map(Dimension::id).toList() : groupBy;
        if (asked.size() > 3) {
            errors.add(FieldError.of("groupBy", String.join(",", asked), "at most three groupings"));
        }
        for (String id : asked) {
            Dimension d = Dimension.find(id).orElse(null);
            if (d == null || !kind.groups().contains(d)) {
                errors.add(FieldError.of("groupBy", id, "the " + kind.id() + " report groups by "
                        + kind.groups().stream().map(Dimension::id).toList()));
            } else if (groups.contains(d)) {
                errors.add(FieldError.of("groupBy", id, "is named twice"));
            } else {
                groups.add(d);
            }
        }
        if (groups.stream().filter(Dimension::isTime).count() > 1) {
            errors.add(FieldError.of("groupBy", String.join(",", asked), "one time grouping at most"));
        }
        if (groups.contains(Dimension.HOUR) && start.isBefore(end) && Duration.between(start, end).compareTo(LONGEST_BY_HOUR) > 0) {
            errors.add(FieldError.of("groupBy", "hour", "by the hour, a period of at most " + LONGEST_BY_HOUR.toDays() + " days"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new ReportQuery(start, end, database, channel, campaign, journey, message, List.copyOf(groups), compare, null);
    }

    /** A period's edge moved out to a half hour (the rollups' bucket): back for its start, forward for its end. */
    private static Instant edge(Instant t, boolean end) {
        long b = EventRollup.BUCKET_MS;
        long ms = t.toEpochMilli();
        long floor = Math.floorDiv(ms, b) * b;
        return Instant.ofEpochMilli(end && floor != ms ? floor + b : floor);
    }

    private static void token(String field, String value, List<FieldError> errors) {
        if (value != null && !value.matches("[A-Za-z0-9_.:-]{1,100}")) {
            errors.add(FieldError.of(field, value, "an id: 1 to 100 letters, digits, '.', '_', ':' or '-'"));
        }
    }

    /** The same query counting only the events of a segment's current members (null: everyone); the id checked as the others. */
    public ReportQuery inSegment(String segmentId) {
        List<FieldError> errors = new ArrayList<>();
        token("segment", segmentId, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new ReportQuery(from, to, database, channel, campaign, journey, message, groupBy, compare, segmentId);
    }

    /** The period of the same length just before this one. */
    public ReportQuery previous() {
        Duration length = Duration.between(from, to);
        return new ReportQuery(from.minus(length), from, database, channel, campaign, journey, message, groupBy, false, segment);
    }
}
