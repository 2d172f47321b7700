package org.orbita.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.orbita.common.InvalidInputException;

class TemplatesTest {

    final Templates templates = new Templates();

    String render(String template, Map<String, Object> data) {
        return templates.render(template, data, Map.of()).output();
    }

    InvalidInputException refused(String template, Map<String, String> snippets) {
        try {
            templates.render(template, Map.of("profile", Map.of("first_name", "Ann")), snippets);
        } catch (InvalidInputException e) {
            return e;
        }
        throw new AssertionError("rendered: " + template);
    }

    @Test
    void rendersLiquidAsShopifyDoes() {
        Map<String, Object> data = Map.of("profile", Map.of("first_name", "ann", "orders", List.of(
                Map.of("sku", "A", "price", 10), Map.of("sku", "B", "price", 25))), "data", Map.of("coupon", ""));
        assertThat(render("Hi {{ profile.first_name | capitalize }}!", data)).isEqualTo("Hi Ann!");
        assertThat(render("{% for o in profile.orders %}{{ forloop.index }}:{{ o.sku }}{% unless forloop.last %}, {% endunless %}{% endfor %}", data))
                .isEqualTo("1:A, 2:B");
        assertThat(render("{% assign total = 0 %}{% for o in profile.orders %}{% assign total = total | plus: o.price %}{% endfor %}{{ total }}", data))
                .isEqualTo("35");
        assertThat(render("{% if data.coupon == empty %}no coupon{% else %}{{ data.coupon }}{% endif %}", data)).isEqualTo("no coupon");
        assertThat(render("{% case profile.first_name %}{% when 'ann' %}A{% else %}?{% endcase %}", data)).isEqualTo("A");
        assertThat(render("{%- capture x -%}  {{ 'b' | upcase }}  {%- endcapture -%}[{{ x }}]", data)).isEqualTo("[B]");
        assertThat(render("{% for i in (1..3) %}{% cycle 'x', 'y' %}{% endfor %}", data)).isEqualTo("xyx");
        assertThat(render("{% raw %}{{ not rendered }}{% endraw %}", data)).isEqualTo("{{ not rendered }}");
        assertThat(render("{{ missing | default: 'friend' }}", data)).isEqualTo("friend");
        assertThat(render("{{ 'a b&c' | url_encode }}", data)).isEqualTo("a+b%26c");
    }

    @Test
    void marketingFilters() {
        Map<String, Object> data = Map.of("n", 21, "m", 12, "amount", 1234.5, "email", "ann@example.com");
        assertThat(render("{{ n }} {{ n | plural_ru: 'товар', 'товара', 'товаров' }}, {{ m }} {{ m | plural_ru: 'товар', 'товара', 'товаров' }}", data))
                .isEqualTo("21 товар, 12 товаров");
        assertThat(render("{{ 3 | plural_ru: 'товар', 'товара', 'товаров' }}", data)).isEqualTo("товара");
        assertThat(render("{{ amount | money: 'RUB' }} / {{ amount | money: 'USD' }}", data)).isEqualTo("1 234,50 ₽ / $1,234.50");
        assertThat(render("{{ 'abc' | md5 }}", data)).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        assertThat(render("{{ email | sha256 }}", data)).hasSize(64).matches("[0-9a-f]+");
        assertThat(render("{{ '2026-11-22' | date_locale: '%e %B %Y', 'ru' }}", data)).isEqualTo("22 ноября 2026");
        assertThat(render("{{ '2026-11-22T18:05:00Z' | date_locale: '%A, %B %e, %H:%M', 'en' }}", data)).isEqualTo("Sunday, November 22, 18:05");
        assertThat(render("{{ '2026-03-01' | date_locale: '%B', 'ru' }}", data)).isEqualTo("март");
    }

    @Test
    void unknownVariablesAreWarnings() {
        Templates.Rendered r = templates.render("Hi {{ profile.nickname }}{{ data.x }}", Map.of("profile", Map.of()), Map.of());
        assertThat(r.output()).isEqualTo("Hi ");
        assertThat(r.warnings()).hasSize(2).anySatisfy(w -> assertThat(w).contains("profile.nickname"));
    }

    @Test
    void snippetsRenderFromTheMapNeverFromFiles() {
        Templates.Rendered r = templates.render("<p>{% render 'greeting' %}</p>", Map.of("profile", Map.of("first_name", "Ann")),
                Map.of("greeting", "Hello, {{ profile.first_name }}{% render 'mark' %}", "mark", "!"));
        assertThat(r.output()).isEqualTo("<p>Hello, Ann!</p>");
        assertThat(refused("{% render 'nope' %}", Map.of()).getMessage()).contains("no snippet named 'nope'");
        assertThat(refused("{% render 'loop' %}", Map.of("loop", "x{% render 'loop' %}")).getMessage()).contains("deep");
        assertThat(refused("{% include '/etc/passwd' %}", Map.of()).getMessage()).contains("cannot");
    }

