package org.orbita.profiles;

import java.time.Instant;
import java.util.Map;

/**
 * An event as a caller reports it: the database and the profile's matching key and value
 * (a unique field, or {@code id}), the type, optional channel and time, and properties.
 */
public record EventInput(
        String database, String matching, Object value, String type, String channel, Instant time, Map<String, Object> properties) {}
