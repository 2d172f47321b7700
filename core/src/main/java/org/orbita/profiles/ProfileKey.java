package org.orbita.profiles;

/**
 * A value that identifies at most one profile of a database: a unique field's value,
 * or {@code id} with the id of a profile merged into this one.
 */
public record ProfileKey(String field, String value) {

    /** The key under which merged-away profile ids stay reachable. */
    public static final String MERGED_ID = "id";

    public static ProfileKey mergedId(String id) {
        return new ProfileKey(MERGED_ID, id);
    }
}
