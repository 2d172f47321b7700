package org.orbita.inbound;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The small path language an inbound source maps bodies with: names joined by dots, array
 * elements by {@code [n]}, an optional leading {@code $.} ({@code $.contact.email},
 * {@code items[0].sku}, {@code data.attributes.first-name}). Nothing is evaluated: a path only walks.
 */
public final class JsonPaths {

    static final Pattern PATH = Pattern.compile("(\\$\\.)?[A-Za-z0-9_@-]+(\\[[0-9]{1,4}])*(\\.[A-Za-z0-9_@-]+(\\[[0-9]{1,4}])*){0,15}");

    private JsonPaths() {}

    public static boolean valid(String path) {
        return path != null && path.length() <= 300 && PATH.matcher(path).matches();
    }

    /** The value at a path, or null when any step is missing (walked by hand: it runs for every mapped value of every call). */
    public static Object read(Object body, String path) {
        int from = path.startsWith("$.") ? 2 : 0;
        Object at = body;
        while (from <= path.length()) {
            int dot = path.indexOf('.', from);
            int end = dot < 0 ? path.length() : dot;
            int bracket = path.indexOf('[', from);
            int nameEnd = bracket >= 0 && bracket < end ? bracket : end;
            if (nameEnd == from || !(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = map.get(path.substring(from, nameEnd));
            int i = nameEnd;
            while (i < end) { // [n] steps
                int close = path.indexOf(']', i);
                if (path.charAt(i) != '[' || close < 0 || close > end || close == i + 1) {
                    return null;
                }
                int n;
                try {
                    n = Integer.parseInt(path, i + 1, close, 10);
                } catch (NumberFormatException e) {
                    return null;
                }
                if (!(at instanceof List<?> list) || n < 0 || n >= list.size()) {
                    return null;
                }
                at = list.get(n);
                i = close + 1;
            }
            from = end + 1;
        }
        return at;
    }
}
