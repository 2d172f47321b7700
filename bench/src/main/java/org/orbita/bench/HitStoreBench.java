package org.orbita.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.orbita.events.Event;
import org.orbita.events.store.DuckDbEventLog;

/**
 * The reference for {@code bench/run hits}: the embedded event log alone, one page view per
 * append from {@code threads} threads (as many appends at once as the endpoint's connections),
 * with the same properties a hit carries — what the collection endpoint adds on top is HTTP, JSON
 * and the checks.
 */
public final class HitStoreBench {

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path dir = Files.createTempDirectory("orbita-hit-store");
        try (DuckDbEventLog log = new DuckDbEventLog(dir.resolve("events.duckdb"))) {
            AtomicLong n = new AtomicLong();
            long end = System.currentTimeMillis() + seconds * 1000L;
            ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Object>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                runs.add(pool.submit(() -> {
                    while (System.currentTimeMillis() < end) {
                        long i = n.incrementAndGet();
                        Map<String, Object> props = new java.util.LinkedHashMap<>();
                        props.put("url", "https://bench.example/p/" + (i % 50));
                        props.put("host", "bench.example");
                        props.put("path", "/p/" + (i % 50));
                        props.put("title", "Page");
                        props.put("site", "site1");
                        props.put("visitor", "bench-visitor-" + (i % 10_000));
                        props.put("device", "desktop");
                        props.put("os", "Linux");
                        props.put("browser", "Chrome");
                        props.put("language", "en");
                        props.put("screen", "1280x800");
                        props.put("ip", "127.0.0.0");
                        long t0 = System.nanoTime();
                        log.append(List.of(new Event(UUID.randomUUID().toString(), "bench", Event.visitorKey("bench-visitor-" + (i % 10_000)),
                                "site.page_view", "web", Instant.now(), props)));
                        micros.add((System.nanoTime() - t0) / 1000);
                    }
                    return null;
                }));
            }
            for (Future<Object> f : runs) {
                f.get(); // a failed append ends the run with its reason
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
            long[] l = micros.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("event log alone, %d threads: %.0f appends/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms%n", threads,
                    l.length / (double) seconds, l[l.length / 2] / 1000.0, l[(int) (l.length * 0.99)] / 1000.0, l[(int) (l.length * 0.999)] / 1000.0);
        }
    }
}
