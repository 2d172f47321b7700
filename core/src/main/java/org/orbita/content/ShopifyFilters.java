package org.orbita.content;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import liqp.TemplateContext;
import liqp.filters.Filter;

/**
 * Shopify's standard filters Liqp does not have, as the Ruby gem (5.x) defines them: {@code has},
 * {@code find}, {@code find_index}, {@code reject} and {@code where} over a list (a hash or a text
 * counting as a list of one, nested lists flattened), {@code sum}, {@code replace_last},
 * {@code remove_last} and the four base64 filters. Each takes exactly the arguments Shopify's
 * does: a missing or extra one is an error, as in Shopify's strict mode.
 */
final class ShopifyFilters {

    private ShopifyFilters() {}

    static List<Filter> all() {
        return List.of(new Select("has"), new Select("find"), new Select("find_index"), new Select("reject"), new Select("where"),
                new Sum(), new ReplaceLast("replace_last", 2), new ReplaceLast("remove_last", 1),
                new Base64Filter("base64_encode"), new Base64Filter("base64_decode"),
                new Base64Filter("base64_url_safe_encode"), new Base64Filter("base64_url_safe_decode"), new Range());
    }

    static void arity(String name, Object[] params, int min, int max) {
        if (params.length < min || params.length > max) {
            String wanted = min == max ? Integer.toString(min) : min + " to " + max;
            throw new IllegalArgumentException("Liquid error: wrong number of arguments to " + name + " (given " + params.length
                    + ", expected " + wanted + ")");
        }
    }

    /** Shopify's InputIterator: a list flattened, a hash as a list of one, nothing as none, anything else as a list of one. */
    static List<Object> items(Object input) {
        List<Object> out = new ArrayList<>();
        if (input == null) {
            return out;
        }
        if (input instanceof Collection<?> || input instanceof Object[]) {
            flatten(input, out);
        } else {
            out.add(input);
        }
        return out;
    }

    private static void flatten(Object value, List<Object> out) {
        if (value instanceof Collection<?> c) {
            c.forEach(v -> flatten(v, out));
        } else if (value instanceof Object[] a) {
            for (Object v : a) {
                flatten(v, out);
            }
        } else {
            out.add(value);
        }
    }

    /** Ruby's truth: only nil and false are false. */
    static boolean truthy(Object v) {
        return v != null && !Boolean.FALSE.equals(v);
    }

