package org.orbita.queues;

import java.util.List;
import java.util.Map;

/**
 * Durable work queues between the platform and its senders (MTA nodes, channel workers).
 * A published message is on the broker when {@code publish} returns; a consumed one is
 * removed only when its handler returns, and redelivered when the handler throws or the
 * consumer dies.
 */
public interface SendQueue extends AutoCloseable {

    /** Publishes one message and waits for the broker's confirm. */
    void publish(String queue, byte[] body, Map<String, String> headers);

    /** Publishes several messages with one wait for the broker's confirms. */
    void publishAll(String queue, List<Message> messages);

    /**
     * Delivers messages to the handler, at most {@code prefetch} unacknowledged at a time.
     *
     * @return a handle that stops consuming when closed
     */
    Consumer consume(String queue, int prefetch, Handler handler);

    /** Messages ready in the queue (not counting those delivered and not yet acknowledged). */
    long depth(String queue);

    /** How many consumers read the queue now (the mail sender nodes of the email queue). */
    long consumers(String queue);

    /** Removes every ready message; returns how many. */
    long purge(String queue);

    @Override
    void close();

    /** A message as published or delivered. */
    record Message(byte[] body, Map<String, String> headers, boolean redelivered) {
        public Message {
            headers = headers == null ? Map.of() : headers;
        }

        public static Message of(byte[] body) {
            return new Message(body, Map.of(), false);
        }
    }

    /** Handles one delivery; returning acknowledges it, throwing sends it back to the queue. */
    @FunctionalInterface
    interface Handler {
        void handle(Message message) throws Exception;
    }

    /** A running consumer. */
    interface Consumer extends AutoCloseable {
        @Override
        void close();
    }
}
