package org.orbita.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The webhooks' outbox: every call owed to a receiver, kept until it is answered 2xx (then for a
 * while, to be looked at) or given up (the dead letters, kept to be replayed). A delivery waits
 * behind the earlier ones of its webhook and ordering key (a profile) still pending, so a
 * receiver hears each profile's events in order.
 */
public interface WebhookStore {

    enum State { PENDING, DELIVERED, DEAD }

    /**
     * One call owed. {@code id} is the receiver's idempotency key ({@code webhook-id}); {@code seq}
     * orders a key's deliveries; {@code payload} is the body, as sent on every attempt.
     */
    record Delivery(String id, String workspaceId, String webhookId, String orderKey, long seq, String eventType, String payload, State state,
                    int attempts, Instant next, Instant created, Instant lastAttempt, Integer lastStatus, String lastError) {}

    /** Keeps new deliveries; one whose id is already kept is left as it is (an event heard twice). */
    void add(List<Delivery> deliveries);

    /**
     * Deliveries due by {@code now}, not leased, each the first still pending of its webhook and
     * ordering key, oldest first.
     */
    List<Delivery> due(Instant now, int limit);

    /** Takes due deliveries until {@code until}; the ids taken (not those another node took first, or no longer pending). */
    java.util.Set<String> lease(java.util.Collection<String> ids, Instant now, Instant until);

    /**
     * An attempt's outcome: {@code DELIVERED}, {@code PENDING} again at {@code next} (a retry), or
     * {@code DEAD} (given up); its lease ends.
     */
    record Outcome(String id, State state, int attempts, Instant next, Instant at, Integer status, String error) {}

    /** Keeps the outcomes of a round of calls, in one transaction. */
    void record(List<Outcome> outcomes);

    /** Every pending delivery of a webhook made a dead letter with this reason (it was disabled); how many. */
    int killPending(String workspaceId, String webhookId, Instant at, String error);

    /** A webhook's deliveries in one state, newest first, older than {@code before} (a page's last seq) when given. */
    List<Delivery> list(String workspaceId, String webhookId, State state, Long before, int limit);

    Optional<Delivery> get(String workspaceId, String id);

    /** Dead letters (one, or all of a webhook when {@code id} is null) made pending again, due now, attempts from zero; how many. */
    int replay(String workspaceId, String webhookId, String id, Instant now);

    /** A webhook's deliveries counted by state. */
    Map<State, Long> counts(String workspaceId, String webhookId);

    /** Forgets delivered calls answered before {@code deliveredBefore}, and dead letters given up before {@code deadBefore}; how many. */
    int purge(Instant deliveredBefore, Instant deadBefore);

    /** Forgets every delivery of a webhook (it was deleted). */
    void forget(String workspaceId, String webhookId);
}
