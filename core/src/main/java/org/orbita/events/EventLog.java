package org.orbita.events;

import java.util.List;

/** The append-only log of every event; the source of activity history and reports. */
public interface EventLog extends AutoCloseable {

    /** Appends events; when this returns they are durable and visible to queries. */
    void append(List<Event> events);

    /** A page of one profile's events, newest first. */
    List<Event> history(HistoryQuery query);

    /** How many events of a database the log holds (all types). */
    long count(String databaseId);

    @Override
    void close();
}
