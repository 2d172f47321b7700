package org.orbita.events;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.orbita.common.Json;

/**
 * The rollups both event stores keep at ingest, in the same transaction as the events (DuckDB)
 * or right after them (ClickHouse), so that reports read groups instead of events:
 * <ul>
 *   <li><b>counts</b> — events and the sum of their {@code value} per half hour × database ×
 *       type × channel × campaign × journey × message × recipient domain;</li>
 *   <li><b>people</b> — the distinct profiles behind the types whose people are counted
 *       (unique opens and clicks) per the same key, so that distinct people over any period and
 *       grouping are still exact (the groups are counted again, never summed);</li>
 *   <li><b>firsts</b> — each profile's first event of each type per database (the moment), so
 *       that cohorts find who started when without reading every start event (DuckDB merges
 *       them from the events now and then, not in the ingest's transaction).</li>
 * </ul>
 * Both leave out what no report counts: machine opens and clicks ({@code machine: true}) and a
 * campaign's observers' copies ({@code observer_of}). An aggregate the rollups cannot answer
 * (another property, a period or time zone off the half hour) reads the raw events; both give
 * the same figures ({@code EventLogContract.rollupsAnswerAsTheRawEventsDo}).
 */
public final class EventRollup {

    /** A rollup's time bucket: half an hour, so that every time zone's days fall on its edges but Nepal's and Chatham's. */
    public static final long BUCKET_MS = 30 * 60_000L;
    /** Event types whose distinct profiles the people rollup keeps. */
    public static final Set<String> PEOPLE_TYPES = Set.of("message.opened", "message.clicked");
    /** Events with this property {@code true} are left out (machines' opens and clicks). */
    public static final String MACHINE = "machine";
    /** Events with this property are left out (copies sent to a campaign's observers). */
    public static final String OBSERVER = "observer_of";
    /** The properties a rollup keeps as columns, under the same names. */
    public static final List<String> PROPERTIES = List.of("campaign", "journey", "message_id");
    /** The address property whose domain a rollup keeps (column {@code domain}). */
    public static final String ADDRESS = "recipient";
    /** The numeric property summed ({@code value_sum}). */
    public static final String VALUE = "value";

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private EventRollup() {}

    /** A rollup row's key; a property the event lacks is "". */
    public record Key(String databaseId, long bucketMs, String type, String channel, String campaign, String journey, String messageId,
                      String domain) {}

    /** A person behind a key (the people rollup's row). */
    public record Person(Key key, String profileId) {}

    /** A key's figures within one batch. */
    public static final class Totals {
        private long events;
        private double sum;

        public long events() {
            return events;
        }

        public double sum() {
            return sum;
        }
    }

    /** What a batch of events adds to the rollups: counts per key, and each key's people once. */
    public record Deltas(Map<Key, Totals> counts, Set<Person> people) {}

    /**
     * Whether reports count an event with these properties: not a machine's open or click, not an
     * observer's copy. The stores keep the answer beside each event (their {@code counted} column)
     * so that reads on the raw events need not look into its properties.
     */
    public static boolean counted(Map<String, Object> properties) {
        return !Boolean.TRUE.equals(properties.get(MACHINE)) && !properties.containsKey(OBSERVER);
    }

    /** The rollups' share of a batch, computed as the SQL of a rebuild computes it from the stored events. */
    public static Deltas of(Collection<Event> events) {
        Map<Key, Totals> counts = new HashMap<>();
        Set<Person> people = new HashSet<>();
        for (Event e : events) {
            Map<String, Object> p = e.properties();
            if (!counted(p)) {
                continue;
            }
            Key key = new Key(e.databaseId(), Math.floorDiv(e.time().toEpochMilli(), BUCKET_MS) * BUCKET_MS, e.type(),
                    e.channel() == null ? "" : e.channel(), text(p.get("campaign")), text(p.get("journey")), text(p.get("message_id")),
                    domain(text(p.get(ADDRESS))));
            Totals t = counts.computeIfAbsent(key, k -> new Totals());
            t.events++;
            t.sum += number(p.get(VALUE));
            if (PEOPLE_TYPES.contains(e.type()) && e.profileId() != null && !e.profileId().isEmpty()) {
                people.add(new Person(key, e.profileId()));
            }
        }
        return new Deltas(counts, people);
    }

    /**
     * Whether the rollups answer an aggregate exactly: its period and time zone on half hours,
     * every profile's events (no segment), machines and observers' copies left out (as reports always ask), filtered and grouped only
     * by what the rollups keep, distinct people asked only of the people rollup's types.
     */
    public static boolean serves(EventAggregate a) {
        if (a.from().toEpochMilli() % BUCKET_MS != 0 || a.to().toEpochMilli() % BUCKET_MS != 0 || a.offsetSeconds() * 1000L % BUCKET_MS != 0) {
            return false;
        }
        if (a.profiles() != null || !a.notTrue().equals(Set.of(MACHINE)) || !a.absent().equals(Set.of(OBSERVER))) {
            return false;
        }
        if (!PROPERTIES.containsAll(a.properties().keySet()) || !PEOPLE_TYPES.containsAll(a.distinctFor())) {
            return false;
        }
        if (a.sumOf() != null && !a.sumOf().equals(VALUE)) {
            return false;
        }
        for (EventAggregate.Dimension d : a.groupBy()) {
            boolean kept = switch (d) {
                case EventAggregate.Time t -> true;
                case EventAggregate.Channel c -> true;
                case EventAggregate.Property p -> PROPERTIES.contains(p.name());
                case EventAggregate.DomainOf p -> p.name().equals(ADDRESS);
            };
            if (!kept) {
                return false;
            }
        }
        return true;
    }

    /** A property's text as the stores read it from the JSON ({@code json_extract_string}): a string as it is, anything else as JSON. */
    static String text(Object value) {
        return value == null ? "" : value instanceof String s ? s : Json.write(value);
    }

    /** What follows an address's first {@code @} up to any next one, lower case; "" without one. */
    static String domain(String address) {
        int at = address.indexOf('@');
        if (at < 0) {
            return "";
        }
        int next = address.indexOf('@', at + 1);
        return address.substring(at + 1, next < 0 ? address.length() : next).toLowerCase(Locale.ROOT);
    }

    /** A value summed: a number, or text that reads as one; anything else 0. */
    /** An event's {@link #VALUE} as the rollups sum it (and the embedded log stores it beside the JSON): 0 when it is not a number. */
    public static double value(Map<String, Object> properties) {
        return number(properties.get(VALUE));
    }

    static double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        // text that is not a plain decimal number adds nothing, as the SQL's TRY_CAST gives
        return value instanceof String s && NUMBER.matcher(s.strip()).matches() ? Double.parseDouble(s.strip()) : 0;
    }
}
