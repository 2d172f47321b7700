package org.orbita.sending;

import java.util.Map;
import org.orbita.content.Message;
import org.orbita.profiles.Profile;
import org.orbita.profiles.Subscription;

/**
 * One message to one profile in one channel, as its sender decided it: the run and its ledger
 * entry, the address ({@code target}; none for channels that need no subscription), the message,
 * where it comes from, and what its {@code message.sent} event says besides what the run says
 * ({@link SendLedger.Run#attribution()}) and the message (a variant, a journey's node, a trigger).
 */
public record Send(SendLedger.Run run, SendLedger.Entry entry, Profile profile, Subscription target, Message message, SendOrigin origin,
                   Map<String, Object> sentProperties) {

    public String runId() {
        return run.id();
    }

    /** The idempotency key receivers see: run, profile and channel. */
    public String key() {
        return SendLedger.messageKey(run.id(), entry);
    }
}
