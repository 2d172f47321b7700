package org.orbita.content;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** Reads a named outside data source for a render; {@code warn} takes a note when a fallback stood in. */
    @FunctionalInterface
    public interface Fetcher {
        Object fetch(String name, Map<String, Object> data, java.util.function.Consumer<String> warn);
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
    private final Map<String, Compiled> compiled = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
            return size() > 1_000;
        }
    });

    /** What a render gave: the text and the warnings (unknown variables). */
    public record Rendered(String output, List<String> warnings) {}

    private final TemplateParser parser = new TemplateParser.Builder()
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
            .withFilter(new TrackedLink())
            .withFilter(new Digest("md5", "MD5"))
            .withFilter(new Digest("sha256", "SHA-256"))
            .withFilter(new PluralRu())
            .withFilter(new Money())
            .withFilter(new LocaleDate())
            .withFilter(new Numeric("plus"))
            .withFilter(new Numeric("minus"))
            .withFilter(new Numeric("times"))
            .withFilter(new Numeric("divided_by"))
            .withFilter(new Numeric("modulo"))
            .withFilter(new Numeric("at_least"))
            .withFilter(new Numeric("at_most"))
            .withFilter(new Numeric("abs"))
            .withFilter(new Numeric("ceil"))
            .withFilter(new Numeric("floor"))
            .withFilter(new Numeric("round"))
            .withFilter(new DefaultValue())
            .withFilter(new Bounded("append"))
            .withFilter(new Bounded("prepend"))
            .withFilter(new Bounded("replace"))
            .withFilter(new Bounded("replace_first"))
            .withFilter(new Bounded("join"))
            .withFilter(new Bounded("concat"))
            .build();

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
            throw located("template", e.line, e.charPositionInLine, e.getMessage());
        } catch (RuntimeException e) {
            throw new InvalidInputException("template", null, "cannot be rendered: " + describe(e));
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

    /**
     * Liqp's node builder with {@code == blank} / {@code != blank} as Shopify's Liquid has them:
     * nil, false, an empty or whitespace-only string and an empty array or hash are blank
     * (Liqp says nil is not).
     */
    private static final class Visitor extends liqp.parser.v4.NodeVisitor {
        private final liqp.Insertion forTag;

        Visitor(TemplateParser parser) {
            super(parser.insertions, parser.filters, parser.liquidStyleInclude);
            this.forTag = parser.insertions.get("for");
        }

        /**
         * {@code for i in (a..b)} as a loop over the list a..b: Liqp's own range loop gives
         * {@code forloop.length} one short and {@code forloop.last} on the wrong turn. A range
         * longer than the iteration bound is refused before any list is made.
         */
        @Override
        public LNode visitFor_range(liquid.parser.v4.LiquidParser.For_rangeContext ctx) {
            LNode from = (LNode) visit(ctx.from);
            LNode to = (LNode) visit(ctx.to);
            List<LNode> nodes = new ArrayList<>();
            nodes.add(new liqp.nodes.AtomNode(true));
            nodes.add(new liqp.nodes.AtomNode(ctx.id().getText()));
            nodes.add(context -> range(from.render(context), to.render(context)));
            nodes.add(visitBlock(ctx.block()));
            nodes.add(null);
            nodes.add(new liqp.nodes.AtomNode("(" + ctx.from.getText() + ".." + ctx.to.getText() + ")"));
            nodes.add(new liqp.nodes.AtomNode(ctx.Reversed() != null));
            for (liquid.parser.v4.LiquidParser.For_attributeContext attribute : ctx.for_attribute()) {
                nodes.add((LNode) visit(attribute));
            }
            return new liqp.nodes.InsertionNode(forTag, nodes);
        }

        private static List<Long> range(Object from, Object to) {
            long a = whole(from);
            long b = whole(to);
            if (b - a >= MAX_ITERATIONS) {
                throw new ExceededMaxIterationsException(MAX_ITERATIONS);
            }
            List<Long> out = new ArrayList<>((int) Math.max(0, b - a + 1));
            for (long i = a; i <= b; i++) {
                out.add(i);
            }
            return out;
        }

        /** A range end as Shopify reads it: a number, or text that starts like one, else 0. */
        private static long whole(Object v) {
            if (v instanceof Number n) {
                return n.longValue();
            }
            String s = v == null ? "" : String.valueOf(v).strip();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^-?\\d+").matcher(s);
            return m.find() ? Long.parseLong(m.group()) : 0;
        }

        @Override
        public LNode visitExpr_eq(liquid.parser.v4.LiquidParser.Expr_eqContext ctx) {
            boolean blankRight = "blank".equals(ctx.rhs.getText());
            if (!blankRight && !"blank".equals(ctx.lhs.getText())) {
                return super.visitExpr_eq(ctx);
            }
            LNode other = (LNode) visit(blankRight ? ctx.lhs : ctx.rhs);
            boolean negate = ctx.NEq() != null;
            return context -> isBlank(other.render(context)) != negate;
        }

        /** Liquid's "empty" for default: empty text (spaces are not empty), lists and hashes. */
        static boolean isBlankOrEmpty(Object v) {
            return v instanceof CharSequence c ? c.isEmpty() : !(v instanceof Boolean) && isBlank(v);
        }

        static boolean isBlank(Object v) {
            if (v == null || Boolean.FALSE.equals(v)) {
                return true;
            }
            if (v instanceof CharSequence c) {
                return c.toString().isBlank();
            }
            if (v instanceof java.util.Collection<?> c) {
                return c.isEmpty();
            }
            if (v instanceof Map<?, ?> m) {
                return m.isEmpty();
            }
            return v instanceof Object[] a && a.length == 0;
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
        try {
            Template t = parser.parse(template);
            Compiled c = new Compiled(t, new Visitor(parser).visit(t.getParseTree()));
            compiled.put(template, c);
            return c;
        } catch (LiquidException e) {
            throw located(field, e.line, e.charPositionInLine, e.getMessage());
        } catch (RuntimeException e) {
            throw new InvalidInputException(field, null, describe(e));
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

    private static InvalidInputException located(String field, int line, int column, String message) {
        return new InvalidInputException(List.of(FieldError.of(field, "line " + line + ", column " + (column + 1), message)));
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
        if (m.toLowerCase(java.util.Locale.ROOT).contains("size")) {
            return "the output grew past " + MAX_OUTPUT_CHARS + " characters";
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
            Compiled snippet = templates.compile(text, "snippets." + name);
            TemplateContext child = context.newChildContext(scope);
            Object out = snippet.root().render(child);
            child.errors().forEach(context::addError);
            return context.getParser().getRenderTransformer().transformObject(child, out);
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
        private static final java.util.regex.Pattern SYNTAX =
                java.util.regex.Pattern.compile("\\s*(['\"])([a-z0-9][a-z0-9_.-]{0,63})\\1\\s+as\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*");

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
            java.util.regex.Matcher m = SYNTAX.matcher(args);
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

    /** {@code {{ 'https://shop.example/sale' | tracked_link }}}: a signed click-tracking link to the URL (http or https only). */
    private static final class TrackedLink extends Filter {
        TrackedLink() {
            super("tracked_link");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            String url = asString(value, context).strip();
            if (!url.matches("(?i)https?://[^\\s]+")) {
                throw new IllegalArgumentException("tracked_link takes an http(s) URL, got '" + (url.length() > 80 ? url.substring(0, 80) + "…" : url) + "'");
            }
            Extras x = extras(context);
            return x.links() == null || x.linkContext() == null ? url : x.links().click(x.linkContext(), url);
        }
    }

    /**
     * Liquid's own filters that make strings or lists longer, refusing results past the
     * output bound: otherwise {@code assign s = s | append: s} in a loop reaches gigabytes in
     * 30 turns, long before any output or iteration bound notices.
     */
    private static final class Bounded extends Filter {
        private final Filter original;

        Bounded(String name) {
            super(name);
            this.original = liqp.filters.Filters.DEFAULT_FILTERS.getMap().get(name);
            if (original == null) {
                throw new IllegalStateException("Liquid has no filter " + name);
            }
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            long size = length(value);
            for (Object p : params) {
                size += length(p);
            }
            if (size > MAX_OUTPUT_CHARS) {
                throw new IllegalArgumentException(name + " would make a value of more than " + MAX_OUTPUT_CHARS + " characters");
            }
            Object result = original.apply(value, context, params);
            if (length(result) > MAX_OUTPUT_CHARS) {
                throw new IllegalArgumentException(name + " made a value of more than " + MAX_OUTPUT_CHARS + " characters");
            }
            return result;
        }

        private static long length(Object v) {
            if (v instanceof CharSequence c) {
                return c.length();
            }
            if (v instanceof Object[] a) {
                long n = a.length;
                for (Object o : a) {
                    n += o instanceof CharSequence c ? c.length() : 0;
                }
                return n;
            }
            if (v instanceof java.util.Collection<?> c) {
                long n = c.size();
                for (Object o : c) {
                    n += o instanceof CharSequence cs ? cs.length() : 0;
                }
                return n;
            }
            return 0;
        }
    }

    /**
     * Liquid's arithmetic filters reading their operands as Shopify does: text that is not a
     * number counts as its leading integer or 0 ({@code 'abc' | plus: 1} is 1, not an error),
     * rounding a whole number leaves it whole, and dividing by zero is a clear error.
     */
    private static final class Numeric extends Filter {
        private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("\\s*-?\\d+(\\.\\d+)?\\s*");
        private static final java.util.regex.Pattern LEADING = java.util.regex.Pattern.compile("^\\s*(-?\\d+)");
        private final Filter original;

        Numeric(String name) {
            super(name);
            this.original = liqp.filters.Filters.DEFAULT_FILTERS.getMap().get(name);
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            Object v = number(value);
            Object[] p = new Object[params.length];
            for (int i = 0; i < params.length; i++) {
                p[i] = number(params[i]);
                if (("divided_by".equals(name) || "modulo".equals(name)) && p[i] instanceof Number n && n.doubleValue() == 0) {
                    throw new IllegalArgumentException("Liquid error: divided by 0");
                }
            }
            if ("round".equals(name) && (v instanceof Long || v instanceof Integer)) {
                return v;
            }
            return original.apply(v, context, p);
        }

        private static Object number(Object v) {
            if (!(v instanceof CharSequence c)) {
                return v == null ? 0L : v;
            }
            String s = c.toString();
            if (DECIMAL.matcher(s).matches()) {
                return s.contains(".") ? (Object) Double.parseDouble(s.strip()) : (Object) Long.parseLong(s.strip());
            }
            java.util.regex.Matcher m = LEADING.matcher(s);
            return m.find() ? Long.parseLong(m.group(1)) : 0L;
        }
    }

    /** {@code default}: the fallback for nil, false, empty text and empty lists; {@code allow_false: true} keeps false. */
    private static final class DefaultValue extends Filter {
        DefaultValue() {
            super("default");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            Object fallback = params.length > 0 ? params[0] : "";
            boolean allowFalse = false;
            for (int i = 1; i < params.length; i++) {
                if (params[i] instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("allow_false"))) {
                    allowFalse = true;
                }
            }
            if (Boolean.FALSE.equals(value)) {
                return allowFalse ? value : fallback;
            }
            return value == null || Visitor.isBlankOrEmpty(value) ? fallback : value;
        }
    }

    /** {@code md5} / {@code sha256}: hex digest of the text (for hashed emails in links and audiences). */
    private static final class Digest extends Filter {
        private final String algorithm;

        Digest(String name, String algorithm) {
            super(name);
            this.algorithm = algorithm;
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            try {
                byte[] d = MessageDigest.getInstance(algorithm).digest(asString(value, context).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(d);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * {@code plural_ru: 'товар', 'товара', 'товаров'}: the Russian form for a count (1 товар,
     * 2 товара, 5 товаров, 21 товар, 11 товаров).
     */
    private static final class PluralRu extends Filter {
        PluralRu() {
            super("plural_ru");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            if (params.length != 3) {
                throw new IllegalArgumentException("plural_ru takes three forms: 'one', 'few', 'many'");
            }
            long n = Math.abs(asNumber(value).longValue());
            long d10 = n % 10;
            long d100 = n % 100;
            int form = d10 == 1 && d100 != 11 ? 0 : d10 >= 2 && d10 <= 4 && (d100 < 12 || d100 > 14) ? 1 : 2;
            return String.valueOf(params[form]);
        }
    }

    /**
     * {@code date_locale: '%e %B %Y', 'ru'} → "22 ноября 2026": strftime-style codes
     * ({@code %d %e %m %B %b %Y %y %H %M %A %a}) with month and day names of the locale (ru, en);
     * the value is a date, a date-time (ISO), epoch milliseconds or "now"; times shown in UTC.
     */
    private static final class LocaleDate extends Filter {
        LocaleDate() {
            super("date_locale");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            if (params.length < 1) {
                throw new IllegalArgumentException("date_locale takes a format, e.g. '%e %B %Y', and a locale, 'ru' or 'en'");
            }
            java.time.ZonedDateTime t = toTime(value);
            if (t == null) {
                return value;
            }
            java.util.Locale locale = params.length > 1 && "ru".equals(String.valueOf(params[1])) ? new java.util.Locale("ru") : java.util.Locale.ENGLISH;
            String format = String.valueOf(params[0]);
            boolean withDay = format.contains("%d") || format.contains("%e");
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < format.length(); i++) {
                char c = format.charAt(i);
                if (c != '%' || i + 1 >= format.length()) {
                    out.append(c);
                    continue;
                }
                char code = format.charAt(++i);
                out.append(switch (code) {
                    case 'd' -> String.format("%02d", t.getDayOfMonth());
                    case 'e' -> String.valueOf(t.getDayOfMonth());
                    case 'm' -> String.format("%02d", t.getMonthValue());
                    // Russian months take the genitive after a day number ("22 ноября"), the nominative alone ("ноябрь")
                    case 'B' -> t.format(java.time.format.DateTimeFormatter.ofPattern(withDay ? "MMMM" : "LLLL", locale));
                    case 'b' -> t.format(java.time.format.DateTimeFormatter.ofPattern(withDay ? "MMM" : "LLL", locale));
                    case 'Y' -> String.valueOf(t.getYear());
                    case 'y' -> String.format("%02d", t.getYear() % 100);
                    case 'H' -> String.format("%02d", t.getHour());
                    case 'M' -> String.format("%02d", t.getMinute());
                    case 'A' -> t.format(java.time.format.DateTimeFormatter.ofPattern("EEEE", locale));
                    case 'a' -> t.format(java.time.format.DateTimeFormatter.ofPattern("EEE", locale));
                    case '%' -> "%";
                    default -> "%" + code;
                });
            }
            return out.toString();
        }

        private static java.time.ZonedDateTime toTime(Object value) {
            java.time.ZoneId utc = java.time.ZoneOffset.UTC;
            if (value instanceof Number n) {
                return java.time.Instant.ofEpochMilli(n.longValue()).atZone(utc);
            }
            String s = String.valueOf(value).strip();
            try {
                if (s.equals("now") || s.equals("today")) {
                    return java.time.ZonedDateTime.now(utc);
                }
                if (s.length() == 10) {
                    return java.time.LocalDate.parse(s).atStartOfDay(utc);
                }
                return java.time.OffsetDateTime.parse(s).atZoneSameInstant(utc);
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
    }

    /** {@code money: 'RUB'}: 1234.5 → "1 234,50 ₽" (ru) or "$1,234.50" (en), two decimals. */
    private static final class Money extends Filter {
        Money() {
            super("money");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            BigDecimal amount = new BigDecimal(asNumber(value).toString()).setScale(2, RoundingMode.HALF_EVEN);
            String currency = params.length > 0 ? String.valueOf(params[0]).toUpperCase(java.util.Locale.ROOT) : "RUB";
            return switch (currency) {
                case "RUB" -> String.format(new java.util.Locale("ru", "RU"), "%,.2f ₽", amount).replace('\u00a0', ' ').replace('\u202f', ' ');
                case "USD" -> String.format(java.util.Locale.US, "$%,.2f", amount);
                case "EUR" -> String.format(java.util.Locale.GERMANY, "%,.2f €", amount);
                default -> String.format(java.util.Locale.US, "%,.2f %s", amount, currency);
            };
        }
    }
}
