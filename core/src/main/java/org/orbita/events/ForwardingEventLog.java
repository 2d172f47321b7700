package org.orbita.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** An event log that hands every call to another; a subclass adds what it needs around {@link #append}. */
public abstract class ForwardingEventLog implements EventLog {

    protected final EventLog log;

    protected ForwardingEventLog(EventLog log) {
        this.log = log;
    }

    @Override
    public void append(List<Event> events) {
        log.append(events);
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
    public Map<String, long[]> tally(String databaseId, Map<String, Object> properties, Set<String> types, boolean byChannel) {
        return log.tally(databaseId, properties, types, byChannel);
    }

    @Override
    public long count(String databaseId) {
        return log.count(databaseId);
    }

    @Override
    public void close() {
        log.close();
    }
}
