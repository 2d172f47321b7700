package org.orbita.channels;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orbita.common.Json;

/**
 * SMS through Infobip's {@code POST /sms/2/text/advanced} ({@code Authorization: App <key>}): one
 * message with one destination (the number's digits, the message's key as its {@code messageId}),
 * its delivery report asked at {@code notifyUrl} as JSON. The answer's status group says what
 * became of it: PENDING or DELIVERED accepted (the {@code messageId} kept for the report),
 * REJECTED failed — unreachable when the number itself is refused (status names
 * {@code REJECTED_DESTINATION}, {@code REJECTED_NOT_ENOUGH_CREDITS} is the account's: tried again).
 * HTTP 429 and 5xx are tried again; other 4xx fail with Infobip's {@code serviceException.text}.
 * Delivery reports ({@code {"results": [{"messageId", "status": {"groupName"}, "error": {…}}]}})
 * are read by {@link #report}.
 */
public final class InfobipSmsProvider extends SmsGateway {

    private static final Set<String> UNREACHABLE_STATUS = Set.of("REJECTED_DESTINATION", "REJECTED_PREFIX_MISSING", "REJECTED_NETWORK");
    private static final Set<String> ACCOUNT_STATUS = Set.of("REJECTED_NOT_ENOUGH_CREDITS");

    private final String apiUrl;
    private final String apiKey;
    private final String defaultFrom;
    private final String notifyUrl;

    /** @param notifyUrl where Infobip posts delivery reports (Orbita's public receipts address), or null for none */
    public InfobipSmsProvider(String apiUrl, String apiKey, String defaultFrom, String notifyUrl) {
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.apiKey = apiKey;
        this.defaultFrom = defaultFrom;
        this.notifyUrl = notifyUrl;
    }

    @Override
    public Result send(String key, String phone, Map<String, Object> payload) {
        Result.Failed wrong = SmsNumbers.refusal(phone);
        if (wrong != null) {
            return wrong;
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("from", SmsNumbers.sender(payload, defaultFrom));
        message.put("destinations", List.of(Map.of("to", phone.substring(1), "messageId", key)));
        message.put("text", String.valueOf(payload.getOrDefault("text", "")));
        if (notifyUrl != null && !notifyUrl.isBlank()) {
            message.put("notifyUrl", notifyUrl);
            message.put("notifyContentType", "application/json");
        }
        String body = Json.write(Map.of("messages", List.of(message)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + "/sms/2/text/advanced")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "App " + apiKey).header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return ProviderCalls.call(http, () -> request, r -> {
            JsonNode answer = ProviderCalls.json(r.body()).orElseGet(Json.MAPPER::createObjectNode);
            if (r.statusCode() / 100 == 2) {
                JsonNode m = answer.path("messages").path(0);
                String group = m.path("status").path("groupName").asText("");
                String name = m.path("status").path("name").asText("");
                if (group.equals("REJECTED") || group.equals("UNDELIVERABLE")) {
                    String reason = name + ": " + m.path("status").path("description").asText("");
                    return ACCOUNT_STATUS.contains(name) ? new Result.Retry(reason, Duration.ofMinutes(5))
                            : new Result.Failed(reason, UNREACHABLE_STATUS.contains(name));
                }
                return new Result.Accepted(m.path("messageId").asText(key));
            }
            String text = answer.path("requestError").path("serviceException").path("text").asText("HTTP " + r.statusCode());
            if (r.statusCode() == 429 || r.statusCode() >= 500) {
                return new Result.Retry(text, r.headers().firstValue("Retry-After").map(ChannelProvider::retryAfter).orElse(null));
            }
            return new Result.Failed(answer.path("requestError").path("serviceException").path("messageId").asText("HTTP " + r.statusCode())
                    + ": " + text, false);
        });
    }

    /**
     * A delivery report Infobip posted: each result's message told to the receipts — delivered for
     * the DELIVERED group, a final failure for UNDELIVERABLE, EXPIRED and REJECTED (pending ones are
     * not final and are left); how many were told.
     */
    public int report(String body) {
        JsonNode results = ProviderCalls.json(body).map(n -> n.path("results")).orElse(null);
        Receipts to = receiptsTo();
        if (results == null || !results.isArray() || to == null) {
            return 0;
        }
        int told = 0;
        for (JsonNode r : results) {
            String group = r.path("status").path("groupName").asText("");
            String id = r.path("messageId").asText(null);
            if (id == null || group.equals("PENDING")) {
                continue;
            }
            String status = r.path("status").path("name").asText(group)
                    + (r.path("error").path("id").asInt(0) == 0 ? "" : " (" + r.path("error").path("name").asText("") + ")");
            to.receipt(id, group.equals("DELIVERED"), status);
            told++;
        }
        return told;
    }
}
