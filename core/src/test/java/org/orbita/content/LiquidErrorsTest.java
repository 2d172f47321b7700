package org.orbita.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.orbita.common.InvalidInputException;

/** Liquid's syntax errors said in plain words, with the line and column, never in the parser's jargon. */
class LiquidErrorsTest {

    private final Templates templates = new Templates();

    private String error(String template) {
        InvalidInputException e = catchThrowableOfType(() -> templates.validate(template, "html"), InvalidInputException.class);
        assertThat(e).as(template).isNotNull();
        String rule = e.errors().get(0).rule();
        assertThat(rule).doesNotContain("mismatched", "viable", "extraneous", "EOF", "TagStart", "TagEnd", "index ");
        return rule;
    }

    @Test
    void blocksLeftOpenOrClosingNothingAreNamedWithTheirLines() {
        assertThat(error("<p>\n{% for p in products %}\n{{ p.title }}\n")).isEqualTo(
                "line 4, column 1: the {% for %} opened on line 2 is never closed: add {% endfor %}");
        assertThat(error("Hi\n{% endif %}")).endsWith("{% endif %} on line 2 closes nothing: there is no {% if %} open before it");
        assertThat(error("{% if a %}{% for x in y %}{% endif %}")).contains("{% endif %} on line 1 closes a if, but the {% for %} opened on line 1 is still open");
        // inside raw, tags are text
        assertThat(LiquidErrors.blocks("{% raw %}{% if %}{% endraw %}")).isNull();
    }

    @Test
    void halfWrittenTagsUnknownNamesAndComparisonsSayWhatIsWrong() {
        assertThat(error("Hi {{ name }")).isEqualTo("line 1, column 13: an output tag is not closed: each {{ needs its }}");
        assertThat(error("{% for %}{% endfor %}")).contains("the tag {% for %} is not complete: write it as {% for item in list %}");
        assertThat(error("{% unknown %}")).contains("there is no tag named 'unknown'");
        assertThat(error("{{ 'a' | nosuch }}")).isEqualTo("line 1, column 8: there is no filter named 'nosuch'");
        assertThat(error("{% if x == %}a{% endif %}")).contains("'==' compares two values: give one on each side");
    }
}
