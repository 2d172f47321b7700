package org.orbita.sites;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The ids of the hits stored lately, to answer a replayed batch (a browser's offline retry, a
 * double send) as already stored without asking the event log. Two generations of at most
 * {@code generation} ids each: when the newer fills, the older is dropped. A replay carries the
 * time its first copy was stored with, so what was forgotten is known by time: every stored hit
 * whose id is not held here has a time at most {@link #forgottenUntil} — the latest time among the
 * generations dropped, or, for what was stored before this process started, the start of the
 * stretch {@link #preload preloaded} from the log. A hit of a later time is new unless held here;
 * one of an earlier time is asked of the log.
 */
final class SeenHits {

    /** How far ahead of the server a hit's own time may be. */
    static final Duration SKEW = Duration.ofMinutes(5);

    /** A generation: its ids and the latest time among their hits. */
    private record Generation(Set<String> ids, AtomicLong latest) {
        Generation() {
            this(ConcurrentHashMap.newKeySet(), new AtomicLong(Long.MIN_VALUE));
        }
    }

    private final int generation;
    private volatile Generation current = new Generation();
    private volatile Generation previous = new Generation();
    /** Every stored hit of a later time is held here; nothing is known until {@link #preload}. */
    private volatile long forgottenUntil = Long.MAX_VALUE;

    SeenHits(int generation) {
        this.generation = generation;
    }

    /**
     * Takes the ids of the hits the log holds of times {@code sinceMs} on (handed to the consumer
     * given to {@code ids}, in any order); when there are more than a generation, the newest are kept.
     */
    synchronized void preload(long sinceMs, Consumer<BiConsumer<String, Long>> ids) {
        TreeMap<Long, List<String>> byTime = new TreeMap<>();
        int[] n = {0};
        long[] dropped = {sinceMs - 1};
        ids.accept((key, timeMs) -> {
            byTime.computeIfAbsent(timeMs, t -> new ArrayList<>()).add(key);
            if (++n[0] > generation) {
                Long oldest = byTime.firstKey();
                List<String> keys = byTime.get(oldest);
                keys.remove(keys.size() - 1);
                n[0]--;
                if (keys.isEmpty()) {
                    byTime.remove(oldest);
                }
                dropped[0] = Math.max(dropped[0], oldest);
            }
        });
        Generation g = current;
        byTime.forEach((time, keys) -> {
            g.ids().addAll(keys);
            g.latest().accumulateAndGet(time, Math::max);
        });
        forgottenUntil = dropped[0];
    }

    /** Whether a hit of this time may have been stored and forgotten (then the log is asked). */
    boolean mayBeForgotten(long timeMs) {
        return timeMs <= forgottenUntil;
    }

    /** How far ahead of the server a hit's time counts for {@link #forgottenUntil}. */
    static final long AHEAD_COUNTED_MS = 10_000;

    /**
     * Claims a hit's id: false when it was claimed before (a repeat). Its time counts for what is
     * forgotten as at most {@link #AHEAD_COUNTED_MS} past {@code nowMs}: one browser whose clock
     * runs minutes ahead would otherwise have every hit of those minutes asked of the log once its
     * generation is dropped. (The price: such a hit, replayed after its id was forgotten, is
     * stored twice.)
     */
    boolean claim(String key, long timeMs, long nowMs) {
        if (previous.ids().contains(key)) {
            return false;
        }
        Generation g = current;
        boolean added = g.ids().add(key);
        if (added) {
            g.latest().accumulateAndGet(Math.min(timeMs, nowMs + AHEAD_COUNTED_MS), Math::max);
            if (g.ids().size() >= generation) {
                rotate();
            }
        }
        return added;
    }

    /** Gives an id back (its hit was not stored after all, so a retry must be taken). */
    void release(String key) {
        current.ids().remove(key);
        previous.ids().remove(key);
    }

    private synchronized void rotate() {
        if (current.ids().size() < generation) {
            return;
        }
        forgottenUntil = forgottenUntil == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(forgottenUntil, previous.latest().get());
        previous = current;
        current = new Generation();
    }
}
