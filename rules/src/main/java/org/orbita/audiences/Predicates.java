package org.orbita.audiences;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import org.orbita.audiences.Condition.Aggregate;
import org.orbita.audiences.Condition.Custom;
import org.orbita.audiences.Condition.Did;
import org.orbita.audiences.Condition.Field;
import org.orbita.audiences.Condition.Group;
import org.orbita.audiences.Condition.InSegment;
import org.orbita.audiences.Condition.LastEvent;
import org.orbita.audiences.Condition.PropertyFilter;
import org.orbita.audiences.Condition.Related;
import org.orbita.audiences.Condition.Subscribed;
import org.orbita.audiences.Condition.Window;
import org.orbita.common.Json;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldType;

/**
 * The same validated definitions as {@link DrlWriter} writes, compiled to plain Java tests:
 * used where a Drools build would make people wait (the builder's live count, ad-hoc
 * previews) and for explaining a membership condition by condition. The differential test
 * holds this and the Drools rules equal.
 */
public final class Predicates {

    private static final long DAY_MS = 86_400_000L;

    private Predicates() {}

    /** One condition's outcome for a profile, with the value it looked at and its children. */
    public record Explained(String condition, boolean result, String actual, List<Explained> children) {}

    /** A compiled condition. */
    public interface Test {
        boolean test(ProfileFacts p);

        Explained explain(ProfileFacts p);
    }

    public static Test compile(Condition c, DatabaseSchema schema) {
        return switch (c) {
            case Condition.Promo x -> {
                Test inner = compile(x.expand(), schema);
                yield new Test() {
                    @Override
                    public boolean test(ProfileFacts p) {
                        return inner.test(p);
                    }

                    @Override
                    public Explained explain(ProfileFacts p) {
                        Explained e = inner.explain(p);
                        return new Explained(describe(x), e.result(), e.actual(), List.of(e));
                    }
                };
            }
            case Group g -> group(g, schema, null);
            case Field f -> {
                Predicate<FieldValues> test = field(f, schema);
                yield leaf(describe(f), test::test, p -> show(p.value(f.field())));
            }
            case Subscribed s -> leaf(describe(s), p -> p.subscriptions().stream().anyMatch(x -> x.channel().equals(s.channel())
                    && (s.resource() == null || s.resource().equals(x.resource())) && x.status().equals(s.status())),
                    p -> p.subscriptions().stream().map(x -> x.channel() + "/" + x.resource() + ":" + x.status()).toList().toString());
            case Did d -> {
                Predicate<EventFact> pick = events(d.event(), d.channel(), d.where());
                yield leaf(describe(d), p -> {
                    long n = count(p, pick, d.window());
                    return (d.atLeast() == null || n >= d.atLeast()) && (d.atMost() == null || n <= d.atMost());
                }, p -> count(p, pick, d.window()) + " times");
            }
            case Aggregate a -> aggregate(a);
            case LastEvent l -> lastEvent(l);
            case Related r -> related(r, schema);
            case InSegment s -> leaf(describe(s), p -> member(p, s.segment()) == s.wanted(),
                    p -> member(p, s.segment()) ? "member" : "not a member");
            case Custom x -> {
                CustomExpression.Node node = CustomExpression.parse(x.expression(), schema);
                yield leaf("custom: " + x.expression(), p -> Cmp.truth(CustomExpression.eval(node, p)), p -> null);
            }
        };
    }

    static boolean member(ProfileFacts p, String segment) {
        return p.memberships().contains(segment) || p.matched().contains(segment);
    }

    private static Test leaf(String description, Predicate<ProfileFacts> test, Function<ProfileFacts, String> actual) {
        return new Test() {
            public boolean test(ProfileFacts p) {
                return test.test(p);
            }

            public Explained explain(ProfileFacts p) {
                return new Explained(description, test.test(p), actual.apply(p), List.of());
            }
        };
    }

    private static Test group(Group g, DatabaseSchema schema, Function<Condition, Test> compiler) {
        List<Test> parts = new ArrayList<>();
        for (Condition c : g.conditions()) {
            parts.add(compiler == null ? compile(c, schema) : compiler.apply(c));
        }
        Test[] tests = parts.toArray(Test[]::new);
        Condition.Match match = g.match();
        return new Test() {
            public boolean test(ProfileFacts p) {
                return switch (match) {
                    case ALL -> {
                        for (Test t : tests) {
                            if (!t.test(p)) {
                                yield false;
                            }
                        }
                        yield true;
                    }
                    case ANY -> any(p);
                    case NONE -> !any(p);
                };
            }

            private boolean any(ProfileFacts p) {
                for (Test t : tests) {
                    if (t.test(p)) {
                        return true;
                    }
                }
                return false;
            }

            public Explained explain(ProfileFacts p) {
                List<Explained> children = new ArrayList<>();
                for (Test t : tests) {
                    children.add(t.explain(p));
                }
                return new Explained(match.id() + " of", test(p), null, children);
            }
        };
    }

