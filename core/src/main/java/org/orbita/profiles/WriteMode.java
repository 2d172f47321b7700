package org.orbita.profiles;

import java.util.Locale;

/** What to do when the matching key does or does not find a profile. */
public enum WriteMode {
    /** Create only; a found profile is an error. */
    INSERT,
    /** Change only; a missing profile is an error. */
    UPDATE,
    /** Create or change. */
    UPSERT;

    public static WriteMode fromId(String id) {
        try {
            return valueOf(id.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("mode must be insert, update or upsert");
        }
    }
}
