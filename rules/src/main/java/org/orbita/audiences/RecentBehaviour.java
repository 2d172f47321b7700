package org.orbita.audiences;

import java.util.List;
import org.orbita.events.Event;

/** Which events are kept as recent behaviour for segments: all but the platform's own profile.* and segment.* events. */
public final class RecentBehaviour {

    private RecentBehaviour() {}

    public static boolean kept(String type) {
        return !type.startsWith("profile.") && !type.startsWith("segment.");
    }

    public static List<Event> kept(List<Event> events) {
        return events.stream().filter(e -> e.profileId() != null && kept(e.type())).toList();
    }
}