    // ---- fields

    static Predicate<FieldValues> field(Field f, DatabaseSchema schema) {
        FieldType type = schema.field(f.field()).orElseThrow().type();
        String name = f.field();
        return switch (f.op()) {
            case IS_SET -> v -> v.has(name);
            case IS_EMPTY -> v -> !v.has(name);
            default -> switch (type) {
                case STRING, EMAIL, PHONE, ENUM -> text(f);
                case INTEGER, DECIMAL -> number(f);
                case BOOLEAN -> v -> f.value().equals(v.bool(name));
                case DATE, DATETIME -> date(f);
                case TAGS -> f.op() == Condition.Operator.CONTAINS ? v -> v.hasTag(name, (String) f.value())
                        : v -> !v.hasTag(name, (String) f.value());
                default -> throw new IllegalStateException("unchecked operator " + f.op());
            };
        };
    }

    private static Predicate<FieldValues> text(Field f) {
        String name = f.field();
        String lower = f.value() instanceof String s ? s.toLowerCase(Locale.ROOT) : null;
        return switch (f.op()) {
            case EQ -> v -> f.value().equals(v.text(name));
            case NE -> v -> !f.value().equals(v.text(name));
            case IN -> v -> f.values().contains(v.text(name));
            case NOT_IN -> v -> !f.values().contains(v.text(name));
            case CONTAINS -> v -> v.lower(name) != null && v.lower(name).contains(lower);
            case NOT_CONTAINS -> v -> !(v.lower(name) != null && v.lower(name).contains(lower));
            case STARTS_WITH -> v -> v.lower(name) != null && v.lower(name).startsWith(lower);
            default -> throw new IllegalStateException("unchecked operator " + f.op());
        };
    }

    private static double d(Object n) {
        return ((Number) n).doubleValue();
    }

    private static Predicate<FieldValues> number(Field f) {
        String name = f.field();
        return switch (f.op()) {
            case EQ -> v -> v.number(name) != null && v.number(name) == d(f.value());
            case NE -> v -> !(v.number(name) != null && v.number(name) == d(f.value()));
            case IN -> v -> v.number(name) != null && f.values().stream().anyMatch(x -> d(x) == v.number(name));
            case NOT_IN -> v -> !(v.number(name) != null && f.values().stream().anyMatch(x -> d(x) == v.number(name)));
            case GT -> v -> v.number(name) != null && v.number(name) > d(f.value());
            case GTE -> v -> v.number(name) != null && v.number(name) >= d(f.value());
            case LT -> v -> v.number(name) != null && v.number(name) < d(f.value());
            case LTE -> v -> v.number(name) != null && v.number(name) <= d(f.value());
            case BETWEEN -> v -> v.number(name) != null && v.number(name) >= d(f.values().get(0)) && v.number(name) <= d(f.values().get(1));
            default -> throw new IllegalStateException("unchecked operator " + f.op());
        };
    }

    private static long day(Object iso) {
        return LocalDate.parse((String) iso).toEpochDay();
    }

    private static Predicate<FieldValues> date(Field f) {
        String name = f.field();
        return switch (f.op()) {
            case EQ -> v -> v.day(name) != null && v.day(name) == day(f.value());
            case NE -> v -> !(v.day(name) != null && v.day(name) == day(f.value()));
            case GT -> v -> v.day(name) != null && v.day(name) > day(f.value());
            case GTE -> v -> v.day(name) != null && v.day(name) >= day(f.value());
            case LT -> v -> v.day(name) != null && v.day(name) < day(f.value());
            case LTE -> v -> v.day(name) != null && v.day(name) <= day(f.value());
            case BETWEEN -> v -> v.day(name) != null && v.day(name) >= day(f.values().get(0)) && v.day(name) <= day(f.values().get(1));
            case WITHIN_LAST_DAYS -> v -> v.day(name) != null && v.day(name) >= v.getToday() - f.days() && v.day(name) <= v.getToday();
            case WITHIN_NEXT_DAYS -> v -> v.day(name) != null && v.day(name) >= v.getToday() && v.day(name) <= v.getToday() + f.days();
            case MORE_THAN_DAYS_AGO -> v -> v.day(name) != null && v.day(name) < v.getToday() - f.days();
            case ANNIVERSARY_IN_DAYS -> v -> v.daysToAnniversary(name) != null && v.daysToAnniversary(name) <= f.days();
            case DAY_OF_WEEK -> v -> v.weekday(name) != null && v.weekday(name) == ((Number) f.value()).intValue();
            default -> throw new IllegalStateException("unchecked operator " + f.op());
        };
    }

