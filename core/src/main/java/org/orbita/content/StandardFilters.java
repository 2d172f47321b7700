package org.orbita.content;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liqp.TemplateContext;
import liqp.filters.Filter;

/**
 * Liquid's standard filters where Liqp's differ from Shopify's Ruby gem (5.x): lists read as
 * Shopify's InputIterator reads them (nested lists flattened, a single value as a list of one),
 * nil arguments read as Ruby's {@code to_s} reads them, Ruby's {@code split}, and every standard
 * filter held to the number of arguments Shopify's takes ({@link Strict}).
 */
final class StandardFilters {

    private StandardFilters() {}

    /** Shopify's arguments per standard filter: {min, max} positional ones. */
    private static final Map<String, int[]> ARITY = arity(
            "abs ceil floor size downcase upcase capitalize escape h escape_once url_encode url_decode strip lstrip rstrip"
                    + " strip_html strip_newlines newline_to_br reverse first last base64_encode base64_decode"
                    + " base64_url_safe_encode base64_url_safe_decode", 0, 0,
            "uniq compact sort sort_natural sum join round default", 0, 1,
            "truncate truncatewords", 0, 2,
            "split map concat append prepend remove remove_first remove_last date plus minus times divided_by modulo"
                    + " at_least at_most", 1, 1,
            "slice replace replace_first where has find find_index reject", 1, 2,
            "replace_last", 2, 2);

    private static Map<String, int[]> arity(Object... spec) {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (int i = 0; i < spec.length; i += 3) {
            for (String name : ((String) spec[i]).split(" ")) {
                out.put(name, new int[] {(Integer) spec[i + 1], (Integer) spec[i + 2]});
            }
        }
        return out;
    }

    /** The filters below, replacing Liqp's of the same names. */
    static List<Filter> all() {
        return List.of(new Join(), new Ends("first"), new Ends("last"), new ListFilter("reverse"), new ListFilter("concat"),
                new ListFilter("map"), new ListFilter("compact"), new ListFilter("uniq"), new Sort("sort"), new Sort("sort_natural"),
                new Split(), new TextFilter("strip_html"), new TextFilter("newline_to_br"), new TextFilter("replace"),
                new TextFilter("replace_first"), new TextFilter("remove"), new TextFilter("remove_first"), new Slice(),
                new Truncate("truncate"), new Truncate("truncatewords"));
    }

    /** A filter held to Shopify's number of arguments, when it is one of Shopify's; others as they are. */
    static Filter strict(Filter filter) {
        int[] range = ARITY.get(filter.name);
        return range == null ? filter : new Strict(filter, range[0], range[1]);
    }

    /** Too few or too many arguments to a standard filter is an error, as in Shopify's strict mode. */
    static final class Strict extends Filter {
        private final Filter filter;
        private final int min;
        private final int max;

        Strict(Filter filter, int min, int max) {
            super(filter.name);
            this.filter = filter;
            this.min = min;
            this.max = max;
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            int positional = 0;
            for (Object p : params) {
                // default's allow_false: … is a keyword argument, not counted
                positional += "default".equals(name) && p instanceof Map<?, ?> m && m.containsKey("allow_false") ? 0 : 1;
            }
            ShopifyFilters.arity(name, new Object[positional], min, max);
            return filter.apply(value, context, params);
        }
    }

    /** Ruby's {@code to_s} of a value: nil is empty text. */
    static String text(Filter f, Object value, TemplateContext context) {
        return value == null ? "" : f.asString(value, context);
    }

