package org.orbita.channels;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orbita.common.Json;
import org.orbita.outbound.NetworkGuard;

/**
 * Any SMS gateway with an HTTP API, described rather than coded: the request's method, URL and
 * body are templates where {@code {phone}} (digits), {@code {phone_e164}}, {@code {text}},
 * {@code {sender}} and {@code {key}} are put in — encoded for a URL or form ({@code form} bodies and
 * the URL), escaped as JSON strings ({@code json} bodies) —, headers likewise; then the answer is
 * read by patterns: {@code successPattern} (a regular expression the body must contain to be
 * accepted; its first group, or {@code idPattern}'s, is the gateway's id for the message),
 * {@code unreachablePattern} (a refusal of the number itself). 429 and 5xx are tried again; other
 * answers that do not match the success pattern fail with the body's start. The URL passes the
 * network guard.
 */
public final class HttpSmsProvider implements ChannelProvider {

    /** How a gateway is called and read. */
    public record Settings(String method, String url, String contentType, String bodyTemplate, Map<String, String> headers, String successPattern,
                           String idPattern, String unreachablePattern, String defaultSender) {}

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Settings s;
    private final Pattern success;
    private final Pattern id;
    private final Pattern unreachable;
    private final NetworkGuard guard;

    /** @throws IllegalArgumentException naming a pattern that is no regular expression, or a method it does not send */
    public HttpSmsProvider(Settings settings, NetworkGuard guard) {
        this.s = settings;
        this.guard = guard;
        if (!settings.method().equals("GET") && !settings.method().equals("POST")) {
            throw new IllegalArgumentException("method must be GET or POST, not " + settings.method());
        }
        this.success = Pattern.compile(settings.successPattern());
        this.id = settings.idPattern() == null || settings.idPattern().isBlank() ? null : Pattern.compile(settings.idPattern());
        this.unreachable = settings.unreachablePattern() == null || settings.unreachablePattern().isBlank() ? null
                : Pattern.compile(settings.unreachablePattern());
    }

    @Override
    public String channel() {
        return "sms";
    }

    @Override
    public Result send(String key, String phone, Map<String, Object> payload) {
        Result.Failed wrong = SmsNumbers.refusal(phone);
        if (wrong != null) {
            return wrong;
        }
        Map<String, String> values = Map.of("phone", phone.substring(1), "phone_e164", phone, "text", String.valueOf(payload.getOrDefault("text", "")),
                "sender", java.util.Objects.requireNonNullElse(SmsNumbers.sender(payload, s.defaultSender()), ""),
                "key", key);
        boolean json = s.contentType() != null && s.contentType().toLowerCase(java.util.Locale.ROOT).contains("json");
        URI uri;
        try {
            uri = URI.create(fill(s.url(), values, false));
            guard.check(uri.getHost());
        } catch (IllegalArgumentException | SecurityException e) {
            return new Result.Failed("url: " + e.getMessage(), false);
        } catch (java.net.UnknownHostException e) {
            return new Result.Retry("url: " + e.getMessage() + " does not resolve now", null);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        if (s.headers() != null) {
            s.headers().forEach((k, v) -> b.header(k, fill(v, values, null)));
        }
        if (s.method().equals("POST")) {
            b.header("Content-Type", s.contentType() == null ? "application/x-www-form-urlencoded" : s.contentType());
            b.POST(HttpRequest.BodyPublishers.ofString(s.bodyTemplate() == null ? "" : fill(s.bodyTemplate(), values, json)));
        } else {
            b.GET();
        }
        return ProviderCalls.call(http, b::build, r -> {
            String body = r.body() == null ? "" : r.body();
            String shown = body.length() > 200 ? body.substring(0, 200) + "…" : body;
            if (r.statusCode() == 429 || r.statusCode() >= 500) {
                return new Result.Retry("HTTP " + r.statusCode() + (shown.isBlank() ? "" : ": " + shown),
                        r.headers().firstValue("Retry-After").map(ChannelProvider::retryAfter).orElse(null));
            }
            Matcher ok = success.matcher(body);
            if (r.statusCode() / 100 == 2 && ok.find()) {
                String gatewayId = null;
                if (id != null) {
                    Matcher m = id.matcher(body);
                    gatewayId = m.find() ? (m.groupCount() > 0 ? m.group(1) : m.group()) : null;
                } else if (ok.groupCount() > 0) {
                    gatewayId = ok.group(1);
                }
                return new Result.Accepted(gatewayId);
            }
            return new Result.Failed("HTTP " + r.statusCode() + (shown.isBlank() ? "" : ": " + shown), unreachable != null && unreachable.matcher(body).find());
        });
    }

    /**
     * A template with its placeholders filled: {@code json} true escapes them as JSON string
     * contents, false URL-encodes them, null puts them in as they are (headers).
     */
    static String fill(String template, Map<String, String> values, Boolean json) {
        String out = template;
        for (Map.Entry<String, String> v : values.entrySet()) {
            String value = json == null ? v.getValue() : json ? jsonText(v.getValue()) : URLEncoder.encode(v.getValue(), StandardCharsets.UTF_8);
            out = out.replace("{" + v.getKey() + "}", value);
        }
        return out;
    }

    private static String jsonText(String s) {
        String quoted = Json.write(s);
        return quoted.substring(1, quoted.length() - 1);
    }
}
