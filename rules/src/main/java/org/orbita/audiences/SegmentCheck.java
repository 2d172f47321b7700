package org.orbita.audiences;

import static org.orbita.audiences.Condition.Operator.*;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.orbita.audiences.Condition.Aggregate;
import org.orbita.audiences.Condition.Custom;
import org.orbita.audiences.Condition.Did;
import org.orbita.audiences.Condition.Field;
import org.orbita.audiences.Condition.Group;
import org.orbita.audiences.Condition.InSegment;
import org.orbita.audiences.Condition.LastEvent;
import org.orbita.audiences.Condition.Operator;
import org.orbita.audiences.Condition.PropertyFilter;
import org.orbita.audiences.Condition.Related;
import org.orbita.audiences.Condition.Subscribed;
import org.orbita.audiences.Condition.Window;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.profiles.Channel;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.profiles.Subscription;

/**
 * Validates a segment definition against its database's schema and the other segments, and
 * returns it normalized: every value converted to the stored form of its field, so the
 * compilers never see a value of the wrong type. Every problem is reported with the path of
 * the offending condition ({@code definition.conditions[1].value}); nothing is partial.
 *
 * <p>Longer than the ~400 lines we aim for: one switch over every condition kind, checked against
 * the schema.
 */
public final class SegmentCheck {

