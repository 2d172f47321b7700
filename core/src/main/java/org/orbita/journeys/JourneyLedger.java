package org.orbita.journeys;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where every journey instance is: Orbita's own record, because the in-process Zeebe engine
 * keeps nothing across restarts. Each instance is written when it enters and at every step (the
 * node it is now at or about to run, since when, and its variables), so a restart can put each
 * live instance back at its node with Zeebe's start instructions. Per-node counters feed the
 * builder's statistics. A profile has at most one live instance of a journey unless it enters
 * with {@code exclusive} false.
 */
public interface JourneyLedger {

    String LIVE = "live";
    String DONE = "done";
    String STOPPED = "stopped";

    /** One journey instance: its journey and version, the profile, the node it is at and since when. */
    record Instance(String id, String workspaceId, String journeyId, int version, String databaseId, String profileId, String node,
                    String state, Instant enteredAt, Instant stepAt, Map<String, Object> variables, String incident) {

        public Instance {
            variables = variables == null ? Map.of() : variables;
        }
    }

    /**
     * Per node of a journey: entered, completed, waiting there now, exited there, converted there;
     * conversions attributed to it (a message node: the last message before a goal) and the time
     * instances spent in it before going on (summed, milliseconds: over {@code completed}, the mean).
     */
    record NodeStats(long entered, long completed, long waiting, long exited, long converted, long attributed, long dwellMs) {
        public NodeStats(long entered, long completed, long waiting, long exited, long converted) {
            this(entered, completed, waiting, exited, converted, 0, 0);
        }
    }

    /** A link of a journey as instances took it: how many went from one node to the next, and how many of those converted later. */
    record LinkStats(String from, String to, long taken, long converted) {}

    /** One published version's instances: entered, in it now, done, stopped, converted (at least one goal). */
    record VersionStats(int version, long entered, long live, long done, long stopped, long converted) {}

    String ENTERED = "entered";
    String COMPLETED = "completed";
    String EXITED = "exited";
    String CONVERTED = "converted";

    /**
     * Records an entry; false (nothing written) when {@code exclusive} and the profile already has
     * a live instance of this journey, or when an instance of this id exists (a repeated start).
     */
    boolean enter(Instance instance, boolean exclusive);

    /**
     * The instance moved from one node to the next: {@code from}'s completed and {@code to}'s
     * entered counters go up in the same write; {@code from} null only counts the entry.
     */
    void step(String id, String from, String to, Instant at, Map<String, Object> variables);

    /** The instance ended (done at an exit, or stopped), at a node; counted as exited there. */
    void end(String id, String node, String state, Instant at);

    /** An incident on a live instance (a node that failed after its retries), or null when resolved. */
    void incident(String id, String text);

    /**
     * Counts a conversion of the instance at a goal node: at the node, and for the node the
     * conversion is attributed to (the last message before it; null: none); at its first
     * conversion only, for its version and for every link its path took so far (once each: a
     * link's conversions are instances, never more than took it).
     */
    void converted(String instanceId, String node, String attributedTo);

    /** The nodes the instance passed, in order, the one it is at last (the latest 200 steps). */
    List<String> path(String instanceId);

    /** The journey's links as instances took them. */
    List<LinkStats> links(String journeyId);

    /** The journey's figures per published version, oldest first. */
    List<VersionStats> versions(String journeyId);

    Optional<Instance> find(String id);

    /** When the profile last entered the journey (re-entry rules). */
    Optional<Instant> lastEntered(String journeyId, String profileId);

    /** Live instances of every journey in id order after {@code afterId} (null: from the start): restart recovery streams them. */
    List<Instance> live(String afterId, int limit);

    /** Live instances of one journey, in id order (stopping a journey). */
    List<Instance> live(String journeyId, String afterId, int limit);

    /** A profile's instances of every journey, newest first (the card's journey path). */
    List<Instance> ofProfile(String databaseId, String profileId, int limit);

    /** The journey's per-node figures. */
    Map<String, NodeStats> stats(String journeyId);

    /** Live instances with an incident, newest first. */
    List<Instance> incidents(String journeyId, int limit);

    // ---- the inbox: events journeys want, kept from their append until journeys have taken them

    /**
     * Keeps events journeys enter on or wait for, in the order given, as they are appended (the
     * queue to journeys' workers lives in memory: what it held at a crash is taken again at the
     * next start).
     */
    void pend(List<org.orbita.events.Event> events);

    /** The oldest events still to take, in the order they were kept. */
    List<org.orbita.events.Event> pending(int limit);

    /** Journeys took these events: they are no longer kept. */
    void taken(java.util.Collection<String> eventIds);
}
