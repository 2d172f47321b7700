package org.orbita.events;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a database has seen lately: its event types, the newest first, each with the names of the
 * properties its events carried (the most frequent first) — what the segment builder offers, read
 * from the newest {@value #SAMPLE} events so it costs the same whatever the log's size.
 */
public final class EventCatalog {

    /** How many of the newest events are read. */
    public static final int SAMPLE = 5_000;

    /** One event type: how often it came among the newest events and its properties. */
    public record Seen(String type, long count, List<String> properties) {}

    private EventCatalog() {}

    public static List<Seen> of(EventLog log, String databaseId) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Map<String, Long>> properties = new HashMap<>();
        for (Event e : log.history(HistoryQuery.latestOfDatabase(databaseId, SAMPLE))) {
            counts.computeIfAbsent(e.type(), t -> new long[1])[0]++;
            Map<String, Long> p = properties.computeIfAbsent(e.type(), t -> new HashMap<>());
            e.properties().keySet().forEach(k -> p.merge(k, 1L, Long::sum));
        }
        List<Seen> out = new ArrayList<>();
        counts.forEach((type, n) -> out.add(new Seen(type, n[0], properties.get(type).entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList())));
        out.sort(Comparator.comparingLong(Seen::count).reversed().thenComparing(Seen::type));
        return out;
    }
}
