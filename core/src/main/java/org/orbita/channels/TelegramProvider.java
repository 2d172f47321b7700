package org.orbita.channels;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.orbita.common.Json;

/**
 * Telegram through the Bot API: {@code sendMessage} (or {@code sendPhoto} with the text as
 * caption when the message has an image) to the subscription's chat id, with the parse mode and
 * the inline keyboard rows of the message. The API's answers decide: {@code ok: true} is
 * delivered; 429 is tried again after {@code parameters.retry_after}; 5xx and network errors are
 * tried again; 403 (the user blocked the bot, or left) and 400 "chat not found" make the address
 * unreachable; other 400s fail with Telegram's description.
 */
public final class TelegramProvider implements ChannelProvider {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String apiUrl;
    private final String token;

    /** @param apiUrl {@code https://api.telegram.org} (or a local Bot API server) */
    public TelegramProvider(String apiUrl, String token) {
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.token = token;
    }

    @Override
    public String channel() {
        return "telegram";
    }

    @Override
    @SuppressWarnings("unchecked")
    public Result send(String key, String chatId, Map<String, Object> payload) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chat_id", chatId);
        String image = (String) payload.get("image");
        String method = image == null || image.isBlank() ? "sendMessage" : "sendPhoto";
        if (method.equals("sendPhoto")) {
            body.put("photo", image);
            body.put("caption", payload.get("text"));
        } else {
            body.put("text", payload.get("text"));
        }
        Object mode = payload.get("parseMode");
        if (mode != null) {
            body.put("parse_mode", mode);
        }
        Object buttons = payload.get("buttons");
        if (buttons instanceof List<?> list && !list.isEmpty()) {
            TreeMap<Integer, List<Map<String, Object>>> rows = new TreeMap<>();
            for (Object o : list) {
                Map<String, Object> b = (Map<String, Object>) o;
                int row = b.get("row") instanceof Number n ? n.intValue() : 0;
                rows.computeIfAbsent(row, r -> new ArrayList<>()).add(Map.of("text", String.valueOf(b.get("title")), "url", String.valueOf(b.get("link"))));
            }
            body.put("reply_markup", Map.of("inline_keyboard", new ArrayList<>(rows.values())));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + "/bot" + token + "/" + method)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
        return ProviderCalls.call(http, () -> request, r -> {
            Optional<JsonNode> parsed = ProviderCalls.json(r.body());
            if (parsed.isEmpty()) {
                return r.statusCode() >= 500 ? new Result.Retry("HTTP " + r.statusCode(), null)
                        : new Result.Failed("HTTP " + r.statusCode() + ": not a Bot API answer", false);
            }
            JsonNode answer = parsed.get();
            if (answer.path("ok").asBoolean(false)) {
                return new Result.Accepted(answer.at("/result/message_id").asText(null));
            }
            int code = answer.path("error_code").asInt(r.statusCode());
            String description = answer.path("description").asText("HTTP " + r.statusCode());
            if (code == 429) {
                long after = answer.at("/parameters/retry_after").asLong(1);
                return new Result.Retry(description, Duration.ofSeconds(after));
            }
            if (code >= 500) {
                return new Result.Retry(description, null);
            }
            boolean gone = code == 403 || description.toLowerCase(Locale.ROOT).contains("chat not found");
            return new Result.Failed(description, gone);
        });
    }
}
