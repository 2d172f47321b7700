package org.orbita.profiles;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A profile's time zone, read one way everywhere local time matters (quiet hours, sends at
 * local time, a journey's best time): the field a setting names, else the profile's
 * {@value #FIELD} field, else the setting's fallback zone, else UTC. A value that is not a zone
 * (a typo, an offset written as text) passes to the next.
 */
public final class ProfileZone {

    /** The field a profile's time zone is read from when nothing names another. */
    public static final String FIELD = "timezone";

    private ProfileZone() {}

    public static ZoneId of(Profile p) {
        return of(p, null, null);
    }

    /**
     * @param field the field a campaign or node names (null: {@value #FIELD} only)
     * @param fallback the zone to use when the profile has none (null: UTC)
     */
    public static ZoneId of(Profile p, String field, String fallback) {
        Object[] candidates = {field == null || field.isBlank() ? null : p.field(field.strip()), p.field(FIELD), fallback};
        for (Object z : candidates) {
            if (z != null && !String.valueOf(z).isBlank()) {
                try {
                    return ZoneId.of(String.valueOf(z).strip());
                } catch (DateTimeException e) {
                    // not a zone: the next candidate decides
                }
            }
        }
        return ZoneOffset.UTC;
    }
}
