package org.orbita.mta.delivery;

import java.time.Instant;

/** What became of one recipient of one message. */
public sealed interface Outcome {

    String messageId();

    /** The sender's idempotency key of the message (the platform's {@code run/profile/channel}), or null. */
    String key();

    String recipient();

    /** The receiving site it was for ({@code none} when it never got that far). */
    String site();

    /** The receiving server took it. */
    record Delivered(String messageId, String key, String recipient, String site, Reply reply, Instant at) implements Outcome {}

    /** A temporary failure; tried again at {@code retryAt}. */
    record Deferred(String messageId, String key, String recipient, String site, String reason, Reply reply, Instant retryAt) implements Outcome {}

    /** A permanent failure (or too old to try again): given up, with the bounce's class. */
    record Bounced(String messageId, String key, String recipient, String site, Bounce bounce, Reply reply, Instant at) implements Outcome {}
}
