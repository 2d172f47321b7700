package org.orbita.sending;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Which profile got which message in which channel, per campaign run: the record that keeps a
 * send exactly-once across crashes. An entry is written {@code pending} before its message is
 * published and {@code queued} after the queue confirmed it; a run that restarts re-publishes
 * only its pending entries (with the same key, which the receiving sender drops if it has it)
 * and never the queued ones. {@code skipped} entries say why a profile got nothing.
 */
public interface SendLedger {

    String PENDING = "pending";
    String QUEUED = "queued";
    String SKIPPED = "skipped";
    String FAILED = "failed";
    /** Held back by quiet hours until {@code due}. */
    String WAITING = "waiting";
    /** A channel worker took the entry and is calling its provider. */
    String SENDING = "sending";
    /** The channel's provider accepted the message. */
    String DELIVERED = "delivered";

    /** One profile in one channel of a run; {@code due} only for a waiting entry. */
    record Entry(String profileId, String channel, String state, String detail, java.time.Instant due) {

        public Entry(String profileId, String channel, String state, String detail) {
            this(profileId, channel, state, detail, null);
        }

        public String key() {
            return profileId + "/" + channel;
        }
    }

    /**
     * Adds entries that are not in the run's ledger yet (an entry already there, whatever its
     * state, is left as it is) and returns the run's entries for those keys as they now stand.
     */
    Map<String, Entry> reserve(String runId, List<Entry> entries);

    /**
     * Sets the state, detail and due time of entries that are still {@code pending}; an entry a channel
     * worker already took (it may take one the moment it is published) is left as it is.
     */
    void mark(String runId, Collection<Entry> entries);

    /**
     * Moves one entry from one state to another if it is in that state (compare and set), so
     * two workers given the same message cannot both send it. Returns whether it moved.
     */
    boolean advance(String runId, String key, String from, String to, String detail);

    /**
     * Per profile: messages in a channel from runs other than {@code exceptRun} since a moment
     * that went or are going out (pending, queued, sending, delivered) — for frequency caps.
     */
    Map<String, Long> sentSince(Collection<String> profileIds, String channel, java.time.Instant since, String exceptRun);

    /** Waiting entries of a run whose time has come, in key order. */
    List<Entry> due(String runId, java.time.Instant now, int limit);

    /** When the run's next waiting entry is due; empty when none waits. */
    java.util.Optional<java.time.Instant> nextDue(String runId);

    /** Entries per state. */
    Map<String, Long> countByState(String runId);

    /** Entries of a run after {@code afterKey} (null: from the start), in key order. */
    List<Entry> entries(String runId, String afterKey, int limit);

    /** The idempotency key a sender sees: the run, the profile and the channel. */
    static String messageKey(String runId, Entry e) {
        return runId + "/" + e.key();
    }
}
