package org.orbita.app.segments;

import java.util.List;
import org.orbita.events.Event;
import org.orbita.events.EventLog;

/**
 * The event log as the rest of the platform appends to it: each append goes to the log, then
 * to the segment reactor (recent behaviour and re-evaluation of the profiles concerned).
 */
public final class ReactingEventLog extends org.orbita.events.ForwardingEventLog {

    private final SegmentReactor reactor;

    public ReactingEventLog(EventLog log, SegmentReactor reactor) {
        super(log);
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
    public void close() {
        // the stored log is closed by its own bean
    }
}
