package org.orbita.mta.spool;

import java.time.Instant;
import java.util.List;

/**
 * A message as the spool holds it: the envelope, when it was accepted, and where its body
 * lies on disk. The body stays on disk until a delivery reads it, so a million queued
 * messages cost their envelopes in memory, not their bodies. {@code key} is the sender's
 * idempotency key, null when it gave none.
 */
public record SpooledMessage(String id, String key, String sender, List<String> recipients, Instant accepted,
                             long segment, long bodyOffset, int bodyLength) {

    public SpooledMessage {
        recipients = List.copyOf(recipients);
    }
}
