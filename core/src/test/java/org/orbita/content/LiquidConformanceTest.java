package org.orbita.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Templates against the output Shopify's Liquid (the Ruby gem, 5.x) gives for them: standard
 * tags and filters, forloop, ranges, whitespace control, and how operands that are not
 * numbers are read. Each expected value is what the gem renders for the same data.
 */
class LiquidConformanceTest {

    static final Templates TEMPLATES = new Templates();
    static final Map<String, Object> DATA = new LinkedHashMap<>();

    static {
        DATA.put("products", List.of(
                Map.of("title", "Tea", "price", 350, "type", "drink"),
                Map.of("title", "cake", "price", 700, "type", "food"),
                Map.of("title", "Apple", "price", 120, "type", "food")));
        DATA.put("name", "  Ann Lee  ");
        DATA.put("n", 7);
        DATA.put("f", 3.14159);
        DATA.put("html", "<p>Hi <b>there</b></p>");
        DATA.put("date", "2026-11-22T10:15:00Z");
        DATA.put("empty_list", List.of());
        DATA.put("words", "the quick brown fox jumps over the lazy dog");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '→', quoteCharacter = '`', textBlock = """
            {{ 10 | divided_by: 4 }}                                       → 2
            {{ 10 | divided_by: 4.0 }}                                     → 2.5
            {{ 7 | modulo: 3 }}                                            → 1
            {{ f | round: 2 }}|{{ f | round }}|{{ 2 | round: 2 }}          → 3.14|3|2
            {{ 4.6 | ceil }}|{{ 4.6 | floor }}|{{ -5 | abs }}              → 5|4|5
            {{ 3 | at_least: 5 }}|{{ 3 | at_most: 2 }}                     → 5|2
            {{ 1 | plus: 2.5 }}|{{ 3 | times: 1.5 }}|{{ 20 | minus: 30 }}  → 3.5|4.5|-10
            {{ 'abc' | plus: 'x' }}|{{ '12abc' | plus: 1 }}|{{ '3.5' | plus: 1 }}|{{ nil | plus: 1 }} → 0|13|4.5|1
            `[{{ name | strip }}][{{ name | lstrip }}][{{ name | rstrip }}]` → `[Ann Lee][Ann Lee  ][  Ann Lee]`
            {{ 'hello world' | capitalize }}|{{ 'HELLO' | downcase }}|{{ 'x' | upcase }} → Hello world|hello|X
            {{ 'abcdef' | slice: 1, 3 }}|{{ 'abcdef' | slice: -2 }}|{{ 'Liquid' | slice: 2, 5 }} → bcd|e|quid
            {{ 'Ground control to Major Tom.' | truncate: 20 }}            → Ground control to...
            `{{ 'Ground control to Major Tom.' | truncate: 25, ', and so on' }}` → `Ground control, and so on`
            {{ 'Ground control to Major Tom.' | truncatewords: 3 }}        → Ground control to...
            {{ words | truncatewords: 3, '' }}                             → the quick brown
            {{ 'a,b,c' | split: ',' | join: '-' }}|{{ 'a,b,c' | split: ',' | size }}|{{ 'hello' | size }} → a-b-c|3|5
            `{{ products | map: 'title' | join: ', ' }}`                   → `Tea, cake, Apple`
            `{{ products | map: 'title' | sort | join: ', ' }}`            → `Apple, Tea, cake`
            `{{ products | map: 'title' | sort_natural | join: ', ' }}`    → `Apple, cake, Tea`
            `{{ products | where: 'type', 'food' | map: 'title' | join: ', ' }}` → `cake, Apple`
            `{{ products | sort: 'price' | map: 'title' | join: ', ' }}`   → `Apple, Tea, cake`
            {{ products.first.title }} {{ products.last.title }} {{ products.size }} → Tea Apple 3
            {{ products[0].title }} {{ products[1]['title'] }}             → Tea cake
            {{ 'a b a c' | split: ' ' | uniq | join: '' }}|{{ 'abc' | split: '' | reverse | join: '' }} → abc|cba
            {{ html | strip_html }}                                        → Hi there
            {{ html | escape }}                                            → &lt;p&gt;Hi &lt;b&gt;there&lt;/b&gt;&lt;/p&gt;
            {{ '&lt; &amp; <' | escape_once }}                             → &lt; &amp; &lt;
            {{ 'a b&c' | url_encode }}|{{ 'a+b%26c' | url_decode }}        → a+b%26c|a b&c
            {{ 'Hello world' | replace: 'o', '0' }}|{{ 'Hello world' | replace_first: 'o', '0' }} → Hell0 w0rld|Hell0 world
            {{ 'Hello world' | remove: 'o' }}|{{ 'Hello world' | remove_first: 'o' }} → Hell wrld|Hell world
            {{ 'Hello' | append: ' you' | prepend: '> ' }}                 → > Hello you
            {{ nil | default: 'x' }} {{ '' | default: 'y' }} {{ false | default: 'z' }} {{ empty_list | default: 'w' }} {{ 0 | default: 'zero' }} → x y z w 0
            {{ false | default: 'z', allow_false: true }}                  → false
            {{ date | date: '%Y-%m-%d %H:%M' }}|{{ date | date: '%b %d, %Y' }} → 2026-11-22 10:15|Nov 22, 2026
            {% for p in products limit:2 offset:1 %}{{ p.title }}{% endfor %} → cakeApple
            {% for p in products reversed %}{{ p.title }}{% endfor %}      → ApplecakeTea
            {% for p in empty_list %}x{% else %}none{% endfor %}           → none
            {% if n > 10 %}{% for p in empty_list %}x{% else %}none{% endfor %}{% else %}{% for p in empty_list %}x{% else %}empty{% endfor %}-small{% else %}ignored{% endif %} → empty-small
            {% for i in (1..6), limit: 2, offset: 1 %}{{ i }}{% endfor %}{% if false %}1{% else nonsense %}2{% endif %} → 232
            `{% assign r = (2..n) | slice: 0, 3 %}{{ r | join: ',' }}|{{ (1..3) | last }}|{% raw %}{{ (1..3) }}{% endraw %}` → `2,3,4|3|{{ (1..3) }}`
            {% for i in (1..5) %}{% if i == 3 %}{% continue %}{% endif %}{% if i == 5 %}{% break %}{% endif %}{{ i }}{% endfor %} → 124
            `{% for i in (1..3) %}{{ forloop.index }}/{{ forloop.index0 }}/{{ forloop.rindex }}/{{ forloop.rindex0 }}/{{ forloop.length }}/{{ forloop.first }}/{{ forloop.last }} {% endfor %}` → `1/0/3/2/3/true/false 2/1/2/1/3/false/false 3/2/1/0/3/false/true `
            `{% for p in products limit:2 %}{{ forloop.length }}{{ forloop.last }} {% endfor %}` → `2false 2true `
            `{% for i in (1..5) limit:2 offset:1 %}{{ i }}:{{ forloop.length }} {% endfor %}` → `2:2 3:2 `
            {% for i in (1..n) reversed %}{{ i }}{% endfor %}              → 7654321
            {% increment c %}{% increment c %}{% decrement d %}{{ c }}     → 01-12
            {% cycle 'g1': 'a','b' %}{% cycle 'g2': 'a','b' %}{% cycle 'g1': 'a','b' %} → aab
            {% case n %}{% when 1, 7 %}one-or-seven{% when 2 or 3 %}two{% else %}other{% endcase %} → one-or-seven
            {% unless n > 10 %}small{% endunless %}|{% if n > 10 %}big{% elsif n > 5 %}mid{% else %}small{% endif %} → small|mid
            {% if products contains 'x' %}y{% else %}n{% endif %} {% if 'hello' contains 'ell' %}y{% endif %} → n y
            {% if true and false or true %}T{% else %}F{% endif %}         → T
            {% raw %}{{ not rendered }}{% endraw %}                         → {{ not rendered }}
            a {% comment %}hidden{% endcomment %}b                         → a b
            `{%- if true -%}  x  {%- endif -%}|`                           → `x|`
            `{{- ' y ' -}}|`                                               → ` y |`
            {% assign xs = 'c,a,b' | split: ',' %}{{ xs | sort | first }}  → a
            {% capture full %}{{ 'A' }}-{{ 'B' }}{% endcapture %}{{ full }} → A-B
            {{ 1.0 }} {{ 2.50 }} {{ 10 | times: 1.0 }}                     → 1.0 2.5 10.0
            {% if name %}set{% endif %}{% if missing %}set{% else %}unset{% endif %} → setunset
            {% if empty_list == empty %}E{% endif %}{% if name != blank %}B{% endif %} → EB
            `[{% if true %}  {% assign a = 1 %}  {% comment %}x{% endcomment %}  {% endif %}]` → `[]`
            `[{% for i in (1..3) %} {% capture c %}{{ i }}{% endcapture %} {% endfor %}]{{ c }}` → `[]3`
            `[{% if true %} {{ '' }} {% endif %}]`                        → `[  ]`
            {% comment %}a{% comment %}b{% endcomment %}c{% endcomment %}d → d
            `{{ 'a b\nc' | split: ' ' | join: '#' }}|{{ ',' | split: ',' | size }}` → `a#b#c|0`
            `{% assign b = 'c,d' | split: ',' %}{{ 'ab' | concat: b | join: '#' }}` → `ab#c#d`
            {{ 5.0 | times: 2.1 }}|{{ 5.666 | round: -1 }}|{{ 'Liquid' | slice: -2, -1 }}| → 10.5|10||
            `{{ 'Take my pills' | replace: 'my', nothing }}`               → `Take  pills`
            `{% tablerow i in (1..3) cols:2 %}{{ i }}{% endtablerow %}` → `<tr class="row1">\n<td class="col1">1</td><td class="col2">2</td></tr>\n<tr class="row2"><td class="col1">3</td></tr>\n`
            {% for i in (1..4) %}{% ifchanged %}{{ i | divided_by: 2 }}{% endifchanged %}{% endfor %} → 012
            {{ false | default: allow_false: true, 'x' }}|{{ nil | default: 'x', allow_false: true }} → false|x
            """)
    void rendersAsShopifysLiquid(String template, String expected) {
        assertThat(TEMPLATES.render(template, DATA, Map.of()).output()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '→', quoteCharacter = '`', textBlock = """
            {{ 5 | divided_by: 0 }}                    → divided by 0
            {{ 'a' | concat: 'b' }}                    → concat filter requires an array argument
            {{ 'a' | upcase: 1 }}                      → wrong number of arguments to upcase (given 1, expected 0)
            {{ 'a' | append: 'b', 'c' }}               → wrong number of arguments to append (given 2, expected 1)
            {{ 'a' | date }}                           → wrong number of arguments to date (given 0, expected 1)
            {{ 'abc' | slice: 1.5 }}                   → invalid integer
            {% comment %}{% comment %}{% endcomment %} → a comment block needs its {% endcomment %}
            {% for i in (1..1000000) %}{% endfor %}    → loops ran more than 100000 iterations
            """)
    void refusesWhatShopifyRefusesWithAClearError(String template, String message) {
        assertThatThrownBy(() -> TEMPLATES.render(template, DATA, Map.of())).hasMessageContaining(message);
    }

    @Test
    void tablerowMakesShopifysTable() {
        assertThat(TEMPLATES.render("{% tablerow p in products cols:2 %}{{ p.title }}{% endtablerow %}", DATA, Map.of()).output())
                .isEqualTo("<tr class=\"row1\">\n<td class=\"col1\">Tea</td><td class=\"col2\">cake</td></tr>\n"
                        + "<tr class=\"row2\"><td class=\"col1\">Apple</td></tr>\n");
    }
}
