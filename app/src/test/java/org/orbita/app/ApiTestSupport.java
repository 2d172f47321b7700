package org.orbita.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
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
import org.springframework.test.context.DynamicPropertyRegistry;

/** A running Orbita on a random port with its own data folder, called over real HTTP. */
public final class ApiTestSupport {

    /** A fixed admin key so tests can call the API (valid shape: orb_ + 32 hex + _ + 43 base64url). */
    public static final String ADMIN_KEY = "orb_0123456789abcdef0123456789abcdef_" + "A".repeat(43);
    public static final String ADMIN_PASSWORD = "test-password-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiTestSupport() {}

    public static void properties(DynamicPropertyRegistry registry, boolean demo) throws IOException {
        Path dir = Files.createTempDirectory("orbita-test-");
        registry.add("orbita.data-dir", dir::toString);
        registry.add("orbita.admin.password", () -> ADMIN_PASSWORD);
        registry.add("orbita.admin.api-key", () -> ADMIN_KEY);
        registry.add("orbita.demo.enabled", () -> demo);
        registry.add("orbita.demo.profiles", () -> 20);
        registry.add("orbita.queue.embedded-port", () -> freePort());
        // no mail sender node in the test's process (its ports would clash between contexts); the tests that need one start it
        registry.add("orbita.queue.embedded-mta", () -> false);
        // the recipients' origin (links in messages) on a port of its own, as in production
        int publicPort = freePort();
        registry.add("orbita.content.public-port", () -> publicPort);
        registry.add("orbita.content.public-url", () -> "http://localhost:" + publicPort);
    }

    /** Waits up to 30 s for a condition, failing the test when it does not come. */
    public static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 600 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        org.assertj.core.api.Assertions.assertThat(condition.getAsBoolean()).as("within 30 s").isTrue();
    }

    /** A campaign's mail as the mail sender would take it from the email queue (the envelope read), added to {@code into}. */
    public static org.orbita.queues.SendQueue.Consumer campaignMail(org.orbita.queues.SendQueue queue, String campaignId, List<JsonNode> into) {
        return queue.consume("orbita.email", 100, m -> {
            JsonNode j = org.orbita.sending.EmailEnvelope.read(m.body());
            if (j.at("/headers/X-Orbita-Campaign").asText().equals(campaignId)) {
                into.add(j);
            }
        });
    }

    static int freePort() {
        return org.orbita.testing.FreePorts.next();
    }

    /** A response: status, content type and body as JSON (or text). */
    public record Reply(int status, String contentType, String body, Map<String, List<String>> headers) {
        /** The first value of a header (names without case), or null. */
        public String header(String name) {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(h -> h.getValue().get(0)).orElse(null);
        }

        public String location() {
            return header("Location");
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /**
     * A request to the app; a link path ({@code /t/…}) asked of the app's port follows its 308 to
     * the recipients' origin, as a browser would.
     */
    public static Reply send(int port, String method, String path, String key, String contentType, byte[] body) {
        Reply reply = send(URI.create("http://localhost:" + port + path), method, key, contentType, body);
        if (reply.status() == 308 && path.startsWith("/t/")) {
            return send(URI.create(reply.location()), method, key, contentType, body);
        }
        return reply;
    }

    /** A request to an address as given (a link in a message, say). */
    public static Reply send(URI uri, String method, String key, String contentType, byte[] body) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (key != null) {
            headers.put("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return send(uri, method, headers, body);
    }

    /** A request with these headers (a browser's Origin, say). */
    public static Reply send(URI uri, String method, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static Reply json(int port, String method, String path, Object body) {
        try {
            return send(port, method, path, ADMIN_KEY, "application/json",
                    body == null ? null : body instanceof String s ? s.getBytes() : JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A multipart/form-data body with one file part and text parts. */
    public static Reply multipart(int port, String path, String fileName, byte[] file, Map<String, String> fields) {
        String boundary = "----orbita" + System.nanoTime();
        var out = new ByteArrayOutputStream();
        try {
            for (var e : fields.entrySet()) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + e.getKey() + "\"\r\n\r\n"
                        + e.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(file);
            out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return send(port, "POST", path, ADMIN_KEY, "multipart/form-data; boundary=" + boundary, out.toByteArray());
    }
}
