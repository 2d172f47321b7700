package org.orbita.common;

/** A request that is well formed but collides with the state of what it is about (a code redeemed already, say): HTTP 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message, null, false, false);
    }
}
