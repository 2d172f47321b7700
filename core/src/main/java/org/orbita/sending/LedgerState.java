package org.orbita.sending;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where one profile's message in one channel of a run stands in the send ledger. */
public enum LedgerState {
    /** Reserved; published or about to be (a restarted run publishes it again with the same key). */
    PENDING,
    /** The queue confirmed the message. */
    QUEUED,
    /** Never sent, with the reason in the entry's detail. */
    SKIPPED,
    /** Could not be rendered or delivered, with the reason. */
    FAILED,
    /** Held back until the entry's due time (quiet hours, local time, a send-time variant, an A/B winner). */
    WAITING,
    /** A channel worker took it and is calling its provider. */
    SENDING,
    /** The channel's provider accepted it. */
    DELIVERED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static LedgerState fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** Whether the message went out or is on its way: what frequency caps count. */
    public boolean outgoing() {
        return this == PENDING || this == QUEUED || this == SENDING || this == DELIVERED;
    }
}
