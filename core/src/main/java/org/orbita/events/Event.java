package org.orbita.events;

import java.time.Instant;
import java.util.Map;

/** Something that happened to a profile: a purchase, an open, a form submission, a merge. */
public record Event(
        String id,
        String databaseId,
        String profileId,
        String type,
        String channel,
        Instant time,
        Map<String, Object> properties) {

    public Event {
        properties = properties == null ? Map.of() : properties;
    }
}
