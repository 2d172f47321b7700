package org.orbita.mta.spool;

import java.time.Instant;
import java.util.List;

/**
 * A message as the spool holds it: the envelope, when it was accepted, and where its body
 * lies on disk. The body stays on disk until a delivery reads it, so a million queued
 * messages cost their envelopes in memory, not their bodies.
 */
public record SpooledMessage(String id, String sender, List<String> recipients, Instant accepted,
                             long segment, long bodyOffset, int bodyLength) {

    public SpooledMessage {
        recipients = List.copyOf(recipients);
    }
}
