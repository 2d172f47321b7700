package org.orbita.profiles;

/** A unique value already belongs to another profile of the database. */
public class KeyTakenException extends RuntimeException {

    private final ProfileKey key;
    private final String ownerId;

    public KeyTakenException(ProfileKey key, String ownerId) {
        super("value of unique field '" + key.field() + "' already belongs to profile " + ownerId);
        this.key = key;
        this.ownerId = ownerId;
    }

    public ProfileKey key() {
        return key;
    }

    public String ownerId() {
        return ownerId;
    }
}
