package org.orbita.channels;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * An access token fetched when first needed and again a minute before it runs out, or at once
 * when the service says it expired.
 */
final class BearerToken {

    /** A token and how long it lives. */
    record Issued(String token, Duration lifetime) {}

    private final Supplier<Issued> fetch;
    private final Clock clock;
    private String token;
    private Instant until = Instant.MIN;

    BearerToken(Supplier<Issued> fetch, Clock clock) {
        this.fetch = fetch;
        this.clock = clock;
    }

    synchronized String get() {
        if (token == null || clock.instant().isAfter(until)) {
            Issued i = fetch.get();
            token = i.token();
            until = clock.instant().plus(i.lifetime()).minusSeconds(60);
        }
        return token;
    }

    synchronized void expired() {
        token = null;
    }
}
