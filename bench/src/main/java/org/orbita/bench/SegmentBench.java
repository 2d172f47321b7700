package org.orbita.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.orbita.access.Access;
import org.orbita.audiences.Condition.Operator;
import org.orbita.audiences.Condition;
import org.orbita.audiences.Segment;
import org.orbita.audiences.SegmentExplorer;
import org.orbita.audiences.SegmentInput;
import org.orbita.audiences.SegmentRules;
import org.orbita.audiences.Segments;
import org.orbita.common.Ids;
import org.orbita.events.Event;
import org.orbita.events.EventBus;
import org.orbita.events.EventLog;
import org.orbita.events.store.DuckDbEventLog;
import org.orbita.profiles.Channel;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileKey;
import org.orbita.profiles.Subscription;

/**
 * The segment engine measured in-process on the embedded stores (SQLite, DuckDB): seeds N
 * profiles with ~5 events each and 100 generated segments, then measures a full recompute,
 * the one-pass-per-segment baseline, the Drools build, real-time re-evaluation latency and
 * throughput, and the builder's live count. Run by {@code bench/run segments [profiles]}.
 */
public final class SegmentBench {

    static final String WS = "bench";
    static final Random RND = new Random(42);
    static final String[] CITIES = {"Moscow", "Kazan", "Samara", "Perm", "Tver", "Omsk", "Sochi", "Ufa", "Tula", "Kirov"};

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("orbita-segbench");
        Clock clock = Clock.systemUTC();
        try (EmbeddedStores store = EmbeddedStores.open(dir.resolve("orbita.db"));
                EventBus log = new EventBus(new DuckDbEventLog(dir.resolve("events.duckdb")))) {
            ClientDatabases databases = new ClientDatabases(store.settings(), store.profiles(), clock, Access.SYSTEM);
            ClientDatabase db = databases.create(WS, "clients", "Clients", schema());
            Segments segments = new Segments(store.settings(), databases, store.profiles(), store.members(), log, store.recent(), clock, Access.SYSTEM);
            SegmentExplorer explorer = new SegmentExplorer(segments, databases, store.profiles(), store.members(), store.recent(), clock);

            long t0 = System.nanoTime();
            long events = seed(store, log, db, n, clock.millis());
            System.out.printf("seeded %,d profiles and %,d events in %.1f s%n", n, events, secs(t0));

            t0 = System.nanoTime();
            List<Segment> made = segments.createMany(WS, definitions(db));
            System.out.printf("created %d segments (checks, Drools build of all buckets, recent behaviour filled from the event log, first computation) in %.1f s%n",
                    made.size(), secs(t0));

            t0 = System.nanoTime();
            long[] count = {0};
            store.profiles().forEach(db.id(), p -> count[0]++);
            System.out.printf("  read every profile: %.1f s%n", secs(t0));
            t0 = System.nanoTime();
            String[] range = {null};
            while (true) {
                List<Profile> page = store.profiles().page(db.id(), range[0], 1000);
                if (page.isEmpty()) {
                    break;
                }
                store.recent().recentOfRange(db.id(), page.get(0).id(), page.get(page.size() - 1).id(), null).values().forEach(l -> count[0] += l.size());
                store.members().segmentsOfRange(db.id(), page.get(0).id(), page.get(page.size() - 1).id());
                range[0] = page.get(page.size() - 1).id();
            }
            System.out.printf("  read every profile, its recent events and memberships by pages: %.1f s%n", secs(t0));

            // Drools alone: a fresh build of the 100 rules, then the rebuild after editing one segment
            List<SegmentRules.Definition> defs = new ArrayList<>();
            made.forEach(s -> defs.add(new SegmentRules.Definition(s.id(), s.version(), s.definition())));
            SegmentRules rules = new SegmentRules();
            t0 = System.nanoTime();
            rules.update(db.schema(), defs);
            double fresh = secs(t0);
            Segment edited = made.get(0);
            defs.set(0, new SegmentRules.Definition(edited.id(), 2,
                    new Condition.Field("city", Operator.EQ, "Kazan", null, null)));
            t0 = System.nanoTime();
            rules.update(db.schema(), defs);
            System.out.printf("DROOLS: build of %d segments in %d KieBases %.1f s; rebuild after editing one %.1f s%n", defs.size(),
                    rules.bucketCount(), fresh, secs(t0));

            resetPeaks();
            t0 = System.nanoTime();
            Segments.Recomputed r = segments.recompute(db.id(), null, true, p -> {});
            double full = secs(t0);
            System.out.printf("FULL RECOMPUTE: %,d profiles x %d segments in %.1f s (%,.0f profiles/s), changes +%d -%d, peak heap %d MB%n",
                    r.profiles(), made.size(), full, r.profiles() / full, r.entered(), r.left(), peakHeapMb());

            int passes = Integer.parseInt(System.getProperty("bench.baselinePasses", "3"));
            t0 = System.nanoTime();
            for (int i = 0; i < passes; i++) {
                segments.recompute(db.id(), Set.of(made.get(i * 7).id()), false, p -> {});
            }
            double perSegment = secs(t0) / passes;
            System.out.printf("BASELINE one pass per segment: %.1f s per segment -> %.0f s for %d segments (measured %d passes)%n",
                    perSegment, perSegment * made.size(), made.size(), passes);

            List<String> ids = new ArrayList<>();
            store.profiles().forEach(db.id(), p -> {
                if (RND.nextInt(50) == 0) {
                    ids.add(p.id());
                }
            });
            // warm-up, then single-profile latency (load profile + events + memberships, Drools, write changes + events)
            for (int i = 0; i < 3000; i++) {
                segments.touched(db.id(), List.of(ids.get(RND.nextInt(ids.size()))));
            }
            int samples = 20_000;
            long[] lat = new long[samples];
            for (int i = 0; i < samples; i++) {
                long s = System.nanoTime();
                segments.touched(db.id(), List.of(ids.get(RND.nextInt(ids.size()))));
                lat[i] = System.nanoTime() - s;
            }
            Arrays.sort(lat);
            System.out.printf("REAL TIME one profile vs %d segments: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n", made.size(),
                    lat[samples / 2] / 1e6, lat[samples * 99 / 100] / 1e6, lat[samples * 999 / 1000] / 1e6, lat[samples - 1] / 1e6);

            // sustained: profiles changed then evaluated in batches, as the reactor drains them
            long done = 0;
            long changes = 0;
            long writing = 0;
            long evaluating = 0;
            t0 = System.nanoTime();
            while (secs(t0) < 20) {
                List<String> batch = new ArrayList<>();
                List<Profile> changed = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    String id = ids.get(RND.nextInt(ids.size()));
                    Profile p = store.profiles().find(db.id(), id).orElseThrow();
                    Map<String, Object> f = new HashMap<>(p.fields());
                    f.put("age", (long) (18 + RND.nextInt(60)));
                    f.put("city", CITIES[RND.nextInt(CITIES.length)]);
                    changed.add(new Profile(p.id(), p.databaseId(), f, p.subscriptions(), p.relations(), p.status(), p.created(),
                            Instant.now(), p.mergedIds()));
                    batch.add(id);
                }
                long w = System.nanoTime();
                store.profiles().inTransaction(() -> {
                    changed.forEach(p -> store.profiles().save(p, Set.of(new ProfileKey("email", (String) p.field("email"))), null));
                    return null;
                });
                long e = System.nanoTime();
                writing += e - w;
                changes += segments.touched(db.id(), batch).size();
                evaluating += System.nanoTime() - e;
                done += batch.size();
            }
            double secs = secs(t0);
            System.out.printf("SUSTAINED: %,.0f profile changes/s written and re-evaluated (%,d membership changes, %,.0f enter/leave events/s)%n",
                    done / secs, changes, changes / secs);
            System.out.printf("  of which writing the profiles %.1f s, evaluating and recording %.1f s (%,.0f profiles/s)%n", writing / 1e9,
                    evaluating / 1e9, done / (evaluating / 1e9));

