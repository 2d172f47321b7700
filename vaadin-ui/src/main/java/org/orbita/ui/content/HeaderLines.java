package org.orbita.ui.content;

import java.util.LinkedHashMap;
import java.util.Map;

/** HTTP headers as a text area shows them: one {@code Name: value} per line. */
final class HeaderLines {

    private HeaderLines() {}

    static Map<String, String> parse(String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return headers;
    }

    static String format(Map<String, String> headers) {
        StringBuilder out = new StringBuilder();
        if (headers != null) {
            headers.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
        }
        return out.toString().strip();
    }
}
