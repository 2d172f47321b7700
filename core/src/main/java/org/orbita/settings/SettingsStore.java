package org.orbita.settings;

import java.util.List;
import java.util.Optional;

/** Small JSON documents by collection and id: databases, users, API keys, jobs, workspaces. */
public interface SettingsStore {

    void put(String collection, String id, String json);

    Optional<String> get(String collection, String id);

    /** Every document of a collection, in id order. */
    List<String> list(String collection);

    boolean remove(String collection, String id);
}
