package org.orbita.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A template prepared once and rendered per recipient gives what rendering first and preparing
 * each result gives; templates where it might not fall back.
 */
class PreparedTemplateTest {

    static final Templates TEMPLATES = new Templates();

    static final String STYLED = "<html><head><style>td { font-size: 14px } .vip { color: #c00 } a { color: #06c }</style></head><body>"
            + "<table><tr><td>Hi {{ profile.name }},</td></tr>"
            + "{% if profile.vip %}<tr><td class=\"vip\">VIP offer</td></tr>{% else %}<tr><td>Regular offer</td></tr>{% endif %}"
            + "{% for i in (1..3) %}<tr><td>Item {{ i }}</td><td><a href=\"https://shop.example/item/{{ i }}?u={{ profile.id }}\">{{ i | times: 100 }}</a></td></tr>{% endfor %}"
            + "<tr><td><p>{{ profile.name }}, see <a href=\"{{ links.unsubscribe }}\">unsubscribe</a>.</p></td></tr></table>"
            + "<div style=\"display:none\">hidden {{ profile.name }}</div></body></html>";

    static String render(String template, Map<String, Object> data) {
        return TEMPLATES.render(template, data, Map.of()).output();
    }

    static void sameAsPreparingEachResult(String template, String preheader, String text, Map<String, Object> data) {
        EmailHtml.PreparedTemplate once = EmailHtml.prepareTemplate(template, preheader, true, text);
        assertThat(once).as("prepared once").isNotNull();
        EmailHtml.Prepared each = EmailHtml.prepare(render(template, data), preheader, true, text == null ? null : render(text, data));
        assertThat(render(once.html(), data)).isEqualTo(each.html());
        assertThat(render(once.text(), data).split("\\s+")).containsExactly(each.text().split("\\s+"));
    }

    @Test
    void preparedOnceIsWhatPreparingEachResultGives() {
        Map<String, Object> links = Map.of("unsubscribe", "https://t.example/u/abc");
        for (Map<String, Object> profile : List.of(Map.<String, Object>of("name", "Ann", "vip", true, "id", "p1"),
                Map.<String, Object>of("name", "Bob", "vip", false, "id", "p2"))) {
            sameAsPreparingEachResult(STYLED, "Up to 40% off", null, Map.of("profile", profile, "links", links));
            sameAsPreparingEachResult(STYLED, null, "Hi {{ profile.name }}", Map.of("profile", profile, "links", links));
        }
    }

    @Test
    void templatesThePreparationWouldChangeFallBack() {
        // stray content in a table: the parser moves it out, away from the Liquid around it
        assertThat(EmailHtml.prepareTemplate("<table>{% if x %}<b>VIP</b>{% endif %}<tr><td>a</td></tr></table>", null, true, null)).isNull();
        assertThat(EmailHtml.prepareTemplate("<table><tr><td>a</td></tr></table><p>{{ x }}", null, true, null)).isNotNull();
        // Liquid in the stylesheet, in a title, a snippet, raw
        assertThat(EmailHtml.prepareTemplate("<style>td { color: {{ c }} }</style><p>x</p>", null, true, null)).isNull();
        assertThat(EmailHtml.prepareTemplate("<title>{{ t }}</title><p>x</p>", null, true, null)).isNull();
        assertThat(EmailHtml.prepareTemplate("<p>{% render 'footer' %}</p>", null, true, null)).isNull();
        assertThat(EmailHtml.prepareTemplate("<p>{% raw %}{{ x }}{% endraw %}</p>", null, true, null)).isNull();
        // Liquid where an attribute's name goes, or an attribute value the serializer escapes
        assertThat(EmailHtml.prepareTemplate("<td {% if x %}class=\"a\"{% endif %}>b</td>", null, true, null)).isNull();
        assertThat(EmailHtml.prepareTemplate("<a href=\"{{ u | append: '&x=1' }}\">b</a>", null, true, null)).isNull();
    }
}
