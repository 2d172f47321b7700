package org.orbita.events;

import java.time.Instant;
import java.util.Set;

/**
 * A cohort question to the event log: profiles grouped by when their first event of the
 * {@code start} types came (their cohort: its day, week or month), and, for each period since,
 * how many of them had an event of the {@code active} types — with those events' count, the sum
 * of a numeric property and the profile-days they fill. Machines' opens and clicks and
 * observers' copies never count, as in every report.
 *
 * @param databases the databases whose events count (at least one)
 * @param from      first events from here (inclusive) make the cohorts
 * @param to        … up to here (exclusive)
 * @param start     the types whose first event puts a profile in a cohort ({@code profile.created}; a first order)
 * @param active    the types that count as activity in a period
 * @param grain     DAY, WEEK or MONTH: the cohorts' and periods' length
 * @param periods   periods counted after the first (0 is the cohort's own)
 * @param sumOf     the numeric property summed ({@code value}: revenue), or null
 * @param offsetSeconds the time zone's offset from UTC that days are cut in
 */
public record EventCohorts(Set<String> databases, Instant from, Instant to, Set<String> start, Set<String> active, EventAggregate.Grain grain,
                           int periods, String sumOf, int offsetSeconds) {

    public EventCohorts {
        if (databases.isEmpty() || start.isEmpty() || active.isEmpty()) {
            throw new IllegalArgumentException("cohorts need a database, a start type and an active type");
        }
        if (grain == EventAggregate.Grain.HOUR || grain == EventAggregate.Grain.YEAR) {
            throw new IllegalArgumentException("cohorts are by day, week or month");
        }
        if (periods < 0 || periods > 60) {
            throw new IllegalArgumentException("0 to 60 periods");
        }
        if (sumOf != null && !sumOf.matches("[A-Za-z0-9_]{1,64}")) {
            throw new IllegalArgumentException("a property name is letters, digits and underscores, not " + sumOf);
        }
        databases = Set.copyOf(databases);
        start = Set.copyOf(start);
        active = Set.copyOf(active);
    }

    /** The moment activity stops counting: the last cohort's last period's end, at the latest (a month is taken as 31 days). */
    public Instant activityEnd() {
        long days = switch (grain) {
            case DAY -> 1;
            case WEEK -> 7;
            default -> 31;
        };
        return to.plusSeconds(86_400L * days * (periods + 1));
    }

    /** A cohort's size: the profiles whose first start event fell in it. */
    public record Size(long cohortMs, long profiles) {}

    /** One cell: a cohort (its bucket's start, epoch ms) in a period since, and what its profiles did then. */
    public record Cell(long cohortMs, int period, long profiles, long events, double sum, long profileDays) {}
}
