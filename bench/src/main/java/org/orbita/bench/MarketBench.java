package org.orbita.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.orbita.access.Access;
import org.orbita.audiences.SegmentMembers;
import org.orbita.events.EventBus;
import org.orbita.events.store.DuckDbEventLog;
import org.orbita.market.Market;
import org.orbita.market.MarketStore;
import org.orbita.market.Markets;
import org.orbita.market.store.SqlMarketStore;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.ProfileWriting;
import org.orbita.storage.sql.PostgresDatabase;
import org.orbita.storage.sql.SqlDatabase;
import org.orbita.storage.sql.SqliteDatabase;

/**
 * The market, in-process. {@code orders} N [C]: N orders of 3 lines imported through {@link Markets} in
 * batches of 10,000 from C callers at once ({@code file} N: the same orders as a CSV table, uploaded) (buyers by profile id among 100,000 seeded profiles, events to the embedded event
 * log), then the purchase segment over them. {@code stores} N: the market's store alone, N orders
 * written in batches of 10,000 into the embedded SQLite file, PostgreSQL started from the binaries in
 * zonky's jar (with its start time), and the PostgreSQL server on 127.0.0.1:5432 — the two
 * candidates for the embedded default side by side. Run by {@code bench/run market orders|stores [n]}.
 */
