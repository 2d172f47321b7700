package org.orbita.events;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened to a profile: a purchase, an open, a form submission, a merge. A
 * website's anonymous visitor has events too, kept apart under {@link #visitorKey}: stored and
 * reported, but no profile's — the bus does not hand them to what reacts to profiles.
 */
public record Event(
        String id,
        String databaseId,
        String profileId,
        String type,
        String channel,
        Instant time,
        Map<String, Object> properties) {

    /** What an anonymous visitor's events carry as their {@code profileId}: never a profile's id. */
    public static final String VISITOR_PREFIX = "v:";

    public Event {
        properties = properties == null ? Map.of() : properties;
    }

    /** The key an anonymous website visitor's events are kept under. */
    public static String visitorKey(String visitorId) {
        return VISITOR_PREFIX + visitorId;
    }

    /**
     * The property that keeps an event from what it would start (trigger campaigns, journeys'
     * entries and waits): recorded, counted, in segments and reports, but firing nothing — as
     * Altcraft's {@code skip_triggers} on a goal.
     */
    public static final String SKIP_TRIGGERS = "skip_triggers";

    public boolean skipsTriggers() {
        return Boolean.TRUE.equals(properties.get(SKIP_TRIGGERS));
    }

    /** Whether this is an anonymous visitor's event rather than a profile's. */
    public boolean ofVisitor() {
        return profileId != null && profileId.startsWith(VISITOR_PREFIX);
    }
}
