package org.orbita.mta.smtp;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where accepted mail goes: completes with the queue id once the message is durably stored. */
@FunctionalInterface
public interface Injection {

    CompletableFuture<String> inject(String sender, List<String> recipients, byte[] message);
}
