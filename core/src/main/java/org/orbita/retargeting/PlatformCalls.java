package org.orbita.retargeting;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.orbita.outbound.NetworkGuard;

/** An advertising platform's calls: behind the network guard, a connection failure worth trying again. */
final class PlatformCalls {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private final NetworkGuard guard;

    PlatformCalls(NetworkGuard guard) {
        this.guard = guard;
    }

    HttpResponse<String> send(HttpRequest.Builder request, String platform) {
        HttpRequest r = request.timeout(Duration.ofSeconds(60)).build();
        try {
            guard.check(r.uri().getHost());
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (SecurityException e) {
            throw new AudienceDestination.Refused(platform + ": " + e.getMessage(), false);
        } catch (IOException e) {
            throw new AudienceDestination.Refused(platform + " could not be reached: " + e.getClass().getSimpleName(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AudienceDestination.Refused(platform + ": interrupted", true);
        }
    }

    static URI uri(String base, String path) {
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }
}
