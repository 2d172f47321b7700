package org.orbita.channels;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.orbita.common.Json;

/**
 * Firebase Cloud Messaging's HTTP v1 API, and RuStore's push API, which has the same shape:
 * {@code POST /v1/projects/{project}/messages:send} with {@code {"message": {"token", "notification",
 * "data"}}} and a bearer token — for FCM an OAuth 2 access token the service account's signed
 * assertion (RS256) buys at its {@code token_uri}, for RuStore the project's service token.
 * Answers are read as Google's error model: {@code UNREGISTERED} / 404 and
 * {@code SENDER_ID_MISMATCH} make the token unreachable, as does {@code INVALID_ARGUMENT} about the
 * token; 429 {@code QUOTA_EXCEEDED}, 500 and 503 are tried again (after {@code Retry-After});
 * 401 fetches a new access token.
 */
public final class FcmPush implements PushProvider.Platform {

    private final String name;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI sendUrl;
    private final BearerToken token;

    private FcmPush(String name, URI sendUrl, Function<HttpClient, BearerToken> token) {
        this.name = name;
        this.sendUrl = sendUrl;
        this.token = token.apply(http);
    }

    /**
     * FCM with a service account's JSON key (as the Firebase console gives it).
     *
     * @param apiUrl {@code https://fcm.googleapis.com}
     */
    public static FcmPush fcm(String serviceAccountJson, String apiUrl) {
        JsonNode account;
        try {
            account = Json.MAPPER.readTree(serviceAccountJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("orbita.channels.push.fcm.service-account is not JSON: " + e.getMessage(), e);
        }
        String project = account.path("project_id").asText("");
        String email = account.path("client_email").asText("");
        String tokenUri = account.path("token_uri").asText("https://oauth2.googleapis.com/token");
        if (project.isBlank() || email.isBlank()) {
            throw new IllegalArgumentException("orbita.channels.push.fcm.service-account needs project_id and client_email");
        }
        PrivateKey key = Jwt.pkcs8(account.path("private_key").asText(""), "RSA", "the service account's private_key");
        return new FcmPush("fcm", URI.create(trim(apiUrl) + "/v1/projects/" + project + "/messages:send"), http -> new BearerToken(() -> {
            long now = System.currentTimeMillis() / 1000;
            String assertion = Jwt.sign(Map.of("alg", "RS256", "typ", "JWT"), Map.of("iss", email, "aud", tokenUri, "iat", now, "exp", now + 3600,
                    "scope", "https://www.googleapis.com/auth/firebase.messaging"), key);
            return OAuth.fetch(http, tokenUri, "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
                    + "&assertion=" + assertion, "FCM");
        }, Clock.systemUTC()));
    }

    /**
     * RuStore push with a project's id and service token.
     *
     * @param apiUrl {@code https://vkpns.rustore.ru}
     */
    public static FcmPush rustore(String projectId, String serviceToken, String apiUrl) {
        if (projectId == null || projectId.isBlank() || serviceToken == null || serviceToken.isBlank()) {
            throw new IllegalArgumentException("orbita.channels.push.rustore needs project-id and service-token");
        }
        return new FcmPush("rustore", URI.create(trim(apiUrl) + "/v1/projects/" + projectId + "/messages:send"),
                http -> new BearerToken(() -> new BearerToken.Issued(serviceToken, Duration.ofDays(36500)), Clock.systemUTC()));
    }

    static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ChannelProvider.Result send(String key, String deviceToken, Map<String, Object> payload) {
        Map<String, Object> notification = PushProvider.notification(payload);
        Map<String, String> data = new LinkedHashMap<>();
        data.put("orbita_key", key);
        if (PushProvider.text(payload, "link") != null) {
            data.put("link", PushProvider.text(payload, "link"));
        }
        String body = Json.write(Map.of("message", Map.of("token", deviceToken, "notification", notification, "data", data)));
        return OAuth.post(http, sendUrl, token, name, body, this::read);
    }

    private ChannelProvider.Result read(HttpResponse<String> r) {
        JsonNode answer = ProviderCalls.json(r.body()).orElseGet(Json.MAPPER::createObjectNode);
        if (r.statusCode() / 100 == 2) {
            return new ChannelProvider.Result.Accepted(answer.path("name").asText(answer.path("message_id").asText(null)));
        }
        JsonNode error = answer.path("error");
        String status = error.path("status").asText("");
        String errorCode = "";
        for (JsonNode d : error.path("details")) {
            errorCode = d.path("errorCode").asText(errorCode);
        }
        String message = error.path("message").asText("HTTP " + r.statusCode());
        String reason = (errorCode.isEmpty() ? status.isEmpty() ? "HTTP " + r.statusCode() : status : errorCode) + ": " + message;
        if (r.statusCode() == 401 || status.equals("UNAUTHENTICATED") || errorCode.equals("THIRD_PARTY_AUTH_ERROR")) {
            token.expired();
            return new ChannelProvider.Result.Retry(reason, Duration.ZERO);
        }
        if (r.statusCode() == 429 || r.statusCode() >= 500) {
            return new ChannelProvider.Result.Retry(reason, r.headers().firstValue("Retry-After").map(ChannelProvider::retryAfter).orElse(null));
        }
        boolean gone = errorCode.equals("UNREGISTERED") || errorCode.equals("SENDER_ID_MISMATCH") || r.statusCode() == 404
                || (status.equals("INVALID_ARGUMENT") && message.toLowerCase(Locale.ROOT).contains("token"));
        return new ChannelProvider.Result.Failed(reason, gone);
    }
}
