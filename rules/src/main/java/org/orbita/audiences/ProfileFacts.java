package org.orbita.audiences;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything segment rules may look at for one profile: its fields, subscriptions, events
 * (oldest first), related profiles and the segments it already belongs to. Rules that
 * match call {@link #match(String)}; the set of matches is the evaluation's result.
 */
public final class ProfileFacts extends FieldValues {

    private final String id;
    private final long now;
    private final List<EventFact> events;
    private final List<SubscriptionFact> subscriptions;
    private final List<RelatedFact> related;
    private final Set<String> memberships;
    private final Set<String> matched = new HashSet<>();

    public ProfileFacts(String id, Map<String, Object> fields, long now, List<EventFact> events,
            List<SubscriptionFact> subscriptions, List<RelatedFact> related, Set<String> memberships) {
        super(fields, Math.floorDiv(now, 86_400_000L));
        this.id = id;
        this.now = now;
        this.events = events == null ? List.of() : events;
        this.subscriptions = subscriptions == null ? List.of() : subscriptions;
        this.related = related == null ? List.of() : related;
        this.memberships = memberships == null ? Set.of() : memberships;
    }

    public String getId() {
        return id;
    }

    /** The evaluation's moment, in milliseconds since the epoch. */
    public long getNow() {
        return now;
    }

    public List<EventFact> events() {
        return events;
    }

    public List<SubscriptionFact> subscriptions() {
        return subscriptions;
    }

    public List<RelatedFact> related() {
        return related;
    }

    /** Segments the profile belongs to that are not being evaluated now (static ones, other databases' rules). */
    public Set<String> memberships() {
        return memberships;
    }

    /** How many events of a type the profile had in the last {@code days} days (custom expressions). */
    public long eventCount(String type, int days) {
        long since = now - days * 86_400_000L;
        long n = 0;
        for (EventFact e : events) {
            if (e.getType().equals(type) && e.getTime() >= since && e.getTime() <= now) {
                n++;
            }
        }
        return n;
    }

    /** Whether the profile has an active subscription in a channel (custom expressions). */
    public boolean subscribed(String channel) {
        for (SubscriptionFact s : subscriptions) {
            if (s.channel().equals(channel) && "active".equals(s.status())) {
                return true;
            }
        }
        return false;
    }

    public void match(String segmentId) {
        synchronized (matched) {
            matched.add(segmentId);
        }
    }

    public Set<String> matched() {
        synchronized (matched) {
            return Set.copyOf(matched);
        }
    }

    public void clearMatches() {
        synchronized (matched) {
            matched.clear();
        }
    }
}
