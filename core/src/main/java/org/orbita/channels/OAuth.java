package org.orbita.channels;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;
import org.orbita.common.Json;

/** Access tokens from an OAuth 2 token endpoint (a form POST answered with {@code access_token} and {@code expires_in}). */
final class OAuth {

    /** The token endpoint refused or could not be reached; {@code temporary} when trying later may help. */
    static final class Refused extends RuntimeException {
        final boolean temporary;

        Refused(String message, boolean temporary) {
            super(message);
            this.temporary = temporary;
        }
    }

    /** A token to send with, or why there is none. */
    record Bearer(String token, ChannelProvider.Result failure) {}

    private OAuth() {}

    static BearerToken.Issued fetch(HttpClient http, String url, String form, String service) {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Refused(service + " token endpoint: " + e.getMessage(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted", true);
        }
        JsonNode answer = ProviderCalls.json(r.body()).orElseGet(Json.MAPPER::createObjectNode);
        String token = answer.path("access_token").asText("");
        if (r.statusCode() / 100 == 2 && !token.isEmpty()) {
            return new BearerToken.Issued(token, Duration.ofSeconds(answer.path("expires_in").asLong(3600)));
        }
        String why = answer.path("error_description").asText(answer.path("error").asText("HTTP " + r.statusCode()));
        throw new Refused(service + " refused the credentials: " + why, r.statusCode() >= 500 || r.statusCode() == 429);
    }

    /** A JSON POST with the current access token, its answer read by {@code read}; without a token, why there is none. */
    static ChannelProvider.Result post(HttpClient http, URI url, BearerToken token, String service, String json,
                                       Function<HttpResponse<String>, ChannelProvider.Result> read) {
        Bearer bearer = bearer(token, service);
        if (bearer.failure() != null) {
            return bearer.failure();
        }
        return ProviderCalls.call(http, () -> HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + bearer.token()).header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), read);
    }

    /** The current token, or a Retry / Failed saying why none could be had. */
    static Bearer bearer(BearerToken token, String service) {
        try {
            return new Bearer(token.get(), null);
        } catch (Refused e) {
            return new Bearer(null, e.temporary ? new ChannelProvider.Result.Retry(e.getMessage(), null)
                    : new ChannelProvider.Result.Failed(e.getMessage(), false));
        }
    }
}
