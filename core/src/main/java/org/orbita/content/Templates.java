package org.orbita.content;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liqp.Template;
import liqp.TemplateContext;
import liqp.TemplateParser;
import liqp.exceptions.ExceededMaxIterationsException;
import liqp.exceptions.LiquidException;
import liqp.filters.Filter;
import liqp.nodes.LNode;
import liqp.tags.Tag;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;

/**
 * Liquid templates (Shopify's language, through Liqp) in a sandbox: no file includes (snippets
 * come from the map given with each render, through {@code {% render 'name' %}}), no Java
 * objects (data is JSON-shaped maps and lists), and bounds on template size, loop iterations,
 * snippet depth, output size and render time. Unknown variables render empty and come back
 * as warnings; syntax and render errors come back with their line and column.
 */
public final class Templates {

    public static final int MAX_TEMPLATE_CHARS = 512 * 1024;
    public static final int MAX_OUTPUT_CHARS = 2 * 1024 * 1024;
    public static final int MAX_ITERATIONS = 100_000;
    public static final long MAX_RENDER_MILLIS = 2_000;
    public static final int MAX_SNIPPET_DEPTH = 5;
    public static final int MAX_SNIPPETS = 200;

    private static final String SNIPPETS = "orbita.snippets";
    private static final String GLOBALS = "orbita.globals";
    private static final String DEPTH = "orbita.depth";
    private static final String EXTRAS = "orbita.extras";
    private static final String DEADLINE = "orbita.deadline";
    /** Where Liqp's own errors say they are: "error on line 1, index 7: …". */
    private static final Pattern AT = Pattern.compile("on line (\\d+), index (\\d+)");

    /** Reads a named outside data source for a render; {@code warn} takes a note when a fallback stood in. */
    @FunctionalInterface
    public interface Fetcher {
        Object fetch(String name, Map<String, Object> data, Consumer<String> warn);
    }

    /**
     * What a render may reach beyond its data: outside data sources ({@code {% fetch 'name' as var %}})
     * and signed links ({@code links.unsubscribe}, {@code links.view_in_browser}, {@code | tracked_link}).
     * Either may be null: the tag then fails with a clear error, the links render as given.
     */
    public record Extras(Fetcher fetcher, Links links, Links.Context linkContext) {
        public static final Extras NONE = new Extras(null, null, null);
    }

    /**
     * A template parsed and turned into Liqp's node tree once. Liqp's own {@code render} builds
     * the node tree again on every call (for a 20 KB email, 400 µs of 410); the tree is
     * stateless, so it is kept and each render gets a fresh context.
     */
    private record Compiled(Template template, LNode root) {}

