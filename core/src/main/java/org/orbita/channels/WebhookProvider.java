package org.orbita.channels;

import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.orbita.common.Json;
import org.orbita.outbound.NetworkGuard;

/**
 * Outgoing webhooks (the custom channel): the rendered request — method, URL, headers, JSON
 * body — sent with {@code Idempotency-Key} and {@code X-Orbita-Signature: sha256=<hex HMAC of
 * the body>} so the receiver can check it came from here and drop repeats. 2xx is delivered;
 * 408, 429 and 5xx are tried again (after {@code Retry-After} when given); other 4xx fail.
 * The URL is checked by the same private-network guard as template data sources.
 */
public final class WebhookProvider implements ChannelProvider {

    private static final Set<Integer> RETRY = Set.of(408, 425, 429);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final byte[] secret;
    private final NetworkGuard guard;
    private final Duration timeout;

    public WebhookProvider(byte[] secret, NetworkGuard guard, Duration timeout) {
        this.secret = secret.clone();
        this.guard = guard;
        this.timeout = timeout;
    }

    @Override
    public String channel() {
        return "webhook";
    }

    @Override
    @SuppressWarnings("unchecked")
    public Result send(String key, String address, Map<String, Object> payload) {
        String url = String.valueOf(payload.get("url"));
        String method = String.valueOf(payload.getOrDefault("method", "POST"));
        URI uri;
        try {
            uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                return new Result.Failed("url: only http and https are sent to, not " + url, false);
            }
            guard.check(uri.getHost());
        } catch (IllegalArgumentException | SecurityException e) {
            return new Result.Failed("url: " + e.getMessage(), false);
        } catch (UnknownHostException e) {
            return new Result.Retry("url: " + uri(url) + " does not resolve now", null);
        }
        byte[] body = payload.get("body") == null ? new byte[0] : Json.write(payload.get("body")).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .header("X-Orbita-Signature", "sha256=" + sign(body))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        Object headers = payload.get("headers");
        if (headers instanceof Map<?, ?> h) {
            ((Map<String, Object>) h).forEach((k, v) -> b.header(k, String.valueOf(v)));
        }
        return ProviderCalls.call(http, b::build, r -> {
            int code = r.statusCode();
            if (code / 100 == 2) {
                return new Result.Accepted(r.headers().firstValue("X-Request-Id").orElse(null));
            }
            String reason = "HTTP " + code + (r.body().isBlank() ? "" : ": " + r.body().substring(0, Math.min(200, r.body().length())));
            if (code >= 500 || RETRY.contains(code)) {
                return new Result.Retry(reason, r.headers().firstValue("Retry-After").map(ChannelProvider::retryAfter).orElse(null));
            }
            return new Result.Failed(reason, false);
        });
    }

    private static String uri(String url) {
        return url.length() > 100 ? url.substring(0, 100) + "…" : url;
    }

    /** The hex HMAC-SHA256 of a body with the webhook secret (what receivers compute to check a call). */
    public String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
