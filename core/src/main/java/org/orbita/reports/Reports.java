package org.orbita.reports;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.NotFoundException;
import org.orbita.events.EventAggregate;
import org.orbita.events.EventCohorts;
import org.orbita.events.EventFunnel;
import org.orbita.events.EventLog;
import org.orbita.events.EventRollup;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;

/**
 * Reports over the event log: each a pair of aggregates (the rows, and the totals, since people
 * counted in two rows are one person in the total) over the workspace's databases in the
 * caller's sight, the period before beside them when asked. Time buckets are cut in the
 * workspace's time zone (its offset at the period's start). Figures are read from the log as it
 * stands: a report is as of the moment it was asked.
 */
public final class Reports {

    /** The most rows a report gives; past it, the rows with the smallest first figure are left out (and the report says so). */
    public static final int MAX_ROWS = 5_000;

    /** Names of objects a report groups by (campaigns, journeys, messages), for its labels. */
    @FunctionalInterface
    public interface Names {
        Optional<String> of(Dimension dimension, String workspaceId, String id);
    }

    private final EventLog events;
    private final ClientDatabases databases;
    private final Access access;
    private final Clock clock;
    private final Function<String, ZoneId> zoneOf;
    private final Names names;
    private Audiences audiences;

    /** Segments as reports filter by them: a segment's database (when the caller may see it) and its current members. */
    public interface Audiences {
        Optional<String> databaseOf(String workspaceId, String segmentId);

        void members(String segmentId, java.util.function.Consumer<String> each);
    }

    public Reports(EventLog events, ClientDatabases databases, Access access, Clock clock, Function<String, ZoneId> zoneOf, Names names) {
        this.events = events;
        this.databases = databases;
        this.access = access;
        this.clock = clock;
        this.zoneOf = zoneOf;
        this.names = names;
    }

    /** Lets reports be filtered by segment (the platform knows segments; without this a segment filter is refused). */
    public Reports filteringBy(Audiences audiences) {
        this.audiences = audiences;
        return this;
    }

    /** The profiles a query counts: a segment's members, or null for everyone. */
    private EventAggregate.Profiles profilesOf(ReportQuery q) {
        return q.segment() == null ? null : each -> audiences.members(q.segment(), each);
    }

    /** The databases a query reads: those asked and in sight, narrowed to its segment's. */
    private Set<String> databasesOf(String workspaceId, ReportQuery q) {
        Set<String> dbs = databasesOf(workspaceId, q.database());
        if (q.segment() == null) {
            return dbs;
        }
        if (audiences == null) {
            throw new org.orbita.common.InvalidInputException("segment", q.segment(), "reports are not filtered by segment here");
        }
        String db = audiences.databaseOf(workspaceId, q.segment()).filter(x -> access.sees(Resource.SEGMENTS, q.segment()))
                .orElseThrow(() -> new NotFoundException("segment", q.segment()));
        return dbs.contains(db) ? Set.of(db) : Set.of();
    }

    /** The workspace's databases in the caller's sight: the one asked for, or all. */
    private Set<String> databasesOf(String workspaceId, String asked) {
        if (asked != null) {
            ClientDatabase d = databases.resolve(workspaceId, asked).orElseThrow(() -> new NotFoundException("database", asked));
            return Set.of(d.id());
        }
        Set<String> out = new HashSet<>();
        for (ClientDatabase d : databases.listAll()) {
            if (d.workspaceId().equals(workspaceId) && access.sees(Resource.DATABASES, d.id())) {
                out.add(d.id());
            }
        }
        return out;
    }