    /** Compiled templates by their text (most recently used kept). */
    private final Map<String, Compiled> compiled = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
            return size() > 1_000;
        }
    });

    /** What a render gave: the text and the warnings (unknown variables). */
    public record Rendered(String output, List<String> warnings) {}

    private final TemplateParser parser = withFilters(new TemplateParser.Builder(), List.of(
                    new TrackedLink(),
                    new LiquidFilters.Digest("md5", "MD5"),
                    new LiquidFilters.Digest("sha256", "SHA-256"),
                    new LiquidFilters.PluralRu(),
                    new LiquidFilters.Money(),
                    new LiquidFilters.LocaleDate(),
                    new LiquidFilters.Numeric("plus"),
                    new LiquidFilters.Numeric("minus"),
                    new LiquidFilters.Numeric("times"),
                    new LiquidFilters.Numeric("divided_by"),
                    new LiquidFilters.Numeric("modulo"),
                    new LiquidFilters.Numeric("at_least"),
                    new LiquidFilters.Numeric("at_most"),
                    new LiquidFilters.Numeric("abs"),
                    new LiquidFilters.Numeric("ceil"),
                    new LiquidFilters.Numeric("floor"),
                    new LiquidFilters.Numeric("round"),
                    new LiquidFilters.DefaultValue(),
                    new LiquidFilters.Bounded("append"),
                    new LiquidFilters.Bounded("prepend")))
            .withStrictVariables(true)
            .withErrorMode(TemplateParser.ErrorMode.WARN)
            .withMaxIterations(MAX_ITERATIONS)
            .withMaxSizeRenderedString(MAX_OUTPUT_CHARS)
            .withMaxTemplateSizeBytes(MAX_TEMPLATE_CHARS * 4L)
            .withNameResolver(name -> {
                throw new IOException("templates cannot read files; use {% render '" + name + "' %} with a snippet");
            })
            .withTag(new RenderTag(this))
            .withTag(new FetchTag())
            .build();

    /**
     * Every filter a template may use: Liqp's, Shopify's that Liqp lacks or does differently,
     * then Orbita's (each later one replacing an earlier one of its name), Shopify's standard
     * ones held to the number of arguments Shopify's take.
     */
    private static TemplateParser.Builder withFilters(TemplateParser.Builder builder, List<Filter> orbita) {
        Map<String, Filter> filters = new LinkedHashMap<>(liqp.filters.Filters.DEFAULT_FILTERS.getMap());
        for (List<Filter> layer : List.of(ShopifyFilters.all(), StandardFilters.all(), orbita)) {
            layer.forEach(f -> filters.put(f.name, f));
        }
        filters.values().forEach(f -> builder.withFilter(StandardFilters.strict(f)));
        return builder;
    }

    /**
     * Renders a template with data (the top-level names: profile, data, event, …) and snippets.
     *
     * @throws InvalidInputException naming the line and column of a syntax or render error, or the bound exceeded
     */
    public Rendered render(String template, Map<String, Object> data, Map<String, String> snippets) {
        return render(template, data, snippets, Extras.NONE);
    }

    /** Renders with outside data sources and signed links at hand; see {@link #render(String, Map, Map)}. */
    public Rendered render(String template, Map<String, Object> data, Map<String, String> snippets, Extras extras) {
        check(template, "template");
        Map<String, String> parts = snippets == null ? Map.of() : snippets;
        if (parts.size() > MAX_SNIPPETS) {
            throw new InvalidInputException("snippets", parts.size(), "at most " + MAX_SNIPPETS + " snippets");
        }
        parts.forEach((name, text) -> check(text, "snippets." + name));
        Compiled parsed = compile(template, "template");
        Map<String, Object> globals = new LinkedHashMap<>(data == null ? Map.of() : data);
        // signed links only for the texts that use them (each is an HMAC; a subject or a from name rarely does)
        boolean wantsLinks = template.contains("links") || parts.values().stream().anyMatch(t -> t.contains("links"));
        if (wantsLinks && extras.links() != null && extras.linkContext() != null && !globals.containsKey("links")) {
            globals.put("links", Map.of(
                    "unsubscribe", extras.links().unsubscribe(extras.linkContext()),
                    "view_in_browser", extras.links().view(extras.linkContext())));
        }
        Map<String, Object> variables = new LinkedHashMap<>(globals);
        variables.put(SNIPPETS, parts);
        variables.put(GLOBALS, globals);
        variables.put(DEPTH, 0);
        long deadline = System.nanoTime() + renderMillis * 1_000_000L;
        try {
            TemplateContext context = new TimedContext(parsed.template(), parser, parser.evaluate(parser.mapper, variables), deadline);
            context.getEnvironmentMap().put(EXTRAS, extras);
            context.getEnvironmentMap().put(DEADLINE, deadline);
            String output = String.valueOf(parser.getRenderTransformer().transformObject(context, parsed.root().render(context)));
            List<String> warnings = new ArrayList<>();
            for (Exception e : context.errors()) {
                String w = e.getMessage();
                if (!warnings.contains(w)) {
                    warnings.add(w);
                }
            }
            return new Rendered(output, warnings);
        } catch (LiquidException e) {
            throw located("template", e.line, e.charPositionInLine, LiquidErrors.plain(e.getMessage(), null));
        } catch (RuntimeException e) {
            throw new InvalidInputException("template", null, "cannot be rendered: " + describe(e));
        } catch (StackOverflowError e) {
            throw new InvalidInputException("template", null, "cannot be rendered: it nests too deeply (snippets within snippets, or blocks)");
        }
    }

    private final long renderMillis;

    public Templates() {
        this(MAX_RENDER_MILLIS);
    }

    /** @param renderMillis how long one render may take */
    public Templates(long renderMillis) {
        this.renderMillis = renderMillis;
    }

    /** Thrown inside a render that ran past its deadline. */
    private static final class TooSlow extends RuntimeException {
        TooSlow() {
            super("took too long", null, false, false);
        }
    }

    /**
     * A render's root context with a deadline. Liqp counts every loop turn through the root's
     * iteration registry (child contexts ask their parent), so the deadline is checked there,
     * on the rendering thread: no thread hand-off per render.
     */
    private static final class TimedContext extends TemplateContext {
        private final long deadline;

        TimedContext(Template template, TemplateParser parser, Map<String, Object> variables, long deadline) {
            super(template, parser, variables);
            this.deadline = deadline;
        }

        @Override
        public <T extends Map<String, ?>> T getRegistry(String name) {
            if (REGISTRY_ITERATION_PROTECTOR.equals(name) && System.nanoTime() > deadline) {
                throw new TooSlow();
            }
            return super.getRegistry(name);
        }
    }


    /** Checks that a template parses, or throws with the line and column of the first error. */
    public void validate(String template, String field) {
        check(template, field);
        compile(template, field);
    }

    /** Parses and compiles a template (or takes it from the cache), or throws with the line and column of the first error. */
    private Compiled compile(String template, String field) {
        Compiled known = compiled.get(template);
        if (known != null) {
            return known;
        }
        // checked once per text, when it is parsed (a render of a cached template does not scan it again)
        int depth = nesting(template);
        if (depth > MAX_NESTING) {
            throw new InvalidInputException(field, depth + " levels", "has blocks nested " + depth + " deep; at most " + MAX_NESTING + " are allowed");
        }
        try {
            Template t = parser.parse(LiquidSource.rewrite(template, field));
            Compiled c = new Compiled(t, new LiquidVisitor(parser).visit(t.getParseTree()));
            compiled.put(template, c);
            return c;
        } catch (LiquidException e) {
            throw located(field, e.line, e.charPositionInLine, LiquidErrors.plain(e.getMessage(), template));
        } catch (RuntimeException e) {
            Matcher at = AT.matcher(String.valueOf(e.getMessage()));
            if (at.find()) {
                throw located(field, Integer.parseInt(at.group(1)), Integer.parseInt(at.group(2)), LiquidErrors.plain(e.getMessage(), template));
            }
            throw new InvalidInputException(field, null, describe(e));
        } catch (StackOverflowError e) {
            throw new InvalidInputException(field, null, "nests too deeply to be read");
        }
    }

    private static void check(String text, String field) {
        if (text == null) {
            throw new InvalidInputException(field, null, "is required");
        }
        if (text.length() > MAX_TEMPLATE_CHARS) {
            throw new InvalidInputException(field, text.length() + " characters", "must be at most " + MAX_TEMPLATE_CHARS + " characters");
        }
    }

    /** How deep a template's blocks ({@code if}, {@code for}, {@code case}…) are nested; raw and comment bodies are not read. */
    static int nesting(String text) {
        Matcher tag = BLOCK_TAG.matcher(text);
        int depth = 0;
        int deepest = 0;
        while (tag.find()) {
            String name = tag.group(1);
            if (name.equals("raw") || name.equals("comment")) {
                Matcher end = Pattern.compile("\\{%-?\\s*end" + name + "\\s*-?%}").matcher(text);
                if (!end.find(tag.end())) {
                    break;
                }
                tag.region(end.end(), text.length());
            } else if (name.startsWith("end")) {
                depth = Math.max(0, depth - 1);
            } else {
                deepest = Math.max(deepest, ++depth);
            }
        }
        return deepest;
    }

    /** How deep blocks may be nested: far beyond any real template, well within the parser's stack. */
    static final int MAX_NESTING = 64;
    private static final Pattern BLOCK_TAG = Pattern.compile(
            "\\{%-?\\s*(if|unless|case|for|tablerow|capture|raw|comment|endif|endunless|endcase|endfor|endtablerow|endcapture)\\b");

    private static InvalidInputException located(String field, int line, int column, String message) {
        return new InvalidInputException(List.of(FieldError.of(field, "line " + line + ", column " + (column + 1),
                "line " + line + ", column " + (column + 1) + ": " + message)));
    }

    /** A failure's own message, without Liqp's wrapping. */
    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof ExceededMaxIterationsException) {
            return "loops ran more than " + MAX_ITERATIONS + " iterations in all";
        }
        if (t instanceof TooSlow) {
            return "took longer than its time limit to render";
        }
        if (m.toLowerCase(Locale.ROOT).contains("size")) {
            return "the output grew past " + MAX_OUTPUT_CHARS + " characters";
        }
        if (t instanceof NullPointerException) {
            return "a filter or tag was given a missing (nil) value it cannot use";
        }
        if (t instanceof ClassCastException) {
            return "a filter or tag was given a value of the wrong kind (a list where an object was expected, or the like)";
        }
        if (t instanceof NumberFormatException) {
            return "a text that is not a number was used as a number";
        }
        if (t instanceof ArithmeticException) {
            return "arithmetic failed (" + (m.contains("zero") ? "division by zero" : "a number out of range") + ")";
        }
        return m;
    }

    /**
     * {@code {% render 'name' %}}: renders a snippet given with the render (never a file) with
     * the top-level data, in its own scope (Shopify's semantics), at most {@value #MAX_SNIPPET_DEPTH} deep.
     */
    private static final class RenderTag extends Tag {
        private final Templates templates;

        RenderTag(Templates templates) {
            super("render");
            this.templates = templates;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object render(TemplateContext context, LNode... nodes) {
            String name = String.valueOf(nodes[0].render(context)).strip();
            if (name.length() >= 2 && (name.startsWith("'") && name.endsWith("'") || name.startsWith("\"") && name.endsWith("\""))) {
                name = name.substring(1, name.length() - 1);
            }
            Map<String, Object> root = rootOf(context);
            Map<String, String> snippets = (Map<String, String>) root.get(SNIPPETS);
            String text = snippets == null ? null : snippets.get(name);
            if (text == null) {
                throw new IllegalArgumentException("no snippet named '" + name + "'");
            }
            int depth = (Integer) root.getOrDefault(DEPTH, 0);
            if (depth >= MAX_SNIPPET_DEPTH) {
                throw new IllegalArgumentException("snippets render each other more than " + MAX_SNIPPET_DEPTH + " deep (a loop?) at '" + name + "'");
            }
            Map<String, Object> scope = new LinkedHashMap<>((Map<String, Object>) root.get(GLOBALS));
            scope.put(SNIPPETS, snippets);
            scope.put(GLOBALS, root.get(GLOBALS));
            scope.put(DEPTH, depth + 1);
            // the names the rewritten tag binds (LiquidSource.render): arguments, a value "with" or each of a list "for"
            String alias = name;
            String mode = null;
            Object bound = null;
            if (nodes.length > 1) {
                String spec = unquote(String.valueOf(nodes[1].render(context)).strip());
                for (String part : spec.split(";")) {
                    int eq = part.indexOf('=');
                    if (eq < 0) {
                        continue;
                    }
                    String key = part.substring(0, eq);
                    String value = part.substring(eq + 1);
                    if (key.startsWith("arg:")) {
                        scope.put(key.substring(4), context.get(value));
                    } else if (key.equals("as")) {
                        alias = value;
                    } else {
                        mode = key;
                        bound = context.get(value);
                    }
                }
            }
            Compiled snippet = templates.compile(text, "snippets." + name);
            if (!"for".equals(mode)) {
                if ("with".equals(mode)) {
                    scope.put(alias, bound);
                }
                return renderIsolated(context, snippet, scope);
            }
            List<Object> items = bound instanceof Map<?, ?> || bound == null ? (bound == null ? List.of() : List.of(bound))
                    : ShopifyFilters.items(bound);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < items.size(); i++) {
                Map<String, Object> each = new LinkedHashMap<>(scope);
                each.put(alias, items.get(i));
                each.put("forloop", Map.of("first", i == 0, "last", i == items.size() - 1, "index", i + 1, "index0", i,
                        "rindex", items.size() - i, "rindex0", items.size() - i - 1, "length", items.size()));
                out.append(renderIsolated(context, snippet, each));
            }
            return out.toString();
        }

        /**
         * A snippet in a scope of its own, as Shopify's render has it: it sees the render's data
         * and its arguments, not the caller's variables, counters or loops, and what it assigns
         * stays inside. The time limit and outside data carry over.
         */
        private String renderIsolated(TemplateContext context, Compiled snippet, Map<String, Object> scope) {
            long deadline = context.getEnvironmentMap().get(DEADLINE) instanceof Long d ? d : System.nanoTime() + 1_000_000_000L;
            TemplateParser parser = context.getParser();
            TemplateContext child = new TimedContext(snippet.template(), parser, scope, deadline);
            child.getEnvironmentMap().put(EXTRAS, context.getEnvironmentMap().get(EXTRAS));
            child.getEnvironmentMap().put(DEADLINE, deadline);
            Object out = snippet.root().render(child);
            child.errors().forEach(context::addError);
            return String.valueOf(parser.getRenderTransformer().transformObject(child, out));
        }

        private static String unquote(String s) {
            return s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\"")) ? s.substring(1, s.length() - 1) : s;
        }

        private static Map<String, Object> rootOf(TemplateContext context) {
            return context.getVariables().containsKey(SNIPPETS) ? context.getVariables() : findRoot(context);
        }

        private static Map<String, Object> findRoot(TemplateContext context) {
            Object s = context.get(SNIPPETS);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(SNIPPETS, s);
            m.put(GLOBALS, context.get(GLOBALS));
            m.put(DEPTH, context.get(DEPTH) == null ? 0 : context.get(DEPTH));
            return m;
        }
    }

    private static Extras extras(TemplateContext context) {
        Object e = context.getEnvironmentMap().get(EXTRAS);
        return e instanceof Extras x ? x : Extras.NONE;
    }

    /**
     * {@code {% fetch 'name' as var %}}: reads the workspace's data source {@code name} (an HTTP
     * JSON endpoint or an SQL query, configured apart from templates) with this render's data,
     * and assigns the result (maps, lists, values) to {@code var}.
     */
    private static final class FetchTag extends Tag {
        private static final Pattern SYNTAX =
                Pattern.compile("\\s*(['\"])([a-z0-9][a-z0-9_.-]{0,63})\\1\\s+as\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*");

        FetchTag() {
            super("fetch");
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object render(TemplateContext context, LNode... nodes) {
            StringBuilder args = new StringBuilder();
            for (LNode n : nodes) {
                args.append(n.render(context)).append(' ');
            }
            Matcher m = SYNTAX.matcher(args);
            if (!m.matches()) {
                throw new IllegalArgumentException("fetch is written {% fetch 'source-name' as variable %}");
            }
            Fetcher fetcher = extras(context).fetcher();
            if (fetcher == null) {
                throw new IllegalArgumentException("no data sources are available to this render (fetch '" + m.group(2) + "')");
            }
            Object globals = context.get(GLOBALS);
            Object value = fetcher.fetch(m.group(2), globals instanceof Map<?, ?> g ? (Map<String, Object>) g : Map.of(),
                    w -> context.addError(new IllegalStateException(w)));
            context.put(m.group(3), value, true);
            return "";
        }
    }

    /** Whether a URL parses (RFC 3986) and names a host: what a redirect to it needs. */
    static boolean hasHost(String url) {
        try {
            return new URI(url).getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** {@code {{ 'https://shop.example/sale' | tracked_link }}}: a signed click-tracking link to the URL (http or https only). */
    private static final class TrackedLink extends Filter {
        TrackedLink() {
            super("tracked_link");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            String url = asString(value, context).strip();
            if (!url.matches("(?i)https?://[^\\s]+") || !hasHost(url)) {
                throw new IllegalArgumentException("tracked_link takes an http(s) URL with a host, got '" + (url.length() > 80 ? url.substring(0, 80) + "…" : url) + "'");
            }
            Extras x = extras(context);
            return x.links() == null || x.linkContext() == null ? url : x.links().click(x.linkContext(), url);
        }
    }
}
