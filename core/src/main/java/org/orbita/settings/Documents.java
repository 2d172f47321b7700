package org.orbita.settings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.orbita.common.Json;

/** A typed view of one settings collection. */
public final class Documents<T> {

    private final SettingsStore store;
    private final String collection;
    private final Class<T> type;
    private final Function<T, String> idOf;
    /** Documents as last parsed, by id with their text, when kept ({@code keepParsed}); null otherwise. */
    private final Map<String, Parsed<T>> parsed;
    private static final int KEPT = 10_000;

    private record Parsed<T>(String json, T value) {}

    public Documents(SettingsStore store, String collection, Class<T> type, Function<T, String> idOf) {
        this(store, collection, type, idOf, false);
    }

    /**
     * @param keepParsed whether {@link #get} keeps what it parsed and hands it out again while the
     *     stored text is the same (objects read on every request, such as an inbound source: their
     *     readers must not change them)
     */
    public Documents(SettingsStore store, String collection, Class<T> type, Function<T, String> idOf, boolean keepParsed) {
        this.store = store;
        this.collection = collection;
        this.type = type;
        this.idOf = idOf;
        this.parsed = keepParsed ? new ConcurrentHashMap<>() : null;
    }

    public T put(T value) {
        store.put(collection, idOf.apply(value), Json.write(value));
        return value;
    }

    /**
     * Changes one document atomically ({@link SettingsStore#update}): {@code change} gets null when
     * there is none; answering null writes nothing (and null is returned).
     */
    public T update(String id, UnaryOperator<T> change) {
        String json = store.update(collection, id, stored -> {
            T next = change.apply(stored == null ? null : Json.read(stored, type));
            return next == null ? null : Json.write(next);
        });
        return json == null ? null : Json.read(json, type);
    }

    public Optional<T> get(String id) {
        if (id == null) {
            return Optional.empty();
        }
        if (parsed == null) {
            return store.get(collection, id).map(json -> Json.read(json, type));
        }
        return store.get(collection, id).map(json -> {
            Parsed<T> p = parsed.get(id);
            if (p != null && p.json().equals(json)) {
                return p.value();
            }
            T value = Json.read(json, type);
            if (parsed.size() >= KEPT) {
                parsed.clear();
            }
            parsed.put(id, new Parsed<>(json, value));
            return value;
        });
    }

    public List<T> list() {
        return store.list(collection).stream().map(json -> Json.read(json, type)).toList();
    }

    public boolean delete(String id) {
        return store.remove(collection, id);
    }
}
