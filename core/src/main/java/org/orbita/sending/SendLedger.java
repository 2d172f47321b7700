package org.orbita.sending;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which profile got which message in which channel, per run: the record that keeps a send
 * exactly-once across crashes. An entry is written {@code pending} before its message is
 * published and {@code queued} after the queue confirmed it; a run that restarts re-publishes
 * only its pending entries (with the same key, which the receiving sender drops if it has it)
 * and never the queued ones. {@code skipped} entries say why a profile got nothing. Each run is
 * recorded with what it is ({@link Run}), so the outcomes of its messages — a delivery, a
 * bounce, a complaint — are attributed whatever sent them.
 */
public interface SendLedger {

    /** A run: its kind, where it sends (workspace, database) and what it belongs to (a campaign, a journey). */
    record Run(String id, SendKind kind, String workspaceId, String databaseId, String campaignId, String journeyId) {

        /**
         * What the events of its messages (sent, delivered, bounced, complained…) say they belong
         * to: {@code campaign} (what the campaign's figures count), {@code observer_of} (a copy
         * outside them), {@code journey}, or {@code transactional}; and the {@code run}.
         */
        public Map<String, Object> attribution() {
            if (kind == SendKind.TEST && !id.startsWith(SendKind.TEST_RUN_PREFIX)) {
                throw new IllegalStateException("a test run's id begins with " + SendKind.TEST_RUN_PREFIX);
            }
            Map<String, Object> props = new LinkedHashMap<>();
            switch (kind) {
                case CAMPAIGN, TRIGGER -> props.put("campaign", campaignId);
                case OBSERVERS -> props.put("observer_of", campaignId);
                case JOURNEY -> props.put("journey", journeyId);
                case TRANSACTIONAL -> props.put("transactional", true);
                case TEST -> props.put("test", true);
            }
            props.put("run", id);
            return props;
        }
    }

    /**
     * One profile in one channel of a run; {@code due} only for a waiting entry; {@code address}
     * (the email, phone, chat or device it goes to) when it was known as the entry was reserved —
     * for caps per address across profiles. Entries read back do not carry it.
     */
    record Entry(String profileId, SendChannel channel, LedgerState state, String detail, Instant due, String address) {

        public Entry(String profileId, SendChannel channel, LedgerState state, String detail) {
            this(profileId, channel, state, detail, null, null);
        }

        public Entry(String profileId, SendChannel channel, LedgerState state, String detail, Instant due) {
            this(profileId, channel, state, detail, due, null);
        }

        /** A pending entry to this address. */
        public static Entry pending(String profileId, SendChannel channel, String address) {
            return new Entry(profileId, channel, LedgerState.PENDING, null, null, address);
        }

        public String key() {
            return profileId + "/" + channel.id();
        }

        /** The same entry in another state. */
        public Entry now(LedgerState state, String detail) {
            return new Entry(profileId, channel, state, detail, null, address);
        }

        /** The same entry waiting until {@code due}. */
        public Entry waiting(String detail, Instant due) {
            return new Entry(profileId, channel, LedgerState.WAITING, detail, due, address);
        }
    }

    /**
     * Records the run (once) and adds entries that are not in its ledger yet (an entry already
     * there, whatever its state, is left as it is); returns the run's entries for those keys as
     * they now stand.
     */
    Map<String, Entry> reserve(Run run, List<Entry> entries);

    /** What a run is, when the ledger has it. */
    Optional<Run> run(String runId);

    /**
     * Sets the state, detail and due time of entries that are still {@code pending}; an entry a channel
     * worker already took (it may take one the moment it is published) is left as it is.
     */
    void mark(String runId, Collection<Entry> entries);

    /**
     * Moves one entry from one state to another if it is in that state (compare and set), so
     * two workers given the same message cannot both send it. Returns whether it moved.
     */
    boolean advance(String runId, String key, LedgerState from, LedgerState to, String detail);

    /**
     * Per profile: messages in a channel from runs other than {@code exceptRun} since a moment
     * that went or are going out ({@link LedgerState#outgoing()}) — for frequency caps.
     */
    Map<String, Long> sentSince(Collection<String> profileIds, SendChannel channel, Instant since, String exceptRun);

    /**
     * Per address: messages in a channel to these addresses, whichever profile they belonged to,
     * from runs other than {@code exceptRun} since a moment, that went or are going out — for the
     * cap per address across profiles.
     */
    Map<String, Long> sentToAddressesSince(Collection<String> addresses, SendChannel channel, Instant since, String exceptRun);

    /** Waiting entries of a run whose time has come, in key order. */
    List<Entry> due(String runId, Instant now, int limit);

    /** When the run's next waiting entry is due; empty when none waits. */
    Optional<Instant> nextDue(String runId);

    /** Entries per state (by the state's id). */
    Map<String, Long> countByState(String runId);

    /** Entries of a run after {@code afterKey} (null: from the start), in key order. */
    List<Entry> entries(String runId, String afterKey, int limit);

    /** The idempotency key a sender sees: the run, the profile and the channel. */
    static String messageKey(String runId, Entry e) {
        return runId + "/" + e.key();
    }
}