    /**
     * Nothing reads files, by any tag: Jekyll's {@code include_relative} (which Liqp knows)
     * returned files of the working directory; only the tags Orbita documents are allowed, and
     * no error names a server path.
     */
    @Test
    void onlyDocumentedTagsAreAllowedAndNoneReadsAFileOrNamesAServerPath() throws Exception {
        java.nio.file.Path here = java.nio.file.Path.of("").toAbsolutePath();
        java.nio.file.Path secret = java.nio.file.Files.createTempFile(here, "orbita-secret-", ".txt");
        try {
            java.nio.file.Files.writeString(secret, "TOP-SECRET");
            for (String t : List.of("{% include_relative " + secret.getFileName() + " %}", "{% include '" + secret.getFileName() + "' %}",
                    "{% include_relative ../../etc/hostname %}", "{% include \"" + secret + "\" %}")) {
                InvalidInputException e = refused(t, Map.of());
                assertThat(e.getMessage()).as(t).doesNotContain("TOP-SECRET").doesNotContain(here.toString()).doesNotContain("/etc");
                assertThat(e.errors()).as(t).allSatisfy(fe -> assertThat(String.valueOf(fe.value()) + fe.rule())
                        .doesNotContain(here.toString()).doesNotContain("java.").doesNotContain("liqp"));
            }
            // a tag Orbita does not document is refused by name when the template is checked, as when it is rendered
            assertThatThrownBy(() -> templates.validate("{% include_relative x %}", "html")).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("include_relative");
            assertThatThrownBy(() -> templates.validate("{% tablerow i in list %}{{ i }}{% endtablerow %}{% include 'x' %}", "html"))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("include");
            assertThat(render("{% tablerow i in list %}{{ i }}{% endtablerow %}", Map.of("list", List.of(1, 2)))).contains("<td class=\"col1\">1</td>");
        } finally {
            java.nio.file.Files.deleteIfExists(secret);
        }
    }

    @Test
    void badTemplatesAreRefusedWithLineAndColumn() {
        InvalidInputException unclosed = refused("Hello\n{% if profile.first_name %}\nno end", Map.of());
        assertThat(unclosed.errors().get(0).field()).isEqualTo("template");
        assertThat(unclosed.errors().get(0).value()).startsWith("line 3");
        assertThat(refused("{{ 'x' | no_such_filter }}", Map.of()).getMessage()).contains("no_such_filter");
        assertThat(refused("{% for i in (1..1000000) %}x{% endfor %}", Map.of()).getMessage()).contains("iterations");
        // a string doubling in a loop would reach gigabytes after 30 turns
        assertThat(refused("{% assign s = 'x' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}", Map.of())
                .getMessage()).contains("characters");
        assertThat(refused("x".repeat(5 * 1024 * 1024), Map.of()).getMessage()).contains("at most");
        assertThatThrownBy(() -> templates.render("{{ 1 | plural_ru: 'a' }}", Map.of(), Map.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("three forms");
    }

    @Test
    void aCachedTemplateRendersEachCallersOwnData() throws Exception {
        String template = "{% for i in (1..20) %}{{ profile.name }}{% endfor %}{{ profile.missing }}";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> checks = new ArrayList<>();
            for (int t = 0; t < 400; t++) {
                String name = "n" + t;
                checks.add(pool.submit(() -> {
                    Templates.Rendered r = templates.render(template, Map.of("profile", Map.of("name", name)), Map.of());
                    return r.output().equals(name.repeat(20)) && r.warnings().size() == 1;
                }));
            }
            for (var c : checks) {
                assertThat(c.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aRenderPastItsTimeLimitIsStopped() {
        Templates quick = new Templates(50);
        String slow = "{% assign s = 'x' %}{% for i in (1..20) %}{% assign s = s | append: s %}{% endfor %}"
                + "{% for i in (1..90000) %}{% assign t = s | replace: 'x', 'y' %}{% endfor %}done";
        long start = System.nanoTime();
        assertThatThrownBy(() -> quick.render(slow, Map.of(), Map.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("time limit");
        assertThat((System.nanoTime() - start) / 1_000_000).as("stopped soon after the limit (ms)").isLessThan(2_000);
    }

    @Test
    void blankIsTrueForNothingEmptyOrOnlySpaces() {
        String t = "{% if v == blank %}B{% else %}-{% endif %}{% unless v != blank %}b{% endunless %}";
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("v", null);
        assertThat(render(t, withNull)).isEqualTo("Bb");
        assertThat(render(t, Map.of())).isEqualTo("Bb");
        assertThat(render(t, Map.of("v", ""))).isEqualTo("Bb");
        assertThat(render(t, Map.of("v", "   "))).isEqualTo("Bb");
        assertThat(render(t, Map.of("v", List.of()))).isEqualTo("Bb");
        assertThat(render(t, Map.of("v", Map.of()))).isEqualTo("Bb");
        assertThat(render(t, Map.of("v", false))).isEqualTo("Bb");
        assertThat(render(t, Map.of("v", "x"))).isEqualTo("-");
        assertThat(render(t, Map.of("v", 0))).isEqualTo("-");
        assertThat(render(t, Map.of("v", List.of(1)))).isEqualTo("-");
    }
}
