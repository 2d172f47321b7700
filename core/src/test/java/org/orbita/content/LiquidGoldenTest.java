package org.orbita.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;

/**
 * Liquid as Shopify renders it, measured on the Golden Liquid suite (jg-rp/golden-liquid, MIT
 * License, vendored in {@code src/test/resources/golden-liquid}), whose every case passes on
 * Shopify's own Ruby gem: a case agrees when Orbita renders its result (or one of its results),
 * or refuses a template the suite marks invalid. Issue 16 asks for 95 %; the test holds the level
 * reached ({@link #FLOOR}), raised as templates improve, and writes each disagreement with both
 * outputs to {@code target/liquid-conformance.txt}.
 *
 * <p>Deliberate refusals — what Orbita does not do on purpose, so its cases are not counted —
 * are listed in {@link #REFUSED} by name.
 */
class LiquidGoldenTest {

    static final double FLOOR = 95.0;

    /**
     * Groups of cases Orbita refuses on purpose: {@code include} reads a template by name into the
     * including scope, which Liquid keeps for files; Orbita's templates read no files, and a
     * snippet is rendered in its own scope with {@code render}. Each refused case is named in
     * the report.
     */
    static final Set<String> REFUSED = Set.of("tags, include");

    @Test
    void agreesWithShopifyOnTheGoldenLiquidSuite() throws IOException {
        JsonNode suite;
        try (InputStream in = getClass().getResourceAsStream("/golden-liquid/golden_liquid.json")) {
            suite = Json.MAPPER.readTree(in);
        }
        Templates templates = new Templates();
        int counted = 0;
        int agreed = 0;
        Map<String, int[]> byGroup = new TreeMap<>();
        List<String> misses = new ArrayList<>();
        List<String> refusedNames = new ArrayList<>();
        for (JsonNode c : suite.get("tests")) {
            String name = c.get("name").asText();
            if (REFUSED.stream().anyMatch(r -> name.startsWith(r + ","))) {
                refusedNames.add(name);
                continue;
            }
            counted++;
            String group = name.contains(",") ? name.substring(0, name.indexOf(',')) : name;
            int[] g = byGroup.computeIfAbsent(group, k -> new int[2]);
            g[0]++;
            Map<String, Object> data = c.has("data") ? Json.MAPPER.convertValue(c.get("data"), Map.class) : Map.of();
            Map<String, String> partials = new LinkedHashMap<>();
            if (c.has("templates")) {
                c.get("templates").fields().forEachRemaining(e -> partials.put(e.getKey(), e.getValue().asText()));
            }
            boolean invalid = c.path("invalid").asBoolean(false);
            List<String> expected = new ArrayList<>();
            if (c.has("result")) {
                expected.add(c.get("result").asText());
            }
            c.path("results").forEach(r -> expected.add(r.asText()));
            String got;
            boolean refused = false;
            try {
                got = templates.render(c.get("template").asText(), data, partials).output();
            } catch (InvalidInputException e) {
                refused = true;
                got = "refused: " + e.getMessage();
            } catch (RuntimeException | StackOverflowError e) {
                refused = true;
                got = "failed: " + e;
            }
            boolean ok = invalid ? refused : !refused && expected.contains(got);
            if (ok) {
                agreed++;
                g[1]++;
            } else {
                misses.add(name + "\n  template: " + c.get("template").asText().replace("\n", "\\n")
                        + "\n  expected: " + (invalid ? "an error" : expected) + "\n  orbita:   " + got.replace("\n", "\\n"));
            }
        }
        double rate = 100.0 * agreed / counted;
        StringBuilder report = new StringBuilder(String.format("%d of %d cases agree with Shopify's Liquid: %.1f %%%n", agreed, counted, rate));
        byGroup.forEach((k, v) -> report.append(String.format("  %-20s %4d cases %4d agree%n", k, v[0], v[1])));
        report.append(String.format("%nRefused on purpose, not counted (%d): %s%n%n", refusedNames.size(), String.join("; ", refusedNames)));
        misses.forEach(m -> report.append(m).append('\n'));
        Files.writeString(Path.of("target", "liquid-conformance.txt"), report, StandardCharsets.UTF_8);
        System.out.println(report.substring(0, report.indexOf("\n\n")));
        assertThat(rate).as("agreement with Shopify's Liquid on the Golden Liquid suite (see target/liquid-conformance.txt)")
                .isGreaterThanOrEqualTo(FLOOR);
    }
}
