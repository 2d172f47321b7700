package org.orbita.channels;

import java.time.Duration;
import java.util.Map;

/**
 * One way out for a channel (webhook, Telegram, an SMS gateway…): takes one rendered message
 * for one address and says what became of it. Providers speak their service's real protocol;
 * each is tested against a server on loopback that answers as the service does, errors included.
 */
public interface ChannelProvider {

    /** The channel it sends in ({@code webhook}, {@code telegram}, {@code sms}). */
    String channel();

    /**
     * Sends one message; never throws for the service's own refusals, which come back as
     * {@link Result.Retry} (try again later) or {@link Result.Failed} (never will work).
     *
     * @param key the message's idempotency key (services that take one get it)
     */
    Result send(String key, String address, Map<String, Object> payload);

    /** Where a provider reports what its service says of a message later (an SMSC's delivery receipt). */
    @FunctionalInterface
    interface Receipts {
        /** @param providerId the id {@link Result.Accepted} gave; {@code delivered} false for a final failure */
        void receipt(String providerId, boolean delivered, String status);
    }

    /** Registers where receipts go; providers whose service sends none ignore it. */
    default void receipts(Receipts to) {}

    /** A {@code Retry-After} header in seconds as a wait; null when absent or not a number of seconds. */
    static Duration retryAfter(String header) {
        try {
            return header == null ? null : Duration.ofSeconds(Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** What became of a send. */
    sealed interface Result {
        /** Taken by the service; {@code id} is its id for the message when it gives one. */
        record Accepted(String id) implements Result {}

        /** A temporary refusal or failure: try again, not before {@code after} when the service says so. */
        record Retry(String reason, Duration after) implements Result {}

        /** A permanent refusal; {@code unreachable} when the address itself is gone (blocked bot, unknown number). */
        record Failed(String reason, boolean unreachable) implements Result {}
    }
}
