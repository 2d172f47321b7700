package org.orbita.profiles;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where profiles live. Keys (unique values, merged ids) map to exactly one profile of a
 * database; the store enforces that even under concurrent writers.
 */
public interface ProfileStore {

    Optional<Profile> find(String databaseId, String id);

    /** Which of these ids are profiles of the database, without reading the profiles (many at once: one look-up a few hundred). */
    default Set<String> existing(String databaseId, Collection<String> ids) {
        Set<String> found = new java.util.HashSet<>();
        for (String id : ids) {
            find(databaseId, id).ifPresent(p -> found.add(p.id()));
        }
        return found;
    }

    /** The id of the profile that owns a key, if any. */
    Optional<String> findOwner(String databaseId, ProfileKey key);

    /** The owners of several keys at once (keys nobody owns are absent from the map). */
    default Map<ProfileKey, String> findOwners(String databaseId, Collection<ProfileKey> keys) {
        Map<ProfileKey, String> owners = new HashMap<>();
        for (ProfileKey key : keys) {
            findOwner(databaseId, key).ifPresent(owner -> owners.put(key, owner));
        }
        return owners;
    }

    /**
     * Writes the profile and makes {@code keys} its exact key set.
     *
     * @throws KeyTakenException when a key belongs to another profile; nothing is written then
     */
    default void save(Profile profile, Set<ProfileKey> keys) {
        save(profile, keys, null);
    }

    /**
     * Like {@link #save(Profile, Set)}, told the keys the profile owns now ({@code previous};
     * empty for a new profile, null when the caller does not know), which spares a lookup.
     */
    void save(Profile profile, Set<ProfileKey> keys, Set<ProfileKey> previous);

    /** Deletes a profile and its keys; false when there was none. */
    boolean delete(String databaseId, String id);

    long count(String databaseId);

    /** Profiles in id (creation) order after {@code afterId} (null: from the start). */
    List<Profile> page(String databaseId, String afterId, int limit);

    /** The ids of {@link #page}, without reading the profiles (a walk that needs no field, subscription or relation). */
    default List<String> ids(String databaseId, String afterId, int limit) {
        return page(databaseId, afterId, limit).stream().map(Profile::id).toList();
    }

    /** Every profile of a database in id order, read a page at a time (memory stays flat). */
    default void forEach(String databaseId, Consumer<Profile> action) {
        final int pageSize = 1000;
        String after = null;
        while (true) {
            List<Profile> page = page(databaseId, after, pageSize);
            page.forEach(action);
            if (page.size() < pageSize) {
                return;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /** The id of the profile at a position in id order (0 first), if there are that many; for sampling. */
    default Optional<String> idAt(String databaseId, long position) {
        List<Profile> one = search(databaseId, new ProfileFilter(null, null, null), (int) position, 1);
        return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0).id());
    }

    /** Profiles that pass the filter, in id order. */
    List<Profile> search(String databaseId, ProfileFilter filter, int offset, int limit);

    long countSearch(String databaseId, ProfileFilter filter);

    /** Profiles whose stored text contains {@code text} (case-insensitive), in id order. */
    default List<Profile> search(String databaseId, String text, int offset, int limit) {
        return search(databaseId, ProfileFilter.text(text), offset, limit);
    }

    default long countSearch(String databaseId, String text) {
        return countSearch(databaseId, ProfileFilter.text(text));
    }

    /** Removes every profile and key of a database. */
    void deleteDatabase(String databaseId);

    /**
     * Runs writes as one unit: a transaction on engines that have them (nested calls become
     * savepoints, so an inner failure undoes only the inner writes); in order otherwise.
     */
    <T> T inTransaction(Supplier<T> work);
}
