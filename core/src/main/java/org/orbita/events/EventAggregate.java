package org.orbita.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One aggregate over the event log, as reports ask it: events of some databases and types in a
 * period, filtered by columns and properties, grouped by up to a few dimensions, each group
 * counted three ways — events, distinct profiles (of the types asked), and the sum of a numeric property. Both event
 * stores (DuckDB, ClickHouse) answer it from the same SQL but for a few functions.
 *
 * @param databases   the databases whose events count (at least one)
 * @param from        the period's start (inclusive)
 * @param to          the period's end (exclusive)
 * @param types       event types (at least one)
 * @param distinctFor the types whose groups count distinct profiles (the others' {@code profiles} is 0)
 * @param channel     only this channel, or null
 * @param properties  only events whose property has this value (property name → plain token)
 * @param notTrue     only events whose property is not {@code true} (machine opens left out: {@code machine})
 * @param absent      only events without this property (a campaign's observers' copies left out: {@code observer_of})
 * @param groupBy     what rows are grouped by, in order; the event type is always the last key
 * @param sumOf       the numeric property summed per group ({@code value}: revenue), or null
 * @param offsetSeconds the time zone's offset from UTC that time buckets are cut in
 * @param profiles    only these profiles' events (streamed to the store as it needs them: a segment's members), or null
 */
public record EventAggregate(Set<String> databases, Instant from, Instant to, Set<String> types, Set<String> distinctFor, String channel,
                             Map<String, String> properties, Set<String> notTrue, Set<String> absent, List<Dimension> groupBy, String sumOf,
                             int offsetSeconds, Profiles profiles) {

    /** A set of profile ids too large to list in a statement, handed over one by one. */
    @FunctionalInterface
    public interface Profiles {
        void forEach(java.util.function.Consumer<String> each);
    }

    /** An aggregate over every profile's events. */
    public EventAggregate(Set<String> databases, Instant from, Instant to, Set<String> types, Set<String> distinctFor, String channel,
                          Map<String, String> properties, Set<String> notTrue, Set<String> absent, List<Dimension> groupBy, String sumOf,
                          int offsetSeconds) {
        this(databases, from, to, types, distinctFor, channel, properties, notTrue, absent, groupBy, sumOf, offsetSeconds, null);
    }

    /** How long a time bucket is. */
    public enum Grain { HOUR, DAY, WEEK, MONTH, YEAR }

    /** What a group is keyed by. */
    public sealed interface Dimension {}

    /** The start of the event's time bucket, as epoch milliseconds (the bucket cut in the aggregate's time zone). */
    public record Time(Grain grain) implements Dimension {}

    /** The event's channel column. */
    public record Channel() implements Dimension {}

    /** A property's text ({@code campaign}, {@code reason}, {@code url}…); an event without it groups under "". */
    public record Property(String name) implements Dimension {}

    /** The domain of an address property (what follows its {@code @}), lower case. */
    public record DomainOf(String name) implements Dimension {}

    public EventAggregate {
        if (databases.isEmpty() || types.isEmpty()) {
            throw new IllegalArgumentException("an aggregate needs a database and an event type");
        }
        for (String name : properties.keySet()) {
            checkName(name);
        }
        notTrue.forEach(EventAggregate::checkName);
        absent.forEach(EventAggregate::checkName);
        for (Dimension d : groupBy) {
            if (d instanceof Property p) {
                checkName(p.name());
            } else if (d instanceof DomainOf p) {
                checkName(p.name());
            }
        }
        if (sumOf != null) {
            checkName(sumOf);
        }
        if (!types.containsAll(distinctFor)) {
            throw new IllegalArgumentException("distinct profiles are counted of the aggregate's types only");
        }
        databases = Set.copyOf(databases);
        types = Set.copyOf(types);
        distinctFor = Set.copyOf(distinctFor);
        properties = Map.copyOf(properties);
        notTrue = Set.copyOf(notTrue);
        absent = Set.copyOf(absent);
        groupBy = List.copyOf(groupBy);
    }

    /** Property names go into SQL as JSON paths: letters, digits and underscores only. */
    private static void checkName(String name) {
        if (!name.matches("[A-Za-z0-9_]{1,64}")) {
            throw new IllegalArgumentException("a property name is letters, digits and underscores, not " + name);
        }
    }

    /** One group's keys (in {@link #groupBy} order, then the event type) and its figures. */
    public record Row(List<String> keys, String type, long events, long profiles, double sum) {}
}
