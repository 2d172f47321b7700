package org.orbita.audiences;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.orbita.events.Event;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.Relation;
import org.orbita.profiles.Subscription;

/**
 * What rules see of a profile: its fields, subscriptions, related profiles, memberships of
 * static segments, and its recent events of the types the definitions look at (the newest
 * {@value #MAX_EVENTS_PER_PROFILE}).
 */
final class SegmentFacts {

    /** The most events of one profile that rules look at (newest kept). */
    static final int MAX_EVENTS_PER_PROFILE = 10_000;

    private final ProfileStore profiles;
    private final RecentEvents recent;

    SegmentFacts(ProfileStore profiles, RecentEvents recent) {
        this.profiles = profiles;
        this.recent = recent;
    }

    /** A profile's facts at {@code now}: its events as given, the static segments it is in as {@code memberships}. */
    ProfileFacts of(ClientDatabase db, Profile p, long now, List<EventFact> evs, Set<String> memberships) {
        List<SubscriptionFact> subs = new ArrayList<>();
        for (Subscription s : p.subscriptions()) {
            subs.add(new SubscriptionFact(s.channel().id(), s.resource(), s.status().id()));
        }
        List<RelatedFact> related = new ArrayList<>();
        long today = Math.floorDiv(now, 86_400_000L);
        for (Relation r : p.relations()) {
            profiles.find(db.id(), r.profileId()).ifPresent(o -> related.add(new RelatedFact(r.type(), o.fields(), today)));
        }
        return new ProfileFacts(p.id(), p.fields(), now, evs, subs, related, memberships);
    }

    static EventFact eventFact(Event e) {
        return new EventFact(e.type(), e.channel(), e.time().toEpochMilli(), e.properties());
    }

    /** The profile's recent events a definition set looks at. */
    List<EventFact> recentEvents(ClientDatabase db, String pid, long now, EventNeeds needs) {
        return needs.any() ? eventFacts(recent.recentOfRange(db.id(), pid, pid, needs.since(now)).getOrDefault(pid, List.of()), needs) : List.of();
    }

    /** The events a definition set looks at, newest {@link #MAX_EVENTS_PER_PROFILE} kept, oldest first. */
    static List<EventFact> eventFacts(List<Event> found, EventNeeds needs) {
        List<EventFact> evs = new ArrayList<>();
        int from = Math.max(0, found.size() - MAX_EVENTS_PER_PROFILE);
        for (int i = from; i < found.size(); i++) {
            Event e = found.get(i);
            if (needs.types().contains(e.type())) {
                evs.add(eventFact(e));
            }
        }
        return evs;
    }
}
