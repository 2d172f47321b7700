package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged application killed with SIGKILL in the middle of an import: after a restart
 * the job resumes after its last committed batch and ends with every row applied once.
 */
class CrashResumeIT {

    static final int ROWS = 120_000;
    Process app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.destroyForcibly();
        }
    }

    private Process start(Path data, int port) throws IOException {
        Path jar;
        try (var files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("orbita-app-.*\\.jar")).findFirst().orElseThrow();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(), "--server.port=" + port,
                "--orbita.demo.enabled=false", "--orbita.queue.embedded-port=" + ApiTestSupport.freePort());
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

    @Test
    void anImportKilledMidwayResumesAndAppliesEveryRowOnce() throws Exception {
        Path data = Files.createTempDirectory("orbita-crash-");
        int port = ApiTestSupport.freePort();
        app = start(data, port);
        assertThat(ApiTestSupport.json(port, "POST", "/api/v1/databases", Map.of("id", "crm", "name", "CRM", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "n", "type", "integer")))).status())
                .isEqualTo(201);
        Path csv = data.resolveSibling(data.getFileName() + ".csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("email,n\n");
            for (int i = 0; i < ROWS; i++) {
                w.write("c" + i + "@x.io," + i + "\n");
            }
        }
        var started = ApiTestSupport.multipart(port, "/api/v1/databases/crm/imports", "c.csv", Files.readAllBytes(csv), Map.of());
        String jobId = started.json().get("id").asText();

        long processedAtKill = 0;
        for (int i = 0; i < 600 && processedAtKill == 0; i++) {
            processedAtKill = ApiTestSupport.json(port, "GET", "/api/v1/jobs/" + jobId, null).json().get("processed").asLong();
            sleep(50);
        }
        app.destroyForcibly().waitFor();
        assertThat(processedAtKill).as("killed after the first batch committed").isGreaterThan(0).isLessThan(ROWS);

        app = start(data, port);
        JsonNode job = null;
        for (int i = 0; i < 1200; i++) {
            job = ApiTestSupport.json(port, "GET", "/api/v1/jobs/" + jobId, null).json();
            if (job.get("status").asText().matches("succeeded|failed")) {
                break;
            }
            sleep(100);
        }
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        assertThat(job.get("processed").asLong()).isEqualTo(ROWS);
        assertThat(job.get("succeeded").asLong()).isEqualTo(ROWS);
        assertThat(job.get("failed").asLong()).isZero();
        assertThat(ApiTestSupport.json(port, "GET", "/api/v1/databases/crm", null).json().get("profiles").asLong()).isEqualTo(ROWS);
        assertThat(ApiTestSupport.json(port, "GET", "/api/v1/databases/crm/profiles?matching=email&value=c" + (ROWS - 1) + "@x.io",
                null).json().at("/fields/n").asLong()).isEqualTo(ROWS - 1);
    }
}
