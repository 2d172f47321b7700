package org.orbita.sending;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.common.NotFoundException;

/**
 * The platform's view of its MTA nodes, over each node's admin HTTP API: their queues per
 * receiving site (pause, resume, retry now, purge) and their suppression lists.
 */
public final class MtaNodes {

    /** A node as configured: a name, its admin URL and its bearer token (never shown). */
    public record Node(String name, String url, String token) {}

    /** One queue of one node, as the node reports it. */
    public record Queue(String site, int ready, int deferred, int connections, String oldest, boolean paused, String suspendedUntil,
                        int maxConnections, double ratePerSecond) {}

    public record Suppression(String address, String reason, String since) {}

    /** A DKIM key a node signs with: {@code keySha256} names the key without showing it. */
    public record DkimKey(String domain, String selector, String algorithm, String source, String keySha256) {}

    private record Suppressions(int total, List<Suppression> entries) {}

    /** Nodes may report more than this version knows; what it does not know is left out. */
    private static final ObjectMapper JSON = Json.MAPPER.copy()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final List<Node> nodes;
    private final Access access;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public MtaNodes(List<Node> nodes, Access access) {
        this.access = access;
        this.nodes = List.copyOf(nodes);
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Node node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow(() -> new NotFoundException("MTA node", name));
    }

    public List<Queue> queues(Node node) {
        access.require(Resource.MAIL_QUEUES, Action.READ);
        return read(call(node, "GET", "/admin/queues"), new TypeReference<List<Queue>>() {});
    }

    /** {@code pause}, {@code resume}, {@code retry} or {@code purge} a site's queue. */
    public void act(Node node, String site, String action) {
        access.require(Resource.MAIL_QUEUES, Action.WRITE);
        if (!List.of("pause", "resume", "retry", "purge").contains(action)) {
            throw new InvalidInputException("action", action, "one of pause, resume, retry, purge");
        }
        call(node, "POST", "/admin/queues/" + URLEncoder.encode(site, StandardCharsets.UTF_8) + "/" + action);
        access.changed(Resource.MAIL_QUEUES, Action.WRITE, node.name() + "/" + site, null, Map.of("action", action));
    }

    public List<Suppression> suppressions(Node node) {
        access.require(Resource.MAIL_QUEUES, Action.READ);
        return read(call(node, "GET", "/admin/suppressions"), new TypeReference<Suppressions>() {}).entries();
    }

    public void suppress(Node node, String address) {
        access.require(Resource.MAIL_QUEUES, Action.WRITE);
        if (address == null || !address.strip().matches("[^@\\s<>]+@[^@\\s<>]+")) {
            throw new InvalidInputException("address", address, "must be an email address");
        }
        call(node, "PUT", "/admin/suppressions/" + URLEncoder.encode(address.strip(), StandardCharsets.UTF_8));
        access.changed(Resource.MAIL_QUEUES, Action.WRITE, node.name() + "/suppressions", null, Map.of("suppressed", address.strip()));
    }

    public void unsuppress(Node node, String address) {
        access.require(Resource.MAIL_QUEUES, Action.WRITE);
        call(node, "DELETE", "/admin/suppressions/" + URLEncoder.encode(address, StandardCharsets.UTF_8));
        access.changed(Resource.MAIL_QUEUES, Action.WRITE, node.name() + "/suppressions", Map.of("suppressed", address), null);
    }

    /** Hands the node a plain test mail; returns the node's id for it (its state: {@code GET /admin/messages/{id}}). */
    public String sendTest(Node node, String from, String to, String subject, String text) {
        access.require(Resource.SETTINGS, Action.WRITE);
        List<FieldError> errors = new java.util.ArrayList<>();
        if (from == null || !from.strip().matches("[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+")) {
            errors.add(FieldError.of("from", from, "must be an email address of one of your sender domains"));
        }
        if (to == null || !to.strip().matches("[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+")) {
            errors.add(FieldError.of("to", to, "must be an email address"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String answer = call(node, "POST", "/inject", Json.write(Map.of("from", from.strip(), "to", List.of(to.strip()), "subject", subject, "text", text)));
        return String.valueOf(read(answer, new TypeReference<Map<String, Object>>() {}).get("id"));
    }

    /** What the node says of one message: its recipients' states and the last replies. */
    public Map<String, Object> message(Node node, String id) {
        access.require(Resource.MAIL_QUEUES, Action.READ);
        return read(call(node, "GET", "/admin/messages/" + URLEncoder.encode(id, StandardCharsets.UTF_8)), new TypeReference<Map<String, Object>>() {});
    }

    public List<DkimKey> dkimKeys(Node node) {
        access.require(Resource.SETTINGS, Action.READ);
        return read(call(node, "GET", "/admin/dkim"), new TypeReference<List<DkimKey>>() {});
    }

    /** Has the node sign {@code domain}'s mail with this PKCS#8 PEM key from now on. */
    public void putDkimKey(Node node, String domain, String selector, String pem) {
        access.require(Resource.SETTINGS, Action.WRITE);
        call(node, "PUT", "/admin/dkim/" + URLEncoder.encode(domain, StandardCharsets.UTF_8), Json.write(Map.of("selector", selector, "key", pem)));
    }

    /** Stops the node signing for {@code domain}; nothing when it had no key for it. */
    public void removeDkimKey(Node node, String domain) {
        access.require(Resource.SETTINGS, Action.WRITE);
        try {
            call(node, "DELETE", "/admin/dkim/" + URLEncoder.encode(domain, StandardCharsets.UTF_8));
        } catch (Missing e) {
            // the node never had it
        }
    }

    /** A node that cannot be reached, refused a call or answered what it should not: the REST API answers 502 with this. */
    public static class NodeProblem extends IllegalStateException {
        NodeProblem(String message) {
            super(message);
        }
    }

    /** A 404 from a node: what was asked of it is not there (a message delivered and gone, a key it never had). */
    public static final class Missing extends NodeProblem {
        Missing(String message) {
            super(message);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new NodeProblem("an MTA node answered something that is not its admin JSON: " + e.getOriginalMessage());
        }
    }

    private String call(Node node, String method, String path) {
        return call(node, method, path, null);
    }

    private String call(Node node, String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url().replaceAll("/+$", "") + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + (node.token() == null ? "" : node.token()));
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                Map<?, ?> problem = r.body().startsWith("{") ? read(r.body(), new TypeReference<Map<String, Object>>() {}) : Map.of();
                String said = "MTA node " + node.name() + " answered " + r.statusCode() + (problem.get("title") == null ? "" : ": " + problem.get("title"));
                throw r.statusCode() == 404 ? new Missing(said) : new NodeProblem(said);
            }
            return r.body().isEmpty() ? "{}" : r.body();
        } catch (IOException e) {
            throw new NodeProblem("MTA node " + node.name() + " at " + node.url() + " cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
