package org.orbita.reports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;

/**
 * Reports one keeps to open again: a kind with its filters and groupings, and a period either
 * rolling ({@code days}: the last N days, as of when it is opened) or fixed ({@code from}, {@code to}).
 * Each person sees their own (a key, its own); at most {@value #MOST} each.
 */
public final class SavedReports {

    /** How many saved reports one person keeps. */
    public static final int MOST = 100;

    /** A saved report; {@code days} or {@code from}/{@code to} set the period; {@code segment}: only its members' events (its members when opened). */
    public record Saved(String id, String workspaceId, String ownerId, String name, String kind, Integer days, Instant from, Instant to,
                        String database, String channel, String campaign, String journey, String message, List<String> groupBy,
                        boolean compare, Instant created, String segment) {

        /** The query it stands for, as of {@code now}. */
        public ReportQuery query(Instant now) {
            ReportKind k = ReportKind.find(kind).orElseThrow(() -> new NotFoundException("report", kind));
            Instant end = days != null ? now : to;
            Instant start = days != null ? now.minus(Duration.ofDays(days)) : from;
            return ReportQuery.of(k, now, start, end, database, channel, campaign, journey, message, groupBy, compare).inSegment(segment);
        }
    }

    private final Documents<Saved> store;
    private final Access access;
    private final Clock clock;

    public SavedReports(SettingsStore settings, Access access, Clock clock) {
        this.store = new Documents<>(settings, "saved_reports", Saved.class, Saved::id);
        this.access = access;
        this.clock = clock;
    }

    public List<Saved> mine(String workspaceId) {
        access.require(Resource.REPORTS, Action.READ);
        String me = access.actor().id();
        return store.list().stream().filter(s -> s.workspaceId().equals(workspaceId) && s.ownerId().equals(me))
                .sorted(Comparator.comparing(Saved::name, String.CASE_INSENSITIVE_ORDER)).toList();
    }

    /** Keeps a report under a name (one's own names are unique); its query is checked as a request's would be. */
    public Saved save(String workspaceId, String name, String kind, Integer days, Instant from, Instant to, String database, String channel,
                      String campaign, String journey, String message, List<String> groupBy, boolean compare, String segment) {
        access.require(Resource.REPORTS, Action.READ);
        List<FieldError> errors = new ArrayList<>();
        String shown = name == null ? "" : name.strip();
        if (shown.isEmpty() || shown.length() > 100) {
            errors.add(FieldError.of("name", name, "1 to 100 characters"));
        }
        if (ReportKind.find(kind).isEmpty()) {
            errors.add(FieldError.of("kind", kind, "one of " + java.util.Arrays.stream(ReportKind.values()).map(ReportKind::id).toList()));
        }
        if (days != null && (from != null || to != null)) {
            errors.add(FieldError.of("days", String.valueOf(days), "either days (a rolling period) or from and to (a fixed one)"));
        } else if (days != null && (days < 1 || days > ReportQuery.LONGEST.toDays())) {
            errors.add(FieldError.of("days", String.valueOf(days), "1 to " + ReportQuery.LONGEST.toDays()));
        } else if (days == null && (from == null || to == null)) {
            errors.add(FieldError.of("days", null, "name the period: days (the last N days) or from and to"));
        }
        List<Saved> mine = mine(workspaceId);
        if (mine.stream().anyMatch(s -> s.name().equalsIgnoreCase(shown))) {
            errors.add(FieldError.of("name", name, "you have a saved report with this name"));
        }
        if (mine.size() >= MOST) {
            errors.add(FieldError.of("name", name, "at most " + MOST + " saved reports each: delete one first"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Saved s = new Saved(Ids.next(), workspaceId, access.actor().id(), shown, kind, days, from, to, database, channel, campaign, journey,
                message, groupBy == null ? List.of() : List.copyOf(groupBy), compare, clock.instant(), segment);
        s.query(clock.instant()); // the filters and groupings checked now, not when it is opened
        return store.put(s);
    }

    public Saved get(String workspaceId, String id) {
        access.require(Resource.REPORTS, Action.READ);
        String me = access.actor().id();
        return store.get(id).filter(s -> s.workspaceId().equals(workspaceId) && s.ownerId().equals(me))
                .orElseThrow(() -> new NotFoundException("saved report", id));
    }

    public void delete(String workspaceId, String id) {
        get(workspaceId, id);
        store.delete(id);
    }
}
