package org.orbita.mta.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.orbita.mta.bounces.BounceReader;
import org.orbita.mta.bounces.Report;
import org.orbita.mta.bounces.Suppressions;
import org.orbita.mta.config.MtaJson;
import org.orbita.mta.delivery.Deliveries;
import org.orbita.mta.dkim.DkimKeys;
import org.orbita.mta.delivery.SourcePool;
import org.orbita.mta.intake.JsonMessage;
import org.orbita.mta.smtp.Injection;
import org.orbita.mta.spool.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP side: JSON injection ({@code POST /inject}), queue administration
 * ({@code /admin/queues…}), Prometheus metrics ({@code /metrics}) and health. Everything but
 * health and metrics needs {@code Authorization: Bearer <mta.http.token>}.
 */
public final class HttpApi implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final ObjectMapper JSON = MtaJson.MAPPER;
    private static final int MAX_BODY = 64 * 1024 * 1024;

    private final HttpServer server;
    private final Injection.Keyed injection;
    private final Deliveries deliveries;
    private final MtaMetrics metrics;
    private final byte[] token;
    private final String hostname;
    private final Suppressions suppressions;
    private final Spool spool;
    private final DkimKeys dkim;

    public HttpApi(InetSocketAddress bind, String token, String hostname, Injection.Keyed injection, Deliveries deliveries, MtaMetrics metrics,
                   Suppressions suppressions, Spool spool,
                   SourcePool sources, DkimKeys dkim) throws IOException {
        this.dkim = dkim;
        this.suppressions = suppressions;
        this.spool = spool;
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
        server.createContext("/admin/bounces/classify", x -> guarded(x, this::classify));
        server.createContext("/admin/suppressions", x -> guarded(x, this::suppressions));
        server.createContext("/admin/messages/", x -> guarded(x, this::message));
        server.createContext("/admin/dkim", x -> guarded(x, this::dkim));
        server.createContext("/admin/sources", x -> guarded(x, e -> send(e, 200, "application/json", JSON.writeValueAsString(sources.status()))));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private interface Handler {
        void handle(HttpExchange x) throws IOException;
    }

    /**
     * Runs a handler for a caller holding the token. Its refusals ({@link IllegalArgumentException})
     * answer 400, anything else 500 with the failure logged; the answer is written before the
     * exchange closes.
     */
    private void guarded(HttpExchange x, Handler h) throws IOException {
        try (x) {
            String auth = x.getRequestHeaders().getFirst("Authorization");
            byte[] given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (token == null || !MessageDigest.isEqual(token, given)) {
                problem(x, 401, "authorization", "a bearer token (mta.http.token) is required");
                return;
            }
            try {
                h.handle(x);
            } catch (IllegalArgumentException e) {
                int colon = e.getMessage() == null ? -1 : e.getMessage().indexOf(": ");
                boolean named = colon > 0 && e.getMessage().substring(0, colon).matches("[a-z][A-Za-z.]*");
                problem(x, 400, named ? e.getMessage().substring(0, colon) : "body",
                        named ? e.getMessage().substring(colon + 2) : String.valueOf(e.getMessage()));
            } catch (RuntimeException | IOException e) {
                log.error("{} {} failed", x.getRequestMethod(), x.getRequestURI().getPath(), e);
                problem(x, 500, "server", "the request failed on the server: " + e.getClass().getSimpleName());
            }
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
        } catch (JsonProcessingException e) {
            problem(x, 400, "body", "not JSON: " + e.getOriginalMessage());
            return;
        }
        JsonMessage m;
        try {
            m = JsonMessage.read(body, hostname);
        } catch (JsonMessage.Invalid e) {
            problem(x, 400, e.errors);
            return;
        }
        String from = m.from();
        List<String> to = m.to();
        byte[] message = m.message();
        try {
            String id = injection.inject(m.key(), from, to, message).get(60, TimeUnit.SECONDS);
            metrics.injected(to.size());
            send(x, 202, "application/json", JSON.writeValueAsString(Map.of("id", id)));
        } catch (ExecutionException | TimeoutException e) {
            problem(x, 507, "spool", "the message could not be stored: " + (e.getCause() == null ? e : e.getCause()).getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem(x, 503, "spool", "shutting down");
        }
    }

    /** GET /admin/messages/{id}: a queued message and its recipients' state; 404 once every recipient has an outcome. */
    private void message(HttpExchange x) throws IOException {
        String id = URLDecoder.decode(x.getRequestURI().getRawPath().substring("/admin/messages/".length()), StandardCharsets.UTF_8);
        var status = spool.status(id);
        if (status.isEmpty()) {
            problem(x, 404, "id", "no queued message " + id + " (unknown, or every recipient has its outcome)");
            return;
        }
        send(x, 200, "application/json", JSON.writeValueAsString(status.get()));
    }

    /** A returned message (raw RFC 5322) → what it reports: the first recipient's class, and every report. */
    private void classify(HttpExchange x) throws IOException {
        if (!x.getRequestMethod().equals("POST")) {
            problem(x, 405, "method", "POST a raw RFC 5322 message");
            return;
        }
        byte[] raw;
        try (InputStream in = x.getRequestBody()) {
            raw = in.readNBytes(MAX_BODY);
        }
        List<Report> reports = BounceReader.read(raw);
        if (reports.isEmpty()) {
            problem(x, 422, "body", "is not a bounce, a delivery status notification, a complaint or an auto-reply");
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Report first = reports.get(0);
        out.put("recipient", first.recipient());
        out.put("kind", first.kind());
        out.put("reason", first.reason());
        out.put("status", first.status());
        out.put("diagnostic", first.diagnostic());
        out.put("reports", reports);
        send(x, 200, "application/json", JSON.writeValueAsString(out));
    }

    /**
     * GET /admin/dkim lists the keys the node signs with (never the keys); PUT /admin/dkim/{domain}
     * {@code {"selector": "…", "key": "<PKCS#8 PEM>"}} signs the domain's mail from now on (kept
     * across restarts); DELETE stops it.
     */
    private void dkim(HttpExchange x) throws IOException {
        String rest = x.getRequestURI().getRawPath().substring("/admin/dkim".length());
        String domain = rest.length() > 1 ? URLDecoder.decode(rest.substring(1), StandardCharsets.UTF_8) : null;
        switch (x.getRequestMethod()) {
            case "GET" -> send(x, 200, "application/json", JSON.writeValueAsString(dkim.list()));
            case "PUT" -> {
                JsonNode body;
                try (InputStream in = x.getRequestBody()) {
                    body = JSON.readTree(in.readNBytes(64 * 1024));
                } catch (JsonProcessingException e) {
                    problem(x, 400, "body", "not JSON: " + e.getOriginalMessage());
                    return;
                }
                if (domain == null || body == null || !body.path("selector").isTextual() || !body.path("key").isTextual()) {
                    problem(x, 400, "body", "PUT /admin/dkim/{domain} with {\"selector\": \"…\", \"key\": \"<PKCS#8 PEM>\"}");
                    return;
                }
                send(x, 200, "application/json", JSON.writeValueAsString(dkim.put(domain, body.get("selector").asText(), body.get("key").asText())));
            }
            case "DELETE" -> {
                if (domain == null || !dkim.remove(domain)) {
                    problem(x, 404, "domain", domain + " has no key set over this API");
                    return;
                }
                x.sendResponseHeaders(204, -1);
            }
            default -> problem(x, 405, "method", "GET, PUT or DELETE");
        }
    }

    /** GET the list (?address= for one); PUT /admin/suppressions/{address} adds; DELETE removes. */
    private void suppressions(HttpExchange x) throws IOException {
        String rest = x.getRequestURI().getRawPath().substring("/admin/suppressions".length());
        String address = rest.length() > 1 ? URLDecoder.decode(rest.substring(1), StandardCharsets.UTF_8) : null;
        switch (x.getRequestMethod()) {
            case "GET" -> {
                if (address == null) {
                    send(x, 200, "application/json", JSON.writeValueAsString(Map.of("total", suppressions.size(), "entries", suppressions.list(1000))));
                } else if (suppressions.get(address).isPresent()) {
                    send(x, 200, "application/json", JSON.writeValueAsString(suppressions.get(address).get()));
                } else {
                    problem(x, 404, "address", address + " is not suppressed");
                }
            }
            case "PUT" -> {
                if (address == null || !address.matches("[^@\\s<>]+@[^@\\s<>]+")) {
                    problem(x, 400, "address", "PUT /admin/suppressions/{an email address}");
                    return;
                }
                suppressions.add(address, "manual");
                send(x, 200, "application/json", JSON.writeValueAsString(suppressions.get(address).orElseThrow()));
            }
            case "DELETE" -> {
                if (address == null || !suppressions.remove(address)) {
                    problem(x, 404, "address", address + " is not suppressed");
                    return;
                }
                x.sendResponseHeaders(204, -1);
            }
            default -> problem(x, 405, "method", "GET, PUT or DELETE");
        }
    }

    /** GET list; POST /admin/queues/{site}/pause | resume | retry | purge. */
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
            case "purge" -> {
                int n = deliveries.purge(site);
                if (n >= 0) {
                    send(x, 200, "application/json", JSON.writeValueAsString(Map.of("site", site, "purged", n)));
                    yield true;
                }
                yield false;
            }
            case "pause" -> deliveries.pause(site, true);
            case "resume" -> deliveries.pause(site, false);
            case "retry" -> {
                deliveries.retryNow(site);
                yield deliveries.queues().stream().anyMatch(q -> q.site().equals(site));
            }
            default -> {
                problem(x, 404, "action", "one of pause, resume, retry, purge");
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
