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
 * three runs, and the app's peak heap. Beside them, the same channel figures counted by a plain
 * {@code count(*) … GROUP BY channel, type} on the raw table — the floor any report on raw events
 * stands on. Run by {@code bench/run reports [events] [profiles]}.
 */
public final class ReportBench {

    static final Random RND = new Random(7);

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        int profiles = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Path dir = Files.createTempDirectory("orbita-reportbench");
        Instant now = Instant.now();
        Clock clock = Clock.systemUTC();
        try (EmbeddedStores store = EmbeddedStores.open(dir.resolve("orbita.db"));
                DuckDbEventLog log = new DuckDbEventLog(dir.resolve("events.duckdb"))) {
            ClientDatabases databases = new ClientDatabases(store.settings(), store.profiles(), clock, Access.SYSTEM);
            databases.create("bench", "shop", "Shop", new DatabaseSchema(List.of()));
            long t0 = System.nanoTime();
            seed(log, n, profiles, now);
            double seedS = (System.nanoTime() - t0) / 1e9;
            System.out.printf("seeded %,d events for %,d profiles in %.1f s (%,.0f events/s)%n", n, profiles, seedS, n / seedS);
            SegmentBench.resetPeaks();
            Reports reports = new Reports(log, databases, Access.SYSTEM, clock, ws -> ZoneId.of("Europe/Moscow"), (d, ws, id) -> Optional.empty());
            measure("channels, default (30 days by channel)", () -> run(reports, ReportKind.CHANNELS, now, List.of(), null, false));
            measure("channels by day and channel, with the period before", () -> run(reports, ReportKind.CHANNELS, now, List.of("day", "channel"),
                    null, true));
            measure("channels by campaign", () -> run(reports, ReportKind.CHANNELS, now, List.of("campaign"), null, false));
            measure("channels of one campaign by day (filtered)", () -> run(reports, ReportKind.CHANNELS, now, List.of("day"), "c7", false));
            measure("channels by recipient domain", () -> run(reports, ReportKind.CHANNELS, now, List.of("domain"), null, false));
            measure("bounces, default (kind, reason)", () -> run(reports, ReportKind.BOUNCES, now, List.of(), null, false));
            measure("non-delivery, default (channel, reason)", () -> run(reports, ReportKind.NON_DELIVERY, now, List.of(), null, false));
            measure("links, default (link)", () -> run(reports, ReportKind.LINKS, now, List.of(), null, false));
            measure("raw floor: count(*) by channel and type, no properties read", () -> log.aggregate(new EventAggregate(java.util.Set.of("shop"),
                    now.minus(Duration.ofDays(30)), now, java.util.Set.of("message.sent", "message.delivered", "message.opened", "message.clicked",
                    "message.bounced", "message.failed", "message.unsubscribed", "message.complained", "message.converted"), null, Map.of(),
                    java.util.Set.of(), java.util.Set.of(), List.of(new EventAggregate.Channel()), null, 0)).size());
            System.out.printf("peak heap while reporting: %d MB%n", SegmentBench.peakHeapMb());
        }
    }

    private static int run(Reports reports, ReportKind kind, Instant now, List<String> groupBy, String campaign, boolean compare) {
        Report r = reports.run("bench", kind, ReportQuery.of(kind, now, null, null, null, null, campaign, null, null, groupBy, compare));
        return r.rows().size();
    }

    private static void measure(String name, java.util.function.IntSupplier query) {
        long best = Long.MAX_VALUE;
        int rows = 0;
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            rows = query.getAsInt();
            best = Math.min(best, System.nanoTime() - t);
        }
        System.out.printf("%-62s %7.0f ms  (%d rows)%n", name, best / 1e6, rows);
    }

    /** A month of sends: each send is followed, by chance, by its delivery or bounce, opens (a tenth by machines), clicks, a conversion. */
    private static void seed(EventLog log, int n, int profiles, Instant now) {
        String[] domains = new String[20];
        for (int i = 0; i < domains.length; i++) {
            domains[i] = "mail" + i + ".example";
        }
        String[] reasons = {"no-mailbox", "mailbox-full", "blocked", "policy", "dns"};
        List<Event> batch = new ArrayList<>(100_000);
        long month = Duration.ofDays(30).toMillis();
        int made = 0;
        int seq = 0;
        while (made < n) {
            int p = RND.nextInt(profiles);
            String profile = "p" + p;
            String campaign = "c" + RND.nextInt(50);
            String channel = RND.nextInt(10) < 8 ? "email" : RND.nextBoolean() ? "sms" : "push";
            Instant at = now.minusMillis((long) (RND.nextDouble() * month));
            String recipient = profile + "@" + domains[p % domains.length];
            Map<String, Object> base = Map.of("campaign", campaign, "message_id", "m" + campaign, "run", "r" + campaign);
            batch.add(event(++seq, profile, "message.sent", channel, at, with(base, "recipient", recipient)));
            made++;
            if (RND.nextInt(100) < 3) {
                batch.add(event(++seq, profile, channel.equals("email") ? "message.bounced" : "message.failed", channel, at.plusSeconds(30),
                        with(with(with(base, "recipient", recipient), "kind", RND.nextBoolean() ? "hard" : "soft"), "reason", reasons[RND.nextInt(5)])));
                made++;
                continue;
            }
            batch.add(event(++seq, profile, "message.delivered", channel, at.plusSeconds(30), with(base, "recipient", recipient)));
            made++;
            if (RND.nextInt(100) < 30) {
                batch.add(event(++seq, profile, "message.opened", channel, at.plusSeconds(600), with(base, "machine", RND.nextInt(10) == 0)));
                made++;
                if (RND.nextInt(100) < 25) {
                    batch.add(event(++seq, profile, "message.clicked", channel, at.plusSeconds(700),
                            with(with(base, "machine", false), "url", "https://shop.example/p/" + RND.nextInt(12))));
                    made++;
                    if (RND.nextInt(100) < 10) {
                        batch.add(event(++seq, profile, "message.converted", channel, at.plusSeconds(3600), with(base, "value", 10 + RND.nextInt(90))));
                        made++;
                    }
                }
            }
            if (batch.size() >= 100_000) {
                log.append(batch);
                batch.clear();
            }
        }
        log.append(batch);
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
