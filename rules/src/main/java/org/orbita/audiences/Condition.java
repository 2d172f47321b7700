package org.orbita.audiences;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One node of a segment definition: a group of conditions or a condition on the profile's
 * fields, subscriptions, events, aggregates, relations, other segments, or a custom rule.
 * Definitions are plain JSON; {@link SegmentCheck} validates them against the database
 * schema, {@link DrlWriter} turns them into Drools rules and {@link Predicates} into the
 * same test in plain Java for counts and batch work.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Condition.Group.class, name = "group"),
    @JsonSubTypes.Type(value = Condition.Field.class, name = "field"),
    @JsonSubTypes.Type(value = Condition.Subscribed.class, name = "subscription"),
    @JsonSubTypes.Type(value = Condition.Did.class, name = "event"),
    @JsonSubTypes.Type(value = Condition.Aggregate.class, name = "aggregate"),
    @JsonSubTypes.Type(value = Condition.LastEvent.class, name = "last_event"),
    @JsonSubTypes.Type(value = Condition.Related.class, name = "relation"),
    @JsonSubTypes.Type(value = Condition.InSegment.class, name = "segment"),
    @JsonSubTypes.Type(value = Condition.Custom.class, name = "custom"),
    @JsonSubTypes.Type(value = Condition.Promo.class, name = "promo"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface Condition {

    /** How a group combines its conditions: all of them, any of them, or none of them (NOT). */
    enum Match {
        ALL, ANY, NONE;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Match of(String id) {
            return Operator.parse(Match.class, id, "match");
        }
    }

    /** Comparison operators; which ones a field allows depends on its type. */
    enum Operator {
        EQ, NE, IN, NOT_IN, CONTAINS, NOT_CONTAINS, STARTS_WITH, GT, GTE, LT, LTE, BETWEEN, IS_SET, IS_EMPTY,
        WITHIN_LAST_DAYS, WITHIN_NEXT_DAYS, MORE_THAN_DAYS_AGO, ANNIVERSARY_IN_DAYS, DAY_OF_WEEK;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Operator of(String id) {
            return parse(Operator.class, id, "op");
        }

        static <E extends Enum<E>> E parse(Class<E> type, String id, String what) {
            try {
                return Enum.valueOf(type, id.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(what + " must be one of "
                        + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
            }
        }
    }

    /** Aggregate functions over the numeric property of matching events. */
    enum Function {
        COUNT, SUM, AVG, MIN, MAX;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Function of(String id) {
            return Operator.parse(Function.class, id, "function");
        }
    }

    /** Nested conditions combined by {@code match}. */
    record Group(Match match, List<Condition> conditions) implements Condition {
        public Group {
            conditions = conditions == null ? List.of() : conditions;
        }
    }

    /**
     * A profile field compared by {@code op}: {@code value} for one operand, {@code values}
     * for in / not in / between, {@code days} for the relative date operators.
     */
    record Field(String field, Operator op, Object value, List<Object> values, Integer days) implements Condition {}

    /** Has a subscription in a channel (optionally for one resource) with a status (default active). */
    record Subscribed(String channel, String resource, String status) implements Condition {}

    /**
     * Did an event (of {@code event} type, optionally in a channel, with property filters) at
     * least {@code atLeast} and at most {@code atMost} times in the window. With neither count
     * given it means "at least once"; {@code atMost: 0} means "never".
     */
    record Did(String event, String channel, List<PropertyFilter> where, Integer atLeast, Integer atMost, Window window)
            implements Condition {
        public Did {
            where = where == null ? List.of() : where;
        }
    }

    /**
     * An aggregate of matching events compared with a number: {@code count} of events, or the
     * sum / avg / min / max of a numeric {@code property} (sum of none is 0; avg, min and max
     * of none never match).
     */
    record Aggregate(String event, Function function, String property, List<PropertyFilter> where,
            Operator op, Object value, List<Object> values, Window window) implements Condition {
        public Aggregate {
            where = where == null ? List.of() : where;
        }
    }

    /** The latest event of a type (any of them on a tie) passes {@code where}, e.g. last order status. */
    record LastEvent(String event, List<PropertyFilter> where, Window window) implements Condition {
        public LastEvent {
            where = where == null ? List.of() : where;
        }
    }

    /** Has a related profile of {@code relation} type whose fields pass {@code condition}. */
    record Related(String relation, Condition condition) implements Condition {}

    /** Is ({@code member} true, the default) or is not a member of another segment. */
    record InSegment(String segment, Boolean member) implements Condition {
        public boolean wanted() {
            return member == null || member;
        }
    }

    /**
     * A custom rule condition written by an analyst in Orbita's restricted rule expression
     * language (see {@link CustomExpression}); it never reaches Drools without being parsed.
     */
    record Custom(String expression) implements Condition {}

    /**
     * A promo code of a pool: {@code issued} (was given one, in the window), {@code redeemed} (redeemed
     * one, in the window) or {@code active} (was given one in the window and has not redeemed, given
     * back or let expire one of that pool since). It reads the pool's events, so the rules engine
     * and the batch path test it as the {@link #expand() event conditions} it stands for.
     */
    record Promo(String pool, String state, Window window) implements Condition {

        public static final java.util.Set<String> STATES = java.util.Set.of("issued", "redeemed", "active");

        /** The event conditions this stands for. */
        public Condition expand() {
            List<PropertyFilter> ofPool = List.of(new PropertyFilter("pool", Operator.EQ, pool));
            return switch (state == null ? "active" : state) {
                case "issued" -> new Did("promo.issued", null, ofPool, 1, null, window);
                case "redeemed" -> new Did("promo.redeemed", null, ofPool, 1, null, window);
                default -> new Group(Match.ALL, List.of(new Did("promo.issued", null, ofPool, 1, null, window),
                        new Did("promo.redeemed", null, ofPool, null, 0, null), new Did("promo.detached", null, ofPool, null, 0, null),
                        new Did("promo.expired", null, ofPool, null, 0, null)));
            };
        }
    }

    /** A filter on an event property; the value's JSON type picks number or text comparison. */
    record PropertyFilter(String property, Operator op, Object value) {}

    /**
     * When events count: the last {@code lastDays} days (to now), or between two dates
     * (inclusive, UTC), or ever when empty.
     */
    record Window(Integer lastDays, LocalDate from, LocalDate to) {}
}
