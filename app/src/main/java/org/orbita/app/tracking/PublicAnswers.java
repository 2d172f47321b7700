package org.orbita.app.tracking;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.springframework.http.HttpHeaders;

/**
 * What the public endpoints that answer in a servlet filter ({@link SiteCollect}, {@link FormCollect}) share: a
 * request's JSON object read up to a bound, and answers written as JSON or {@code application/problem+json}.
 */
final class PublicAnswers {

    private PublicAnswers() {}

    /** A body past the endpoint's bound. */
    static final class TooLarge extends RuntimeException {
        TooLarge(int max) {
            super("a body is at most " + max + " bytes");
        }
    }

    /** The request's JSON object, read up to {@code max} bytes; {@code shape} says what it should hold when it is none. */
    static Map<String, Object> object(HttpServletRequest request, int max, String shape) throws IOException {
        if (request.getContentLengthLong() > max) {
            throw new TooLarge(max);
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(max + 1);
        }
        if (bytes.length > max) {
            throw new TooLarge(max);
        }
        try {
            return Json.readMap(new String(bytes, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new InvalidInputException("body", null, "must be a JSON object " + shape);
        }
    }

    /** A browser's CORS preflight of a {@code POST} (the pages send {@code text/plain} and need none; some ask all the same). */
    static void preflight(HttpServletResponse response) {
        response.setHeader("Access-Control-Allow-Methods", "POST");
        response.setHeader("Access-Control-Allow-Headers", "Content-Type");
        response.setHeader("Access-Control-Max-Age", "86400");
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    static void problem(HttpServletResponse response, int status, String title, String detail, List<FieldError> errors) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "about:blank");
        p.put("title", title);
        p.put("status", status);
        p.put("detail", detail);
        if (errors != null) {
            p.put("errors", errors);
        }
        write(response, status, "application/problem+json", p);
    }

    static void invalid(HttpServletResponse response, InvalidInputException e) throws IOException {
        problem(response, 400, "Invalid input", String.join("; ", e.errors().stream().map(FieldError::toString).toList()), e.errors());
    }

    static void write(HttpServletResponse response, int status, String type, Object body) throws IOException {
        send(response, status, type, Json.bytes(body));
    }

    /** A plain-text answer (what other services' webhooks expect: {@code ok}). */
    static void text(HttpServletResponse response, int status, String text) throws IOException {
        send(response, status, "text/plain;charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpServletResponse response, int status, String type, byte[] bytes) throws IOException {
        response.setStatus(status);
        response.setContentType(type);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
