package org.orbita.common;

import java.time.Instant;
import java.time.LocalDate;

/**
 * What every store keeps alike: dates and times from year 1 to 9999 (UTC), and text that is
 * Unicode (no NUL, no half of a surrogate pair, which databases and JSON readers reject or
 * mangle). Inputs are checked against these rules where they come in.
 */
public final class Storable {

    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    public static final String DATE_RULE = "must be between 0001-01-01 and 9999-12-31";
    public static final String TIME_RULE = "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z";

    private Storable() {}

    public static boolean isStorable(Instant t) {
        return !t.isBefore(EARLIEST) && !t.isAfter(LATEST);
    }

    public static boolean isStorable(LocalDate d) {
        return d.getYear() >= 1 && d.getYear() <= 9999;
    }

    /** Why a text cannot be stored, or null when it can. */
    public static String textProblem(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return "must not contain a NUL character (at " + i + ")";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "must be valid Unicode: half a surrogate pair at " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return "must be valid Unicode: half a surrogate pair at " + i;
            }
        }
        return null;
    }
}
