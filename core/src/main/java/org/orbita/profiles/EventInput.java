package org.orbita.profiles;

import java.time.Instant;
import java.util.Map;

/**
 * An event as a caller reports it: the database and the profile's matching key and value
 * (a unique field, or {@code id}), the type, optional channel and time, and properties.
 * {@code id}, when given, is the caller's idempotency key and becomes the event's id: a
 * repeat of it in the same database is answered as already stored, and not stored twice.
 */
public record EventInput(
        String id, String database, String matching, Object value, String type, String channel, Instant time,
        Map<String, Object> properties) {

    /** The same event, in the database stored under this key. */
    public EventInput withDatabase(String key) {
        return new EventInput(id, key, matching, value, type, channel, time, properties);
    }

    /** An event without an idempotency key. */
    public EventInput(String database, String matching, Object value, String type, String channel, Instant time,
            Map<String, Object> properties) {
        this(null, database, matching, value, type, channel, time, properties);
    }
}
