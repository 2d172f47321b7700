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
    private static final Pattern STEP = Pattern.compile("([A-Za-z0-9_@-]+)((?:\\[[0-9]+])*)");

    private JsonPaths() {}

    public static boolean valid(String path) {
        return path != null && path.length() <= 300 && PATH.matcher(path).matches();
    }

    /** The value at a path, or null when any step is missing. */
    public static Object read(Object body, String path) {
        String p = path.startsWith("$.") ? path.substring(2) : path;
        Object at = body;
        for (String step : p.split("\\.")) {
            java.util.regex.Matcher m = STEP.matcher(step);
            if (!m.matches() || !(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = map.get(m.group(1));
            String indexes = m.group(2);
            int i = 0;
            while (i < indexes.length()) {
                int close = indexes.indexOf(']', i);
                int n = Integer.parseInt(indexes.substring(i + 1, close));
                if (!(at instanceof List<?> list) || n >= list.size()) {
                    return null;
                }
                at = list.get(n);
                i = close + 1;
            }
        }
        return at;
    }
}
