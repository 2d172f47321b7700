package org.orbita.common;

import java.time.Duration;

/**
 * A service Orbita depends on cannot take more now (a journey engine that refuses entries, a
 * store that is down or full): nothing was accepted, unless the message says what was; the caller may try again after
 * {@code retryAfter} (REST: 503 with Retry-After).
 */
public class UnavailableException extends RuntimeException {

    private final Duration retryAfter;

    public UnavailableException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** The same, with what failed underneath (logged by whoever catches it, never told to the caller). */
    public UnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
