package org.orbita.channels;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.orbita.common.Json;

/**
 * Apple Push Notification service over HTTP/2: {@code POST /3/device/{token}} with a provider
 * token (ES256, signed with the team's .p8 key, made again every 50 minutes), {@code apns-topic}
 * (the app's bundle id), {@code apns-push-type: alert} and an {@code apns-id} drawn from the
 * message's key, so a message sent again is the same notification. 200 is sent; 410
 * {@code Unregistered}, {@code BadDeviceToken} and {@code DeviceTokenNotForTopic} make the token
 * unreachable; {@code ExpiredProviderToken} makes a new provider token; 429 and 5xx are tried
 * again; other reasons fail with Apple's word.
 */
public final class ApnsPush implements PushProvider.Platform {

    private static final Set<String> GONE = Set.of("Unregistered", "BadDeviceToken", "DeviceTokenNotForTopic");

    private final HttpClient http;
    private final String apiUrl;
    private final String topic;
    private final BearerToken token;

    /**
     * @param apiUrl {@code https://api.push.apple.com} ({@code https://api.sandbox.push.apple.com} for development builds)
     * @param ssl the TLS context (null: the JDK's default trust)
     */
    public ApnsPush(String teamId, String keyId, String p8, String topic, String apiUrl, SSLContext ssl) {
        if (teamId == null || teamId.isBlank() || keyId == null || keyId.isBlank() || topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("orbita.channels.push.apns needs team-id, key-id, key and topic");
        }
        PrivateKey key = Jwt.pkcs8(p8, "EC", "orbita.channels.push.apns.key");
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5));
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
        this.apiUrl = FcmPush.trim(apiUrl);
        this.topic = topic;
        this.token = new BearerToken(() -> new BearerToken.Issued(Jwt.sign(Map.of("alg", "ES256", "kid", keyId),
                Map.of("iss", teamId, "iat", System.currentTimeMillis() / 1000), key), Duration.ofMinutes(51)), Clock.systemUTC());
    }

    @Override
    public String name() {
        return "apns";
    }

    @Override
    public ChannelProvider.Result send(String key, String deviceToken, Map<String, Object> payload) {
        if (!deviceToken.matches("[0-9a-fA-F]{32,200}")) {
            return new ChannelProvider.Result.Failed("BadDeviceToken: an APNs device token is hexadecimal", true);
        }
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("title", PushProvider.text(payload, "title"));
        alert.put("body", PushProvider.text(payload, "body"));
        Map<String, Object> aps = new LinkedHashMap<>();
        aps.put("alert", alert);
        aps.put("sound", "default");
        aps.put("mutable-content", 1);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("aps", aps);
        if (PushProvider.text(payload, "link") != null) {
            body.put("link", PushProvider.text(payload, "link"));
        }
        if (PushProvider.text(payload, "image") != null) {
            body.put("image", PushProvider.text(payload, "image"));
        }
        String json = Json.write(body);
        String id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
        String bearer = token.get();
        return ProviderCalls.call(http, () -> HttpRequest.newBuilder(URI.create(apiUrl + "/3/device/" + deviceToken)).timeout(Duration.ofSeconds(20))
                .header("authorization", "bearer " + bearer).header("apns-topic", topic).header("apns-push-type", "alert")
                .header("apns-priority", "10").header("apns-id", id).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), this::read);
    }

    private ChannelProvider.Result read(HttpResponse<String> r) {
        if (r.statusCode() == 200) {
            return new ChannelProvider.Result.Accepted(r.headers().firstValue("apns-id").orElse(null));
        }
        JsonNode answer = ProviderCalls.json(r.body()).orElseGet(Json.MAPPER::createObjectNode);
        String why = answer.path("reason").asText("HTTP " + r.statusCode());
        String reason = r.statusCode() + " " + why;
        if (why.equals("ExpiredProviderToken") || why.equals("InvalidProviderToken")) {
            token.expired();
            return new ChannelProvider.Result.Retry(reason, Duration.ZERO);
        }
        if (r.statusCode() == 429 || r.statusCode() >= 500) {
            return new ChannelProvider.Result.Retry(reason, null);
        }
        return new ChannelProvider.Result.Failed(reason, r.statusCode() == 410 || GONE.contains(why));
    }
}
