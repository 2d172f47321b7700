package org.orbita.audiences;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
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
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldType;

/**
 * Writes validated segment definitions as Drools rules (DRL, run with the executable model).
 * One rule per segment: {@code $p : ProfileFacts()} then the definition as conditional
 * elements — field tests as constraints on the profile, events as {@code accumulate}s,
 * subscriptions, relations and memberships as {@code exists}, groups as {@code and / or /
 * not}. Values only ever enter the text through {@link #string} and {@link #number}, and
 * field names are schema names (checked, [a-z0-9_]), so no input can change a rule's shape.
 */
public final class DrlWriter {

    static final String PACKAGE = "orbita.segments";
    private static final long DAY_MS = 86_400_000L;

    private final DatabaseSchema schema;
    private int counter;

    private DrlWriter(DatabaseSchema schema) {
        this.schema = schema;
    }

    /** One segment to write, with its salience (segments others refer to fire first). */
    public record Rule(String segmentId, Condition definition, int salience, boolean referenced) {}

    /** A whole rule file for a group of segments. */
    public static String file(List<Rule> rules, DatabaseSchema schema) {
        StringBuilder out = new StringBuilder(header());
        for (Rule r : rules) {
            out.append('\n').append(new DrlWriter(schema).rule(r));
        }
        return out.toString();
    }

    /** The rule of one segment as an analyst reads it (with the imports it needs). */
    public static String single(String segmentId, Condition definition, DatabaseSchema schema) {
        return header() + '\n' + new DrlWriter(schema).rule(new Rule(segmentId, definition, 0, false));
    }

    private static String header() {
        return "package " + PACKAGE + ";\n\n"
                + "import org.orbita.audiences.ProfileFacts;\n"
                + "import org.orbita.audiences.EventFact;\n"
                + "import org.orbita.audiences.SubscriptionFact;\n"
                + "import org.orbita.audiences.RelatedFact;\n"
                + "import org.orbita.audiences.MemberFact;\n";
    }

    private String rule(Rule r) {
        String id = string(r.segmentId());
        return "rule " + string("segment " + r.segmentId()) + " salience " + r.salience() + "\nwhen\n"
                + "    $p : ProfileFacts()\n"
                + indent(element(r.definition()), "    ") + "\n"
                + "then\n"
                + "    $p.match(" + id + ");\n"
                + (r.referenced() ? "    insert(new MemberFact(" + id + "));\n" : "")
                + "end\n";
    }

    private static String indent(String s, String by) {
        return by + s.replace("\n", "\n" + by);
    }

    /** A definition node as a conditional element. */
    private String element(Condition c) {
        return switch (c) {
            case Group g -> group(g);
            case Field f -> "ProfileFacts( " + fieldTest(f) + " )";
            case Subscribed s -> "exists( SubscriptionFact( channel == " + string(s.channel())
                    + (s.resource() == null ? "" : ", resource == " + string(s.resource()))
                    + ", status == " + string(s.status()) + " ) )";
            case Did d -> did(d);
            case Aggregate a -> aggregate(a);
            case LastEvent l -> lastEvent(l);
            case Related r -> "exists( RelatedFact( relation == " + string(r.relation()) + ", " + fieldExpression(r.condition()) + " ) )";
            case InSegment s -> (s.wanted() ? "exists( " : "not( ") + "MemberFact( segment == " + string(s.segment()) + " ) )";
            case Custom x -> "ProfileFacts( " + CustomExpression.toDrl(CustomExpression.parse(x.expression(), schema)) + " )";
            case Condition.Promo x -> element(x.expand());
        };
    }

    private String group(Group g) {
        List<String> parts = new ArrayList<>();
        for (Condition c : g.conditions()) {
            parts.add(element(c));
        }
        String joined = parts.size() == 1 ? parts.get(0)
                : "(\n" + indent(String.join(g.match() == Condition.Match.ALL ? "\n and\n" : "\n or\n", parts), "    ") + "\n)";
        return g.match() == Condition.Match.NONE ? "not( " + joined + " )" : joined;
    }

    /** A group of field conditions as one boolean constraint (relations). */
    private String fieldExpression(Condition c) {
        if (c instanceof Field f) {
            return "(" + fieldTest(f) + ")";
        }
        Group g = (Group) c;
        String joined = g.conditions().stream().map(this::fieldExpression)
                .collect(Collectors.joining(g.match() == Condition.Match.ALL ? " && " : " || ", "(", ")"));
        return g.match() == Condition.Match.NONE ? "!" + joined : joined;
    }

    /** A field test as a constraint on a {@link FieldValues} fact. */
    private String fieldTest(Field f) {
        FieldType type = schema.field(f.field()).orElseThrow().type();
        String name = string(f.field());
        return switch (type) {
            case STRING, EMAIL, PHONE, ENUM -> textTest(f, name);
            case INTEGER, DECIMAL -> numberTest(f, "number(" + name + ")");
            case BOOLEAN -> switch (f.op()) {
                case EQ -> "bool(" + name + ") == " + f.value();
                default -> presence(f, name);
            };
            case DATE, DATETIME -> dateTest(f, name);
            case TAGS -> switch (f.op()) {
                case CONTAINS -> "hasTag(" + name + ", " + string((String) f.value()) + ")";
                case NOT_CONTAINS -> "!hasTag(" + name + ", " + string((String) f.value()) + ")";
                default -> presence(f, name);
            };
            case OBJECTS, JSON -> presence(f, name);
        };
    }

