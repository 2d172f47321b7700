package org.orbita.mta.smtp;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where accepted mail goes: completes with the queue id once the message is durably stored. */
@FunctionalInterface
public interface Injection {

    CompletableFuture<String> inject(String sender, List<String> recipients, byte[] message);

    /**
     * Injection with the sender's idempotency key (the platform's {@code run/profile/channel}):
     * a key this node already spooled is accepted again without a second copy.
     */
    @FunctionalInterface
    interface Keyed {
        CompletableFuture<String> inject(String key, String sender, List<String> recipients, byte[] message);
    }
}
