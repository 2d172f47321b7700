package org.orbita.ui;

import java.util.LinkedHashMap;
import java.util.Map;
import org.orbita.common.InvalidInputException;

/** "name = value" lines, as the forms that take a small map in a text area read them. */
public final class Pairs {

    private Pairs() {}

    /**
     * The lines as a map in their order; blank lines skipped.
     *
     * @param field what the refusal names; {@code value}: what the right side is called in it (value, path)
     */
    public static Map<String, String> read(String field, String text, String value) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException(field, line, "line " + (i + 1) + ": name = " + value);
            }
            out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return out;
    }
}
