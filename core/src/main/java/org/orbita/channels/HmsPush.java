package org.orbita.channels;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orbita.common.Json;

/**
 * Huawei Push Kit: an access token by OAuth 2 client credentials (the app's id and secret), then
 * {@code POST /v1/{appId}/messages:send} with the token in a list. Push Kit answers 200 with a
 * result code in the body: {@code 80000000} sent; {@code 80300007} (every token invalid) makes the
 * address unreachable; {@code 80200001} / {@code 80200003} (OAuth token refused or expired) fetch
 * a new one; {@code 81000001} and HTTP 5xx / 429 are tried again; other codes fail with Push Kit's
 * message.
 */
public final class HmsPush implements PushProvider.Platform {

    private static final Set<String> AUTH = Set.of("80200001", "80200003");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI sendUrl;
    private final BearerToken token;

    /**
     * @param authUrl {@code https://oauth-login.cloud.huawei.com/oauth2/v3/token}
     * @param apiUrl {@code https://push-api.cloud.huawei.com}
     */
    public HmsPush(String appId, String appSecret, String authUrl, String apiUrl) {
        if (appId == null || appId.isBlank() || appSecret == null || appSecret.isBlank()) {
            throw new IllegalArgumentException("orbita.channels.push.hms needs app-id and app-secret");
        }
        this.sendUrl = URI.create(FcmPush.trim(apiUrl) + "/v1/" + appId + "/messages:send");
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(appId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(appSecret, StandardCharsets.UTF_8);
        this.token = new BearerToken(() -> OAuth.fetch(http, authUrl, form, "HMS"), Clock.systemUTC());
    }

    @Override
    public String name() {
        return "hms";
    }

    @Override
    public ChannelProvider.Result send(String key, String deviceToken, Map<String, Object> payload) {
        Map<String, Object> notification = PushProvider.notification(payload);
        String link = PushProvider.text(payload, "link");
        // type 1 opens the app at an intent (the deep link); type 3 just opens the app
        Map<String, Object> click = link == null ? Map.of("type", 3) : Map.of("type", 1, "intent", link);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("notification", notification);
        message.put("android", Map.of("bi_tag", key, "notification", Map.of("click_action", click)));
        message.put("token", List.of(deviceToken));
        String body = Json.write(Map.of("validate_only", false, "message", message));
        return OAuth.post(http, sendUrl, token, "HMS", body, this::read);
    }

    private ChannelProvider.Result read(HttpResponse<String> r) {
        JsonNode answer = ProviderCalls.json(r.body()).orElseGet(Json.MAPPER::createObjectNode);
        String code = answer.path("code").asText("");
        String reason = (code.isEmpty() ? "HTTP " + r.statusCode() : code) + ": " + answer.path("msg").asText("");
        if (r.statusCode() == 401 || AUTH.contains(code)) {
            token.expired();
            return new ChannelProvider.Result.Retry(reason, Duration.ZERO);
        }
        if (r.statusCode() == 429 || r.statusCode() >= 500 || code.equals("81000001")) {
            return new ChannelProvider.Result.Retry(reason, r.headers().firstValue("Retry-After").map(ChannelProvider::retryAfter).orElse(null));
        }
        if (code.equals("80000000")) {
            return new ChannelProvider.Result.Accepted(answer.path("requestId").asText(null));
        }
        return new ChannelProvider.Result.Failed(reason, code.equals("80300007"));
    }
}