public final class MarketBench {

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "orders";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        if (what.equals("stores")) {
            stores(n);
        } else {
            orders(n, args.length > 2 ? Integer.parseInt(args[2]) : 1, what.equals("file"));
        }
    }

    private static List<Market.Order> batch(int from, int size, List<String> profiles, String db, Random rnd) {
        List<Market.Order> out = new ArrayList<>(size);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = from; i < from + size; i++) {
            List<Market.Line> lines = new ArrayList<>(3);
            BigDecimal total = BigDecimal.ZERO;
            for (int k = 1; k <= 3; k++) {
                BigDecimal price = BigDecimal.valueOf(100 + rnd.nextInt(5000));
                BigDecimal qty = BigDecimal.valueOf(1 + rnd.nextInt(3));
                lines.add(new Market.Line(k, "p" + rnd.nextInt(5000), null, null, "c" + rnd.nextInt(50), qty, price, qty.multiply(price)));
                total = total.add(qty.multiply(price));
            }
            out.add(new Market.Order("o" + i, "web", db, profiles.get(rnd.nextInt(profiles.size())), "new", null, "RUB", total,
                    t.plusSeconds(i), t.plusSeconds(i), lines));
        }
        return out;
    }

    private static double write(MarketStore store, int n) {
        Random rnd = new Random(7);
        List<String> profiles = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            profiles.add("p" + i);
        }
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += 10_000) {
            store.putOrders("bench", batch(from, Math.min(10_000, n - from), profiles, "clients", rnd), List.of(), Map.of(), null);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    static void stores(int n) throws Exception {
        Path dir = Files.createTempDirectory("orbita-marketbench");
        try (EmbeddedStores store = EmbeddedStores.open(dir.resolve("orbita.db"))) {
            double s = write(new SqlMarketStore(new SqliteDatabase(store.sqlite())), n);
            System.out.printf("embedded SQLite: %,d orders (3 lines each) in %.1f s = %,.0f orders/s%n", n, s, n / s);
        }
        long t0 = System.nanoTime();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(true).start()) {
            double started = (System.nanoTime() - t0) / 1e9;
            try (PostgresDatabase db = new PostgresDatabase(pg.getJdbcUrl("postgres", "postgres"), "postgres", "", 2)) {
                double s = write(new SqlMarketStore(db), n);
                System.out.printf("PostgreSQL from zonky's jar: started in %.1f s; %,d orders in %.1f s = %,.0f orders/s%n", started, n, s, n / s);
            }
        } catch (Exception e) {
            System.out.printf("PostgreSQL from zonky's jar: did not start (%s: %s)%n", e.getClass().getSimpleName(), e.getMessage());
        }
        String server = System.getProperty("postgres", "jdbc:postgresql://127.0.0.1:5432/test");
        String database = "orbita_marketbench_" + Long.toHexString(System.nanoTime());
        try (Connection c = java.sql.DriverManager.getConnection(server, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        try (PostgresDatabase db = new PostgresDatabase(server.substring(0, server.lastIndexOf('/') + 1) + database, "postgres", "", 2)) {
            double s = write(new SqlMarketStore(db), n);
            System.out.printf("PostgreSQL server on loopback: %,d orders in %.1f s = %,.0f orders/s%n", n, s, n / s);
        } finally {
            try (Connection c = java.sql.DriverManager.getConnection(server, "postgres", ""); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    static void orders(int n, int clients, boolean fromFile) throws Exception {
        Path dir = Files.createTempDirectory("orbita-marketbench");
        Clock clock = Clock.systemUTC();
        try (EmbeddedStores store = EmbeddedStores.open(dir.resolve("orbita.db"));
             EventBus log = new EventBus(new DuckDbEventLog(dir.resolve("events.duckdb")))) {
            ClientDatabases databases = new ClientDatabases(store.settings(), store.profiles(), clock, Access.SYSTEM);
            ClientDatabase db = CampaignBench.database(databases);
            long t0 = System.nanoTime();
            CampaignBench.seed(store, db, 100_000);
            System.out.printf("seeded 100,000 profiles in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            List<String> profiles = new ArrayList<>();
            String after = null;
            for (List<org.orbita.profiles.Profile> page; !(page = store.profiles().page(db.id(), after, 10_000)).isEmpty();
                    after = page.get(page.size() - 1).id()) {
                page.forEach(p -> profiles.add(p.id()));
            }
            // the purchase segment exists before the orders come, and behaviour is kept as the app's segment reactor keeps it:
            // only the event types some segment reads (here order.item; order.created once the RFM segments are built)
            SegmentMembers members = store.members();
            org.orbita.audiences.Segments segments = new org.orbita.audiences.Segments(store.settings(), databases, store.profiles(), members, log,
                    store.recent(), clock, Access.SYSTEM);
            var seg = segments.create("bench", new org.orbita.audiences.SegmentInput(db.id(), "Bought p7 twice", null,
                    new org.orbita.audiences.Condition.Aggregate("order.item", org.orbita.audiences.Condition.Function.SUM, "quantity",
                            List.of(new org.orbita.audiences.Condition.PropertyFilter("product", org.orbita.audiences.Condition.Operator.EQ, "p7")),
                            org.orbita.audiences.Condition.Operator.GTE, 2, null, null)));
            // the app's reactor: the kept events written by its own thread, profiles evaluated in real time (a full recompute when too many wait)
            org.orbita.audiences.SegmentReactor reactor = new org.orbita.audiences.SegmentReactor(segments, databases, store.recent(),
                    store.settings(), log, 100_000, java.time.Duration.ofHours(1), () -> { });
            log.listen("segments", reactor::appended);
            MarketStore marketStore = new SqlMarketStore(new SqliteDatabase(store.sqlite()));
            Markets market = new Markets(marketStore, store.settings(), databases, store.profiles(), new ProfileWriting(store.profiles(), log, clock,
                    Access.SYSTEM), log, Access.SYSTEM, clock);
            market.saveTouchpoint("bench", new Market.Touchpoint("web", "Web", db.id()));
            if (fromFile) {
                // the same orders as a CSV table, a row per line (made first, not timed), imported as an upload is
                Path csv = dir.resolve("orders.csv");
                try (java.io.BufferedWriter w = Files.newBufferedWriter(csv)) {
                    w.write("order,touchpoint,profile_id,status,currency,total,created,status_at,product,category,quantity,price,amount\n");
                    for (int from = 0; from < n; from += 10_000) {
                        for (Market.Order o : batch(from, Math.min(10_000, n - from), profiles, db.id(), new Random(7 + from))) {
                            for (Market.Line l : o.lines()) {
                                w.write(o.id() + ",web," + o.profileId() + ",new,RUB," + o.total().toPlainString() + "," + o.created() + ","
                                        + o.updated() + "," + l.productId() + "," + l.categoryId() + "," + l.quantity().toPlainString() + ","
                                        + l.price().toPlainString() + "," + l.amount().toPlainString() + "\n");
                            }
                        }
                    }
                }
                t0 = System.nanoTime();
                Markets.Report r;
                try (java.io.InputStream in = Files.newInputStream(csv)) {
                    r = market.importOrderFile("bench", "orders.csv", in);
                }
                double s = (System.nanoTime() - t0) / 1e9;
                if (!r.rejected().isEmpty()) {
                    throw new IllegalStateException("refused: " + r.rejected().get(0));
                }
                System.out.printf("import of a CSV file (%,d MB, %,d rows): %,d orders created, acknowledged in %.1f s = %,.0f orders/s"
                        + " (target: 1,000,000 in ≤ 90 s)%n", Files.size(csv) >> 20, 3L * n, r.created(), s, r.created() / s);
            } else {
            t0 = System.nanoTime();
            // the batches of 10,000 sent by `clients` callers at once (a shop's importer with that many connections), each batch
            // made from its own seed so the orders are the same whatever the number of callers
            java.util.concurrent.atomic.AtomicLong made = new java.util.concurrent.atomic.AtomicLong();
            Striped.run(clients, 0, (n + 9_999) / 10_000, k -> {
                int from = k * 10_000;
                List<Markets.OrderInput> in = new ArrayList<>(10_000);
                for (Market.Order o : batch(from, Math.min(10_000, n - from), profiles, db.id(), new Random(7 + from))) {
                    List<Markets.LineInput> lines = o.lines().stream().map(l -> new Markets.LineInput(l.productId(), null, null, l.categoryId(),
                            l.quantity(), l.price(), l.amount())).toList();
                    in.add(new Markets.OrderInput(o.id(), "web", null, new Markets.Customer(o.profileId(), null, null), "new", null, "RUB",
                            o.total(), o.created(), o.updated(), lines));
                }
                Markets.Report r = market.importOrders("bench", in);
                made.addAndGet(r.created());
                if (!r.rejected().isEmpty()) {
                    throw new IllegalStateException("refused: " + r.rejected().get(0));
                }
            });
            long created = made.get();
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("import: %,d orders (3 lines each, %,d events) from %d caller(s) acknowledged in %.1f s = %,.0f orders/s"
                    + " (target: 1,000,000 in ≤ 90 s)%n", created, created * 4L, clients, s, created / s);
            }
            while (reactor.unwritten() > 0) {
                Thread.sleep(10);
            }
            double kept = (System.nanoTime() - t0) / 1e9;
            System.out.printf("  … the order.item events kept for the segment by %.1f s (%d real-time evaluations failed)%n", kept, reactor.failures());
            reactor.close(); // its last full recompute would run beside the one measured next
            // the purchase segment: who bought product p7 at least twice (the order.item events kept for it)
            t0 = System.nanoTime();
            org.orbita.audiences.Segments.Recomputed r = segments.recompute(db.id(), java.util.Set.of(seg.id()), false, p -> { });
            System.out.printf("purchase segment (sum of quantity of product p7 ≥ 2) recomputed over %,d profiles in %.1f s (target ≤ 5 s):"
                    + " %,d members (%,d entered by the recompute; the rest at its creation)%n", r.profiles(), (System.nanoTime() - t0) / 1e9,
                    members.countMembers(seg.id()), r.entered());
            // the built-in RFM segments: thresholds from the orders, then six segments over order.created (kept from the log when built)
            org.orbita.audiences.RfmSegments rfm = new org.orbita.audiences.RfmSegments(segments, marketStore, databases, store.settings(),
                    Access.SYSTEM, clock);
            t0 = System.nanoTime();
            org.orbita.audiences.RfmSegments.Built built = rfm.build("bench", db.id());
            System.out.printf("RFM segments built over %,d buyers in %.1f s (thresholds, the log's order.created kept, six segments computed): %s%n",
                    built.thresholds().buyers(), (System.nanoTime() - t0) / 1e9, built.segments().stream()
                            .map(x -> x.name() + " " + members.countMembers(x.id())).toList());
        }
    }
}
