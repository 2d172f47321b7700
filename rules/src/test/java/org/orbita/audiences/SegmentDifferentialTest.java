package org.orbita.audiences;

import static org.assertj.core.api.Assertions.assertThat;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.orbita.audiences.Condition.Operator;
import org.orbita.common.Json;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;

/**
 * Random profiles with events and random segment definitions: the Drools rules, the Java
 * predicates and a reference evaluator written here, independently of both, must agree on
 * every membership — also after segments are edited and their buckets rebuilt.
 */
class SegmentDifferentialTest {

    static final long NOW = Instant.parse("2026-06-15T12:00:00Z").toEpochMilli();
    static final LocalDate TODAY = LocalDate.of(2026, 6, 15);
    static final long DAY = 86_400_000L;

    static final DatabaseSchema SCHEMA = new DatabaseSchema(List.of(
            FieldDefinition.of("city", FieldType.STRING),
            FieldDefinition.of("age", FieldType.INTEGER),
            FieldDefinition.of("score", FieldType.DECIMAL),
            FieldDefinition.of("vip", FieldType.BOOLEAN),
            FieldDefinition.of("birthday", FieldType.DATE),
            FieldDefinition.of("seen", FieldType.DATETIME),
            new FieldDefinition("tier", FieldType.ENUM, null, false, false, null, List.of("bronze", "silver", "gold")),
            FieldDefinition.of("tags", FieldType.TAGS),
            FieldDefinition.of("email", FieldType.EMAIL)));

    static final String[] CITIES = {"Moscow", "Москва", "Spb", "O'Hara \"q\" \\ $x", "moscow-2"};

    /** A test profile in plain data; the reference reads only this. */
    record P(String id, Map<String, Object> fields, List<E> events, List<String[]> subs, List<Map.Entry<String, Map<String, Object>>> related,
            Set<String> statics) {}

    record E(String type, String channel, long time, Map<String, Object> props) {}

    /** A generated condition with the reference's own reading of it. */
    record Gen(Condition condition, Predicate<P> ref) {}

    final Random rnd = new Random(20261122L);
    final Map<String, Predicate<P>> referenceOf = new LinkedHashMap<>();
    final Map<String, Condition> definitions = new LinkedHashMap<>();
    final Map<String, Boolean> refMemo = new HashMap<>();

