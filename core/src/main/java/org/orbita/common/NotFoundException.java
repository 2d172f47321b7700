package org.orbita.common;

/** A named thing (database, profile, job, field) that does not exist. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what, String id) {
        super(what + " '" + id + "' does not exist");
    }
}
