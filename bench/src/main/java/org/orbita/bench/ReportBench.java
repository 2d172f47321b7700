package org.orbita.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.orbita.access.Access;
import org.orbita.events.Event;
import org.orbita.events.EventAggregate;
import org.orbita.events.EventLog;
import org.orbita.events.store.DuckDbEventLog;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.reports.Report;
import org.orbita.reports.ReportKind;
import org.orbita.reports.ReportQuery;
import org.orbita.reports.Reports;

/**
 * The reports measured in-process on the embedded event log (DuckDB): seeds N events of a
 * month of campaigns (sends, deliveries, opens — some by machines — clicks, bounces, conversions)
 * for P profiles, then times each report's default view and filtered views, each the best of
 * three runs, read from the rollups and again from the raw events, and the app's peak heap.
 * Beside them, the same channel figures counted by a plain {@code count(*) … GROUP BY channel,
 * type} on the raw table — the floor any report on raw events stands on. Run by
 * {@code bench/run reports [events] [profiles]}.
 */
public final class ReportBench {

    static final Random RND = new Random(7);

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        int profiles = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        // -Dkeep=DIR: seed into DIR once and read it again on later runs (views compared across builds without reseeding)
        String keep = System.getProperty("keep");
        Path dir = keep == null ? Files.createTempDirectory("orbita-reportbench") : Files.createDirectories(Path.of(keep));
        boolean seeded = keep != null && Files.exists(dir.resolve("seeded-at"));
        Instant now = seeded ? Instant.parse(Files.readString(dir.resolve("seeded-at")).strip()) : Instant.now();
        Clock clock = Clock.systemUTC();
        try (EmbeddedStores store = EmbeddedStores.open(dir.resolve("orbita.db"));
                DuckDbEventLog log = new DuckDbEventLog(dir.resolve("events.duckdb"))) {
            ClientDatabases databases = new ClientDatabases(store.settings(), store.profiles(), clock, Access.SYSTEM);
            if (!seeded) {
                databases.create("bench", "shop", "Shop", new DatabaseSchema(List.of()));
                long t0 = System.nanoTime();
                seed(log, n, profiles, now);
                double seedS = (System.nanoTime() - t0) / 1e9;
                System.out.printf("seeded %,d events for %,d profiles in batches of 1,000 in %.1f s: %,.0f events/s, the rollups kept in the same"
                        + " transactions%n", n, profiles, seedS, n / seedS);
                if (keep != null) {
                    Files.writeString(dir.resolve("seeded-at"), now.toString());
                }
            } else {
                System.out.println("the log seeded at " + now + " in " + dir + " read again");
            }
            SegmentBench.resetPeaks();
            Reports rolled = new Reports(log, databases, Access.SYSTEM, clock, ws -> ZoneId.of("Europe/Moscow"), (d, ws, id) -> Optional.empty());
            Reports raw = new Reports(new RawOnly(log), databases, Access.SYSTEM, clock, ws -> ZoneId.of("Europe/Moscow"),
                    (d, ws, id) -> Optional.empty());
            System.out.printf("%-58s %10s %10s %8s%n", "view", "rollups", "raw", "raw ÷");
            view("channels, default (30 days by channel)", rolled, raw, r -> run(r, ReportKind.CHANNELS, now, List.of(), null, false));
            view("channels by day and channel, with the period before", rolled, raw,
                    r -> run(r, ReportKind.CHANNELS, now, List.of("day", "channel"), null, true));
            view("channels by campaign", rolled, raw, r -> run(r, ReportKind.CHANNELS, now, List.of("campaign"), null, false));
            view("channels of one campaign by hour (filtered)", rolled, raw, r -> run(r, ReportKind.CHANNELS, now, List.of("hour"), "c7", false));
            view("channels by recipient domain", rolled, raw, r -> run(r, ReportKind.CHANNELS, now, List.of("domain"), null, false));
            view("bounces, default (kind, reason)", rolled, raw, r -> run(r, ReportKind.BOUNCES, now, List.of(), null, false));
            view("non-delivery, default (channel, reason)", rolled, raw, r -> run(r, ReportKind.NON_DELIVERY, now, List.of(), null, false));
            view("links, default (link)", rolled, raw, r -> run(r, ReportKind.LINKS, now, List.of(), null, false));
            if (wanted("cohorts")) {
            long cohorts = best(() -> rolled.cohorts("bench", org.orbita.reports.CohortQuery.of(now, null, null, null, List.of("message.sent"),
                    List.of("message.opened", "message.clicked", "message.converted"), "week", 4)).cohorts().size());
            System.out.printf("%-58s %7.0f ms%n", "cohorts: first send by week, 4 weeks of opens, clicks, conversions", cohorts / 1e6);
            }
            if (wanted("funnel")) {
            long funnel = best(() -> rolled.funnel("bench", org.orbita.reports.FunnelQuery.of(now, null, null, null, List.of(
                    new org.orbita.reports.FunnelQuery.StepInput("message.sent", null), new org.orbita.reports.FunnelQuery.StepInput("message.opened", null),
                    new org.orbita.reports.FunnelQuery.StepInput("message.clicked", null),
                    new org.orbita.reports.FunnelQuery.StepInput("message.converted", null)), null, null, null)).steps().size());
            System.out.printf("%-58s %7.0f ms%n", "funnel: sent, opened, clicked, converted (30 days, a week)", funnel / 1e6);
            }
            if (wanted("growth")) {
            long growth = best(() -> run(rolled, ReportKind.GROWTH, now, List.of(), null, false).rows().size());
            System.out.printf("%-58s %7.0f ms%n", "growth, default (day, source)", growth / 1e6);
            }
            long floor = best(() -> log.aggregate(new EventAggregate(java.util.Set.of("shop"), now.minus(Duration.ofDays(30)), now,
                    java.util.Set.of("message.sent", "message.delivered", "message.opened", "message.clicked", "message.bounced", "message.failed",
                            "message.unsubscribed", "message.complained", "message.converted"), java.util.Set.of(), null, Map.of(),
                    java.util.Set.of(), java.util.Set.of(), List.of(new EventAggregate.Channel()), null, 0), false).size());
            System.out.printf("%-58s %10s %7.0f ms%n", "raw floor: count(*) by channel and type, no properties read", "", floor / 1e6);
            System.out.printf("peak heap while reporting: %d MB%n", SegmentBench.peakHeapMb());
        }
    }

    /** The event log read without its rollups: every aggregate from the raw events. */
    private record RawOnly(EventLog log) implements EventLog {
        @Override
        public void append(List<Event> events) {
            log.append(events);
        }

        @Override
        public List<Event> history(org.orbita.events.HistoryQuery query) {
            return log.history(query);
        }

        @Override
        public void scan(String databaseId, Instant since, java.util.Set<String> types, java.util.function.Consumer<Event> action) {
            log.scan(databaseId, since, types, action);
        }

        @Override
        public Map<String, long[]> tally(String databaseId, Map<String, Object> properties, java.util.Set<String> types, boolean byChannel) {
            return log.tally(databaseId, properties, types, byChannel);
        }

        @Override
        public List<EventAggregate.Row> aggregate(EventAggregate aggregate, boolean rollups) {
            return log.aggregate(aggregate, false);
        }

        @Override
        public List<org.orbita.events.EventCohorts.Size> cohortSizes(org.orbita.events.EventCohorts cohorts) {
            return log.cohortSizes(cohorts);
        }

        @Override
        public List<org.orbita.events.EventCohorts.Cell> cohortCells(org.orbita.events.EventCohorts cohorts) {
            return log.cohortCells(cohorts);
        }

        @Override
        public void cohortMembers(org.orbita.events.EventCohorts cohorts, long cohortMs, Integer period, java.util.function.Consumer<String> ids) {
            log.cohortMembers(cohorts, cohortMs, period, ids);
        }

        @Override
        public void funnelPaths(org.orbita.events.EventFunnel funnel, java.util.function.Consumer<org.orbita.events.EventFunnel.Path> each) {
            log.funnelPaths(funnel, each);
        }

        @Override
        public java.util.Set<String> existing(String databaseId, java.util.Collection<String> ids, java.time.Instant from,
                                              java.time.Instant to) {
            return log.existing(databaseId, ids, from, to);
        }

        @Override
        public long count(String databaseId) {
            return log.count(databaseId);
        }

        @Override
        public void close() {
            log.close();
        }
    }

    private static Report run(Reports reports, ReportKind kind, Instant now, List<String> groupBy, String campaign, boolean compare) {
        return reports.run("bench", kind, ReportQuery.of(kind, now, null, null, null, null, campaign, null, null, groupBy, compare));
    }

    /** One view with the rollups and from the raw events: each the best of three; the two reports must agree. */
    /** -Donly=word,word: only the views whose names start with one of them. */
    private static boolean wanted(String name) {
        String only = System.getProperty("only");
        return only == null || java.util.Arrays.stream(only.split(",")).anyMatch(name::startsWith);
    }

    private static void view(String name, Reports rolled, Reports raw, java.util.function.Function<Reports, Report> query) {
        if (!wanted(name)) {
            return;
        }
        Report x = query.apply(rolled);
        Report y = query.apply(raw);
        if (!x.totals().equals(y.totals()) || x.rows().size() != y.rows().size()) {
            throw new IllegalStateException(name + ": the rollups gave " + x.totals() + " in " + x.rows().size() + " rows, the raw events "
                    + y.totals() + " in " + y.rows().size());
        }
        long a = best(() -> query.apply(rolled).rows().size());
        long b = best(() -> query.apply(raw).rows().size());
        System.out.printf("%-58s %7.0f ms %7.0f ms %7.1f×%n", name, a / 1e6, b / 1e6, (double) b / a);
    }

    private static long best(java.util.function.IntSupplier query) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            query.getAsInt();
            best = Math.min(best, System.nanoTime() - t);
        }
        return best;
    }

    /**
     * A month of campaigns as they happen: 50 campaigns (4 in 5 by email), each sent in a
     * burst of two hours to random profiles at addresses spread over 2,000 domains (a few large,
     * a long tail); then deliveries or bounces within minutes, opens over the following days (a
     * tenth by machines), clicks, conversions — appended in batches of 1,000, as ingest does.
     */
    private static void seed(EventLog log, int n, int profiles, Instant now) {
        seed(log::append, 1000, n, profiles, now);
    }

    /** The same month, handed over in batches of {@code size} (copies: the consumer may keep them). */
    static void seed(java.util.function.Consumer<List<Event>> log, int size, int n, int profiles, Instant now) {
        String[] reasons = {"no-mailbox", "mailbox-full", "blocked", "policy", "dns"};
        int campaigns = 50;
        int perCampaign = n / campaigns;
        long month = Duration.ofDays(30).toMillis();
        List<Event> batch = new ArrayList<>(1000);
        int seq = 0;
        for (int c = 0; c < campaigns; c++) {
            String campaign = "c" + c;
            String channel = c % 5 == 4 ? (c % 10 == 4 ? "sms" : "push") : "email";
            Instant start = now.minusMillis(month - month * c / campaigns);
            Map<String, Object> base = Map.of("campaign", campaign, "message_id", "m" + campaign, "run", "r" + campaign);
            int made = 0;
            while (made < perCampaign) {
                int p = RND.nextInt(profiles);
                String profile = "p" + p;
                Instant at = start.plusMillis((long) (RND.nextDouble() * 7_200_000));
                // a Zipf-like spread: the first domains take most addresses
                String recipient = profile + "@mail" + (int) Math.floor(Math.pow(2000, RND.nextDouble())) + ".example";
                List<Event> send = new ArrayList<>(5);
                send.add(event(++seq, profile, "message.sent", channel, at, with(base, "recipient", recipient)));
                if (RND.nextInt(100) < 3) {
                    send.add(event(++seq, profile, channel.equals("email") ? "message.bounced" : "message.failed", channel, at.plusSeconds(30),
                            with(with(with(base, "recipient", recipient), "kind", RND.nextBoolean() ? "hard" : "soft"), "reason",
                                    reasons[RND.nextInt(5)])));
                } else {
                    send.add(event(++seq, profile, "message.delivered", channel, at.plusSeconds(30 + RND.nextInt(300)), with(base, "recipient",
                            recipient)));
                    if (RND.nextInt(100) < 30) {
                        Instant opened = at.plusSeconds((long) (-Math.log(1 - RND.nextDouble()) * 8 * 3600));
                        send.add(event(++seq, profile, "message.opened", channel, opened, with(base, "machine", RND.nextInt(10) == 0)));
                        if (RND.nextInt(100) < 25) {
                            send.add(event(++seq, profile, "message.clicked", channel, opened.plusSeconds(60 + RND.nextInt(600)),
                                    with(with(base, "machine", false), "url", "https://shop.example/p/" + RND.nextInt(12))));
                            if (RND.nextInt(100) < 10) {
                                send.add(event(++seq, profile, "message.converted", channel, opened.plusSeconds(3600), with(base, "value",
                                        10 + RND.nextInt(90))));
                            }
                        }
                    }
                }
                for (Event e : send) {
                    if (e.time().isBefore(now)) {
                        batch.add(e);
                        made++;
                    }
                }
                if (batch.size() >= size) {
                    log.accept(List.copyOf(batch));
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            log.accept(List.copyOf(batch));
        }
    }

    private static Map<String, Object> with(Map<String, Object> m, String k, Object v) {
        Map<String, Object> out = new HashMap<>(m);
        out.put(k, v);
        return out;
    }

    private static Event event(int seq, String profile, String type, String channel, Instant at, Map<String, Object> props) {
        return new Event("e" + seq, "shop", profile, type, channel, at, props);
    }
}
