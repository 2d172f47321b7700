package org.orbita.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.Loader;
import io.pebbletemplates.pebble.loader.StringLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import org.orbita.access.Access;
import org.orbita.content.ExternalData;
import org.orbita.content.Links;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.content.RenderedMessage;
import org.orbita.content.Snippets;
import org.orbita.content.Templates;
import org.orbita.outbound.NetworkGuard;

/**
 * A typical personalized email — ~20 KB of HTML, 20 variables, 3 conditions, a loop over 5
 * items, one snippet — rendered by Orbita's Liquid engine (Liqp, sandboxed, parsed template
 * cached) and, for comparison, the same template in Pebble. One thread, after warm-up.
 * Run by {@code bench/run templates [seconds]}.
 */
public final class TemplateBench {

    /** The benchmark's email as one Liquid template (the footer written in, not rendered as a snippet). */
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
        PebbleEngine named = new PebbleEngine.Builder().autoEscaping(false).loader(new Loader<String>() {
            public Reader getReader(String name) {
                return new StringReader(sources.get(name));
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
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        System.out.printf("PEBBLE 3.2.4 (same template, compiled once): %,.0f renders/s%n", pebbleRate);
        if (engine == null) {
            throw new IllegalStateException();
        }
        messages(seconds, liquid.toString().replace("<html><body>", "<html><head><style>td { font-size: 14px } .vip { color: #b45309 }"
                + " p { margin: 0 0 8px } @media (max-width: 600px) { td { font-size: 12px } }</style></head><body>"), footer, data);
    }

    /**
     * The same email as a message's email variant: Liquid, then the stylesheet inlined into
     * every element, the preheader added and the text part made from the HTML — what a send
     * renders per recipient.
     */
    private static void messages(int seconds, String html, String footer, Map<String, Object> data) throws Exception {
        Path dir = Files.createTempDirectory("orbita-bench-messages");
        try (EmbeddedStores store = EmbeddedStores.open(dir.resolve("orbita.db"))) {
            Templates templates = new Templates();
            Clock clock = Clock.systemUTC();
            Snippets snippets = new Snippets(store.settings(), templates, clock, Access.SYSTEM);
            snippets.save("ws", "footer", footer);
            Links links = new Links("https://t.example.com", "0123456789abcdef0123456789abcdef".getBytes());
            Messages messages = new Messages(store.settings(), templates, snippets,
                    new ExternalData(store.settings(), templates, new NetworkGuard(false, List.of()), clock), links, clock, Access.SYSTEM);
            Message m = messages.create("ws", new Message(null, null, "bench", null,
                    new Message.Email("{{ profile.f0 }}, news", "This week: {{ profile.f1 }}", "Shop", "news@shop.example",
                            null, html, null, null, null, null), null, null, null, null, 0, null, null));
            Links.Context who = new Links.Context("ws", "db", "p1", m.id(), 1L, "email", null, "run-1");
            RenderedMessage first = messages.render(m, data, List.of("email"), Map.of(), who);
            System.out.printf("message email variant: html %,d characters, text part %,d characters%n",
                    first.email().html().length(), first.email().text().length());
            double rate = rate(seconds, () -> messages.render(m, data, List.of("email"), Map.of(), who));
            System.out.printf("ORBITA MESSAGE (email variant: Liquid + CSS inlined + preheader + text part): %,.0f renders/s%n", rate);
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
