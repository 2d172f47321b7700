package org.orbita.common;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Copies of what the public endpoints read by id on every request (a site, a published form,
 * a site's pop-ups), each kept at most {@code ttlMillis} and dropped at once by a change in this
 * process ({@link #forget}); another node's change shows within the time. Bounded: past
 * {@code max} entries it starts afresh — a flood of ids costs loading, never memory.
 */
public final class ShortCache<V> {

    private record Entry<V>(V value, long at) {}

    private final Clock clock;
    private final long ttlMillis;
    private final int max;
    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();

    public ShortCache(Clock clock, long ttlMillis, int max) {
        this.clock = clock;
        this.ttlMillis = ttlMillis;
        this.max = max;
    }

    /** The copy kept for {@code key}, or {@code load}'s answer when there is none or it is too old. */
    public V get(String key, Function<String, V> load) {
        long now = clock.millis();
        Entry<V> e = entries.get(key);
        if (e == null || now - e.at() > ttlMillis) {
            e = new Entry<>(load.apply(key), now);
            if (entries.size() >= max) {
                entries.clear();
            }
            entries.put(key, e);
        }
        return e.value();
    }

    public void forget(String key) {
        entries.remove(key);
    }
}
