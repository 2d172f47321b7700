package org.orbita.events;

import java.time.Instant;
import java.util.Set;

/**
 * One page of a profile's activity, newest first: optional type, channel and period
 * filters, and a cursor (the time and id of the last event of the previous page).
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
        int limit) {

    public HistoryQuery {
        types = types == null ? Set.of() : Set.copyOf(types);
    }

    /** The newest events of a whole database (no profile named). */
    public static HistoryQuery latestOfDatabase(String databaseId, int limit) {
        return new HistoryQuery(databaseId, null, Set.of(), null, null, null, null, null, limit);
    }

    public static HistoryQuery latest(String databaseId, String profileId, int limit) {
        return new HistoryQuery(databaseId, profileId, Set.of(), null, null, null, null, null, limit);
    }
}
