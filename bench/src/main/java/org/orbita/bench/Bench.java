package org.orbita.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load scenarios against a running Orbita: {@code import ROWS}, {@code events SECONDS},
 * {@code lookup SECONDS}. Base URL and key from ORBITA_URL and ORBITA_KEY.
 */
public final class Bench {

    private static final String URL = System.getenv().getOrDefault("ORBITA_URL", "http://localhost:8080");
    private static final String KEY = System.getenv("ORBITA_KEY");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String DB = "bench";

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || KEY == null) {
            System.err.println("usage: ORBITA_KEY=… Bench import ROWS | events SECONDS | lookup SECONDS | seed PROFILES");
            System.exit(2);
        }
        switch (args[0]) {
            case "import" -> importCsv(args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000);
            case "events" -> events(args.length > 1 ? Integer.parseInt(args[1]) : 60);
            case "lookup" -> lookup(args.length > 1 ? Integer.parseInt(args[1]) : 30);
            case "transactional" -> transactional(args.length > 1 ? Integer.parseInt(args[1]) : 30);
            case "seed" -> seedProfiles(args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
    }

    static HttpResponse<String> send(String method, String path, String contentType, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(URL + path)).timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + KEY);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.method(method, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    static void createDatabase() throws IOException, InterruptedException {
        String schema = """
                {"id":"bench","name":"Benchmark","fields":[
                 {"name":"email","type":"email","unique":true},{"name":"phone","type":"phone","unique":true},
                 {"name":"external_id","type":"string","unique":true},{"name":"first_name","type":"string"},
                 {"name":"last_name","type":"string"},{"name":"city","type":"string"},{"name":"birthday","type":"date"},
                 {"name":"gender","type":"enum","values":["f","m","x"]},{"name":"orders","type":"integer"},
                 {"name":"revenue","type":"decimal"},{"name":"vip","type":"boolean"},{"name":"tags","type":"tags"},
                 {"name":"registered","type":"datetime"},{"name":"source","type":"string"},{"name":"score","type":"integer"}]}""";
        HttpResponse<String> r = send("POST", "/api/v1/databases", "application/json", HttpRequest.BodyPublishers.ofString(schema));
        if (r.statusCode() != 201 && !r.body().contains("already exists")) {
            throw new IllegalStateException("cannot create the database: " + r.body());
        }
    }

    static Path generateCsv(int rows) throws IOException {
        Path file = Path.of("bench", "target", "profiles-" + rows + ".csv");
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(file.getParent());
        Random r = new Random(7);
        String[] cities = {"Moscow", "Kazan", "Omsk", "Tver", "Samara", "Perm", "Sochi"};
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("email,phone,external_id,first_name,last_name,city,birthday,gender,orders,revenue,vip,tags,registered,source,score\n");
            for (int i = 0; i < rows; i++) {
                w.write("user" + i + "@example.com,+7900" + String.format("%07d", i) + ",EXT-" + i + ",Name" + (i % 997)
                        + ",Surname" + (i % 1009) + "," + cities[r.nextInt(cities.length)] + ","
                        + (1950 + r.nextInt(55)) + "-" + String.format("%02d-%02d", 1 + r.nextInt(12), 1 + r.nextInt(28)) + ","
                        + "fmx".charAt(r.nextInt(3)) + "," + r.nextInt(50) + "," + r.nextInt(100000) + "." + r.nextInt(100) + ","
                        + r.nextBoolean() + ",\"sport,travel\"," + "2024-01-" + String.format("%02d", 1 + r.nextInt(28))
                        + "T10:00:00Z,web," + r.nextInt(1000) + "\n");
            }
        }
        return file;
    }

    static void importCsv(int rows) throws Exception {
        createDatabase();
        Path csv = generateCsv(rows);
        System.out.printf(Locale.ROOT, "file: %s (%d MB, %d rows, 15 columns)%n", csv, Files.size(csv) >> 20, rows);
        String boundary = "----bench" + System.nanoTime();
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofString("--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"matching\"\r\n\r\nemail\r\n"
                        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"profiles.csv\"\r\n"
                        + "Content-Type: text/csv\r\n\r\n"),
                HttpRequest.BodyPublishers.ofFile(csv),
                HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"));
        long start = System.nanoTime();
        HttpResponse<String> r = send("POST", "/api/v1/databases/" + DB + "/imports", "multipart/form-data; boundary=" + boundary, body);
        if (r.statusCode() != 202) {
            throw new IllegalStateException("import refused: " + r.body());
        }
        String jobId = field(r.body(), "id");
        double uploaded = (System.nanoTime() - start) / 1e9;
        String status;
        String job;
        do {
            Thread.sleep(1000);
            job = send("GET", "/api/v1/jobs/" + jobId, null, HttpRequest.BodyPublishers.noBody()).body();
            status = field(job, "status");
        } while (!"succeeded".equals(status) && !"failed".equals(status));
        double total = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "import: status=%s upload=%.1fs total=%.1fs rows/s=%.0f processed=%s failed=%s%n", status,
                uploaded, total, rows / total, field(job, "processed"), field(job, "failed"));
    }

    static void seedProfiles(int n) throws Exception {
        createDatabase();
        for (int start = 0; start < n; start += 5000) {
            StringBuilder body = new StringBuilder("{\"matching\":\"email\",\"profiles\":[");
            for (int i = start; i < Math.min(n, start + 5000); i++) {
                body.append(i == start ? "" : ",").append("{\"fields\":{\"email\":\"seed").append(i).append("@example.com\"}}");
            }
            body.append("]}");
            HttpResponse<String> r = send("POST", "/api/v1/databases/" + DB + "/profiles/batch", "application/json",
                    HttpRequest.BodyPublishers.ofString(body.toString()));
            if (r.statusCode() != 200) {
                throw new IllegalStateException(r.body());
            }
        }
    }

    static void events(int seconds) throws Exception {
        int profiles = 10_000;
        seedProfiles(profiles);
        int threads = 4;
        int batch = 1000;
        AtomicLong accepted = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            running.add(pool.submit(() -> {
                Random r = new Random(seed);
                while (System.nanoTime() < end) {
                    StringBuilder body = new StringBuilder("{\"events\":[");
                    for (int i = 0; i < batch; i++) {
                        body.append(i == 0 ? "" : ",").append("{\"database\":\"bench\",\"matching\":\"email\",\"value\":\"seed")
                                .append(r.nextInt(profiles)).append("@example.com\",\"type\":\"page.view\",\"channel\":\"web\","
                                        + "\"properties\":{\"url\":\"/catalog/item-").append(r.nextInt(500)).append("\"}}");
                    }
                    body.append("]}");
                    HttpResponse<String> resp = send("POST", "/api/v1/events/batch", "application/json",
                            HttpRequest.BodyPublishers.ofString(body.toString()));
                    if (resp.statusCode() != 200) {
                        throw new IllegalStateException(resp.body());
                    }
                    accepted.addAndGet(Long.parseLong(field(resp.body(), "accepted")));
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "events: %d accepted in %.1fs = %.0f events/s (%d client threads, %d per batch)%n",
                accepted.get(), elapsed, accepted.get() / elapsed, threads, batch);
    }

    /**
     * Open loop: 200 clients together offer BENCH_RATE requests/s (default 1,000) for the
     * given seconds; latency runs from each request's scheduled start, so a stalled server is
     * not hidden by clients that wait (no coordinated omission).
     */
    static void lookup(int seconds) throws Exception {
        int profiles = 100_000;
        seedProfiles(profiles);
        int clients = 200;
        int rate = Integer.parseInt(System.getenv().getOrDefault("BENCH_RATE", "1000"));
        for (int warm = 0; warm < 2000; warm++) {
            send("GET", "/api/v1/databases/bench/profiles?matching=email&value=seed" + warm + "@example.com", null,
                    HttpRequest.BodyPublishers.noBody());
        }
        long start = System.nanoTime();
        long[] merged = openLoop(clients, rate, seconds, r -> {
            HttpResponse<String> resp = send("GET", "/api/v1/databases/bench/profiles?matching=email&value=seed"
                    + r.nextInt(profiles) + "@example.com", null, HttpRequest.BodyPublishers.noBody());
            return resp.statusCode() == 200 ? null : resp.body();
        });
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "lookup (open loop, %d clients, %d req/s offered): %d requests in %.1fs = %.0f req/s; "
                        + "p50=%.2fms p99=%.2fms p99.9=%.2fms max=%.2fms%n",
                clients, rate, merged.length, elapsed, merged.length / elapsed, merged[merged.length / 2] / 1e6,
                merged[(int) (merged.length * 0.99)] / 1e6, merged[(int) (merged.length * 0.999)] / 1e6,
                merged[merged.length - 1] / 1e6);
    }

    /**
     * Transactional sends through the API: POST /messages/{id}/send for one profile each (the
     * ~20 KB campaign email), an open loop at BENCH_RATE requests/s (100), each call's time from
     * when it was due to its 202 — the message rendered and confirmed on the email queue.
     */
    static void transactional(int seconds) throws Exception {
        createDatabase();
        int profiles = 10_000;
        for (int start = 0; start < profiles; start += 5000) {
            StringBuilder body = new StringBuilder("{\"matching\":\"email\",\"profiles\":[");
            for (int i = start; i < start + 5000; i++) {
                body.append(i == start ? "" : ",").append("{\"fields\":{\"email\":\"tx").append(i)
                        .append("@example.com\"},\"subscriptions\":[{\"channel\":\"email\",\"address\":\"tx").append(i).append("@example.com\"}]}");
            }
            HttpResponse<String> r = send("POST", "/api/v1/databases/" + DB + "/profiles/batch", "application/json",
                    HttpRequest.BodyPublishers.ofString(body.append("]}").toString()));
            if (r.statusCode() != 200) {
                throw new IllegalStateException(r.body());
            }
        }
        HttpResponse<String> m = send("POST", "/api/v1/messages", "application/json", HttpRequest.BodyPublishers.ofString(
                "{\"name\":\"Order\",\"email\":{\"subject\":\"Order {{ data.order }}\",\"fromAddress\":\"shop@shop.example\",\"html\":"
                        + quote(BenchEmail.liquid()) + "}}"));
        if (m.statusCode() != 201) {
            throw new IllegalStateException(m.body());
        }
        String messageId = field(m.body(), "id");
        AtomicLong seq = new AtomicLong();
        IntFunction<HttpResponse<String>> call = profile -> {
            try {
                return send("POST", "/api/v1/messages/" + messageId + "/send", "application/json", HttpRequest.BodyPublishers.ofString(
                        "{\"database\":\"" + DB + "\",\"profile\":\"tx" + profile + "@example.com\",\"matchBy\":\"email\",\"data\":{\"order\":"
                                + seq.incrementAndGet() + "},\"idempotencyKey\":\"order-" + seq.get() + "\"}"));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        for (int warm = 0; warm < 1000; warm++) {
            call.apply(warm % profiles);
        }
        int clients = 20;
        int rate = Integer.parseInt(System.getenv().getOrDefault("BENCH_RATE", "100"));
        long start = System.nanoTime();
        long[] merged = openLoop(clients, rate, seconds, r -> {
            HttpResponse<String> resp = call.apply(r.nextInt(profiles));
            return resp.statusCode() == 202 && resp.body().contains("\"queued\"") ? null : resp.statusCode() + " " + resp.body();
        });
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "transactional (open loop, %d clients, %d req/s offered, ~20 KB email): %d sends in %.1fs = %.0f/s; "
                        + "queued before the reply: p50=%.2fms p99=%.2fms max=%.2fms%n",
                clients, rate, merged.length, elapsed, merged.length / elapsed, merged[merged.length / 2] / 1e6,
                merged[(int) (merged.length * 0.99)] / 1e6, merged[merged.length - 1] / 1e6);
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 64).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** What one call of an open-loop client does; returns whether the answer was right (a wrong one stops the run). */
    @FunctionalInterface
    interface Call {
        String call(Random r) throws Exception;
    }

    /**
     * An open loop: {@code clients} virtual threads, each due every {@code clients / rate} seconds, for
     * {@code seconds}; each call's time counted from when it was due (queueing included). A call
     * that returns non-null stops the run with that message. Returns every latency, sorted.
     */
    static long[] openLoop(int clients, int rate, int seconds, Call call) throws Exception {
        long intervalNanos = 1_000_000_000L * clients / rate;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<long[]>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int seed = c;
            running.add(pool.submit(() -> {
                Random r = new Random(seed);
                long[] latencies = new long[1 << 10];
                int n = 0;
                for (long due = start + intervalNanos * seed / clients; due < end; due += intervalNanos) {
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    String wrong = call.call(r);
                    long took = System.nanoTime() - due;
                    if (wrong != null) {
                        throw new IllegalStateException(wrong);
                    }
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = took;
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : running) {
            all.add(f.get());
        }
        return all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    }
}
