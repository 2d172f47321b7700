package org.orbita.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.orbita.events.Event;
import org.orbita.events.store.ClickHouseEventLog;

/**
 * Ingest into the production event log, ClickHouse with its rollups (materialized views): N events
 * of the reports' seeded month, made first and held in memory, appended in batches of B from T
 * threads (the app's many appenders), into a fresh database dropped afterwards. Needs a ClickHouse
 * server ({@code ORBITA_CLICKHOUSE_URL}, default http://127.0.0.1:8123; {@code bin/start-clickhouse.sh}).
 */
public final class ClickHouseIngestBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        String url = System.getenv().getOrDefault("ORBITA_CLICKHOUSE_URL", "http://127.0.0.1:8123");
        List<List<Event>> batches = new ArrayList<>();
        ReportBench.seed(batches::add, size, n, Math.max(1, n / 10), Instant.now());
        String database = "orbita_bench_" + System.currentTimeMillis();
        HttpClient http = HttpClient.newHttpClient();
        try (ClickHouseEventLog log = new ClickHouseEventLog(url, "default", "", database)) {
            log.append(batches.get(0)); // the schema and the connection warm
            long t0 = System.nanoTime();
            Striped.run(threads, 1, batches.size(), i -> log.append(batches.get(i)));
            double secs = (System.nanoTime() - t0) / 1e9;
            long events = batches.stream().skip(1).mapToLong(List::size).sum();
            String stored = query(http, url, "SELECT count() FROM " + database + ".events").strip();
            System.out.printf("clickhouse ingest: %,d events in batches of %,d from %d threads in %.1f s = %,.0f events/s (%s stored with the first"
                    + " batch)%n", events, size, threads, secs, events / secs, stored);
        } finally {
            query(http, url, "DROP DATABASE IF EXISTS " + database);
        }
    }

    private static String query(HttpClient http, String url, String sql) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/")).POST(HttpRequest.BodyPublishers.ofString(sql)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("ClickHouse answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}
