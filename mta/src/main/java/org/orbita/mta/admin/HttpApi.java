package org.orbita.mta.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.orbita.mta.delivery.Deliveries;
import org.orbita.mta.smtp.Injection;

/**
 * The node's HTTP side: JSON injection ({@code POST /inject}), queue administration
 * ({@code /admin/queues…}), Prometheus metrics ({@code /metrics}) and health. Everything but
 * health and metrics needs {@code Authorization: Bearer <mta.http.token>}.
 */
public final class HttpApi implements Closeable {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final int MAX_BODY = 64 * 1024 * 1024;

    private final HttpServer server;
    private final Injection injection;
    private final Deliveries deliveries;
    private final MtaMetrics metrics;
    private final byte[] token;
    private final String hostname;

    public HttpApi(InetSocketAddress bind, String token, String hostname, Injection injection, Deliveries deliveries, MtaMetrics metrics) throws IOException {
        this.injection = injection;
        this.deliveries = deliveries;
        this.metrics = metrics;
        this.hostname = hostname;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create(bind, 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/health", x -> send(x, 200, "text/plain", "ok\n"));
        server.createContext("/metrics", x -> send(x, 200, "text/plain; version=0.0.4", metrics.prometheus(deliveries)));
        server.createContext("/inject", x -> guarded(x, this::inject));
        server.createContext("/admin/queues", x -> guarded(x, this::queues));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private interface Handler {
        void handle(HttpExchange x) throws IOException;
    }

    private void guarded(HttpExchange x, Handler h) throws IOException {
        try (x) {
            String auth = x.getRequestHeaders().getFirst("Authorization");
            byte[] given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (token == null || !MessageDigest.isEqual(token, given)) {
                problem(x, 401, "authorization", "a bearer token (mta.http.token) is required");
                return;
            }
            h.handle(x);
        } catch (IllegalArgumentException e) {
            problem(x, 400, "body", e.getMessage());
        }
    }

    /**
     * {@code {"from": "…", "to": ["…"], "subject": "…", "text": "…", "html": "…", "headers": {…}}} or
     * {@code {"from": "…", "to": ["…"], "raw": "<RFC 5322 message>"}} → 202 {@code {"id": "…"}} once spooled.
     */
    private void inject(HttpExchange x) throws IOException {
        if (!x.getRequestMethod().equals("POST")) {
            problem(x, 405, "method", "POST a JSON message");
            return;
        }
        JsonNode body;
        try (InputStream in = x.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                problem(x, 413, "body", "larger than " + MAX_BODY + " bytes");
                return;
            }
            body = JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            problem(x, 400, "body", "not JSON: " + e.getOriginalMessage());
            return;
        }
        String from = body.path("from").asText("");
        List<String> to = new ArrayList<>();
        body.path("to").forEach(n -> to.add(n.asText()));
        List<Map<String, String>> errors = new ArrayList<>();
        if (!from.isEmpty() && !from.matches("[^@\\s<>]+@[^@\\s<>]+")) {
            errors.add(Map.of("field", "from", "rule", "must be an email address (or empty for a null sender)"));
        }
        if (to.isEmpty() || to.size() > 1000 || to.stream().anyMatch(t -> !t.matches("[^@\\s<>]+@[^@\\s<>]+"))) {
            errors.add(Map.of("field", "to", "rule", "1 to 1000 email addresses"));
        }
        if (!body.has("raw") && !body.has("text") && !body.has("html")) {
            errors.add(Map.of("field", "raw", "rule", "give raw (an RFC 5322 message) or text and/or html"));
        }
        if (!errors.isEmpty()) {
            problem(x, 400, errors);
            return;
        }
        byte[] message = body.has("raw") ? body.get("raw").asText().getBytes(StandardCharsets.UTF_8) : compose(from, to, body);
        try {
            String id = injection.inject(from, to, message).get(60, TimeUnit.SECONDS);
            metrics.injected(to.size());
            send(x, 202, "application/json", JSON.writeValueAsString(Map.of("id", id)));
        } catch (ExecutionException | TimeoutException e) {
            problem(x, 507, "spool", "the message could not be stored: " + (e.getCause() == null ? e : e.getCause()).getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem(x, 503, "spool", "shutting down");
        }
    }

    /** A MIME message from parts: text, HTML or both (multipart/alternative), UTF-8, quoted-printable free (8bit). */
    private byte[] compose(String from, List<String> to, JsonNode body) {
        StringBuilder m = new StringBuilder();
        Map<String, String> headers = new LinkedHashMap<>();
        body.path("headers").fields().forEachRemaining(e -> {
            String name = e.getKey();
            if (!name.matches("[A-Za-z0-9-]{1,76}") || e.getValue().asText().matches("(?s).*[\\r\\n].*")) {
                throw new IllegalArgumentException("header " + name + " must be a token with a one-line value");
            }
            headers.put(name, e.getValue().asText());
        });
        headers.putIfAbsent("From", from);
        headers.putIfAbsent("To", String.join(", ", to));
        headers.putIfAbsent("Subject", body.path("subject").asText(""));
        headers.putIfAbsent("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()));
        headers.putIfAbsent("Message-ID", "<" + UUID.randomUUID() + "@" + hostname + ">");
        headers.put("MIME-Version", "1.0");
        String text = body.path("text").asText(null);
        String html = body.path("html").asText(null);
        if (text != null && html != null) {
            String boundary = "=_orbita_" + UUID.randomUUID();
            headers.put("Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
            headers.forEach((k, v) -> m.append(k).append(": ").append(v).append("\r\n"));
            m.append("\r\n--").append(boundary).append("\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                    .append(crlf(text)).append("\r\n--").append(boundary)
                    .append("\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                    .append(crlf(html)).append("\r\n--").append(boundary).append("--\r\n");
        } else {
            headers.put("Content-Type", (html != null ? "text/html" : "text/plain") + "; charset=UTF-8");
            headers.put("Content-Transfer-Encoding", "8bit");
            headers.forEach((k, v) -> m.append(k).append(": ").append(v).append("\r\n"));
            m.append("\r\n").append(crlf(html != null ? html : text)).append("\r\n");
        }
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String crlf(String s) {
        return s.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    /** GET list; POST /admin/queues/{site}/pause | resume | retry. */
    private void queues(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getRawPath().substring("/admin/queues".length());
        if (path.isEmpty() || path.equals("/")) {
            send(x, 200, "application/json", JSON.writeValueAsString(deliveries.queues()));
            return;
        }
        if (!x.getRequestMethod().equals("POST")) {
            problem(x, 405, "method", "POST to pause, resume or retry a queue");
            return;
        }
        int slash = path.lastIndexOf('/');
        String site = URLDecoder.decode(path.substring(1, slash), StandardCharsets.UTF_8);
        String action = path.substring(slash + 1);
        boolean known = switch (action) {
            case "pause" -> deliveries.pause(site, true);
            case "resume" -> deliveries.pause(site, false);
            case "retry" -> {
                deliveries.retryNow(site);
                yield deliveries.queues().stream().anyMatch(q -> q.site().equals(site));
            }
            default -> {
                problem(x, 404, "action", "one of pause, resume, retry");
                yield true;
            }
        };
        if (!known) {
            problem(x, 404, "site", "no queue named " + site);
        } else if (Set.of("pause", "resume", "retry").contains(action)) {
            send(x, 200, "application/json", JSON.writeValueAsString(deliveries.queues().stream().filter(q -> q.site().equals(site)).toList()));
        }
    }

    private static void problem(HttpExchange x, int status, String field, String rule) throws IOException {
        problem(x, status, List.of(Map.of("field", field, "rule", rule)));
    }

    private static void problem(HttpExchange x, int status, List<Map<String, String>> errors) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("title", errors.get(0).get("field") + ": " + errors.get(0).get("rule"));
        p.put("status", status);
        p.put("errors", errors);
        send(x, status, "application/problem+json", JSON.writeValueAsString(p));
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
