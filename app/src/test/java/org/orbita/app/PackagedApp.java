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

/** The packaged application (the jar {@code ./orbita run} starts) in a process of its own, with a data folder and a port. */
final class PackagedApp {

    private PackagedApp() {}

    /** Starts the jar and waits until it answers its health check; its output goes to a log file beside the data folder. */
    static Process start(Path data, int port, String... extra) throws IOException {
        Path jar;
        try (var files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("orbita-app-.*\\.jar")).findFirst().orElseThrow();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", jar.toString(), "--server.port=" + port,
                "--orbita.demo.enabled=false", "--orbita.queue.embedded-port=" + ApiTestSupport.freePort()));
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("ORBITA_DATA_DIR", data.toString());
        pb.environment().put("ORBITA_ADMIN_PASSWORD", ApiTestSupport.ADMIN_PASSWORD);
        pb.environment().put("ORBITA_ADMIN_API_KEY", ApiTestSupport.ADMIN_KEY);
        pb.redirectErrorStream(true).redirectOutput(data.resolveSibling(data.getFileName() + "-" + port + ".log").toFile());
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return p;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            sleep(300);
        }
        throw new IllegalStateException("the app did not start; see its log beside " + data);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
