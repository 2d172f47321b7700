package org.orbita.events;

import java.time.Instant;
import java.util.Set;

/**
 * One page of a profile's activity, newest first: optional type, channel and period
 * filters, and a cursor (the time and id of the last event of the previous page).
 * {@code alsoOf}: other keys the profile's events are kept under too (the website visitors
 * linked to it, {@link Event#visitorKey}).
 */
public record HistoryQuery(
        String databaseId,
        String profileId,
        Set<String> types,
        String channel,
        Instant from,
        Instant to,
        Instant beforeTime,
        String beforeId,
        int limit,
        Set<String> alsoOf) {

    public HistoryQuery {
        types = types == null ? Set.of() : Set.copyOf(types);
        alsoOf = alsoOf == null ? Set.of() : Set.copyOf(alsoOf);
    }

    public HistoryQuery(String databaseId, String profileId, Set<String> types, String channel, Instant from, Instant to, Instant beforeTime,
                        String beforeId, int limit) {
        this(databaseId, profileId, types, channel, from, to, beforeTime, beforeId, limit, Set.of());
    }

    /** The same page, of the profile's events and those kept under these keys too. */
    public HistoryQuery alsoOf(Set<String> keys) {
        return new HistoryQuery(databaseId, profileId, types, channel, from, to, beforeTime, beforeId, limit, keys);
    }

    /** The newest events of a whole database (no profile named). */
    public static HistoryQuery latestOfDatabase(String databaseId, int limit) {
        return new HistoryQuery(databaseId, null, Set.of(), null, null, null, null, null, limit);
    }

    public static HistoryQuery latest(String databaseId, String profileId, int limit) {
        return new HistoryQuery(databaseId, profileId, Set.of(), null, null, null, null, null, limit);
    }
}
