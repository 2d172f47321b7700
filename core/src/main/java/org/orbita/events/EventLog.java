package org.orbita.events;

import java.util.List;

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
    void scan(String databaseId, java.time.Instant since, java.util.Set<String> types, java.util.function.Consumer<Event> action);

    /** How many events of a database the log holds (all types). */
    long count(String databaseId);

    @Override
    void close();
}