    /** Ruby's {@code ==} between JSON-like values: numbers by value, everything else by equality. */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return decimal(x).compareTo(decimal(y)) == 0;
        }
        return a == null ? b == null : a.equals(b);
    }

    static BigDecimal decimal(Number n) {
        return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
    }

    /** What {@code item[property]} gives in Ruby; {@link NoIndex} when the item has no {@code []}. */
    private static Object index(Object item, Object property, String filter) {
        if (item instanceof Map<?, ?> m) {
            return property == null ? null : m.get(property instanceof Number ? property : property.toString());
        }
        if (item instanceof CharSequence s) {
            if (property == null) {
                return NoIndex.INSTANCE;
            }
            if (property instanceof CharSequence p) {
                return s.toString().contains(p) ? p.toString() : null;
            }
            if (property instanceof Number n) {
                int i = n.intValue();
                int at = i < 0 ? s.length() + i : i;
                return at >= 0 && at < s.length() ? String.valueOf(s.charAt(at)) : null;
            }
            throw new IllegalArgumentException("Liquid error: " + filter + ": cannot select the property '" + property + "'");
        }
        if (item instanceof Number n && !(n instanceof Double || n instanceof Float || n instanceof BigDecimal)) {
            if (property instanceof Number bit) {
                return (n.longValue() >> Math.min(63, Math.max(0, bit.longValue()))) & 1L;
            }
            throw new IllegalArgumentException("Liquid error: " + filter + ": cannot select the property '" + property + "'");
        }
        return NoIndex.INSTANCE;
    }

    /** An item without {@code []} (nil, true, false, a decimal): Shopify's filter then answers nil. */
    private enum NoIndex { INSTANCE }

    /** {@code has}, {@code find}, {@code find_index}, {@code reject}, {@code where}: Shopify's filter_array. */
    static final class Select extends Filter {
        Select(String name) {
            super(name);
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            arity(name, params, 1, 2);
            Object property = params[0];
            boolean byValue = params.length == 2 && params[1] != null;
            Object target = byValue ? params[1] : null;
            List<Object> items = items(value);
            if (items.isEmpty()) {
                return switch (name) {
                    case "has" -> false;
                    case "find", "find_index" -> null;
                    default -> List.of();
                };
            }
            List<Object> kept = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Object item = items.get(i);
                Object got = index(item, property, name);
                if (got == NoIndex.INSTANCE) {
                    return null;
                }
                boolean match = byValue ? same(got, target) : truthy(got);
                switch (name) {
                    case "has" -> {
                        if (match) {
                            return true;
                        }
                    }
                    case "find" -> {
                        if (match) {
                            return item;
                        }
                    }
                    case "find_index" -> {
                        if (match) {
                            return (long) i;
                        }
                    }
                    case "reject" -> {
                        if (!match) {
                            kept.add(item);
                        }
                    }
                    default -> {
                        if (match) {
                            kept.add(item);
                        }
                    }
                }
            }
            return switch (name) {
                case "has" -> false;
                case "find", "find_index" -> null;
                default -> kept;
            };
        }
    }

    /** {@code sum}, optionally of a property: numbers and numeric texts added exactly, anything else counted as 0. */
    static final class Sum extends Filter {
        private static final Pattern INTEGER = Pattern.compile("\\A-?\\d+");
        private static final Pattern DECIMAL = Pattern.compile("\\A-?\\d+\\.\\d+\\z");

        Sum() {
            super("sum");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            arity(name, params, 0, 1);
            Object property = params.length == 1 ? params[0] : null;
            BigDecimal total = BigDecimal.ZERO;
            boolean decimals = false;
            for (Object item : items(value)) {
                Object v = item;
                if (property != null) {
                    Object got = index(item, property, name);
                    v = got == NoIndex.INSTANCE ? 0L : got;
                }
                for (Object part : items(v)) {
                    if (part instanceof Number n) {
                        decimals |= part instanceof Double || part instanceof Float || part instanceof BigDecimal && n.toString().contains(".");
                        total = total.add(decimal(n));
                    } else if (part instanceof CharSequence s) {
                        String text = s.toString().strip();
                        if (DECIMAL.matcher(text).matches()) {
                            decimals = true;
                            total = total.add(new BigDecimal(text));
                        } else {
                            var m = INTEGER.matcher(text);
                            total = total.add(m.find() ? new BigDecimal(m.group()) : BigDecimal.ZERO);
                        }
                    }
                }
            }
            if (!decimals) {
                return total.longValueExact();
            }
            return total.stripTrailingZeros().scale() <= 0 ? total.setScale(1) : total.stripTrailingZeros();
        }
    }

    /**
     * {@code a | orbita_range: b}: the range {@code (a..b)} as a value (what a render argument
     * or an assigned range is rewritten to), its ends read as Shopify reads them, bounded.
     */
    static final class Range extends Filter {
        Range() {
            super("orbita_range");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            arity(name, params, 1, 1);
            long from = LiquidVisitor.whole(value);
            long to = LiquidVisitor.whole(params[0]);
            if (to - from >= Templates.MAX_ITERATIONS) {
                throw new IllegalArgumentException("Liquid error: a range of more than " + Templates.MAX_ITERATIONS + " numbers");
            }
            List<Object> out = new ArrayList<>();
            for (long i = from; i <= to; i++) {
                out.add(i);
            }
            return out;
        }
    }

    /** {@code replace_last: old, new} and {@code remove_last: old}: the last occurrence only. */
    static final class ReplaceLast extends Filter {
        private final int arguments;

        ReplaceLast(String name, int arguments) {
            super(name);
            this.arguments = arguments;
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            arity(name, params, arguments, arguments);
            String text = value == null ? "" : asString(value, context);
            String old = params[0] == null ? "" : asString(params[0], context);
            String replacement = arguments == 2 && params[1] != null ? asString(params[1], context) : "";
            int at = text.lastIndexOf(old);
            if (at < 0) {
                return text;
            }
            return text.substring(0, at) + replacement + text.substring(at + old.length());
        }
    }

    /** The base64 filters, standard or URL-safe alphabet, always padded as Ruby's are. */
    static final class Base64Filter extends Filter {
        Base64Filter(String name) {
            super(name);
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            arity(name, params, 0, 0);
            if (value == null) {
                return "";
            }
            boolean urlSafe = name.contains("url_safe");
            if (name.endsWith("encode")) {
                byte[] bytes = asString(value, context).getBytes(StandardCharsets.UTF_8);
                return (urlSafe ? Base64.getUrlEncoder() : Base64.getEncoder()).encodeToString(bytes);
            }
            String text = asString(value, context);
            try {
                byte[] bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
                return new String(bytes, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Liquid error: invalid base64 provided to " + name);
            }
        }
    }
}
