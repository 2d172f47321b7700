package org.orbita.app.segments;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.events.HistoryQuery;

/**
 * The event log as the rest of the platform appends to it: each append goes to the log, then
 * to the segment reactor (recent behaviour and re-evaluation of the profiles concerned).
 */
public final class ReactingEventLog implements EventLog {

    private final EventLog log;
    private final SegmentReactor reactor;

    public ReactingEventLog(EventLog log, SegmentReactor reactor) {
        this.log = log;
        this.reactor = reactor;
    }

    private final java.util.List<java.util.function.Consumer<List<Event>>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Also tells {@code listener} of every batch appended (trigger campaigns). */
    public void listen(java.util.function.Consumer<List<Event>> listener) {
        listeners.add(listener);
    }

    @Override
    public void append(List<Event> events) {
        log.append(events);
        reactor.appended(events);
        listeners.forEach(l -> l.accept(events));
    }

    @Override
    public List<Event> history(HistoryQuery query) {
        return log.history(query);
    }

    @Override
    public void scan(String databaseId, Instant since, Set<String> types, Consumer<Event> action) {
        log.scan(databaseId, since, types, action);
    }

    @Override
    public java.util.Map<String, long[]> tally(String databaseId, java.util.Map<String, Object> properties, java.util.Set<String> types,
                                               boolean byChannel) {
        return log.tally(databaseId, properties, types, byChannel);
    }

    @Override
    public long count(String databaseId) {
        return log.count(databaseId);
    }

    @Override
    public void close() {
        // the stored log is closed by its own bean
    }
}