            Condition live = new Condition.Group(Condition.Match.ALL, List.of(
                    new Condition.Field("city", Operator.IN, null, List.of("Moscow", "Kazan"), null),
                    new Condition.Did("purchase", null, List.of(), 2, null, new Condition.Window(60, null, null))));
            for (long limit : new long[] {n, 200_000, 100_000}) {
                explorer.preview(WS, db.id(), live, limit);
                t0 = System.nanoTime();
                SegmentExplorer.Preview p = explorer.preview(WS, db.id(), live, limit);
                System.out.printf("LIVE COUNT (limit %,d): %,d matched of %,d scanned (%s) in %.2f s%n", limit, p.matched(), p.scanned(),
                        p.exact() ? "exact" : "estimate", secs(t0));
            }
        }
    }

    static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    static long peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }

    static DatabaseSchema schema() {
        return new DatabaseSchema(List.of(
                FieldDefinition.of("email", FieldType.EMAIL).asUnique(),
                FieldDefinition.of("city", FieldType.STRING),
                FieldDefinition.of("age", FieldType.INTEGER),
                FieldDefinition.of("score", FieldType.DECIMAL),
                FieldDefinition.of("vip", FieldType.BOOLEAN),
                FieldDefinition.of("birthday", FieldType.DATE),
                new FieldDefinition("tier", FieldType.ENUM, null, false, false, null, List.of("bronze", "silver", "gold")),
                FieldDefinition.of("tags", FieldType.TAGS)));
    }

    static long seed(EmbeddedStores store, EventLog log, ClientDatabase db, int n, long now) {
        long events = 0;
        LocalDate today = LocalDate.now();
        List<Event> pending = new ArrayList<>();
        for (int start = 0; start < n; start += 5000) {
            List<Profile> batch = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + 5000); i++) {
                Map<String, Object> f = new HashMap<>();
                f.put("email", "c" + i + "@example.com");
                f.put("city", CITIES[RND.nextInt(CITIES.length)]);
                f.put("age", (long) (18 + RND.nextInt(60)));
                f.put("score", BigDecimal.valueOf(RND.nextInt(10000), 2));
                f.put("vip", RND.nextInt(10) == 0);
                f.put("birthday", today.minusDays(6000 + RND.nextInt(20000)).toString());
                f.put("tier", List.of("bronze", "silver", "gold").get(RND.nextInt(3)));
                f.put("tags", RND.nextBoolean() ? List.of("sport") : List.of("music", "travel"));
                Instant created = Instant.ofEpochMilli(now);
                List<Subscription> subs = RND.nextInt(5) > 0
                        ? List.of(new Subscription(Channel.EMAIL, "c" + i + "@example.com", null, null, created)) : List.of();
                Profile p = new Profile(Ids.next(), db.id(), f, subs, List.of(), null, created, created, List.of());
                batch.add(p);
                int k = RND.nextInt(11);
                for (int e = 0; e < k; e++) {
                    String type = e % 3 == 0 ? "purchase" : e % 3 == 1 ? "open" : "click";
                    Map<String, Object> props = type.equals("purchase")
                            ? Map.of("amount", (long) (1 + RND.nextInt(500)), "status", List.of("paid", "new", "cancelled").get(RND.nextInt(3)))
                            : Map.of("campaign", "c" + RND.nextInt(20));
                    pending.add(new Event(Ids.next(), db.id(), p.id(), type, type.equals("purchase") ? null : "email",
                            Instant.ofEpochMilli(now - (long) RND.nextInt(120) * 86_400_000L - RND.nextInt(86_400_000)), props));
                }
            }
            store.profiles().inTransaction(() -> {
                batch.forEach(p -> store.profiles().save(p, Set.of(new ProfileKey("email", (String) p.field("email"))), Set.of()));
                return null;
            });
            if (pending.size() > 100_000) {
                log.append(pending);
                events += pending.size();
                pending.clear();
            }
        }
        log.append(pending);
        return events + pending.size();
    }

    /** 100 segments of the kinds marketers make: fields, behaviour, aggregates, mixes. */
    static List<SegmentInput> definitions(ClientDatabase db) {
        List<SegmentInput> out = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String city = CITIES[i % CITIES.length];
            Condition c = switch (i % 10) {
                case 0, 1 -> new Condition.Field("city", Operator.EQ, city, null, null);
                case 2 -> new Condition.Group(Condition.Match.ALL, List.of(
                        new Condition.Field("age", Operator.BETWEEN, null, List.of(18 + i % 30, 30 + i % 30), null),
                        new Condition.Field("tier", Operator.IN, null, List.of("silver", "gold"), null)));
                case 3 -> new Condition.Field("birthday", Operator.ANNIVERSARY_IN_DAYS, null, null, 1 + i % 14);
                case 4 -> new Condition.Did("purchase", null, List.of(new Condition.PropertyFilter("status", Operator.EQ, "paid")),
                        1 + i % 3, null, new Condition.Window(30 + i % 60, null, null));
                case 5 -> new Condition.Did("open", "email", List.of(), null, 0, new Condition.Window(14 + i % 30, null, null));
                case 6 -> new Condition.Aggregate("purchase", Condition.Function.SUM, "amount", List.of(), Operator.GT, 300 + i * 5, null,
                        new Condition.Window(90, null, null));
                case 7 -> new Condition.Group(Condition.Match.ANY, List.of(
                        new Condition.Field("vip", Operator.EQ, true, null, null),
                        new Condition.Field("tags", Operator.CONTAINS, "sport", null, null),
                        new Condition.Subscribed("email", null, null)));
                case 8 -> new Condition.LastEvent("purchase", List.of(new Condition.PropertyFilter("status", Operator.EQ, "cancelled")), null);
                default -> new Condition.Group(Condition.Match.NONE, List.of(
                        new Condition.Field("city", Operator.EQ, city, null, null),
                        new Condition.Did("click", null, List.of(), 2, null, new Condition.Window(60, null, null))));
            };
            out.add(new SegmentInput(db.id(), "segment " + i, Segment.Kind.DYNAMIC, c));
        }
        return out;
    }
}