    // ---- events

    private static Predicate<EventFact> events(String type, String channel, List<PropertyFilter> where) {
        List<Predicate<EventFact>> filters = where.stream().map(Predicates::property).toList();
        return e -> {
            if (!e.getType().equals(type) || (channel != null && !channel.equals(e.getChannel()))) {
                return false;
            }
            for (Predicate<EventFact> f : filters) {
                if (!f.test(e)) {
                    return false;
                }
            }
            return true;
        };
    }

    private static boolean inWindow(EventFact e, Window w, long now) {
        if (w == null) {
            return true;
        }
        if (w.lastDays() != null) {
            return e.getTime() >= now - w.lastDays() * DAY_MS && e.getTime() <= now;
        }
        return e.getTime() >= w.from().toEpochDay() * DAY_MS && e.getTime() < (w.to().toEpochDay() + 1) * DAY_MS;
    }

    private static long count(ProfileFacts p, Predicate<EventFact> pick, Window w) {
        long n = 0;
        for (EventFact e : p.events()) {
            if (inWindow(e, w, p.getNow()) && pick.test(e)) {
                n++;
            }
        }
        return n;
    }

    private static Predicate<EventFact> property(PropertyFilter f) {
        String p = f.property();
        String lower = f.value() instanceof String s ? s.toLowerCase(Locale.ROOT) : null;
        return switch (f.op()) {
            case IS_SET -> e -> e.has(p);
            case IS_EMPTY -> e -> !e.has(p);
            case GT -> e -> e.num(p) != null && e.num(p) > d(f.value());
            case GTE -> e -> e.num(p) != null && e.num(p) >= d(f.value());
            case LT -> e -> e.num(p) != null && e.num(p) < d(f.value());
            case LTE -> e -> e.num(p) != null && e.num(p) <= d(f.value());
            case CONTAINS -> e -> e.lower(p) != null && e.lower(p).contains(lower);
            case STARTS_WITH -> e -> e.lower(p) != null && e.lower(p).startsWith(lower);
            case EQ -> f.value() instanceof Number ? e -> e.num(p) != null && e.num(p) == d(f.value())
                    : plainLiteral(f.value()) ? e -> e.mayHold((String) f.value()) && f.value().equals(e.text(p))
                    : e -> f.value().equals(e.text(p));
            case NE -> f.value() instanceof Number ? e -> !(e.num(p) != null && e.num(p) == d(f.value()))
                    : e -> !f.value().equals(e.text(p));
            default -> throw new IllegalStateException("unchecked operator " + f.op());
        };
    }

