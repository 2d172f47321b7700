package org.orbita.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.orbita.outbound.NetworkGuard;

/**
 * Makes a webhook's call: a POST of the JSON body with the signature's headers, no redirects
 * followed, the receiver's host checked by the network guard first (a user-configured URL never
 * reaches this machine or a private network unless allowed).
 */
public final class WebhookSender implements Webhooks.Sender {

    private final HttpClient http;
    private final NetworkGuard guard;
    private final Duration timeout;

    public WebhookSender(NetworkGuard guard, Duration timeout) {
        this.guard = guard;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Webhooks.Answer post(String url, Map<String, String> headers, String body) {
        URI uri;
        try {
            uri = URI.create(url);
            guard.check(uri.getHost());
        } catch (IllegalArgumentException | SecurityException e) {
            return new Webhooks.Answer(null, "url: " + e.getMessage(), true);
        } catch (UnknownHostException e) {
            return new Webhooks.Answer(null, "url: " + e.getMessage() + " does not resolve", false);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
                .header("User-Agent", "Orbita-Webhooks/1").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String text = r.body() == null ? "" : r.body().strip();
            return new Webhooks.Answer(r.statusCode(), r.statusCode() / 100 == 2 ? null
                    : "HTTP " + r.statusCode() + (text.isEmpty() ? "" : ": " + (text.length() > 300 ? text.substring(0, 300) + "…" : text)), false);
        } catch (IOException e) {
            return new Webhooks.Answer(null, "connection: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Webhooks.Answer(null, "interrupted", false);
        }
    }
}
