package org.orbita.inbound;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What each source received, as it came, and what became of it — kept to be looked at and replayed. */
public interface InboundLog {

    enum State { ACCEPTED, REJECTED, DUPLICATE }

    record Received(String id, String workspaceId, String source, Instant at, String contentType, String body, String key, State state,
                    String error, String profileId, String eventId, int replays) {}

    /** What processing (or a replay) made of a kept call. */
    record Made(String id, State state, String error, String profileId, String eventId, boolean replayed) {}

    /**
     * Keeps received calls in one write: for each, whether it was kept — not when its source
     * already has one with its {@code key} (or an earlier one of the same list has).
     */
    boolean[] addAll(List<Received> received);

    /** Keeps a received call; false (nothing kept) when the source already has one with this {@code key}. */
    default boolean add(Received received) {
        return addAll(List.of(received))[0];
    }

    /** What processing (or a replay) made of calls, in one write. */
    void outcomes(List<Made> made);

    /** What processing (or a replay) made of it. */
    default void outcome(String id, State state, String error, String profileId, String eventId, boolean replayed) {
        outcomes(List.of(new Made(id, state, error, profileId, eventId, replayed)));
    }

    Optional<Received> get(String workspaceId, String id);

    /** A source's calls, newest first; {@code state} null for all; older than {@code before} (an id) when given. */
    List<Received> list(String workspaceId, String source, State state, String before, int limit);

    /** Forgets calls received before {@code before}; how many. */
    int purge(Instant before);

    void forget(String workspaceId, String source);
}