    private static String presence(Field f, String name) {
        return switch (f.op()) {
            case IS_SET -> "has(" + name + ")";
            case IS_EMPTY -> "!has(" + name + ")";
            default -> throw new IllegalStateException("unchecked operator " + f.op());
        };
    }

    private static String textTest(Field f, String name) {
        String v = "text(" + name + ")";
        return switch (f.op()) {
            case EQ -> v + " == " + string((String) f.value());
            case NE -> "!(" + v + " == " + string((String) f.value()) + ")";
            case IN -> v + " in (" + strings(f.values()) + ")";
            case NOT_IN -> "!(" + v + " in (" + strings(f.values()) + "))";
            case CONTAINS -> "lower(" + name + ") != null && lower(" + name + ").contains(" + lowered(f) + ")";
            case NOT_CONTAINS -> "!(lower(" + name + ") != null && lower(" + name + ").contains(" + lowered(f) + "))";
            case STARTS_WITH -> "lower(" + name + ") != null && lower(" + name + ").startsWith(" + lowered(f) + ")";
            default -> presence(f, name);
        };
    }

    private static String lowered(Field f) {
        return string(((String) f.value()).toLowerCase(Locale.ROOT));
    }

    private static String strings(List<Object> values) {
        return values.stream().map(v -> string((String) v)).collect(Collectors.joining(", "));
    }

    private static String numberTest(Field f, String v) {
        String set = v + " != null && ";
        return switch (f.op()) {
            case EQ -> set + v + " == " + number(f.value());
            case NE -> "!(" + set + v + " == " + number(f.value()) + ")";
            case IN -> set + "(" + f.values().stream().map(x -> v + " == " + number(x)).collect(Collectors.joining(" || ")) + ")";
            case NOT_IN -> "!(" + set + "(" + f.values().stream().map(x -> v + " == " + number(x)).collect(Collectors.joining(" || ")) + "))";
            case GT -> set + v + " > " + number(f.value());
            case GTE -> set + v + " >= " + number(f.value());
            case LT -> set + v + " < " + number(f.value());
            case LTE -> set + v + " <= " + number(f.value());
            case BETWEEN -> set + v + " >= " + number(f.values().get(0)) + " && " + v + " <= " + number(f.values().get(1));
            case IS_SET -> v + " != null";
            case IS_EMPTY -> v + " == null";
            default -> throw new IllegalStateException("unchecked operator " + f.op());
        };
    }

    private static String dateTest(Field f, String name) {
        String d = "day(" + name + ")";
        String set = d + " != null && ";
        return switch (f.op()) {
            case EQ -> set + d + " == " + day(f.value());
            case NE -> "!(" + set + d + " == " + day(f.value()) + ")";
            case GT -> set + d + " > " + day(f.value());
            case GTE -> set + d + " >= " + day(f.value());
            case LT -> set + d + " < " + day(f.value());
            case LTE -> set + d + " <= " + day(f.value());
            case BETWEEN -> set + d + " >= " + day(f.values().get(0)) + " && " + d + " <= " + day(f.values().get(1));
            case WITHIN_LAST_DAYS -> set + d + " >= today - " + f.days() + " && " + d + " <= today";
            case WITHIN_NEXT_DAYS -> set + d + " >= today && " + d + " <= today + " + f.days();
            case MORE_THAN_DAYS_AGO -> set + d + " < today - " + f.days();
            case ANNIVERSARY_IN_DAYS -> "daysToAnniversary(" + name + ") != null && daysToAnniversary(" + name + ") <= " + f.days();
            case DAY_OF_WEEK -> "weekday(" + name + ") != null && weekday(" + name + ") == " + f.value();
            case IS_SET -> "has(" + name + ")";
            case IS_EMPTY -> "!has(" + name + ")";
            default -> throw new IllegalStateException("unchecked operator " + f.op());
        };
    }

    private static String day(Object isoDate) {
        return LocalDate.parse((String) isoDate).toEpochDay() + "L";
    }

    /** The constraints picking the events a condition counts. */
    private static String events(String type, String channel, List<PropertyFilter> where, Window w) {
        List<String> parts = new ArrayList<>();
        parts.add("type == " + string(type));
        if (channel != null) {
            parts.add("channel == " + string(channel));
        }
        parts.addAll(window(w));
        for (PropertyFilter f : where) {
            parts.add(property(f));
        }
        return String.join(", ", parts);
    }

    private static List<String> window(Window w) {
        if (w == null) {
            return List.of();
        }
        if (w.lastDays() != null) {
            return List.of("time >= $p.getNow() - " + (w.lastDays() * DAY_MS) + "L", "time <= $p.getNow()");
        }
        return List.of("time >= " + w.from().toEpochDay() * DAY_MS + "L",
                "time < " + (w.to().toEpochDay() + 1) * DAY_MS + "L");
    }

