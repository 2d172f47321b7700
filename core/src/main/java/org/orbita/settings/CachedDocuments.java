package org.orbita.settings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@link Documents} with reads cached for a short time: settings are read on every request
 * (API keys, database schemas) and change rarely. This process's own writes clear the entry
 * at once; another node's writes show within {@code ttl}.
 */
public final class CachedDocuments<T> {

    private record Entry<T>(Optional<T> value, Instant loaded) {}

    private final Documents<T> documents;
    private final Function<T, String> idOf;
    private final Duration ttl;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry<T>> cache = new ConcurrentHashMap<>();

    public CachedDocuments(SettingsStore store, String collection, Class<T> type, Function<T, String> idOf, Duration ttl,
            Clock clock) {
        this.documents = new Documents<>(store, collection, type, idOf);
        this.idOf = idOf;
        this.ttl = ttl;
        this.clock = clock;
    }

    public Optional<T> get(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Entry<T> e = cache.get(id);
        if (e == null || e.loaded().plus(ttl).isBefore(now)) {
            e = new Entry<>(documents.get(id), now);
            cache.put(id, e);
        }
        return e.value();
    }

    public T put(T value) {
        T stored = documents.put(value);
        cache.remove(idOf.apply(value));
        return stored;
    }

    /** Changes one document atomically ({@link Documents#update}); {@code change} gets null when there is none. */
    public T update(String id, java.util.function.UnaryOperator<T> change) {
        T stored = documents.update(id, change);
        cache.remove(id);
        return stored;
    }

    public List<T> list() {
        return documents.list();
    }

    public boolean delete(String id) {
        boolean deleted = documents.delete(id);
        cache.remove(id);
        return deleted;
    }
}
