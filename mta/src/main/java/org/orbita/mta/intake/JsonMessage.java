package org.orbita.mta.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A message as JSON, the shape HTTP injection and the platform's email queue share:
 * {@code {"from", "to": [...], "subject", "text", "html", "headers": {...}}} made into a MIME
 * message here, or {@code {"from", "to", "raw"}} with the RFC 5322 message as it is; an
 * optional {@code "id"} is the sender's idempotency key (a second message with it is dropped).
 */
public record JsonMessage(String key, String from, List<String> to, byte[] message) {

    private static final String ADDRESS = "[^@\\s<>]+@[^@\\s<>]+";

    /** Why a JSON message was refused: each field with its rule. */
    public static final class Invalid extends Exception {
        public final List<Map<String, String>> errors;

        Invalid(List<Map<String, String>> errors) {
            super(errors.toString(), null, false, false);
            this.errors = List.copyOf(errors);
        }
    }

    private static final byte[] ENVELOPE = "ORBITA-MAIL/1\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * A queued message as JSON: plain JSON, or the platform's envelope — {@code ORBITA-MAIL/1},
     * a line of JSON naming {@code htmlBytes} and {@code textBytes}, then the HTML and the text as
     * raw UTF-8 (no escaping of 20 KB per recipient on either side).
     */
    public static JsonNode parse(ObjectMapper json, byte[] body) throws IOException {
        if (body.length < ENVELOPE.length || !Arrays.equals(body, 0, ENVELOPE.length, ENVELOPE, 0, ENVELOPE.length)) {
            return json.readTree(body);
        }
        int newline = ENVELOPE.length;
        while (newline < body.length && body[newline] != '\n') {
            newline++;
        }
        JsonNode head = json.readTree(Arrays.copyOfRange(body, ENVELOPE.length, newline));
        if (!(head instanceof ObjectNode meta)) {
            throw new IOException("the envelope's first line is not a JSON object");
        }
        int at = newline + 1;
        int html = meta.path("htmlBytes").asInt(-1);
        int text = meta.path("textBytes").asInt(-1);
        if (at + Math.max(0, html) + Math.max(0, text) != body.length) {
            throw new IOException("the envelope's lengths (" + html + " + " + text + ") do not match its " + (body.length - at) + " bytes");
        }
        if (html >= 0) {
            meta.put("html", new String(body, at, html, StandardCharsets.UTF_8));
            at += html;
        }
        if (text >= 0) {
            meta.put("text", new String(body, at, text, StandardCharsets.UTF_8));
        }
        meta.remove("htmlBytes");
        meta.remove("textBytes");
        return meta;
    }

    public static JsonMessage read(JsonNode body, String hostname) throws Invalid {
        String from = body.path("from").asText("");
        List<String> to = new ArrayList<>();
        body.path("to").forEach(n -> to.add(n.asText()));
        List<Map<String, String>> errors = new ArrayList<>();
        if (!from.isEmpty() && !from.matches(ADDRESS)) {
            errors.add(Map.of("field", "from", "rule", "must be an email address (or empty for a null sender)"));
        }
        if (to.isEmpty() || to.size() > 1000 || to.stream().anyMatch(t -> !t.matches(ADDRESS))) {
            errors.add(Map.of("field", "to", "rule", "1 to 1000 email addresses"));
        }
        if (!body.has("raw") && !body.has("text") && !body.has("html")) {
            errors.add(Map.of("field", "raw", "rule", "give raw (an RFC 5322 message) or text and/or html"));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        body.path("headers").fields().forEachRemaining(e -> {
            if (!e.getKey().matches("[A-Za-z0-9-]{1,76}") || e.getValue().asText().matches("(?s).*[\r\n].*")) {
                errors.add(Map.of("field", "headers." + e.getKey(), "rule", "a header is a token name with a one-line value"));
            } else {
                headers.put(e.getKey(), e.getValue().asText());
            }
        });
        String key = body.hasNonNull("id") ? body.get("id").asText() : null;
        if (key != null && !key.matches("[!-~]{1,200}")) {
            errors.add(Map.of("field", "id", "rule", "an idempotency key of 1 to 200 visible ASCII characters"));
        }
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
        byte[] message = body.has("raw") ? body.get("raw").asText().getBytes(StandardCharsets.UTF_8)
                : compose(from, to, body.path("subject").asText(""), body.path("text").asText(null), body.path("html").asText(null), headers, hostname);
        return new JsonMessage(key, from, List.copyOf(to), message);
    }

    /** A MIME message from parts: text, HTML or both (multipart/alternative), UTF-8, 8bit. */
    private static byte[] compose(String from, List<String> to, String subject, String text, String html, Map<String, String> given, String hostname) {
        Map<String, String> headers = new LinkedHashMap<>(given);
        headers.putIfAbsent("From", from);
        headers.putIfAbsent("To", String.join(", ", to));
        headers.putIfAbsent("Subject", subject);
        headers.putIfAbsent("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()));
        headers.putIfAbsent("Message-ID", "<" + UUID.randomUUID() + "@" + hostname + ">");
        headers.put("MIME-Version", "1.0");
        StringBuilder m = new StringBuilder();
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
}
