package org.orbita.bench;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.StringLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.orbita.content.Templates;

/**
 * A typical personalized email — ~20 KB of HTML, 20 variables, 3 conditions, a loop over 5
 * items, one snippet — rendered by Orbita's Liquid engine (Liqp, sandboxed, parsed template
 * cached) and, for comparison, the same template in Pebble. One thread, after warm-up.
 * Run by {@code bench/run templates [seconds]}.
 */
public final class TemplateBench {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String filler = "<tr><td style=\"padding:8px;font-family:Arial,sans-serif;color:#333\">Lorem ipsum dolor sit amet, consectetur adipiscing"
                + " elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</td></tr>\n";
        StringBuilder liquid = new StringBuilder("<html><body><table>\n");
        StringBuilder pebble = new StringBuilder("<html><body><table>\n");
        for (int i = 0; i < 20; i++) {
            liquid.append("<p>{{ profile.f").append(i).append(" }}</p>\n");
            pebble.append("<p>{{ profile.f").append(i).append(" }}</p>\n");
        }
        String conditions = "{% if profile.vip %}<b>VIP</b>{% else %}<i>regular</i>{% endif %}"
                + "{% if profile.points > 100 %}<p>many points</p>{% endif %}{% if profile.city == 'Moscow' %}<p>Moscow</p>{% endif %}\n";
        liquid.append(conditions).append("{% for item in data.items %}<tr><td>{{ item.name }}</td><td>{{ item.price }}</td></tr>{% endfor %}\n");
        pebble.append(conditions).append("{% for item in data.items %}<tr><td>{{ item.name }}</td><td>{{ item.price }}</td></tr>{% endfor %}\n");
        while (liquid.length() < 20_000) {
            liquid.append(filler);
            pebble.append(filler);
        }
        liquid.append("{% render 'footer' %}</table></body></html>");
        pebble.append("{% include 'footer' %}</table></body></html>");
        String footer = "<p>{{ profile.f0 }}, you get this because you subscribed. <a href=\"https://example.com/u\">Unsubscribe</a></p>";

        Map<String, Object> profile = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            profile.put("f" + i, "value " + i);
        }
        profile.put("vip", true);
        profile.put("points", 150);
        profile.put("city", "Moscow");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(Map.of("name", "Item " + i, "price", 100 + i));
        }
        Map<String, Object> data = Map.of("profile", profile, "data", Map.of("items", items));

        Templates templates = new Templates();
        Map<String, String> snippets = Map.of("footer", footer);
        String out = templates.render(liquid.toString(), data, snippets).output();
        System.out.printf("template: %,d characters of Liquid, output %,d characters%n", liquid.length(), out.length());
        double liqp = rate(seconds, () -> templates.render(liquid.toString(), data, snippets));
        System.out.printf("ORBITA LIQUID (Liqp, sandboxed, cached parse): %,.0f renders/s%n", liqp);

        PebbleEngine engine = new PebbleEngine.Builder().loader(new StringLoader()).autoEscaping(false).build();
        Map<String, String> sources = Map.of("main", pebble.toString(), "footer", footer);
        PebbleEngine named = new PebbleEngine.Builder().autoEscaping(false).loader(new io.pebbletemplates.pebble.loader.Loader<String>() {
            public java.io.Reader getReader(String name) {
                return new java.io.StringReader(sources.get(name));
            }

            public void setCharset(String c) {}

            public void setPrefix(String p) {}

            public void setSuffix(String s) {}

            public String resolveRelativePath(String relativePath, String anchorPath) {
                return relativePath;
            }

            public String createCacheKey(String name) {
                return name;
            }

            public boolean resourceExists(String name) {
                return sources.containsKey(name);
            }
        }).build();
        PebbleTemplate compiled = named.getTemplate("main");
        double pebbleRate = rate(seconds, () -> {
            StringWriter w = new StringWriter(24_000);
            try {
                compiled.evaluate(w, data);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        System.out.printf("PEBBLE 3.2.4 (same template, compiled once): %,.0f renders/s%n", pebbleRate);
        if (engine == null) {
            throw new IllegalStateException();
        }
    }

    private static double rate(int seconds, Runnable render) {
        long warm = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warm) {
            render.run();
        }
        long n = 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            render.run();
            n++;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }
}
