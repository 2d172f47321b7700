package org.orbita.events;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** The append-only log of every event; the source of activity history and reports. */
public interface EventLog extends AutoCloseable {

    /** Appends events; when this returns they are durable and visible to queries. */
    void append(List<Event> events);

    /** A page of one profile's events, newest first. */
    List<Event> history(HistoryQuery query);

    /**
     * Streams a database's events since a moment (null: all), of some types (empty: all), in
     * profile id then time order; memory stays flat whatever the log's size.
     */
    void scan(String databaseId, Instant since, Set<String> types, Consumer<Event> action);

    /**
     * Per event type (among {@code types}): how many events of a database carry every one of
     * the given properties with its value, and from how many profiles — a campaign's sends,
     * opens and clicks, say. Values are plain tokens (letters, digits, '-', '_', '.') or booleans.
     */
    default Map<String, long[]> tally(String databaseId, Map<String, Object> properties, Set<String> types) {
        return tally(databaseId, properties, types, false);
    }

    /** The same counts, keyed {@code channel/type} when {@code byChannel} (an event without a channel under {@code /type}). */
    Map<String, long[]> tally(String databaseId, Map<String, Object> properties, Set<String> types, boolean byChannel);

    /** The LIKE pattern that finds {@code "name":"token"} (or {@code "name":true}) in the stored JSON properties. */
    static String propertyPattern(String name, Object value) {
        String v = String.valueOf(value);
        if (!name.matches("[A-Za-z0-9_]+") || !(value instanceof Boolean || v.matches("[A-Za-z0-9_.-]+"))) {
            throw new IllegalArgumentException("a property name and a plain token or boolean, got " + name + "=" + v);
        }
        String json = value instanceof Boolean ? v : "\"" + v + "\"";
        return "%\"" + name.replace("_", "\\_") + "\":" + json.replace("_", "\\_") + "%";
    }

    /** The groups of an aggregate (reports), each with its events, distinct profiles and sum; from the rollups when they answer it. */
    default List<EventAggregate.Row> aggregate(EventAggregate aggregate) {
        return aggregate(aggregate, true);
    }

    /**
     * The same, read from the rollups ({@link EventRollup}) when {@code rollups} and they answer
     * it, otherwise from the raw events; both give the same figures (benchmarks and tests compare).
     */
    List<EventAggregate.Row> aggregate(EventAggregate aggregate, boolean rollups);

    /** A cohort question's cohorts: their sizes ({@link EventCohorts.Size}), in no order. */
    List<EventCohorts.Size> cohortSizes(EventCohorts cohorts);

    /** A cohort question's cells ({@link EventCohorts.Cell}), in no order. */
    List<EventCohorts.Cell> cohortCells(EventCohorts cohorts);

    /** Streams the profile ids of a cohort, or of its profiles active in one period when {@code period} is given. */
    void cohortMembers(EventCohorts cohorts, long cohortMs, Integer period, Consumer<String> profileIds);

    /** Streams a funnel's paths ({@link EventFunnel.Path}), one per profile with a first step in the period; memory stays flat. */
    void funnelPaths(EventFunnel funnel, Consumer<EventFunnel.Path> each);

    /** Which of these event ids a database's log already holds (callers' idempotency keys). */
    default Set<String> existing(String databaseId, Collection<String> ids) {
        return existing(databaseId, ids, null, null);
    }

    /**
     * The same, among events of times in [from, to] (null: unbounded) — a replayed website hit
     * carries the time its first copy was stored with, so the look-up reads only the log's part
     * of that time, not all of it.
     */
    Set<String> existing(String databaseId, Collection<String> ids, Instant from, Instant to);

    /** How many events of a database the log holds (all types). */
    long count(String databaseId);

    @Override
    void close();
}
