package org.orbita.settings;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.orbita.common.Json;

/** A typed view of one settings collection. */
public final class Documents<T> {

    private final SettingsStore store;
    private final String collection;
    private final Class<T> type;
    private final Function<T, String> idOf;

    public Documents(SettingsStore store, String collection, Class<T> type, Function<T, String> idOf) {
        this.store = store;
        this.collection = collection;
        this.type = type;
        this.idOf = idOf;
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
        return id == null ? Optional.empty() : store.get(collection, id).map(json -> Json.read(json, type));
    }

    public List<T> list() {
        return store.list(collection).stream().map(json -> Json.read(json, type)).toList();
    }

    public boolean delete(String id) {
        return store.remove(collection, id);
    }
}
