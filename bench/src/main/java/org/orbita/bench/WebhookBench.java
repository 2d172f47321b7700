package org.orbita.bench;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.orbita.access.Access;
import org.orbita.events.Event;
import org.orbita.events.EventBus;
import org.orbita.events.store.DuckDbEventLog;
import org.orbita.outbound.NetworkGuard;
import org.orbita.profiles.ClientDatabases;
import org.orbita.storage.sql.SqliteDatabase;
import org.orbita.webhooks.WebhookSender;
import org.orbita.webhooks.Webhooks;
import org.orbita.webhooks.store.SqlWebhookStore;

/**
 * Webhooks for any event on the embedded stores, in-process: N events appended through the bus in
 * batches of 1,000 with no webhook, with a webhook wanting other events, then with one wanting every
 * event (the outbox's cost on the append); then the outbox drained to a receiver on loopback by the app's sender on
 * {@code workers} threads, beside the floor: the same bodies POSTed by the same HTTP client on as
 * many threads with no outbox. Run by {@code bench/run webhooks [events] [workers]}.
 */
public final class WebhookBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path dir = Files.createTempDirectory("orbita-webhookbench");
        AtomicLong received = new AtomicLong();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        receiver.setExecutor(Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon().factory()));
        receiver.createContext("/in", x -> {
            x.getRequestBody().readAllBytes();
            received.incrementAndGet();
            byte[] ok = {'o', 'k'};
            x.sendResponseHeaders(200, ok.length);
            x.getResponseBody().write(ok);
            x.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/in";
        Clock clock = Clock.systemUTC();
        try (EmbeddedStores store = EmbeddedStores.open(dir.resolve("orbita.db"));
             EventBus bus = new EventBus(new DuckDbEventLog(dir.resolve("events.duckdb")))) {
            ClientDatabases databases = new ClientDatabases(store.settings(), store.profiles(), clock, Access.SYSTEM);
            databases.create("ws", "shop", "Shop", null);
            Webhooks webhooks = new Webhooks(store.settings(), new SqlWebhookStore(new SqliteDatabase(store.sqlite())), databases,
                    new WebhookSender(NetworkGuard.open(), Duration.ofSeconds(10)), Access.SYSTEM, clock, Webhooks.Policy.defaults());
            bus.listen("webhooks-outbox", webhooks::appended);

            double none = append(bus, n, "a");
            System.out.printf("append, no webhook:           %,9.0f events/s%n", n / none);
            String orders = webhooks.create("ws", new Webhooks.Input("orders", url, List.of("order.*"), List.of(), null, null, null)).webhook().id();
            double other = append(bus, n, "c");
            System.out.printf("append, a webhook wants others: %,9.0f events/s (%.2f× the time without)%n", n / other, other / none);
            webhooks.delete("ws", orders);
            webhooks.create("ws", new Webhooks.Input("bench", url, List.of("*"), List.of(), null, null, null));
            double one = append(bus, n, "b");
            System.out.printf("append, one webhook wants all: %,9.0f events/s (%.2f× the time without)%n", n / one, one / none);

            ExecutorService pool = Executors.newFixedThreadPool(workers, Thread.ofPlatform().daemon().factory());
            long t0 = System.nanoTime();
            int calls = 0;
            // until nothing is owed (a call the receiver dropped is tried again 5 s later, as in the app)
            while (webhooks.list("ws").get(0).deliveries().get("pending") > 0) {
                int made = webhooks.deliverDue(pool);
                calls += made;
                if (made == 0) {
                    Thread.sleep(200);
                }
            }
            double drain = (System.nanoTime() - t0) / 1e9;
            System.out.printf("outbox drained:                %,9.0f calls/s (%,d calls, %d workers, receiver heard %,d)%n", calls / drain, calls,
                    workers, received.get());

            // the floor: the same number of POSTs by the JDK's client on as many threads, no outbox, no signing
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            String body = "{\"type\":\"page.viewed\",\"timestamp\":\"" + Instant.now() + "\",\"data\":{\"eventId\":\"x\",\"database\":\"shop\","
                    + "\"profileId\":\"p1\",\"channel\":null,\"properties\":{\"url\":\"https://shop.example/p/1\"}}}";
            t0 = System.nanoTime();
            List<Future<?>> all = new ArrayList<>();
            int each = calls / workers;
            AtomicLong dropped = new AtomicLong();
            for (int w = 0; w < workers; w++) {
                all.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        try {
                            http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        } catch (java.io.IOException e) {
                            dropped.incrementAndGet(); // the JDK's test server drops a kept-alive connection now and then
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
            double raw = (System.nanoTime() - t0) / 1e9;
            System.out.printf("floor (raw POSTs):             %,9.0f calls/s (%d dropped by the receiver) → the outbox sends at %.2f× the floor%n",
                    each * workers / raw, dropped.get(), (calls / drain) / (each * workers / raw));
            pool.shutdownNow();
        } finally {
            receiver.stop(0);
            ((ExecutorService) receiver.getExecutor()).shutdownNow();
        }
    }

    private static double append(EventBus bus, int n, String prefix) {
        long t0 = System.nanoTime();
        List<Event> batch = new ArrayList<>(1000);
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            batch.add(new Event(prefix + i, "shop", "p" + (i % 10_000), "page.viewed", null, now, Map.of("url", "https://shop.example/p/" + i)));
            if (batch.size() == 1000) {
                bus.append(batch);
                batch = new ArrayList<>(1000);
            }
        }
        bus.append(batch);
        return (System.nanoTime() - t0) / 1e9;
    }
}
