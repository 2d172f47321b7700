package org.orbita.bench;

/** The email the campaign, trigger and transactional benchmarks send (no dependencies: the HTTP client's classpath has none). */
final class BenchEmail {

    private BenchEmail() {}

    /**
     * The campaign benchmark's ~20 KB email: a styled table layout as email builders make them
     * (content in cells), 20 profile fields, conditions, a loop of rows with links, an
     * unsubscribe link.
     */
    static String liquid() {
        String filler = "<tr><td style=\"padding:8px;font-family:Arial,sans-serif;color:#333\">Lorem ipsum dolor sit amet, consectetur adipiscing"
                + " elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</td></tr>\n";
        StringBuilder liquid = new StringBuilder("<html><head><style>td { font-size: 14px } .vip { color: #c00 }</style></head><body><table>\n");
        for (int i = 0; i < 20; i++) {
            liquid.append("<tr><td><p>{{ profile.f").append(i).append(" }}</p></td></tr>\n");
        }
        liquid.append("<tr><td>{% if profile.vip %}<b class=\"vip\">VIP</b>{% else %}<i>regular</i>{% endif %}"
                + "{% if profile.points > 100 %}<p>many points</p>{% endif %}{% if profile.city == 'Moscow' %}<p>Moscow</p>{% endif %}</td></tr>\n");
        liquid.append("{% for i in (1..5) %}<tr><td>Item {{ i }}</td><td><a href=\"https://shop.example/item/{{ i }}\">{{ i | times: 100 }}</a></td></tr>{% endfor %}\n");
        while (liquid.length() < 20_000) {
            liquid.append(filler);
        }
        liquid.append("<tr><td><p>{{ profile.f0 }}, you get this because you subscribed. <a href=\"{{ links.unsubscribe }}\">Unsubscribe</a></p></td></tr>");
        return liquid.append("</table></body></html>").toString();
    }
}
