package org.orbita.channels;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.orbita.common.Json;

/**
 * SMS through MTS Exolve's SMS API ({@code docs.exolve.ru}, method SendSMS): a JSON POST to
 * {@code {base}/SendSMS} with {@code Authorization: Bearer <the application's API key>} and
 * {@code {"number": sender number or alpha name, "destination": digits, "text"}}; the answer is
 * {@code {"message_id": "…"}}. Errors come as {@code {"error": {"message": …}}}: a destination the
 * API refuses ({@code invalid SendRequest.Destination}, a number that does not exist) makes the
 * address unreachable, other 4xx fail the message, 401 / 403 (the key) are tried again in five
 * minutes, 429 and 5xx again soon (after {@code Retry-After} when given). Exolve's delivery
 * statuses are not read here: its {@code GetList} numbers them without a published meaning and its
 * status notifications' shape is not public, so messages through it stay {@code delivered} as sent.
 */
public final class ExolveSmsProvider extends SmsGateway {

    private final String base;
    private final String apiKey;
    private final String defaultNumber;

    /** @param base {@code https://api.exolve.ru/messaging/v1} */
    public ExolveSmsProvider(String base, String apiKey, String defaultNumber) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.apiKey = apiKey;
        this.defaultNumber = defaultNumber;
    }

    @Override
    public Result send(String key, String phone, Map<String, Object> payload) {
        Result.Failed wrong = SmsNumbers.refusal(phone);
        if (wrong != null) {
            return wrong;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("number", SmsNumbers.sender(payload, defaultNumber));
        body.put("destination", phone.substring(1));
        body.put("text", String.valueOf(payload.getOrDefault("text", "")));
        return ProviderCalls.call(http, () -> HttpRequest.newBuilder(URI.create(base + "/SendSMS")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), r -> {
                    JsonNode answer = ProviderCalls.json(r.body()).orElse(null);
                    if (r.statusCode() == 200 && answer != null && answer.hasNonNull("message_id")) {
                        return new Result.Accepted(answer.path("message_id").asText());
                    }
                    if (r.statusCode() == 429 || r.statusCode() >= 500) {
                        return new Result.Retry("HTTP " + r.statusCode(),
                                r.headers().firstValue("Retry-After").map(ChannelProvider::retryAfter).orElse(null));
                    }
                    String message = answer == null ? "" : answer.path("error").isObject() ? answer.path("error").path("message").asText("")
                            : answer.path("error").asText(answer.path("message").asText(""));
                    String reason = "HTTP " + r.statusCode() + (message.isBlank() ? "" : ": " + message);
                    if (r.statusCode() == 200) {
                        return new Result.Retry("Exolve's answer has no message_id: " + r.body().substring(0, Math.min(200, r.body().length())), null);
                    }
                    if (r.statusCode() == 401 || r.statusCode() == 403) {
                        return new Result.Retry(reason, Duration.ofMinutes(5));
                    }
                    String m = message.toLowerCase(Locale.ROOT);
                    return new Result.Failed(reason, m.contains("destination") || m.contains("number does not exist"));
                });
    }
}
