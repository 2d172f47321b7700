package org.orbita.ui;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.orbita.common.Json;
import org.orbita.profiles.Profile;

/** How profile values read on screen. */
public final class ProfileText {

    private ProfileText() {}

    public static String value(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof List<?> list && list.stream().allMatch(x -> x instanceof String)) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        return Json.write(v);
    }

    public static String instant(Instant t, Locale locale) {
        return t == null ? "" : DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(locale)
                .withZone(ZoneId.systemDefault()).format(t);
    }

    /** How a client is named on screen: first and last name, else the email, else the id. */
    public static String displayName(Profile profile) {
        String name = (value(profile.field("first_name")) + " " + value(profile.field("last_name"))).strip();
        if (!name.isEmpty()) {
            return name;
        }
        Object email = profile.field("email");
        return email != null ? email.toString() : profile.id();
    }
}