    public static final int MAX_CONDITIONS = 200;
    public static final int MAX_DEPTH = 8;
    public static final int MAX_VALUES = 1000;
    public static final int MAX_TEXT = 1000;
    public static final int MAX_DAYS = 36_500;
    public static final int MAX_COUNT = 1_000_000;

    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_.:-]{0,63}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private static final Set<Operator> TEXT_OPS = EnumSet.of(EQ, NE, IN, NOT_IN, CONTAINS, NOT_CONTAINS, STARTS_WITH, IS_SET, IS_EMPTY);
    private static final Set<Operator> NUMBER_OPS = EnumSet.of(EQ, NE, IN, NOT_IN, GT, GTE, LT, LTE, BETWEEN, IS_SET, IS_EMPTY);
    private static final Set<Operator> DATE_OPS = EnumSet.of(EQ, NE, GT, GTE, LT, LTE, BETWEEN, IS_SET, IS_EMPTY,
            WITHIN_LAST_DAYS, WITHIN_NEXT_DAYS, MORE_THAN_DAYS_AGO, ANNIVERSARY_IN_DAYS, DAY_OF_WEEK);
    private static final Set<Operator> PROPERTY_OPS = EnumSet.of(EQ, NE, GT, GTE, LT, LTE, CONTAINS, STARTS_WITH, IS_SET, IS_EMPTY);
    private static final Set<Operator> AGGREGATE_OPS = EnumSet.of(EQ, NE, GT, GTE, LT, LTE, BETWEEN);

    /** What the check needs to know about other segments of the same database. */
    public interface Segments {
        /** The definition of another segment of this database (empty for static segments), or null if none exists. */
        Optional<Condition> definition(String segmentId);
    }

    private final DatabaseSchema schema;
    private final Segments segments;
    private final String selfId;
    private final List<FieldError> errors = new ArrayList<>();
    private int count;

    private SegmentCheck(DatabaseSchema schema, Segments segments, String selfId) {
        this.schema = schema;
        this.segments = segments;
        this.selfId = selfId;
    }

    /**
     * @param selfId the id the segment has or will have (for cycle detection)
     * @throws InvalidInputException with every problem found
     */
    public static Condition check(Condition definition, DatabaseSchema schema, Segments segments, String selfId) {
        SegmentCheck c = new SegmentCheck(schema, segments, selfId);
        Condition normalized = c.node(definition, "definition", 0, false);
        if (!c.errors.isEmpty()) {
            throw new InvalidInputException(c.errors);
        }
        c.cycles(normalized);
        if (!c.errors.isEmpty()) {
            throw new InvalidInputException(c.errors);
        }
        return normalized;
    }

    private Condition node(Condition node, String path, int depth, boolean fieldsOnly) {
        if (node == null) {
            return error(path, null, "a condition is required");
        }
        if (++count > MAX_CONDITIONS) {
            if (count == MAX_CONDITIONS + 1) {
                error(path, null, "a definition has at most " + MAX_CONDITIONS + " conditions");
            }
            return node;
        }
        if (depth > MAX_DEPTH) {
            return error(path, null, "groups nest at most " + MAX_DEPTH + " levels deep");
        }
        if (fieldsOnly && !(node instanceof Group) && !(node instanceof Field)) {
            return error(path + ".type", typeName(node), "inside a relation only field conditions and groups of them are allowed");
        }
        return switch (node) {
            case Group g -> group(g, path, depth, fieldsOnly);
            case Field f -> field(f, path);
            case Subscribed s -> subscribed(s, path);
            case Did d -> did(d, path);
            case Aggregate a -> aggregate(a, path);
            case LastEvent l -> lastEvent(l, path);
            case Related r -> related(r, path, depth);
            case InSegment s -> inSegment(s, path);
            case Custom c -> custom(c, path);
            case Condition.Promo x -> promo(x, path);
        };
    }

    private Condition promo(Condition.Promo x, String path) {
        if (x.pool() == null || !x.pool().matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            error(path + ".pool", x.pool(), "the id of a promo code pool");
        }
        String state = x.state() == null ? "active" : x.state();
        if (!Condition.Promo.STATES.contains(state)) {
            error(path + ".state", x.state(), "issued, redeemed or active");
        }
        return new Condition.Promo(x.pool(), state, window(x.window(), path + ".window"));
    }

    /** The operators a field of this type can be compared with. */
    public static Set<Operator> operators(FieldType type) {
        return switch (type) {
            case STRING, EMAIL, PHONE, ENUM -> TEXT_OPS;
            case INTEGER, DECIMAL -> NUMBER_OPS;
            case BOOLEAN -> EnumSet.of(EQ, IS_SET, IS_EMPTY);
            case DATE, DATETIME -> DATE_OPS;
            case TAGS -> EnumSet.of(CONTAINS, NOT_CONTAINS, IS_SET, IS_EMPTY);
            case OBJECTS, JSON -> EnumSet.of(IS_SET, IS_EMPTY);
        };
    }

    /** The operators an event property filter allows. */
    public static Set<Operator> propertyOperators() {
        return PROPERTY_OPS;
    }

    /** The operators an aggregate is compared with. */
    public static Set<Operator> aggregateOperators() {
        return AGGREGATE_OPS;
    }

    private static String typeName(Condition c) {
        return c.getClass().getSimpleName().toLowerCase();
    }

    private Condition group(Group g, String path, int depth, boolean fieldsOnly) {
        if (g.match() == null) {
            error(path + ".match", null, "is required: all, any or none");
        }
        if (g.conditions().isEmpty()) {
            return error(path + ".conditions", null, "a group needs at least one condition");
        }
        List<Condition> out = new ArrayList<>();
        for (int i = 0; i < g.conditions().size(); i++) {
            out.add(node(g.conditions().get(i), path + ".conditions[" + i + "]", depth + 1, fieldsOnly));
        }
        return new Group(g.match(), out);
    }

    private Condition field(Field f, String path) {
        if (f.field() == null) {
            return error(path + ".field", null, "is required");
        }
        Optional<FieldDefinition> def = schema.field(f.field());
        if (def.isEmpty()) {
            return error(path + ".field", f.field(), "no such field in the database schema");
        }
        if (f.op() == null) {
            return error(path + ".op", null, "is required");
        }
        FieldDefinition d = def.get();
        Set<Operator> allowed = operators(d.type());
        if (!allowed.contains(f.op())) {
            return error(path + ".op", f.op().id(), "a " + d.type().id() + " field allows "
                    + allowed.stream().map(Operator::id).toList());
        }
        return switch (f.op()) {
            case IS_SET, IS_EMPTY -> new Field(f.field(), f.op(), null, null, null);
            case IN, NOT_IN -> {
                if (f.values() == null || f.values().isEmpty() || f.values().size() > MAX_VALUES) {
                    yield error(path + ".values", null, "needs 1 to " + MAX_VALUES + " values");
                }
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < f.values().size(); i++) {
                    values.add(value(d, f.values().get(i), path + ".values[" + i + "]"));
                }
                yield new Field(f.field(), f.op(), null, values, null);
            }
            case BETWEEN -> {
                if (f.values() == null || f.values().size() != 2) {
                    yield error(path + ".values", f.values(), "between needs exactly two values: [from, to]");
                }
                Object lo = value(d, f.values().get(0), path + ".values[0]");
                Object hi = value(d, f.values().get(1), path + ".values[1]");
                yield new Field(f.field(), f.op(), null, Arrays.asList(lo, hi), null);
            }
            case WITHIN_LAST_DAYS, WITHIN_NEXT_DAYS, MORE_THAN_DAYS_AGO, ANNIVERSARY_IN_DAYS ->
                    new Field(f.field(), f.op(), null, null, days(f.days(), path + ".days"));
            case DAY_OF_WEEK -> {
                if (!(f.value() instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                        || n.intValue() < 1 || n.intValue() > 7) {
                    yield error(path + ".value", f.value(), "a day of week is 1 (Monday) to 7 (Sunday)");
                }
                yield new Field(f.field(), f.op(), n.intValue(), null, null);
            }
            case CONTAINS, NOT_CONTAINS, STARTS_WITH -> new Field(f.field(), f.op(), text(f.value(), path + ".value"), null, null);
            default -> new Field(f.field(), f.op(), value(d, f.value(), path + ".value"), null, null);
        };
    }

    /** Converts a comparison value to the field's stored form (dates of date-time fields stay dates). */
    private Object value(FieldDefinition d, Object raw, String path) {
        if (raw == null) {
            return error(path, null, "a value is required");
        }
        FieldType type = d.type() == FieldType.DATETIME ? FieldType.DATE : d.type();
        if (type == FieldType.INTEGER) {
            type = FieldType.DECIMAL;
        }
        try {
            Object v = type.convert(raw, d.values());
            if (v == null) {
                return error(path, raw, "a value is required");
            }
            if (v instanceof String s && (s.length() > MAX_TEXT || s.chars().anyMatch(Character::isISOControl))) {
                return error(path, raw, "a text value has at most " + MAX_TEXT + " characters and no control characters");
            }
            return v;
        } catch (IllegalArgumentException e) {
            return error(path, raw, "does not fit field '" + d.name() + "' (" + d.type().id() + "): " + e.getMessage());
        }
    }

    private String text(Object raw, String path) {
        if (!(raw instanceof String s) || s.isEmpty()) {
            error(path, raw, "must be a non-empty text");
            return null;
        }
        if (s.length() > MAX_TEXT || s.chars().anyMatch(Character::isISOControl)) {
            error(path, s, "a text value has at most " + MAX_TEXT + " characters and no control characters");
            return null;
        }
        return s;
    }

    private Integer days(Integer days, String path) {
        if (days == null || days < 0 || days > MAX_DAYS) {
            error(path, days, "must be a whole number of days from 0 to " + MAX_DAYS);
            return null;
        }
        return days;
    }

    private Condition subscribed(Subscribed s, String path) {
        String channel = null;
        try {
            channel = Channel.fromId(s.channel()).id();
        } catch (IllegalArgumentException e) {
            error(path + ".channel", s.channel(), e.getMessage());
        }
        String status = Subscription.Status.ACTIVE.id();
        if (s.status() != null) {
            try {
                status = Subscription.Status.fromId(s.status()).id();
            } catch (IllegalArgumentException e) {
                error(path + ".status", s.status(), e.getMessage());
            }
        }
        if (s.resource() != null && !NAME.matcher(s.resource()).matches()) {
            error(path + ".resource", s.resource(), "a resource name is 1-64 characters of A-Z a-z 0-9 _ . : -");
        }
        return new Subscribed(channel, s.resource(), status);
    }

    private void eventType(String type, String path) {
        if (type == null || !EVENT_TYPE.matcher(type).matches()) {
            error(path, type, "an event type is 1-64 characters: a-z first, then a-z 0-9 _ . : -");
        } else if (!RecentBehaviour.kept(type)) {
            error(path, type, "profile.* and segment.* events are not behaviour segments can look at; use field or segment conditions");
        }
    }

    private Condition did(Did d, String path) {
        eventType(d.event(), path + ".event");
        if (d.channel() != null && !NAME.matcher(d.channel()).matches()) {
            error(path + ".channel", d.channel(), "a channel is 1-64 characters of A-Z a-z 0-9 _ . : -");
        }
        Integer atLeast = d.atLeast();
        Integer atMost = d.atMost();
        if (atLeast == null && atMost == null) {
            atLeast = 1;
        }
        if (atLeast != null && (atLeast < 0 || atLeast > MAX_COUNT)) {
            error(path + ".atLeast", atLeast, "must be from 0 to " + MAX_COUNT);
        }
        if (atMost != null && (atMost < 0 || atMost > MAX_COUNT)) {
            error(path + ".atMost", atMost, "must be from 0 to " + MAX_COUNT);
        }
        if (atLeast != null && atMost != null && atLeast > atMost) {
            error(path + ".atMost", atMost, "must not be less than atLeast (" + atLeast + ")");
        }
        return new Did(d.event(), d.channel(), filters(d.where(), path + ".where"), atLeast, atMost, window(d.window(), path + ".window"));
    }

    private Condition aggregate(Aggregate a, String path) {
        eventType(a.event(), path + ".event");
        if (a.function() == null) {
            error(path + ".function", null, "is required: count, sum, avg, min or max");
        } else if (a.function() != Condition.Function.COUNT && (a.property() == null || !NAME.matcher(a.property()).matches())) {
            error(path + ".property", a.property(), a.function().id() + " needs the numeric event property to aggregate");
        }
        if (a.op() == null || !AGGREGATE_OPS.contains(a.op())) {
            error(path + ".op", a.op() == null ? null : a.op().id(), "an aggregate compares with "
                    + AGGREGATE_OPS.stream().map(Operator::id).toList());
            return a;
        }
        Object value = null;
        List<Object> values = null;
        if (a.op() == BETWEEN) {
            if (a.values() == null || a.values().size() != 2) {
                error(path + ".values", a.values(), "between needs exactly two numbers: [from, to]");
            } else {
                values = List.of(number(a.values().get(0), path + ".values[0]"), number(a.values().get(1), path + ".values[1]"));
            }
        } else {
            value = number(a.value(), path + ".value");
        }
        return new Aggregate(a.event(), a.function(), a.function() == Condition.Function.COUNT ? null : a.property(),
                filters(a.where(), path + ".where"), a.op(), value, values, window(a.window(), path + ".window"));
    }

    private BigDecimal number(Object raw, String path) {
        try {
            BigDecimal n = (BigDecimal) FieldType.DECIMAL.convert(raw, null);
            if (n != null) {
                return n;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        error(path, raw, "must be a number");
        return BigDecimal.ZERO;
    }

    private Condition lastEvent(LastEvent l, String path) {
        eventType(l.event(), path + ".event");
        if (l.where().isEmpty()) {
            error(path + ".where", null, "say what the last event must have, e.g. status eq paid");
        }
        return new LastEvent(l.event(), filters(l.where(), path + ".where"), window(l.window(), path + ".window"));
    }

    private List<PropertyFilter> filters(List<PropertyFilter> where, String path) {
        if (where.size() > 20) {
            error(path, where.size(), "at most 20 property filters");
            return where;
        }
        List<PropertyFilter> out = new ArrayList<>();
        for (int i = 0; i < where.size(); i++) {
            PropertyFilter f = where.get(i);
            String p = path + "[" + i + "]";
            if (f == null || f.property() == null || !NAME.matcher(f.property()).matches()) {
                error(p + ".property", f == null ? null : f.property(), "a property name is 1-64 characters of A-Z a-z 0-9 _ . : -");
                continue;
            }
            if (f.op() == null || !PROPERTY_OPS.contains(f.op())) {
                error(p + ".op", f.op() == null ? null : f.op().id(), "a property filter allows "
                        + PROPERTY_OPS.stream().map(Operator::id).toList());
                continue;
            }
            Object v = f.value();
            switch (f.op()) {
                case IS_SET, IS_EMPTY -> v = null;
                case GT, GTE, LT, LTE -> v = number(v, p + ".value");
                case CONTAINS, STARTS_WITH -> v = text(v, p + ".value");
                default -> {
                    if (v instanceof Number) {
                        v = number(v, p + ".value");
                    } else if (v instanceof Boolean b) {
                        v = b.toString();
                    } else {
                        v = text(v, p + ".value");
                    }
                }
            }
            out.add(new PropertyFilter(f.property(), f.op(), v));
        }
        return out;
    }

    private Window window(Window w, String path) {
        if (w == null || (w.lastDays() == null && w.from() == null && w.to() == null)) {
            return null;
        }
        if (w.lastDays() != null) {
            if (w.from() != null || w.to() != null) {
                error(path, null, "give either lastDays or from/to, not both");
            }
            return new Window(days(w.lastDays(), path + ".lastDays"), null, null);
        }
        LocalDate from = w.from() == null ? LocalDate.of(1970, 1, 1) : w.from();
        LocalDate to = w.to() == null ? LocalDate.of(9999, 12, 31) : w.to();
        if (to.isBefore(from)) {
            error(path + ".to", to, "must not be before from (" + from + ")");
        }
        return new Window(null, from, to);
    }

    private Condition related(Related r, String path, int depth) {
        if (r.relation() == null || !NAME.matcher(r.relation()).matches()) {
            error(path + ".relation", r.relation(), "a relation type is 1-64 characters of A-Z a-z 0-9 _ . : -");
        }
        if (r.condition() == null) {
            return error(path + ".condition", null, "say what the related profile must match");
        }
        return new Related(r.relation(), node(r.condition(), path + ".condition", depth + 1, true));
    }

    private Condition inSegment(InSegment s, String path) {
        if (s.segment() == null) {
            return error(path + ".segment", null, "is required");
        }
        if (s.segment().equals(selfId)) {
            return error(path + ".segment", s.segment(), "a segment cannot refer to itself");
        }
        if (segments.definition(s.segment()) == null) {
            return error(path + ".segment", s.segment(), "no such segment in this database");
        }
        return new InSegment(s.segment(), s.wanted());
    }

    private Condition custom(Custom c, String path) {
        try {
            CustomExpression.parse(c.expression(), schema);
        } catch (IllegalArgumentException e) {
            error(path + ".expression", c.expression(), e.getMessage());
        }
        return c;
    }

    /** Refuses a definition whose segment references lead back to itself. */
    private void cycles(Condition root) {
        Deque<List<String>> open = new ArrayDeque<>();
        for (String ref : references(root)) {
            open.push(List.of(ref));
        }
        Set<String> seen = new LinkedHashSet<>();
        while (!open.isEmpty()) {
            List<String> chain = open.pop();
            String last = chain.get(chain.size() - 1);
            if (last.equals(selfId)) {
                error("definition", null, "segment references make a cycle: " + selfId + " → " + String.join(" → ", chain));
                return;
            }
            if (!seen.add(last)) {
                continue;
            }
            Optional<Condition> def = segments.definition(last);
            if (def != null && def.isPresent()) {
                for (String ref : references(def.get())) {
                    List<String> next = new ArrayList<>(chain);
                    next.add(ref);
                    open.push(next);
                }
            }
        }
    }

    /** Ids of the segments a definition refers to. */
    public static Set<String> references(Condition node) {
        Set<String> out = new LinkedHashSet<>();
        collect(node, out);
        return out;
    }

    private static void collect(Condition node, Set<String> out) {
        if (node instanceof Group g) {
            g.conditions().forEach(c -> collect(c, out));
        } else if (node instanceof InSegment s && s.segment() != null) {
            out.add(s.segment());
        }
    }

    private <T> T error(String path, Object value, String rule) {
        errors.add(FieldError.of(path, value, rule));
        return null;
    }

}
