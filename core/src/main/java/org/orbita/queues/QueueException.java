package org.orbita.queues;

/** The message broker failed or refused. */
public class QueueException extends RuntimeException {

    public QueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