    /**
     * A text that stored JSON holds as it is — no quote, backslash or control character, which
     * JSON escapes, and not a number's text, which a stored number may spell otherwise (7E+1 for
     * 70) — so JSON without it cannot hold a property equal to it.
     */
    static boolean plainLiteral(Object value) {
        if (!(value instanceof String s) || s.isEmpty() || s.matches("[-+0-9.eE]+") || s.equals("true") || s.equals("false")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f || (c >= 0x2028 && c <= 0x2029)) {
                return false;
            }
        }
        return true;
    }

    private static Test aggregate(Aggregate a) {
        Predicate<EventFact> pick = events(a.event(), null, a.where());
        Function<ProfileFacts, Double> measure = p -> {
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            long n = 0;
            for (EventFact e : p.events()) {
                if (!inWindow(e, a.window(), p.getNow()) || !pick.test(e)) {
                    continue;
                }
                if (a.function() == Condition.Function.COUNT) {
                    n++;
                    continue;
                }
                Double v = e.num(a.property());
                if (v == null) {
                    continue;
                }
                n++;
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            return switch (a.function()) {
                case COUNT -> (double) n;
                case SUM -> sum;
                case AVG -> n == 0 ? null : sum / n;
                case MIN -> n == 0 ? null : min;
                case MAX -> n == 0 ? null : max;
            };
        };
        return leaf(describe(a), p -> {
            Double m = measure.apply(p);
            if (m == null) {
                return false;
            }
            return switch (a.op()) {
                case EQ -> m == d(a.value());
                case NE -> m != d(a.value());
                case GT -> m > d(a.value());
                case GTE -> m >= d(a.value());
                case LT -> m < d(a.value());
                case LTE -> m <= d(a.value());
                case BETWEEN -> m >= d(a.values().get(0)) && m <= d(a.values().get(1));
                default -> throw new IllegalStateException("unchecked operator " + a.op());
            };
        }, p -> String.valueOf(measure.apply(p)));
    }

    private static Test lastEvent(LastEvent l) {
        Predicate<EventFact> pick = events(l.event(), null, l.where());
        Function<ProfileFacts, List<EventFact>> latest = p -> {
            long max = Long.MIN_VALUE;
            for (EventFact e : p.events()) {
                if (e.getType().equals(l.event()) && inWindow(e, l.window(), p.getNow())) {
                    max = Math.max(max, e.getTime());
                }
            }
            List<EventFact> out = new ArrayList<>();
            for (EventFact e : p.events()) {
                if (e.getType().equals(l.event()) && e.getTime() == max && inWindow(e, l.window(), p.getNow())) {
                    out.add(e);
                }
            }
            return out;
        };
        return leaf(describe(l), p -> latest.apply(p).stream().anyMatch(pick),
                p -> latest.apply(p).stream().map(e -> Json.write(e.properties())).toList().toString());
    }

    private static Test related(Related r, DatabaseSchema schema) {
        Predicate<FieldValues> inner = relatedFields(r.condition(), schema);
        return leaf(describe(r), p -> p.related().stream().anyMatch(x -> x.getRelation().equals(r.relation()) && inner.test(x)),
                p -> p.related().stream().filter(x -> x.getRelation().equals(r.relation())).count() + " related");
    }

    private static Predicate<FieldValues> relatedFields(Condition c, DatabaseSchema schema) {
        if (c instanceof Field f) {
            return field(f, schema);
        }
        Group g = (Group) c;
        List<Predicate<FieldValues>> parts = g.conditions().stream().map(x -> relatedFields(x, schema)).toList();
        return switch (g.match()) {
            case ALL -> v -> parts.stream().allMatch(t -> t.test(v));
            case ANY -> v -> parts.stream().anyMatch(t -> t.test(v));
            case NONE -> v -> parts.stream().noneMatch(t -> t.test(v));
        };
    }

    // ---- descriptions for explanations

    private static String show(Object v) {
        return v == null ? "(not set)" : v instanceof String s ? s : Json.write(v);
    }

    static String describe(Condition c) {
        return switch (c) {
            case Field f -> f.field() + " " + f.op().id()
                    + (f.value() != null ? " " + show(f.value()) : "")
                    + (f.values() != null ? " " + f.values() : "")
                    + (f.days() != null ? " " + f.days() + " days" : "");
            case Subscribed s -> "subscribed in " + s.channel() + (s.resource() == null ? "" : "/" + s.resource()) + " (" + s.status() + ")";
            case Did d -> "did " + d.event() + (d.channel() == null ? "" : " in " + d.channel())
                    + (d.atLeast() == null ? "" : " at least " + d.atLeast()) + (d.atMost() == null ? "" : " at most " + d.atMost())
                    + " times" + window(d.window()) + filters(d.where());
            case Aggregate a -> a.function().id() + (a.property() == null ? "" : "(" + a.property() + ")") + " of " + a.event()
                    + window(a.window()) + filters(a.where()) + " " + a.op().id() + " " + (a.value() != null ? a.value() : a.values());
            case LastEvent l -> "last " + l.event() + window(l.window()) + filters(l.where());
            case Related r -> "has a related " + r.relation() + " profile matching the nested condition";
            case InSegment s -> (s.wanted() ? "in segment " : "not in segment ") + s.segment();
            case Custom x -> "custom: " + x.expression();
            case Condition.Promo x -> "promo code of pool " + x.pool() + " " + x.state() + window(x.window());
            case Group g -> g.match().id() + " of " + g.conditions().size();
        };
    }

    private static String window(Window w) {
        if (w == null) {
            return " ever";
        }
        return w.lastDays() != null ? " in the last " + w.lastDays() + " days" : " between " + w.from() + " and " + w.to();
    }

    private static String filters(List<PropertyFilter> where) {
        return where.isEmpty() ? "" : " where " + where.stream()
                .map(f -> f.property() + " " + f.op().id() + (f.value() == null ? "" : " " + f.value())).toList();
    }
}
