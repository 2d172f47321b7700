package org.orbita.promo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.orbita.common.Json;
import org.orbita.outbound.NetworkGuard;

/**
 * Pulls codes from a pool's service: {@code GET <url>?pool=<id>&count=<n>} with the pool's token as
 * {@code Authorization: Bearer}, answered by {@code {"codes": ["…", …]}} or a bare JSON array. The
 * host is checked by the {@link NetworkGuard} (no loopback or private networks unless allowed), no
 * redirects are followed, the answer is bounded in time and size, and whatever goes wrong becomes
 * an {@link IOException} whose message says what, for the pool's last-refill line.
 */
public final class HttpCodeService implements PromoPools.CodeService {

    private static final int MAX_BYTES = 8 << 20;

    private final NetworkGuard guard;
    private final Duration timeout;
    private final HttpClient http;

    public HttpCodeService(NetworkGuard guard, Duration timeout) {
        this.guard = guard;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public List<String> pull(PromoPool pool, int count) throws IOException {
        String base = pool.source().url();
        URI uri;
        try {
            uri = URI.create(base + (base.contains("?") ? "&" : "?") + "pool=" + URLEncoder.encode(pool.id(), StandardCharsets.UTF_8)
                    + "&count=" + count);
        } catch (IllegalArgumentException e) {
            throw new IOException("the service's URL is not a URL");
        }
        try {
            guard.check(uri.getHost());
        } catch (SecurityException e) {
            throw new IOException("the service may not be called: " + e.getMessage());
        } catch (UnknownHostException e) {
            throw new IOException("the service's host does not resolve: " + uri.getHost());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET();
        if (pool.source().token() != null) {
            request.header("Authorization", "Bearer " + pool.source().token());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] body;
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    throw new IOException("the service answered HTTP " + response.statusCode());
                }
                body = in.readNBytes(MAX_BYTES + 1);
            }
        } catch (HttpTimeoutException e) {
            throw new IOException("the service did not answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling the service");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("the service")) {
                throw e;
            }
            throw new IOException("the service could not be reached (" + e.getClass().getSimpleName() + ")");
        }
        if (System.nanoTime() > deadline) {
            throw new IOException("the service did not answer within " + timeout.toMillis() + " ms");
        }
        if (body.length > MAX_BYTES) {
            throw new IOException("the service answered more than " + (MAX_BYTES >> 20) + " MB");
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IOException("the service answered something that is not JSON");
        }
        JsonNode codes = json != null && json.isObject() ? json.get("codes") : json;
        if (codes == null || !codes.isArray()) {
            throw new IOException("the service's answer has no \"codes\" array");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode c : codes) {
            out.add(c.isTextual() || c.isNumber() ? c.asText() : null);
            if (out.size() > count) {
                throw new IOException("the service answered more than the " + count + " codes asked for");
            }
        }
        return out;
    }
}