    /** Liquid's {@code Utils.to_integer}: a whole number, or text holding one; nil, decimals and other text are an error. */
    static long integer(String filter, Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof java.math.BigInteger) {
            return ((Number) value).longValue();
        }
        if (value instanceof CharSequence s) {
            try {
                return Long.parseLong(s.toString().strip());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("Liquid error: " + filter + ": invalid integer");
    }

    /** {@code join}: the flattened items, nil as empty text, glued (a space by default). */
    static final class Join extends Filter {
        Join() {
            super("join");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            String glue = params.length > 0 ? text(this, params[0], context) : " ";
            StringBuilder out = new StringBuilder();
            boolean first = true;
            for (Object item : ShopifyFilters.items(value)) {
                if (!first) {
                    out.append(glue);
                }
                first = false;
                out.append(text(this, item, context));
                LiquidFilters.Bounded.checkMade(name, out.length());
            }
            return out.toString();
        }
    }

    /** {@code first} and {@code last}: of a list; {@code first} of a hash is its first [key, value]; of anything else nil. */
    static final class Ends extends Filter {
        Ends(String name) {
            super(name);
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            List<Object> list = value instanceof Collection<?> c ? new ArrayList<>(c) : value instanceof Object[] a ? List.of(a) : null;
            if (list != null) {
                return list.isEmpty() ? null : list.get("first".equals(name) ? 0 : list.size() - 1);
            }
            if (value instanceof Map<?, ?> m && "first".equals(name) && !m.isEmpty()) {
                Map.Entry<?, ?> e = m.entrySet().iterator().next();
                List<Object> pair = new ArrayList<>();
                pair.add(e.getKey());
                pair.add(e.getValue());
                return pair;
            }
            return null;
        }
    }

    /** {@code reverse}, {@code concat}, {@code map}, {@code compact}, {@code uniq} over Shopify's InputIterator. */
    static final class ListFilter extends Filter {
        ListFilter(String name) {
            super(name);
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            List<Object> items = ShopifyFilters.items(value);
            Object property = params.length > 0 ? params[0] : null;
            switch (name) {
                case "reverse" -> {
                    List<Object> out = new ArrayList<>(items);
                    java.util.Collections.reverse(out);
                    return out;
                }
                case "concat" -> {
                    if (!(property instanceof Collection<?> || property instanceof Object[])) {
                        throw new IllegalArgumentException("Liquid error: concat filter requires an array argument");
                    }
                    List<Object> out = new ArrayList<>(items);
                    out.addAll(property instanceof Collection<?> c ? c : List.of((Object[]) property));
                    if (out.size() > Templates.MAX_ITERATIONS) {
                        throw new IllegalArgumentException("concat made a list of more than " + Templates.MAX_ITERATIONS + " items");
                    }
                    return out;
                }
                case "map" -> {
                    List<Object> out = new ArrayList<>();
                    for (Object item : items) {
                        out.add(property(item, property));
                    }
                    return out;
                }
                case "compact" -> {
                    List<Object> out = new ArrayList<>();
                    for (Object item : items) {
                        if ((property == null ? item : property(item, property)) != null) {
                            out.add(item);
                        }
                    }
                    return out;
                }
                default -> { // uniq: by the item, or by its property
                    List<Object> out = new ArrayList<>();
                    Set<Object> seen = new HashSet<>();
                    for (Object item : items) {
                        Object key = property == null ? item : property(item, property);
                        if (seen.add(key instanceof Number n ? ShopifyFilters.decimal(n).stripTrailingZeros() : key)) {
                            out.add(item);
                        }
                    }
                    return out;
                }
            }
        }

        private Object property(Object item, Object property) {
            if (item instanceof Map<?, ?> m) {
                return property == null ? null : m.get(property instanceof Number ? property : property.toString());
            }
            if (item == null || item instanceof Boolean) {
                return null;
            }
            throw new IllegalArgumentException("Liquid error: " + name + ": cannot select the property '" + property + "'");
        }
    }

    /**
     * {@code sort} and {@code sort_natural} (case-insensitive), optionally by a property: nil
     * last, values of different kinds an error; a single value is a list of one.
     */
    static final class Sort extends Filter {
        Sort(String name) {
            super(name);
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            List<Object> items = new ArrayList<>(ShopifyFilters.items(value));
            Object property = params.length > 0 ? params[0] : null;
            if (property != null && !items.stream().allMatch(i -> i instanceof Map<?, ?>)) {
                return null;
            }
            boolean natural = "sort_natural".equals(name);
            Comparator<Object> order = (a, b) -> {
                Object x = property == null ? a : ((Map<?, ?>) a).get(property.toString());
                Object y = property == null ? b : ((Map<?, ?>) b).get(property.toString());
                if (x == null || y == null) {
                    return x == null && y == null ? 0 : x == null ? 1 : -1;
                }
                if (natural) {
                    return text(this, x, context).compareToIgnoreCase(text(this, y, context));
                }
                if (x instanceof Number p && y instanceof Number q) {
                    return ShopifyFilters.decimal(p).compareTo(ShopifyFilters.decimal(q));
                }
                if (x instanceof CharSequence p && y instanceof CharSequence q) {
                    return p.toString().compareTo(q.toString());
                }
                throw new IllegalArgumentException("Liquid error: " + name + ": cannot sort values of incompatible types");
            };
            items.sort(order);
            return items;
        }
    }

    /** Ruby's {@code String#split}: a single space splits on runs of white space; trailing empty parts dropped. */
    static final class Split extends Filter {
        Split() {
            super("split");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            String input = text(this, value, context);
            String pattern = text(this, params[0], context);
            List<Object> parts = new ArrayList<>();
            if (pattern.equals(" ")) {
                for (String p : input.strip().split("\\s+")) {
                    if (!p.isEmpty()) {
                        parts.add(p);
                    }
                }
                return parts;
            }
            if (pattern.isEmpty()) {
                input.codePoints().forEach(c -> parts.add(new String(Character.toChars(c))));
                return parts;
            }
            int from = 0;
            for (int at = input.indexOf(pattern); at >= 0; at = input.indexOf(pattern, from)) {
                parts.add(input.substring(from, at));
                from = at + pattern.length();
            }
            parts.add(input.substring(from));
            while (!parts.isEmpty() && "".equals(parts.get(parts.size() - 1))) {
                parts.remove(parts.size() - 1);
            }
            return parts;
        }
    }

    /** Text filters with Ruby's reading of nil (empty text) and Shopify's patterns. */
    static final class TextFilter extends Filter {
        private static final Pattern HTML_BLOCKS = Pattern.compile("(?s)<script.*?</script>|<!--.*?-->|<style.*?</style>");
        private static final Pattern HTML_TAGS = Pattern.compile("(?s)<.*?>");
        private static final Pattern NEWLINE = Pattern.compile("\\r?\\n");

        TextFilter(String name) {
            super(name);
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            String input = text(this, value, context);
            String what = params.length > 0 ? text(this, params[0], context) : "";
            String with = params.length > 1 ? text(this, params[1], context) : "";
            String out = switch (name) {
                case "strip_html" -> HTML_TAGS.matcher(HTML_BLOCKS.matcher(input).replaceAll("")).replaceAll("");
                case "newline_to_br" -> NEWLINE.matcher(input).replaceAll("<br />\n");
                case "replace" -> input.replace(what, with);
                case "remove" -> input.replace(what, "");
                case "replace_first", "remove_first" -> {
                    int at = input.indexOf(what);
                    yield at < 0 ? input : input.substring(0, at) + ("remove_first".equals(name) ? "" : with) + input.substring(at + what.length());
                }
                default -> throw new IllegalStateException(name);
            };
            LiquidFilters.Bounded.checkMade(name, out.length());
            return out;
        }
    }

    /** {@code slice: offset, length}: Ruby's slice of a list or a text; a length of nil is 1, a negative one gives nothing. */
    static final class Slice extends Filter {
        Slice() {
            super("slice");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            long offset = integer(name, params[0]);
            long length = params.length > 1 && params[1] != null ? integer(name, params[1]) : 1;
            boolean list = value instanceof Collection<?> || value instanceof Object[];
            List<Object> items = list ? ShopifyFilters.items(value) : null;
            String input = list ? null : text(this, value, context);
            int size = list ? items.size() : input.length();
            long from = offset < 0 ? size + offset : offset;
            if (from < 0 || from > size || length < 0) {
                return list ? List.of() : "";
            }
            int to = (int) Math.min(size, from + length);
            return list ? new ArrayList<>(items.subList((int) from, to)) : input.substring((int) from, to);
        }
    }

    /** {@code truncate: length, end} and {@code truncatewords: words, end} as Shopify's; a nil count is an error. */
    static final class Truncate extends Filter {
        private static final Pattern WORD = Pattern.compile("\\S+");

        Truncate(String name) {
            super(name);
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            if (value == null) {
                return null;
            }
            String input = text(this, value, context);
            String end = params.length > 1 ? text(this, params[1], context) : "...";
            if ("truncate".equals(name)) {
                long length = params.length > 0 ? integer(name, params[0]) : 50;
                if (input.length() <= length) {
                    return input;
                }
                long keep = Math.max(0, length - end.length());
                return input.substring(0, (int) Math.min(keep, input.length())) + end;
            }
            long words = Math.max(1, params.length > 0 ? integer(name, params[0]) : 15);
            List<String> list = new ArrayList<>();
            Matcher m = WORD.matcher(input);
            while (m.find() && list.size() <= words) {
                list.add(m.group());
            }
            if (list.size() <= words) {
                return input;
            }
            return String.join(" ", list.subList(0, (int) words)) + end;
        }
    }
}