    private static String property(PropertyFilter f) {
        String p = string(f.property());
        return switch (f.op()) {
            case IS_SET -> "has(" + p + ")";
            case IS_EMPTY -> "!has(" + p + ")";
            case GT -> "num(" + p + ") != null && num(" + p + ") > " + number(f.value());
            case GTE -> "num(" + p + ") != null && num(" + p + ") >= " + number(f.value());
            case LT -> "num(" + p + ") != null && num(" + p + ") < " + number(f.value());
            case LTE -> "num(" + p + ") != null && num(" + p + ") <= " + number(f.value());
            case CONTAINS -> "lower(" + p + ") != null && lower(" + p + ").contains(" + string(((String) f.value()).toLowerCase(Locale.ROOT)) + ")";
            case STARTS_WITH -> "lower(" + p + ") != null && lower(" + p + ").startsWith(" + string(((String) f.value()).toLowerCase(Locale.ROOT)) + ")";
            case EQ -> f.value() instanceof Number
                    ? "num(" + p + ") != null && num(" + p + ") == " + number(f.value())
                    : "text(" + p + ") == " + string((String) f.value());
            case NE -> f.value() instanceof Number
                    ? "!(num(" + p + ") != null && num(" + p + ") == " + number(f.value()) + ")"
                    : "!(text(" + p + ") == " + string((String) f.value()) + ")";
            default -> throw new IllegalStateException("unchecked operator " + f.op());
        };
    }

    private String did(Did d) {
        int k = ++counter;
        List<String> tests = new ArrayList<>();
        if (d.atLeast() != null) {
            tests.add("$n" + k + " >= " + d.atLeast());
        }
        if (d.atMost() != null) {
            tests.add("$n" + k + " <= " + d.atMost());
        }
        return "accumulate( EventFact( " + events(d.event(), d.channel(), d.where(), d.window()) + " );\n"
                + "    $n" + k + " : count(1);\n    " + String.join(", ", tests) + " )";
    }

    private String aggregate(Aggregate a) {
        int k = ++counter;
        String s = "$a" + k;
        List<String> tests = new ArrayList<>();
        switch (a.op()) {
            case BETWEEN -> {
                tests.add(s + " >= " + number(a.values().get(0)));
                tests.add(s + " <= " + number(a.values().get(1)));
            }
            case EQ -> tests.add(s + " == " + number(a.value()));
            case NE -> tests.add(s + " != " + number(a.value()));
            case GT -> tests.add(s + " > " + number(a.value()));
            case GTE -> tests.add(s + " >= " + number(a.value()));
            case LT -> tests.add(s + " < " + number(a.value()));
            case LTE -> tests.add(s + " <= " + number(a.value()));
            default -> throw new IllegalStateException("unchecked operator " + a.op());
        }
        String select = events(a.event(), null, a.where(), a.window());
        if (a.function() == Condition.Function.COUNT) {
            return "accumulate( EventFact( " + select + " );\n    " + s + " : count(1);\n    " + String.join(", ", tests) + " )";
        }
        String prop = string(a.property());
        String v = "$v" + k;
        String fn = switch (a.function()) {
            case SUM -> "sum";
            case AVG -> "average";
            case MIN -> "min";
            default -> "max";
        };
        String body = "accumulate( EventFact( " + select + ", num(" + prop + ") != null, " + v + " : num(" + prop + ") );\n"
                + "    " + s + " : " + fn + "(" + v + ");\n    " + String.join(", ", tests) + " )";
        if (a.function() == Condition.Function.SUM) {
            return body;
        }
        // avg, min and max of no events never match: a separate count guards them (one accumulate
        // with two functions cannot be constrained on both in Drools 10.2's executable model)
        return "(\n    accumulate( EventFact( " + select + ", num(" + prop + ") != null );\n    $c" + k + " : count(1);\n    $c" + k + " > 0 )\n"
                + " and\n    " + body.replace("\n", "\n    ") + "\n)";
    }

    private String lastEvent(LastEvent l) {
        int k = ++counter;
        String t = "$t" + k;
        String window = String.join("", window(l.window()).stream().map(x -> ", " + x).toList());
        return "exists( EventFact( type == " + string(l.event()) + window + ", " + t + " : time, "
                + l.where().stream().map(DrlWriter::property).collect(Collectors.joining(", ")) + " )\n"
                + "    and not( EventFact( type == " + string(l.event()) + window + ", time > " + t + " ) ) )";
    }

    /** A Java/DRL string literal; only the quote and the backslash need escaping (no control characters get here). */
    public static String string(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("control characters never reach a rule");
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** A double literal with a decimal point and no exponent. */
    public static String number(Object n) {
        BigDecimal b = n instanceof BigDecimal d ? d : new BigDecimal(((Number) n).toString());
        String s = BigDecimal.valueOf(b.doubleValue()).toPlainString();
        return s.contains(".") ? s : s + ".0";
    }
}
