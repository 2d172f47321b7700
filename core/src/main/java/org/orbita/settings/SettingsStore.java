package org.orbita.settings;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Small JSON documents by collection and id: databases, users, API keys, jobs, workspaces. */
public interface SettingsStore {

    void put(String collection, String id, String json);

    Optional<String> get(String collection, String id);

    /** Every document of a collection, in id order. */
    List<String> list(String collection);

    boolean remove(String collection, String id);

    /**
     * Reads one document, changes it and writes it back as one step no other writer comes
     * between: {@code change} gets the stored JSON (null when there is none) and returns the
     * JSON to store. It may run more than once (a store that retries on a conflict), so it
     * must have no other effect. Returns what was stored. A change that answers null writes nothing
     * (and null is returned): a document removed meanwhile stays removed.
     */
    String update(String collection, String id, UnaryOperator<String> change);
}
