package org.orbita.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged application (the jar {@code ./orbita run} starts) in a process of its own, with a data folder and a port. */
final class PackagedApp {

    private PackagedApp() {}

    /** Starts the jar and waits until it answers its health check; its output goes to a log file beside the data folder. */
    static Process start(Path data, int port, String... extra) throws IOException {
        return startWith(data, port, Map.of("ORBITA_ADMIN_PASSWORD", ApiTestSupport.ADMIN_PASSWORD,
                "ORBITA_ADMIN_API_KEY", ApiTestSupport.ADMIN_KEY), extra);
    }

    /** Starts the jar with this environment and waits until it answers its health check. */
    static Process startWith(Path data, int port, Map<String, String> env, String... extra) throws IOException {
        Process p = launch(data, port, env, extra);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (healthy(port)) {
                return p;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the app exited with " + p.exitValue() + "; see " + log(data, port) + "; why:\n"
                        + why(log(data, port)));
            }
            sleep(300);
        }
        throw new IllegalStateException("the app did not start; see its log beside " + data);
    }

    /** Starts the jar with the environment given and returns at once (demo database off unless the arguments turn it on). */
    static Process launch(Path data, int port, Map<String, String> env, String... extra) throws IOException {
        Path jar;
        try (var files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("orbita-app-.*\\.jar")).findFirst().orElseThrow();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", jar.toString(), "--server.port=" + port,
                "--orbita.queue.embedded-port=" + ApiTestSupport.freePort(), "--orbita.content.public-port=" + ApiTestSupport.freePort()));
        if (List.of(extra).stream().noneMatch(a -> a.startsWith("--orbita.demo.enabled="))) {
            command.add("--orbita.demo.enabled=false");
        }
        if (List.of(extra).stream().noneMatch(a -> a.startsWith("--orbita.queue.embedded-mta="))) {
            command.add("--orbita.queue.embedded-mta=false");
        }
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("ORBITA_DATA_DIR", data.toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log(data, port).toFile());
        return pb.start();
    }

    /**
     * The lines of a log that say why a start failed (Spring Boot's failure analysis, exceptions
     * and their causes), so a failure on a machine whose files are gone still explains itself.
     */
    static String why(Path log) {
        try (var lines = Files.lines(log)) {
            List<String> said = lines.filter(l -> l.contains("ERROR") || l.contains("Exception") || l.contains("Caused by")
                    || l.startsWith("Description") || l.startsWith("Action") || l.contains("already in use")).toList();
            return String.join("\n", said.subList(Math.max(0, said.size() - 40), said.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(its log could not be read: " + e + ")";
        }
    }

    /** Where the output of the app on this data folder and port goes. */
    static Path log(Path data, int port) {
        return data.resolveSibling(data.getFileName() + "-" + port + ".log");
    }

    static boolean healthy(int port) throws IOException {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
