package org.orbita.audiences;

import java.time.Instant;
import org.orbita.events.Event;
import java.util.List;
import java.util.Map;

/**
 * The recent behaviour of profiles, kept beside them for segment evaluation: read by
 * profile (one profile in real time, a range of profiles in a recompute) where the event log,
 * built for history and reports, reads by time. Bounded by a retention; the event log stays
 * the record.
 */
public interface RecentEvents {

    /** Adds events (profile-less ones are not kept); adding an event twice keeps one. */
    void addRecent(List<Event> events);

    /** Events since a moment (null: all kept) of the profiles with ids in [fromId, toId], oldest first per profile. */
    Map<String, List<Event>> recentOfRange(String databaseId, String fromId, String toId, Instant since);

    /** Forgets events older than {@code before}; returns how many. */
    long pruneRecent(Instant before);

    /** Forgets the behaviour of a deleted database. */
    void deleteDatabase(String databaseId);
}
