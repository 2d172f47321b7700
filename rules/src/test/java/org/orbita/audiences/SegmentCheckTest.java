package org.orbita.audiences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.orbita.common.Json;
import org.orbita.common.InvalidInputException;
import org.orbita.audiences.Condition.Operator;

class SegmentCheckTest {

    final Map<String, Condition> others = new HashMap<>();

    Optional<Condition> lookup(String id) {
        Condition c = others.get(id);
        return c == null ? null : Optional.of(c);
    }

    Condition check(String json, String self) {
        return SegmentCheck.check(Json.read(json, Condition.class), SegmentDifferentialTest.SCHEMA, this::lookup, self);
    }

    InvalidInputException refused(String json) {
        try {
            check(json, "me");
        } catch (InvalidInputException e) {
            return e;
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void badDefinitionsAreRefusedWithThePathOfTheCondition() {
        assertThat(refused("""
                {"type":"group","match":"all","conditions":[{"type":"field","field":"city","op":"eq","value":"x"},
                 {"type":"field","field":"nope","op":"eq","value":"x"}]}""").errors())
                .anySatisfy(e -> {
                    assertThat(e.field()).isEqualTo("definition.conditions[1].field");
                    assertThat(e.rule()).contains("no such field");
                });
        assertThat(refused("{\"type\":\"field\",\"field\":\"birthday\",\"op\":\"gt\",\"value\":\"yesterday\"}").errors().get(0))
                .satisfies(e -> {
                    assertThat(e.field()).isEqualTo("definition.value");
                    assertThat(e.rule()).contains("birthday").contains("date");
                });
        assertThat(refused("{\"type\":\"field\",\"field\":\"age\",\"op\":\"contains\",\"value\":\"1\"}").errors().get(0).rule())
                .contains("integer field allows");
        assertThat(refused("{\"type\":\"group\",\"match\":\"any\",\"conditions\":[]}").errors().get(0).rule())
                .contains("at least one condition");
        assertThat(refused("{\"type\":\"field\",\"field\":\"tier\",\"op\":\"eq\",\"value\":\"platinum\"}").errors().get(0).field())
                .isEqualTo("definition.value");
        assertThat(refused("{\"type\":\"event\",\"event\":\"Bad Type\"}").errors().get(0).field()).isEqualTo("definition.event");
        assertThat(refused("{\"type\":\"event\",\"event\":\"buy\",\"atLeast\":3,\"atMost\":1}").errors().get(0).field())
                .isEqualTo("definition.atMost");
        assertThat(refused("{\"type\":\"relation\",\"relation\":\"spouse\",\"condition\":{\"type\":\"event\",\"event\":\"buy\"}}")
                .errors().get(0).rule()).contains("only field conditions");
        assertThat(refused("{\"type\":\"segment\",\"segment\":\"ghost\"}").errors().get(0).rule()).contains("no such segment");
        // field names are schema names, never text that reaches a rule
        assertThat(refused("{\"type\":\"field\",\"field\":\"city\\\") || eval(true) || text(\\\"x\",\"op\":\"is_set\"}")
                .errors().get(0).rule()).contains("no such field");
    }

    @Test
    void cyclesAreRefused() {
        others.put("a", Json.read("{\"type\":\"segment\",\"segment\":\"b\"}", Condition.class));
        others.put("b", Json.read("{\"type\":\"segment\",\"segment\":\"me\"}", Condition.class));
        assertThat(refused("{\"type\":\"segment\",\"segment\":\"a\"}").errors().get(0).rule())
                .contains("cycle").contains("me → a → b → me");
        assertThat(refused("{\"type\":\"segment\",\"segment\":\"me\"}").errors().get(0).rule()).contains("itself");
    }

    @Test
    void hugeDefinitionsAreRefused() {
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            many.add(Map.of("type", "field", "field", "city", "op", "is_set"));
        }
        String json = Json.write(Map.of("type", "group", "match", "all", "conditions", many));
        assertThat(refused(json).errors().get(0).rule()).contains("at most 200 conditions");
        String deep = "{\"type\":\"field\",\"field\":\"city\",\"op\":\"is_set\"}";
        for (int i = 0; i < 10; i++) {
            deep = "{\"type\":\"group\",\"match\":\"all\",\"conditions\":[" + deep + "]}";
        }
        assertThat(refused(deep).errors().get(0).rule()).contains("levels deep");
    }

    @Test
    void customExpressionsAreSandboxed() {
        for (String bad : List.of(
                "System.exit(1) == null",
                "text(\"city\").getClass() == null",
                "java.lang.Runtime.getRuntime() == null",
                "eval(true)",
                "text(\"city\") == \"x\"; System.exit(1)",
                "new java.io.File(\"/\") == null",
                "text(\"nope\") == \"x\"",
                "text(\"age\") == \"x\"",
                "number(\"age\") == \"x\"")) {
            InvalidInputException e = refused(Json.write(Map.of("type", "custom", "expression", bad)));
            assertThat(e.errors().get(0).field()).isEqualTo("definition.expression");
            assertThat(e.errors().get(0).rule()).startsWith("column ");
        }
        assertThat(refused(Json.write(Map.of("type", "custom", "expression", "number(\"age\") + 1"))).errors().get(0).rule())
                .contains("true/false");
    }

    @Test
    void valuesWithQuotesAndCodeStayLiteralInsideTheRule() {
        String nasty = "\"); System.exit(1); eval(\"x\\";
        Condition c = check(Json.write(Map.of("type", "field", "field", "city", "op", "eq", "value", nasty)), "s1");
        SegmentRules rules = new SegmentRules();
        rules.update(SegmentDifferentialTest.SCHEMA, List.of(new SegmentRules.Definition("s1", 1, c)));
        long now = Instant.parse("2026-06-15T12:00:00Z").toEpochMilli();
        assertThat(rules.evaluate(new ProfileFacts("p1", Map.of("city", nasty), now, null, null, null, null))).containsExactly("s1");
        assertThat(rules.evaluate(new ProfileFacts("p2", Map.of("city", "x"), now, null, null, null, null))).isEmpty();
        assertThat(rules.drlOf("s1")).contains("text(\"city\") == \"\\\"); System.exit(1); eval(\\\"x\\\\\"");
    }

    @Test
    void anEditRebuildsOnlyItsBucketAndAFailedBuildKeepsTheRulesInUse() {
        List<SegmentRules.Definition> defs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            defs.add(new SegmentRules.Definition("s" + i, 1, check("{\"type\":\"field\",\"field\":\"age\",\"op\":\"gt\",\"value\":" + i + "}", "s" + i)));
        }
        SegmentRules rules = new SegmentRules();
        rules.update(SegmentDifferentialTest.SCHEMA, defs);
        assertThat(rules.bucketCount()).isGreaterThan(1);
        long before = SegmentRules.builds();
        defs.set(5, new SegmentRules.Definition("s5", 2, check("{\"type\":\"field\",\"field\":\"age\",\"op\":\"lt\",\"value\":5}", "s5")));
        rules.update(SegmentDifferentialTest.SCHEMA, defs);
        assertThat(SegmentRules.builds() - before).isEqualTo(1);
        long now = System.currentTimeMillis();
        Set<String> matched = rules.evaluate(new ProfileFacts("p", Map.of("age", 3L), now, null, null, null, null));
        assertThat(matched).contains("s0", "s1", "s2", "s5").doesNotContain("s3", "s6");

        // a definition that slipped past the checks (here: a field the schema no longer has) fails the build
        List<SegmentRules.Definition> broken = new ArrayList<>(defs);
        broken.set(7, new SegmentRules.Definition("s7", 9, new Condition.Field("age", Operator.GT, "not a number", null, null)));
        assertThatThrownBy(() -> rules.update(SegmentDifferentialTest.SCHEMA, broken)).isInstanceOf(RuntimeException.class);
        assertThat(rules.evaluate(new ProfileFacts("p", Map.of("age", 3L), now, null, null, null, null))).isEqualTo(matched);
    }
}
