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

    /**
     * Takes what the log holds of a recent stretch, {@code since} on (the ids of hits of those
     * times, in any order), so that a process just started need not ask the log about every hit of
     * the last minutes: the horizon moves back to {@code since} — or to the newest time dropped
     * when the stretch holds more ids than a generation.
     */
    synchronized void preload(long sinceMs, java.util.function.Consumer<java.util.function.BiConsumer<String, Long>> ids) {
        java.util.TreeMap<Long, java.util.List<String>> byTime = new java.util.TreeMap<>();
        int[] n = {0};
        long[] dropped = {Long.MIN_VALUE};
        ids.accept((key, timeMs) -> {
            byTime.computeIfAbsent(timeMs, t -> new java.util.ArrayList<>()).add(key);
            if (++n[0] > generation) {
                Long oldest = byTime.firstKey(); // keep the newest, forget the oldest time's ids
                java.util.List<String> keys = byTime.get(oldest);
                keys.remove(keys.size() - 1);
                n[0]--;
                if (keys.isEmpty()) {
                    byTime.remove(oldest);
                }
                dropped[0] = Math.max(dropped[0], oldest);
            }
        });
        byTime.values().forEach(current::addAll);
        horizonMs = Math.min(horizonMs, dropped[0] == Long.MIN_VALUE ? sinceMs : dropped[0] + 1);
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