    public Report run(String workspaceId, ReportKind kind, ReportQuery q) {
        access.require(Resource.REPORTS, Action.READ);
        Instant asOf = clock.instant();
        Set<String> dbs = databasesOf(workspaceId, q);
        EventAggregate.Profiles profiles = profilesOf(q);
        ZoneId zone = Optional.ofNullable(zoneOf.apply(workspaceId)).orElse(ZoneOffset.UTC);
        int offset = zone.getRules().getOffset(q.from()).getTotalSeconds();
        if (dbs.isEmpty()) {
            return new Report(kind, q, kind.metrics(), kind.rates(), List.of(), figures(kind, Map.of()), q.compare() ? figures(kind, Map.of()) : null,
                    false, asOf);
        }
        List<EventAggregate.Row> grouped = events.aggregate(aggregate(kind, q, dbs, q.groupBy(), offset, profiles));
        Map<String, Double> totals = figures(kind, byType(events.aggregate(aggregate(kind, q, dbs, List.of(), offset, profiles))).getOrDefault(List.of(), Map.of()));
        Map<String, Double> previousTotals = null;
        Map<List<String>, Map<String, EventAggregate.Row>> previousRows = Map.of();
        boolean byTime = q.groupBy().stream().anyMatch(Dimension::isTime);
        if (q.compare()) {
            ReportQuery before = q.previous();
            previousTotals = figures(kind, byType(events.aggregate(aggregate(kind, before, dbs, List.of(), offset, profiles))).getOrDefault(List.of(), Map.of()));
            if (!byTime && !q.groupBy().isEmpty()) {
                previousRows = byType(events.aggregate(aggregate(kind, before, dbs, q.groupBy(), offset, profiles)));
            }
        }
        Map<List<String>, Map<String, EventAggregate.Row>> rows = byType(grouped);
        List<Report.Row> out = new ArrayList<>();
        for (Map.Entry<List<String>, Map<String, EventAggregate.Row>> e : rows.entrySet()) {
            List<String> keys = shown(q.groupBy(), e.getKey());
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                Dimension d = q.groupBy().get(i);
                String key = keys.get(i);
                labels.add(key.isEmpty() ? "" : names.of(d, workspaceId, key).orElse(key));
            }
            Map<String, EventAggregate.Row> before = previousRows.get(e.getKey());
            out.add(new Report.Row(keys, labels, figures(kind, e.getValue()), before == null ? (q.compare() && !byTime ? figures(kind, Map.of()) : null)
                    : figures(kind, before)));
        }
        String first = kind.metrics().get(0).id();
        Comparator<Report.Row> order = byTime ? Comparator.comparing(r -> r.keys().get(q.groupBy().indexOf(q.groupBy().stream()
                .filter(Dimension::isTime).findFirst().orElseThrow())))
                : Comparator.comparing((Report.Row r) -> r.values().getOrDefault(first, 0.0)).reversed();
        out.sort(order.thenComparing(r -> String.join("\u0000", r.keys())));
        boolean truncated = out.size() > MAX_ROWS;
        if (truncated) {
            List<Report.Row> kept = new ArrayList<>(out);
            kept.sort(Comparator.comparing((Report.Row r) -> r.values().getOrDefault(first, 0.0)).reversed());
            Set<Report.Row> top = new HashSet<>(kept.subList(0, MAX_ROWS));
            out.removeIf(r -> !top.contains(r));
        }
        return new Report(kind, q, kind.metrics(), kind.rates(), out, totals, previousTotals, truncated, asOf);
    }

    /**
     * Cohorts (N4) and lifetime value (N5) over the databases in the caller's sight: each cohort's
     * size, and per period since its start its active profiles, retention, events, revenue, and
     * cumulative LTV and engaged days per profile. Machines and observers' copies never count.
     */
    public CohortReport cohorts(String workspaceId, CohortQuery q) {
        access.require(Resource.REPORTS, Action.READ);
        Instant asOf = clock.instant();
        Set<String> dbs = databasesOf(workspaceId, q.database());
        if (dbs.isEmpty()) {
            return new CohortReport(q, List.of(), asOf);
        }
        EventCohorts ask = ask(workspaceId, q, dbs);
        Map<Long, Map<Integer, EventCohorts.Cell>> cells = new HashMap<>();
        for (EventCohorts.Cell c : events.cohortCells(ask)) {
            cells.computeIfAbsent(c.cohortMs(), k -> new HashMap<>()).put(c.period(), c);
        }
        List<CohortReport.Cohort> out = new ArrayList<>();
        ZoneId zone = zone(workspaceId);
        List<EventCohorts.Size> sizes = new ArrayList<>(events.cohortSizes(ask));
        sizes.sort(Comparator.comparingLong(EventCohorts.Size::cohortMs));
        for (EventCohorts.Size size : sizes) {
            Map<Integer, EventCohorts.Cell> mine = cells.getOrDefault(size.cohortMs(), Map.of());
            List<CohortReport.Cell> row = new ArrayList<>();
            double revenue = 0;
            long days = 0;
            java.time.ZonedDateTime start = Instant.ofEpochMilli(size.cohortMs()).atZone(zone);
            for (int p = 0; p <= q.periods(); p++) {
                java.time.ZonedDateTime begins = plus(start, q.grain(), p);
                if (begins.toInstant().isAfter(asOf)) {
                    break; // periods yet to come are not shown
                }
                EventCohorts.Cell c = mine.get(p);
                revenue += c == null ? 0 : c.sum();
                days += c == null ? 0 : c.profileDays();
                long active = c == null ? 0 : c.profiles();
                row.add(new CohortReport.Cell(p, active, Rate.percent(active, size.profiles()), c == null ? 0 : c.events(),
                        cents(c == null ? 0 : c.sum()), cents(revenue / size.profiles()), cents((double) days / size.profiles()),
                        !plus(start, q.grain(), p + 1).toInstant().isAfter(asOf)));
            }
            out.add(new CohortReport.Cohort(Instant.ofEpochMilli(size.cohortMs()), size.profiles(), row));
        }
        return new CohortReport(q, out, asOf);
    }

    /** Breakdown values kept apart before the rest count as "(other)". */
    static final int MOST_BREAKDOWN_VALUES = 1000;

    /**
     * A funnel (N6): each profile with a first step in the period walked through the steps
     * ({@link FunnelWalk}, streamed: memory holds counts and one duration per converted profile).
     */
    public FunnelReport funnel(String workspaceId, FunnelQuery q) {
        access.require(Resource.REPORTS, Action.READ);
        Instant asOf = clock.instant();
        int n = q.steps().size();
        long[] reached = new long[n];
        List<org.orbita.common.LongList> durations = new ArrayList<>();
        for (int k = 0; k <= n; k++) {
            durations.add(new org.orbita.common.LongList());
        }
        Map<String, long[]> byValue = new HashMap<>();
        Set<String> dbs = databasesOf(workspaceId, q.database());
        if (!dbs.isEmpty()) {
            walk(q, dbs, (path, r) -> {
                for (int k = 0; k < r.steps(); k++) {
                    reached[k]++;
                }
                if (r.times().length == n) {
                    for (int k = 1; k < r.steps(); k++) {
                        durations.get(k).add(r.times()[k] - r.times()[k - 1]);
                    }
                    if (r.steps() == n) {
                        durations.get(n).add(r.times()[n - 1] - r.times()[0]);
                    }
                }
                if (q.breakdown() != null) {
                    String v = byValue.containsKey(path.breakdown()) || byValue.size() < MOST_BREAKDOWN_VALUES ? path.breakdown() : "(other)";
                    long[] counts = byValue.computeIfAbsent(v, x -> new long[n]);
                    for (int k = 0; k < r.steps(); k++) {
                        counts[k]++;
                    }
                }
            });
        }
        List<FunnelReport.Step> steps = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Long median = k == 0 ? null : durations.get(k).medianOrNull();
            steps.add(new FunnelReport.Step(k + 1, q.steps().get(k).type(), reached[k], Rate.percent(reached[k], reached[0]),
                    k == 0 ? Rate.percent(reached[0], reached[0]) : Rate.percent(reached[k], reached[k - 1]), k == 0 ? 0 : reached[k - 1] - reached[k],
                    median == null ? null : median / 1000));
        }
        Long overall = durations.get(n).medianOrNull();
        List<FunnelReport.Breakdown> breakdown = byValue.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, long[]> e) -> e.getValue()[0]).reversed().thenComparing(Map.Entry::getKey))
                .limit(20).map(e -> new FunnelReport.Breakdown(e.getKey(), java.util.Arrays.stream(e.getValue()).boxed().toList())).toList();
        return new FunnelReport(q, steps, Rate.percent(reached[n - 1], reached[0]), overall == null ? null : overall / 1000, breakdown, asOf);
    }

    /** Streams the profiles that reached step {@code step - 1} but not {@code step} (numbered from 1; step ≥ 2); one database must be named. */
    public void funnelDropOff(String workspaceId, FunnelQuery q, int step, java.util.function.Consumer<String> profileIds) {
        access.require(Resource.REPORTS, Action.READ);
        if (q.database() == null) {
            throw new org.orbita.common.InvalidInputException("database", null, "a segment is made in one database: name it");
        }
        if (step < 2 || step > q.steps().size()) {
            throw new org.orbita.common.InvalidInputException("step", step, "2 to " + q.steps().size() + ": those who reached the step before but not it");
        }
        walk(q, databasesOf(workspaceId, q.database()), (path, r) -> {
            if (r.steps() == step - 1) {
                profileIds.accept(path.profileId());
            }
        });
    }

    private void walk(FunnelQuery q, Set<String> dbs, java.util.function.BiConsumer<EventFunnel.Path, FunnelWalk.Reached> each) {
        EventFunnel f = new EventFunnel(dbs, q.from(), q.to(), q.window(), q.steps(), q.breakdown());
        long window = q.window().toMillis();
        long end = q.to().toEpochMilli();
        events.funnelPaths(f, path -> each.accept(path, FunnelWalk.walk(path, q.steps().size(), window, end, q.mode())));
    }

    private static java.time.ZonedDateTime plus(java.time.ZonedDateTime t, EventAggregate.Grain grain, int n) {
        return switch (grain) {
            case DAY -> t.plusDays(n);
            case WEEK -> t.plusWeeks(n);
            default -> t.plusMonths(n);
        };
    }

    private static double cents(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Streams the profile ids of a cohort (its start as shown), or of its active profiles in one period; one database must be named. */
    public void cohortMembers(String workspaceId, CohortQuery q, Instant cohort, Integer period, java.util.function.Consumer<String> profileIds) {
        access.require(Resource.REPORTS, Action.READ);
        if (q.database() == null) {
            throw new org.orbita.common.InvalidInputException("database", null, "a segment is made in one database: name it");
        }
        events.cohortMembers(ask(workspaceId, q, databasesOf(workspaceId, q.database())), cohort.toEpochMilli(), period, profileIds);
    }

    private EventCohorts ask(String workspaceId, CohortQuery q, Set<String> dbs) {
        int offset = zone(workspaceId).getRules().getOffset(q.from()).getTotalSeconds();
        return new EventCohorts(dbs, q.from(), q.to(), q.start(), q.active(), q.grain(), q.periods(), EventRollup.VALUE, offset);
    }

    private ZoneId zone(String workspaceId) {
        return Optional.ofNullable(zoneOf.apply(workspaceId)).orElse(ZoneOffset.UTC);
    }

    /** The aggregate of a report: its metrics' event types (distinct people of those counted so), the query's filters, observers' copies and (but for hits) machines left out. */
    static EventAggregate aggregate(ReportKind kind, ReportQuery q, Set<String> dbs, List<Dimension> groupBy, int offset,
                                    EventAggregate.Profiles profiles) {
        Set<String> types = new LinkedHashSet<>();
        kind.metrics().stream().filter(m -> m.type() != null).forEach(m -> types.add(m.type()));
        Map<String, String> props = new HashMap<>();
        if (q.campaign() != null) {
            props.put("campaign", q.campaign());
        }
        if (q.journey() != null) {
            props.put("journey", q.journey());
        }
        if (q.message() != null) {
            props.put("message_id", q.message());
        }
        Set<String> people = new LinkedHashSet<>();
        kind.metrics().stream().filter(m -> m.measure() == Metric.Measure.PROFILES).forEach(m -> people.add(m.type()));
        boolean sum = kind.metrics().stream().anyMatch(m -> m.measure() == Metric.Measure.SUM);
        // a report counting hits keeps machines' (the traffic report shows them as their device); the others leave them out
        Set<String> notTrue = kind.metrics().stream().anyMatch(Metric::countsMachines) ? Set.of() : Set.of(EventRollup.MACHINE);
        return new EventAggregate(dbs, q.from(), q.to(), types, people, q.channel(), props, notTrue, Set.of(EventRollup.OBSERVER),
                groupBy.stream().map(Dimension::column).toList(), sum ? "value" : null, offset, profiles);
    }

    /** An aggregate's rows by their keys, then by event type. */
    private static Map<List<String>, Map<String, EventAggregate.Row>> byType(List<EventAggregate.Row> rows) {
        Map<List<String>, Map<String, EventAggregate.Row>> out = new LinkedHashMap<>();
        for (EventAggregate.Row r : rows) {
            out.computeIfAbsent(r.keys(), k -> new HashMap<>()).put(r.type(), r);
        }
        return out;
    }

    /** A group's figures: each metric from its event type's counts, then each rate from two of them. */
    private static Map<String, Double> figures(ReportKind kind, Map<String, EventAggregate.Row> byType) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Metric m : kind.metrics()) {
            EventAggregate.Row r = m.type() == null ? null : byType.get(m.type());
            out.put(m.id(), m.measure() == Metric.Measure.NET ? figure(byType, Metric.SUBSCRIBED) - figure(byType, Metric.LOST_UNSUBSCRIBED)
                    - figure(byType, Metric.LOST_BOUNCED) - figure(byType, Metric.LOST_SUSPENDED) : r == null ? 0.0 : switch (m.measure()) {
                        case EVENTS -> (double) r.events();
                        case PROFILES -> (double) r.profiles();
                        case SUM -> Math.round(r.sum() * 100) / 100.0;
                        case NET -> throw new IllegalStateException("worked out above");
                    });
        }
        for (Rate rate : kind.rates()) {
            out.put(rate.id(), rate.value(out.get(rate.of().id()), out.get(rate.per().id())));
        }
        return out;
    }

    private static double figure(Map<String, EventAggregate.Row> byType, Metric m) {
        EventAggregate.Row r = byType.get(m.type());
        return r == null ? 0 : r.events();
    }

    /** Keys as shown: a time bucket's epoch milliseconds as an ISO instant. */
    private static List<String> shown(List<Dimension> groupBy, List<String> keys) {
        List<String> out = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            out.add(groupBy.get(i).isTime() && !keys.get(i).isEmpty() ? Instant.ofEpochMilli(Long.parseLong(keys.get(i))).toString() : keys.get(i));
        }
        return out;
    }

    /** Asks for {@code reports:export} before a byte of an export is sent, and writes the export in the audit log. */
    public void allowExport(Report r, String format) {
        access.require(Resource.REPORTS, Action.EXPORT);
        access.changed(Resource.REPORTS, Action.EXPORT, r.kind().id(), null, Map.of("report", r.kind().id(),
                "format", org.orbita.tabular.TableExport.checkFormat(format), "from", r.query().from().toString(), "to", r.query().to().toString()));
    }

    /** Writes a report as CSV or XLSX: a column per grouping, then each figure, the totals last. */
    public static void write(Report r, String format, String language, java.io.OutputStream out) throws java.io.IOException {
        String f = org.orbita.tabular.TableExport.checkFormat(format);
        List<List<String>> table = table(r, language);
        org.orbita.tabular.TableExport.write(f, r.kind().id(), table.get(0), out, rows -> {
            for (List<String> line : table.subList(1, table.size())) {
                rows.add(line);
            }
        });
    }

    /** The report as a table for export: a column per grouping (its label), then each figure; the totals last. */
    public static List<List<String>> table(Report r, String language) {
        List<List<String>> out = new ArrayList<>();
        List<String> header = new ArrayList<>(r.query().groupBy().stream().map(Dimension::id).toList());
        r.metrics().forEach(m -> header.add(m.id()));
        r.rates().forEach(x -> header.add(x.id() + " %"));
        out.add(header);
        for (Report.Row row : r.rows()) {
            List<String> line = new ArrayList<>(row.labels());
            row.values().values().forEach(v -> line.add(number(v)));
            out.add(line);
        }
        List<String> total = new ArrayList<>();
        for (int i = 0; i < r.query().groupBy().size(); i++) {
            total.add(i == 0 ? ("ru".equals(language) ? "Итого" : "Total") : "");
        }
        r.totals().values().forEach(v -> total.add(number(v)));
        out.add(total);
        return out;
    }

    private static String number(Double v) {
        return v == null ? "" : v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf(v.longValue()) : String.valueOf(v);
    }
}
