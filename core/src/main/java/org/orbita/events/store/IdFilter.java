package org.orbita.events.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A Bloom filter of the (database, id) pairs an event log holds, safe for concurrent adds: "surely
 * not there" is answered without reading the log, "perhaps" sends the question to the log. About
 * ten bits and seven probes per pair (≈ 1 % false answers of "perhaps" at its capacity, more past
 * it — never a wrong "not there").
 */
final class IdFilter {

    private static final int PROBES = 7;
    /** 2^30 bits (128 MB) at most: past ~100 M pairs it answers "perhaps" more often, never wrongly. */
    private static final long MAX_BITS = 1L << 30;

    private final AtomicLongArray words;
    private final long mask;
    private final long capacity;
    private final AtomicLong added = new AtomicLong();

    /** A filter sized for {@code capacity} pairs (a power of two of bits, at least 2^16). */
    IdFilter(long capacity) {
        long wanted = Math.min(MAX_BITS, Math.max(1L << 16, capacity * 10));
        long bits = Long.highestOneBit(wanted - 1) << 1;
        this.words = new AtomicLongArray((int) (bits >>> 6));
        this.mask = bits - 1;
        this.capacity = Math.max(1, Math.min(capacity, bits / 10));
    }

    void add(String databaseId, String id) {
        long h = hash(databaseId, id);
        long h2 = mix(h ^ 0x9E3779B97F4A7C15L) | 1;
        for (int i = 0; i < PROBES; i++) {
            long bit = (h + i * h2) & mask;
            int w = (int) (bit >>> 6);
            long m = 1L << (bit & 63);
            long old = words.get(w);
            while ((old & m) == 0 && !words.compareAndSet(w, old, old | m)) {
                old = words.get(w);
            }
        }
        added.incrementAndGet();
    }

    boolean mightContain(String databaseId, String id) {
        long h = hash(databaseId, id);
        long h2 = mix(h ^ 0x9E3779B97F4A7C15L) | 1;
        for (int i = 0; i < PROBES; i++) {
            long bit = (h + i * h2) & mask;
            if ((words.get((int) (bit >>> 6)) & (1L << (bit & 63))) == 0) {
                return false;
            }
        }
        return true;
    }

    /** More pairs added than it was sized for: a larger one answers "perhaps" less often. */
    boolean full() {
        return added.get() > capacity;
    }

    long capacity() {
        return capacity;
    }

    /** FNV-1a over the characters of both, with a separator, finished by a 64-bit mix. */
    private static long hash(String databaseId, String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < databaseId.length(); i++) {
            h = (h ^ databaseId.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ 0xFFFF) * 0x100000001b3L;
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0x100000001b3L;
        }
        return mix(h);
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