    @Test
    void droolsPredicatesAndReferenceAgreeAcrossEdits() {
        List<P> profiles = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            profiles.add(profile(i));
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(String.format("seg-%03d", i));
        }
        Map<String, Long> versions = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            define(ids.get(i), ids.subList(0, i));
            versions.put(ids.get(i), 1L);
        }
        SegmentRules rules = new SegmentRules();
        long checks = 0;
        long members = 0;
        for (int round = 0; round < 4; round++) {
            if (round > 0) {
                for (int k = 0; k < 4; k++) {
                    int i = rnd.nextInt(ids.size());
                    // references only to earlier segments keep the graph acyclic
                    define(ids.get(i), ids.subList(0, i));
                    versions.merge(ids.get(i), 1L, Long::sum);
                }
            }
            List<SegmentRules.Definition> defs = new ArrayList<>();
            for (String id : ids) {
                Condition checked = SegmentCheck.check(definitions.get(id), SCHEMA, this::lookup, id);
                // stored and read back, as segments are (numbers come back as Long or BigDecimal)
                checked = Json.read(Json.write(checked), Condition.class);
                defs.add(new SegmentRules.Definition(id, versions.get(id), checked));
            }
            rules.update(SCHEMA, defs);
            PredicateSet predicates = new PredicateSet(SCHEMA, defs);
            for (P p : profiles) {
                Set<String> expected = new HashSet<>();
                refMemo.clear();
                for (String id : ids) {
                    if (member(p, id)) {
                        expected.add(id);
                    }
                }
                Set<String> drools = rules.evaluate(facts(p));
                Set<String> java = predicates.evaluate(facts(p));
                assertThat(drools).as("Drools, round %d, profile %s", round, p).isEqualTo(expected);
                assertThat(java).as("predicates, round %d, profile %s", round, p).isEqualTo(expected);
                // as a recompute reads them: properties as stored JSON, opened only when looked into
                assertThat(predicates.evaluate(storedFacts(p))).as("predicates on stored JSON, round %d, profile %s", round, p).isEqualTo(expected);
                checks += ids.size();
                members += expected.size();
            }
        }
        assertThat(checks).isGreaterThanOrEqualTo(40_000);
        // both outcomes are common, so agreement is not agreement on "nobody"
        assertThat(members).isBetween(checks / 10, checks * 9 / 10);
    }

    /** Promo conditions alone (each state, pool and window): the three readings agree, and on both outcomes. */
    @Test
    void promoConditionsAgree() {
        List<P> profiles = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            profiles.add(profile(i));
        }
        List<SegmentRules.Definition> defs = new ArrayList<>();
        Map<String, Predicate<P>> refs = new LinkedHashMap<>();
        for (int i = 0; i < 24; i++) {
            Gen g = promo();
            String id = String.format("promo-%02d", i);
            Condition checked = Json.read(Json.write(SegmentCheck.check(g.condition(), SCHEMA, this::lookup, id)), Condition.class);
            defs.add(new SegmentRules.Definition(id, 1, checked));
            refs.put(id, g.ref());
        }
        SegmentRules rules = new SegmentRules();
        rules.update(SCHEMA, defs);
        PredicateSet predicates = new PredicateSet(SCHEMA, defs);
        long members = 0;
        for (P p : profiles) {
            Set<String> expected = new HashSet<>();
            refs.forEach((id, ref) -> {
                if (ref.test(p)) {
                    expected.add(id);
                }
            });
            assertThat(rules.evaluate(facts(p))).as("Drools, profile %s", p).isEqualTo(expected);
            assertThat(predicates.evaluate(facts(p))).as("predicates, profile %s", p).isEqualTo(expected);
            members += expected.size();
        }
        long checks = 300L * defs.size();
        assertThat(members).isBetween(checks / 20, checks * 19 / 20);
    }

    /**
     * The built-in RFM segments: Drools, the predicates and a reference reading the orders directly
     * agree, and every buyer is in exactly one group (nobody without orders is in any).
     */
    @Test
    void rfmSegmentsAgreeAndSortEveryBuyerIntoExactlyOneGroup() {
        RfmSegments.Thresholds t = new RfmSegments.Thresholds(30, 120, 3, new BigDecimal("5000"), 0);
        List<SegmentRules.Definition> defs = new ArrayList<>();
        RfmSegments.definitions(t).forEach((group, c) -> defs.add(new SegmentRules.Definition(group, 1,
                Json.read(Json.write(SegmentCheck.check(c, SCHEMA, this::lookup, group)), Condition.class))));
        SegmentRules rules = new SegmentRules();
        rules.update(SCHEMA, defs);
        PredicateSet predicates = new PredicateSet(SCHEMA, defs);
        Map<String, Integer> sizes = new HashMap<>();
        for (int i = 0; i < 600; i++) {
            List<E> events = new ArrayList<>();
            int orders = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(rnd.nextBoolean() ? 2 : 7);
            for (int k = 0; k < orders; k++) {
                long time = NOW - (long) rnd.nextInt(400) * DAY - rnd.nextInt(86_400) * 1000L;
                Object total = rnd.nextBoolean() ? (Object) (long) rnd.nextInt(3000) : new BigDecimal(rnd.nextInt(3000) + ".25");
                events.add(new E("order.created", null, time, Map.of("total", total, "status", "new", "currency", "RUB")));
            }
            if (rnd.nextBoolean()) {
                events.add(new E("open", "email", NOW - rnd.nextInt(10) * DAY, Map.of()));
            }
            P p = new P(String.format("b%05d", i), Map.of(), events, List.of(), List.of(), Set.of());
            List<E> placed = events.stream().filter(e -> e.type().equals("order.created")).toList();
            boolean recent = placed.stream().anyMatch(e -> e.time() >= NOW - 30 * DAY);
            boolean withinLapse = placed.stream().anyMatch(e -> e.time() >= NOW - 120 * DAY);
            BigDecimal sum = placed.stream().map(e -> new BigDecimal(e.props().get("total").toString())).reduce(BigDecimal.ZERO, BigDecimal::add);
            int n = placed.size();
            String expected = n == 0 ? null
                    : recent && n >= 3 && sum.compareTo(new BigDecimal("5000")) >= 0 ? "champions"
                    : recent && n >= 2 || withinLapse && !recent && n >= 3 ? "loyal"
                    : recent ? "new"
                    : withinLapse ? "needs_attention"
                    : n >= 2 ? "at_risk" : "lost";
            Set<String> want = expected == null ? Set.of() : Set.of(expected);
            assertThat(rules.evaluate(facts(p))).as("Drools, %s", p).isEqualTo(want);
            assertThat(predicates.evaluate(facts(p))).as("predicates, %s", p).isEqualTo(want);
            if (expected != null) {
                sizes.merge(expected, 1, Integer::sum);
            }
        }
        assertThat(sizes.keySet()).as("every group has members in the sample: " + sizes).containsExactlyInAnyOrderElementsOf(RfmSegments.GROUPS);
    }

    /**
     * Text filters answered before the stored JSON is read agree with the parsed reading where
     * JSON spells a value otherwise: escaped quotes and backslashes, a number stored as 7E+1 and
     * asked as "70", a boolean, non-Latin text, a value only in another property or a key.
     */
    @Test
    void filtersOnStoredJsonAgreeWithTheParsedProperties() {
        List<Map<String, Object>> props = List.of(Map.of("product", "p7"), Map.of("product", "p77"), Map.of("n", new BigDecimal("7E+1")),
                Map.of("n", 70L), Map.of("q", "say \"hi\" \\ there"), Map.of("u", "Москва"), Map.of("b", true), Map.of("other", "p7", "product", "p8"),
                Map.of("p7", "x"), Map.of("tab", "a\tb"));
        List<String> values = List.of("p7", "p77", "70", "7E+1", "say \"hi\" \\ there", "Москва", "true", "x", "p8");
        List<String> properties = List.of("product", "n", "q", "u", "b", "other", "p7", "tab");
        List<SegmentRules.Definition> defs = new ArrayList<>();
        for (String property : properties) {
            for (String value : values) {
                Condition c = new Condition.Did("view", null, List.of(new Condition.PropertyFilter(property, Condition.Operator.EQ, value)), null, null, null);
                String id = property + "=" + value;
                defs.add(new SegmentRules.Definition(id, 1, Json.read(Json.write(SegmentCheck.check(c, SCHEMA, this::lookup, id)), Condition.class)));
            }
        }
        long members = 0;
        for (SegmentRules.Definition def : defs) {
            // one filter at a time: another filter's reading would open the JSON first
            PredicateSet predicates = new PredicateSet(SCHEMA, List.of(def));
            for (Map<String, Object> pr : props) {
                P p = new P("p", Map.of(), List.of(new E("view", null, NOW - DAY, pr)), List.of(), List.of(), Set.of());
                Set<String> parsed = predicates.evaluate(facts(p));
                assertThat(predicates.evaluate(storedFacts(p))).as("%s on %s", def.id(), pr).isEqualTo(parsed);
                members += parsed.size();
            }
        }
        assertThat(members).as("the filters match somewhere").isGreaterThanOrEqualTo(8);
    }

    Optional<Condition> lookup(String id) {
        if (id.startsWith("static-")) {
            return Optional.empty();
        }
        Condition c = definitions.get(id);
        return c == null ? null : Optional.of(c);
    }

    boolean member(P p, String id) {
        if (id.startsWith("static-")) {
            return p.statics().contains(id);
        }
        return refMemo.computeIfAbsent(id, k -> referenceOf.get(k).test(p));
    }

    void define(String id, List<String> earlier) {
        Gen g = group(0, earlier);
        definitions.put(id, g.condition());
        referenceOf.put(id, g.ref());
    }

    static ProfileFacts storedFacts(P p) {
        ProfileFacts plain = facts(p);
        List<EventFact> events = plain.events().stream().map(e -> new EventFact(e.getType(), e.getChannel(), e.getTime(),
                e.properties().isEmpty() ? null : new org.orbita.common.LazyJsonMap(Json.write(e.properties())))).toList();
        return new ProfileFacts(p.id(), p.fields(), NOW, events, plain.subscriptions(), plain.related(), p.statics());
    }

    static ProfileFacts facts(P p) {
        List<EventFact> events = p.events().stream().map(e -> new EventFact(e.type(), e.channel(), e.time(), e.props())).toList();
        List<SubscriptionFact> subs = p.subs().stream().map(s -> new SubscriptionFact(s[0], s[1], s[2])).toList();
        List<RelatedFact> related = p.related().stream().map(r -> new RelatedFact(r.getKey(), r.getValue(), TODAY.toEpochDay())).toList();
        return new ProfileFacts(p.id(), p.fields(), NOW, events, subs, related, p.statics());
    }

    // ---- random data

    P profile(int i) {
        List<E> events = new ArrayList<>();
        int n = rnd.nextInt(8);
        for (int k = 0; k < n; k++) {
            Map<String, Object> props = new HashMap<>();
            if (rnd.nextInt(4) > 0) {
                props.put("amount", rnd.nextBoolean() ? (Object) (long) rnd.nextInt(300) : new BigDecimal(rnd.nextInt(300) + ".5"));
            }
            if (rnd.nextInt(3) > 0) {
                props.put("status", pick("paid", "new", "cancelled"));
            }
            long time = NOW - (long) rnd.nextInt(60) * DAY - rnd.nextInt(1000) * 1000L;
            if (rnd.nextInt(20) == 0) {
                time = NOW + DAY;
            }
            if (k > 0 && rnd.nextInt(6) == 0) {
                time = events.get(k - 1).time(); // ties for "last event"
            }
            if (rnd.nextInt(4) == 0) {
                // promo code events: what the promo conditions read
                events.add(new E(pick("promo.issued", "promo.issued", "promo.redeemed", "promo.detached", "promo.expired"), null, time,
                        Map.of("pool", pick("spring", "autumn"), "code", "C" + k)));
                continue;
            }
            events.add(new E(pick("purchase", "open", "click"), rnd.nextBoolean() ? pick("email", "sms") : null, time, props));
        }
        List<String[]> subs = new ArrayList<>();
        for (int k = rnd.nextInt(3); k > 0; k--) {
            subs.add(new String[] {pick("email", "sms", "push"), pick("default", "news"), pick("active", "active", "unsubscribed")});
        }
        List<Map.Entry<String, Map<String, Object>>> related = new ArrayList<>();
        for (int k = rnd.nextInt(3); k > 0; k--) {
            related.add(Map.entry(pick("spouse", "parent"), fields()));
        }
        Set<String> statics = new HashSet<>();
        for (String s : List.of("static-1", "static-2")) {
            if (rnd.nextBoolean()) {
                statics.add(s);
            }
        }
        return new P(String.format("p%05d", i), fields(), events, subs, related, statics);
    }

    Map<String, Object> fields() {
        Map<String, Object> f = new HashMap<>();
        if (rnd.nextInt(5) > 0) {
            f.put("city", pick(CITIES));
        }
        if (rnd.nextInt(5) > 0) {
            f.put("age", (long) rnd.nextInt(80));
        }
        if (rnd.nextInt(5) > 0) {
            f.put("score", new BigDecimal(pick("0", "1.5", "10", "99.99", "100")));
        }
        if (rnd.nextInt(4) > 0) {
            f.put("vip", rnd.nextBoolean());
        }
        if (rnd.nextInt(5) > 0) {
            f.put("birthday", TODAY.minusDays(rnd.nextInt(800) - 30).toString());
        }
        if (rnd.nextInt(5) > 0) {
            f.put("seen", Instant.ofEpochMilli(NOW - rnd.nextInt(40) * DAY + rnd.nextInt(86_400) * 1000L).toString());
        }
        if (rnd.nextInt(4) > 0) {
            f.put("tier", pick("bronze", "silver", "gold"));
        }
        if (rnd.nextInt(3) > 0) {
            List<String> tags = new ArrayList<>();
            for (String t : List.of("sport", "music", "travel")) {
                if (rnd.nextBoolean()) {
                    tags.add(t);
                }
            }
            f.put("tags", tags);
        }
        if (rnd.nextInt(3) > 0) {
            f.put("email", "u" + rnd.nextInt(5) + "@example.com");
        }
        return f;
    }

    @SafeVarargs
    final <T> T pick(T... options) {
        return options[rnd.nextInt(options.length)];
    }

    // ---- random definitions, each with its reference reading

    Gen group(int depth, List<String> earlier) {
        int n = 1 + rnd.nextInt(3);
        List<Condition> conditions = new ArrayList<>();
        List<Predicate<P>> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Gen g = depth < 2 && rnd.nextInt(4) == 0 ? group(depth + 1, earlier) : leaf(earlier);
            conditions.add(g.condition());
            refs.add(g.ref());
        }
        Condition.Match match = pick(Condition.Match.ALL, Condition.Match.ALL, Condition.Match.ANY, Condition.Match.NONE);
        Predicate<P> ref = switch (match) {
            case ALL -> p -> refs.stream().allMatch(r -> r.test(p));
            case ANY -> p -> refs.stream().anyMatch(r -> r.test(p));
            case NONE -> p -> refs.stream().noneMatch(r -> r.test(p));
        };
        return new Gen(new Condition.Group(match, conditions), ref);
    }

    Gen leaf(List<String> earlier) {
        int kind = rnd.nextInt(16);
        if (kind < 6) {
            Gen f = field();
            return new Gen(f.condition(), p -> f.ref().test(p));
        }
        return switch (kind) {
            case 6 -> subscription();
            case 7, 8 -> did();
            case 9 -> aggregate();
            case 10 -> lastEvent();
            case 11 -> related();
            case 12 -> segment(earlier);
            case 13 -> custom();
            case 14 -> promo();
            default -> field();
        };
    }

    /** Field conditions; the reference reads the raw stored values. */
    Gen field() {
        Gen g = fieldOn();
        return g;
    }

    Gen fieldOn() {
        String field = pick("city", "age", "score", "vip", "birthday", "seen", "tier", "tags", "email");
        return switch (field) {
            case "city", "tier", "email" -> textField(field);
            case "age", "score" -> numberField(field);
            case "vip" -> {
                if (rnd.nextBoolean()) {
                    boolean v = rnd.nextBoolean();
                    yield gen(new Condition.Field(field, Operator.EQ, v, null, null), f -> Boolean.valueOf(v).equals(f.get(field)));
                }
                yield presence(field);
            }
            case "birthday", "seen" -> dateField(field);
            default -> {
                if (rnd.nextInt(4) == 0) {
                    yield presence(field);
                }
                String tag = pick("sport", "music", "SPORT", "none");
                boolean contains = rnd.nextBoolean();
                Predicate<Map<String, Object>> has = f -> f.get(field) instanceof List<?> l
                        && l.stream().anyMatch(x -> ((String) x).equalsIgnoreCase(tag));
                yield gen(new Condition.Field(field, contains ? Operator.CONTAINS : Operator.NOT_CONTAINS, tag, null, null),
                        contains ? has : has.negate());
            }
        };
    }

    /** A field test on the main profile's fields. */
    Gen gen(Condition.Field c, Predicate<Map<String, Object>> onFields) {
        return new Gen(c, p -> onFields.test(p.fields()));
    }

    Gen presence(String field) {
        boolean set = rnd.nextBoolean();
        Predicate<Map<String, Object>> isSet = f -> {
            Object v = f.get(field);
            return v != null && !(v instanceof List<?> l && l.isEmpty()) && !(v instanceof String s && s.isEmpty());
        };
        return gen(new Condition.Field(field, set ? Operator.IS_SET : Operator.IS_EMPTY, null, null, null), set ? isSet : isSet.negate());
    }

    Gen textField(String field) {
        String[] pool = switch (field) {
            case "tier" -> new String[] {"bronze", "silver", "gold"};
            case "email" -> new String[] {"u1@example.com", "U2@Example.com", "u3@example.com"};
            default -> CITIES;
        };
        String v = pick(pool);
        String stored = field.equals("email") ? v.toLowerCase() : v;
        Operator op = pick(Operator.EQ, Operator.NE, Operator.IN, Operator.NOT_IN, Operator.CONTAINS, Operator.NOT_CONTAINS,
                Operator.STARTS_WITH, Operator.IS_SET);
        if (op == Operator.IS_SET) {
            return presence(field);
        }
        String part = v.substring(0, 1 + rnd.nextInt(Math.min(4, v.length()))).toUpperCase();
        return switch (op) {
            case EQ -> gen(new Condition.Field(field, op, v, null, null), f -> stored.equals(f.get(field)));
            case NE -> gen(new Condition.Field(field, op, v, null, null), f -> !stored.equals(f.get(field)));
            case IN, NOT_IN -> {
                String w = pick(pool);
                Set<String> set = new HashSet<>(List.of(stored, field.equals("email") ? w.toLowerCase() : w));
                Predicate<Map<String, Object>> in = f -> set.contains(f.get(field));
                yield gen(new Condition.Field(field, op, null, List.of(v, w), null), op == Operator.IN ? in : in.negate());
            }
            case CONTAINS, NOT_CONTAINS -> {
                Predicate<Map<String, Object>> has = f -> f.get(field) instanceof String s && s.toLowerCase().contains(part.toLowerCase());
                yield gen(new Condition.Field(field, op, part, null, null), op == Operator.CONTAINS ? has : has.negate());
            }
            default -> gen(new Condition.Field(field, op, part, null, null),
                    f -> f.get(field) instanceof String s && s.toLowerCase().startsWith(part.toLowerCase()));
        };
    }

    Gen numberField(String field) {
        Operator op = pick(Operator.EQ, Operator.NE, Operator.IN, Operator.NOT_IN, Operator.GT, Operator.GTE, Operator.LT,
                Operator.LTE, Operator.BETWEEN, Operator.IS_EMPTY);
        BigDecimal v = new BigDecimal(field.equals("age") ? String.valueOf(rnd.nextInt(80)) : pick("0", "1.5", "10", "50", "99.99"));
        BigDecimal w = v.add(BigDecimal.valueOf(rnd.nextInt(30)));
        Function<Map<String, Object>, BigDecimal> num = f -> f.get(field) == null ? null
                : new BigDecimal(f.get(field).toString());
        return switch (op) {
            case IS_EMPTY -> presence(field);
            case EQ -> gen(new Condition.Field(field, op, v, null, null), f -> num.apply(f) != null && num.apply(f).compareTo(v) == 0);
            case NE -> gen(new Condition.Field(field, op, v.toString(), null, null), f -> !(num.apply(f) != null && num.apply(f).compareTo(v) == 0));
            case IN -> gen(new Condition.Field(field, op, null, List.of(v, w), null),
                    f -> num.apply(f) != null && (num.apply(f).compareTo(v) == 0 || num.apply(f).compareTo(w) == 0));
            case NOT_IN -> gen(new Condition.Field(field, op, null, List.of(v, w), null),
                    f -> !(num.apply(f) != null && (num.apply(f).compareTo(v) == 0 || num.apply(f).compareTo(w) == 0)));
            case GT -> gen(new Condition.Field(field, op, v, null, null), f -> num.apply(f) != null && num.apply(f).compareTo(v) > 0);
            case GTE -> gen(new Condition.Field(field, op, v, null, null), f -> num.apply(f) != null && num.apply(f).compareTo(v) >= 0);
            case LT -> gen(new Condition.Field(field, op, v, null, null), f -> num.apply(f) != null && num.apply(f).compareTo(v) < 0);
            case LTE -> gen(new Condition.Field(field, op, v, null, null), f -> num.apply(f) != null && num.apply(f).compareTo(v) <= 0);
            default -> gen(new Condition.Field(field, op, null, List.of(v, w), null),
                    f -> num.apply(f) != null && num.apply(f).compareTo(v) >= 0 && num.apply(f).compareTo(w) <= 0);
        };
    }

    static LocalDate dateOf(Object v) {
        if (!(v instanceof String s)) {
            return null;
        }
        return s.length() == 10 ? LocalDate.parse(s) : Instant.parse(s).atOffset(ZoneOffset.UTC).toLocalDate();
    }

    Gen dateField(String field) {
        Operator op = pick(Operator.EQ, Operator.NE, Operator.GT, Operator.LT, Operator.BETWEEN, Operator.WITHIN_LAST_DAYS,
                Operator.WITHIN_NEXT_DAYS, Operator.MORE_THAN_DAYS_AGO, Operator.ANNIVERSARY_IN_DAYS, Operator.DAY_OF_WEEK, Operator.IS_SET);
        LocalDate v = TODAY.minusDays(rnd.nextInt(60) - 10);
        LocalDate w = v.plusDays(rnd.nextInt(40));
        int days = rnd.nextInt(40);
        Function<Map<String, Object>, LocalDate> d = f -> dateOf(f.get(field));
        return switch (op) {
            case IS_SET -> presence(field);
            case EQ -> gen(new Condition.Field(field, op, v.toString(), null, null), f -> v.equals(d.apply(f)));
            case NE -> gen(new Condition.Field(field, op, v.format(DateTimeFormatter.ofPattern("dd.MM.yyyy")), null, null),
                    f -> !v.equals(d.apply(f)));
            case GT -> gen(new Condition.Field(field, op, v.toString(), null, null), f -> d.apply(f) != null && d.apply(f).isAfter(v));
            case LT -> gen(new Condition.Field(field, op, v.toString(), null, null), f -> d.apply(f) != null && d.apply(f).isBefore(v));
            case BETWEEN -> gen(new Condition.Field(field, op, null, List.of(v.toString(), w.toString()), null),
                    f -> d.apply(f) != null && !d.apply(f).isBefore(v) && !d.apply(f).isAfter(w));
            case WITHIN_LAST_DAYS -> gen(new Condition.Field(field, op, null, null, days),
                    f -> d.apply(f) != null && !d.apply(f).isBefore(TODAY.minusDays(days)) && !d.apply(f).isAfter(TODAY));
            case WITHIN_NEXT_DAYS -> gen(new Condition.Field(field, op, null, null, days),
                    f -> d.apply(f) != null && !d.apply(f).isBefore(TODAY) && !d.apply(f).isAfter(TODAY.plusDays(days)));
            case MORE_THAN_DAYS_AGO -> gen(new Condition.Field(field, op, null, null, days),
                    f -> d.apply(f) != null && d.apply(f).isBefore(TODAY.minusDays(days)));
            case ANNIVERSARY_IN_DAYS -> gen(new Condition.Field(field, op, null, null, days), f -> {
                LocalDate b = d.apply(f);
                if (b == null) {
                    return false;
                }
                for (int k = 0; k <= days; k++) {
                    LocalDate day = TODAY.plusDays(k);
                    if (MonthDay.from(b).atYear(day.getYear()).equals(day)) {
                        return true;
                    }
                }
                return false;
            });
            default -> {
                int dow = 1 + rnd.nextInt(7);
                yield gen(new Condition.Field(field, op, dow, null, null), f -> d.apply(f) != null && d.apply(f).getDayOfWeek().getValue() == dow);
            }
        };
    }

    Gen subscription() {
        String channel = pick("email", "sms", "push");
        String resource = pick("default", "news", null);
        String status = pick("active", "unsubscribed", null);
        String wanted = status == null ? "active" : status;
        return new Gen(new Condition.Subscribed(channel, resource, status), p -> p.subs().stream()
                .anyMatch(s -> s[0].equals(channel) && (resource == null || s[1].equals(resource)) && s[2].equals(wanted)));
    }

    record Sel(String type, String channel, List<Condition.PropertyFilter> where, Condition.Window window, Predicate<E> test) {}

    Sel selection(boolean withChannel) {
        String type = pick("purchase", "open", "click");
        String channel = withChannel && rnd.nextBoolean() ? pick("email", "sms") : null;
        List<Condition.PropertyFilter> where = new ArrayList<>();
        List<Predicate<E>> tests = new ArrayList<>();
        if (rnd.nextBoolean()) {
            int x = rnd.nextInt(300);
            where.add(new Condition.PropertyFilter("amount", Operator.GT, x));
            tests.add(e -> e.props().get("amount") != null && new BigDecimal(e.props().get("amount").toString()).compareTo(BigDecimal.valueOf(x)) > 0);
        }
        if (rnd.nextInt(3) == 0) {
            String s = pick("paid", "new");
            boolean eq = rnd.nextBoolean();
            where.add(new Condition.PropertyFilter("status", eq ? Operator.EQ : Operator.NE, s));
            tests.add(eq ? e -> s.equals(e.props().get("status")) : e -> !s.equals(e.props().get("status")));
        }
        Condition.Window window;
        Predicate<E> inWindow;
        switch (rnd.nextInt(3)) {
            case 0 -> {
                int days = 1 + rnd.nextInt(40);
                window = new Condition.Window(days, null, null);
                inWindow = e -> e.time() >= NOW - days * DAY && e.time() <= NOW;
            }
            case 1 -> {
                LocalDate from = TODAY.minusDays(rnd.nextInt(50));
                LocalDate to = from.plusDays(rnd.nextInt(20));
                window = new Condition.Window(null, from, to);
                inWindow = e -> {
                    LocalDate day = Instant.ofEpochMilli(e.time()).atOffset(ZoneOffset.UTC).toLocalDate();
                    return !day.isBefore(from) && !day.isAfter(to);
                };
            }
            default -> {
                window = null;
                inWindow = e -> true;
            }
        }
        Predicate<E> all = e -> e.type().equals(type) && (channel == null || channel.equals(e.channel())) && inWindow.test(e)
                && tests.stream().allMatch(t -> t.test(e));
        return new Sel(type, channel, where, window, all);
    }

    Gen did() {
        Sel s = selection(true);
        Integer atLeast = rnd.nextInt(3) == 0 ? null : rnd.nextInt(3);
        Integer atMost = rnd.nextInt(2) == 0 ? null : (atLeast == null ? 0 : atLeast) + rnd.nextInt(3);
        int min = atLeast == null && atMost == null ? 1 : atLeast == null ? 0 : atLeast;
        return new Gen(new Condition.Did(s.type(), s.channel(), s.where(), atLeast, atMost, s.window()), p -> {
            long n = p.events().stream().filter(s.test()).count();
            return n >= min && (atMost == null || n <= atMost);
        });
    }

    Gen aggregate() {
        Sel s = selection(false);
        Condition.Function fn = pick(Condition.Function.values());
        Operator op = pick(Operator.GT, Operator.LTE, Operator.BETWEEN, Operator.EQ);
        BigDecimal v = BigDecimal.valueOf(rnd.nextInt(400));
        BigDecimal w = v.add(BigDecimal.valueOf(rnd.nextInt(300)));
        Predicate<P> ref = p -> {
            List<BigDecimal> amounts = new ArrayList<>();
            long count = 0;
            for (E e : p.events()) {
                if (!s.test().test(e)) {
                    continue;
                }
                count++;
                if (e.props().get("amount") != null) {
                    amounts.add(new BigDecimal(e.props().get("amount").toString()));
                }
            }
            BigDecimal m;
            switch (fn) {
                case COUNT -> m = BigDecimal.valueOf(count);
                case SUM -> m = amounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
                default -> {
                    if (amounts.isEmpty()) {
                        return false;
                    }
                    m = fn == Condition.Function.MIN ? amounts.stream().min(BigDecimal::compareTo).get()
                            : fn == Condition.Function.MAX ? amounts.stream().max(BigDecimal::compareTo).get()
                            : amounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add).divide(BigDecimal.valueOf(amounts.size()), 10, RoundingMode.HALF_EVEN);
                }
            }
            return switch (op) {
                case GT -> m.compareTo(v) > 0;
                case LTE -> m.compareTo(v) <= 0;
                case EQ -> m.compareTo(v) == 0;
                default -> m.compareTo(v) >= 0 && m.compareTo(w) <= 0;
            };
        };
        return new Gen(new Condition.Aggregate(s.type(), fn, fn == Condition.Function.COUNT ? null : "amount", s.where(), op,
                op == Operator.BETWEEN ? null : v, op == Operator.BETWEEN ? List.of(v, w) : null, s.window()), ref);
    }

    Gen lastEvent() {
        String type = pick("purchase", "open");
        String status = pick("paid", "new", "cancelled");
        boolean windowed = rnd.nextBoolean();
        int days = 1 + rnd.nextInt(30);
        Predicate<E> in = e -> e.type().equals(type) && (!windowed || (e.time() >= NOW - days * DAY && e.time() <= NOW));
        return new Gen(new Condition.LastEvent(type, List.of(new Condition.PropertyFilter("status", Operator.EQ, status)),
                windowed ? new Condition.Window(days, null, null) : null), p -> {
            long max = p.events().stream().filter(in).mapToLong(E::time).max().orElse(Long.MIN_VALUE);
            return p.events().stream().anyMatch(e -> in.test(e) && e.time() == max && status.equals(e.props().get("status")));
        });
    }

    /** A promo code condition; the reference reads the pool's events as the condition's documentation says. */
    Gen promo() {
        String pool = pick("spring", "autumn");
        String state = pick("issued", "redeemed", "active");
        boolean windowed = rnd.nextBoolean();
        int days = 1 + rnd.nextInt(30);
        Predicate<E> inWindow = e -> !windowed || (e.time() >= NOW - days * DAY && e.time() <= NOW);
        Predicate<E> ofPool = e -> pool.equals(e.props().get("pool"));
        return new Gen(new Condition.Promo(pool, state, windowed ? new Condition.Window(days, null, null) : null), p -> switch (state) {
            case "issued" -> p.events().stream().anyMatch(e -> e.type().equals("promo.issued") && ofPool.test(e) && inWindow.test(e));
            case "redeemed" -> p.events().stream().anyMatch(e -> e.type().equals("promo.redeemed") && ofPool.test(e) && inWindow.test(e));
            default -> p.events().stream().anyMatch(e -> e.type().equals("promo.issued") && ofPool.test(e) && inWindow.test(e))
                    && p.events().stream().noneMatch(e -> ofPool.test(e) && (e.type().equals("promo.redeemed") || e.type().equals("promo.detached")
                    || e.type().equals("promo.expired")));
        });
    }

    Gen related() {
        String relation = pick("spouse", "parent");
        Gen a = fieldOn();
        Gen b = fieldOn();
        boolean both = rnd.nextBoolean();
        Condition inner = both ? new Condition.Group(Condition.Match.ANY, List.of(a.condition(), b.condition())) : a.condition();
        return new Gen(new Condition.Related(relation, inner), p -> p.related().stream().anyMatch(r -> {
            if (!r.getKey().equals(relation)) {
                return false;
            }
            P view = new P("r", r.getValue(), List.of(), List.of(), List.of(), Set.of());
            return both ? a.ref().test(view) || b.ref().test(view) : a.ref().test(view);
        }));
    }

    Gen segment(List<String> earlier) {
        List<String> pool = new ArrayList<>(earlier);
        pool.add("static-1");
        pool.add("static-2");
        String id = pool.get(rnd.nextInt(pool.size()));
        boolean wanted = rnd.nextInt(3) > 0;
        return new Gen(new Condition.InSegment(id, wanted), p -> member(p, id) == wanted);
    }

    Gen custom() {
        int age = rnd.nextInt(80);
        String city = pick(CITIES);
        int days = 1 + rnd.nextInt(40);
        int n = rnd.nextInt(3);
        return switch (rnd.nextInt(3)) {
            case 0 -> new Gen(new Condition.Custom("number(\"age\") >= " + age + " && text(\"city\") != \""
                    + city.replace("\\", "\\\\").replace("\"", "\\\"") + "\""),
                    p -> p.fields().get("age") instanceof Long a && a >= age && !city.equals(p.fields().get("city")));
            case 1 -> new Gen(new Condition.Custom("eventCount(\"purchase\", " + days + ") > " + n + " || hasTag(\"tags\", \"sport\")"),
                    p -> p.events().stream().filter(e -> e.type().equals("purchase") && e.time() >= NOW - days * DAY && e.time() <= NOW).count() > n
                            || (p.fields().get("tags") instanceof List<?> l && l.contains("sport")));
            default -> new Gen(new Condition.Custom("!(bool(\"vip\")) && day(\"birthday\") < today - " + days),
                    p -> !Boolean.TRUE.equals(p.fields().get("vip")) && dateOf(p.fields().get("birthday")) != null
                            && dateOf(p.fields().get("birthday")).isBefore(TODAY.minusDays(days)));
        };
    }
}
