package org.orbita.channels;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.orbita.common.Json;

/** What every HTTP provider does alike: a call whose network failures are tried again and whose answers the provider reads. */
final class ProviderCalls {

    private ProviderCalls() {}

    /**
     * Sends a request and reads the answer; a connection failure or an interrupt is a
     * {@link ChannelProvider.Result.Retry}, a request that cannot be made (a bad header) a
     * {@link ChannelProvider.Result.Failed}.
     */
    static ChannelProvider.Result call(HttpClient http, Supplier<HttpRequest> request, Function<HttpResponse<String>, ChannelProvider.Result> read) {
        try {
            return read.apply(http.send(request.get(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return new ChannelProvider.Result.Retry("connection: " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ChannelProvider.Result.Retry("interrupted", null);
        } catch (IllegalArgumentException e) {
            return new ChannelProvider.Result.Failed("request: " + e.getMessage(), false);
        }
    }

    /** A JSON answer, or empty when the body is not JSON (a proxy's HTML error page, say). */
    static Optional<JsonNode> json(String body) {
        try {
            return Optional.of(Json.MAPPER.readTree(body));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
