package org.orbita.storage;

/** A storage engine failed (I/O, connection, constraint the domain did not expect). */
public class StorageException extends RuntimeException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
