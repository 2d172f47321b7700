package org.orbita.sites;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of the hits stored lately, to answer a replayed batch (a browser's offline retry, a
 * double send) as already stored without asking the event log. Two generations of at most
 * {@code generation} ids each: when the newer fills, the older is dropped. What they cover is
 * every hit stored since the older one began ({@link #horizon}); a hit whose time is before it
 * (allowing for clocks {@link #SKEW} ahead) may have been stored and forgotten, so the caller
 * asks the log for those.
 */
final class SeenHits {

    /** How far ahead of the server a hit's own time may be. */
    static final Duration SKEW = Duration.ofMinutes(5);

    private final int generation;
    private final Clock clock;
    private volatile Set<String> current = ConcurrentHashMap.newKeySet();
    private volatile Set<String> previous = ConcurrentHashMap.newKeySet();
    /** Since when every stored hit is known (at first: since this process started, it knows nothing older). */
    private volatile long horizonMs;
    /** When the current generation began. */
    private long currentStart;

    SeenHits(int generation, Clock clock) {
        this.generation = generation;
        this.clock = clock;
        this.horizonMs = clock.millis();
        this.currentStart = horizonMs;
    }

    /** Whether a hit of this time may have been stored without this set knowing it. */
    boolean beforeHorizon(long timeMs) {
        return timeMs < horizonMs + SKEW.toMillis();
    }

    /** Claims a hit's key: false when it was claimed before (a repeat). */
    boolean claim(String key) {
        if (previous.contains(key)) {
            return false;
        }
        boolean added = current.add(key);
        if (added && current.size() >= generation) {
            rotate();
        }
        return added;
    }

    /** Gives a key back (its hit was not stored after all, so a retry must be taken). */
    void release(String key) {
        current.remove(key);
        previous.remove(key);
    }

    private synchronized void rotate() {
        if (current.size() < generation) {
            return;
        }
        long now = clock.millis();
        // the ids of the generation dropped are forgotten: what is known now is everything since the one kept began
        horizonMs = currentStart;
        previous = current;
        current = ConcurrentHashMap.newKeySet();
        currentStart = now;
    }
}
