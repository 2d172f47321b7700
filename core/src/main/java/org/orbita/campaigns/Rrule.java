package org.orbita.campaigns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The part of iCalendar's recurrence rules (RFC 5545 §3.3.10) a campaign schedule can be
 * written in, as the six-field cron it means: {@code FREQ=HOURLY|DAILY|WEEKLY|MONTHLY} with
 * {@code BYMINUTE}, {@code BYHOUR}, {@code BYDAY} (weekly) and {@code BYMONTHDAY} (monthly), in
 * UTC. What a cron cannot say ({@code INTERVAL} above 1, {@code COUNT}, {@code UNTIL}, numbered
 * weekdays such as {@code 1MO}) is refused with the part's name.
 */
public final class Rrule {

    private static final Map<String, String> DAYS = Map.of("MO", "MON", "TU", "TUE", "WE", "WED", "TH", "THU", "FR", "FRI", "SA", "SAT", "SU", "SUN");

    private Rrule() {}

    /** Whether a schedule is written as a recurrence rule rather than a cron. */
    public static boolean is(String schedule) {
        String s = schedule.strip().toUpperCase(Locale.ROOT);
        return s.startsWith("RRULE:") || s.startsWith("FREQ=");
    }

    /** A schedule as a cron: a cron as it is, a rule translated; IllegalArgumentException naming what cannot be. */
    public static String cronOf(String schedule) {
        if (schedule == null || !is(schedule)) {
            return schedule;
        }
        String body = schedule.strip().toUpperCase(Locale.ROOT);
        if (body.startsWith("RRULE:")) {
            body = body.substring(6);
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String kv : body.split(";")) {
            String[] p = kv.split("=", 2);
            if (p.length != 2 || p[1].isBlank()) {
                throw new IllegalArgumentException("'" + kv + "' is not NAME=VALUE");
            }
            parts.put(p[0].strip(), p[1].strip());
        }
        for (String unsupported : List.of("COUNT", "UNTIL", "BYSETPOS", "BYWEEKNO", "BYYEARDAY", "BYMONTH", "BYSECOND", "WKST")) {
            if (parts.containsKey(unsupported)) {
                throw new IllegalArgumentException(unsupported + " is not supported in a campaign schedule (cancel the campaign to end it)");
            }
        }
        if (parts.containsKey("INTERVAL") && !parts.get("INTERVAL").equals("1")) {
            throw new IllegalArgumentException("INTERVAL above 1 cannot be scheduled; give the days or hours instead");
        }
        String freq = parts.getOrDefault("FREQ", "");
        String minute = numbers(parts.getOrDefault("BYMINUTE", "0"), 0, 59, "BYMINUTE");
        String hour = numbers(parts.getOrDefault("BYHOUR", "0"), 0, 23, "BYHOUR");
        return switch (freq) {
            case "HOURLY" -> "0 " + minute + " * * * *";
            case "DAILY" -> "0 " + minute + " " + hour + " * * *";
            case "WEEKLY" -> {
                String byday = parts.get("BYDAY");
                if (byday == null) {
                    throw new IllegalArgumentException("a WEEKLY rule needs BYDAY (e.g. BYDAY=MO,TH)");
                }
                List<String> days = new ArrayList<>();
                for (String d : byday.split(",")) {
                    String day = DAYS.get(d.strip());
                    if (day == null) {
                        throw new IllegalArgumentException("BYDAY '" + d + "' is not one of MO TU WE TH FR SA SU");
                    }
                    days.add(day);
                }
                yield "0 " + minute + " " + hour + " * * " + String.join(",", days);
            }
            case "MONTHLY" -> "0 " + minute + " " + hour + " " + numbers(parts.getOrDefault("BYMONTHDAY", "1"), 1, 31, "BYMONTHDAY") + " * *";
            default -> throw new IllegalArgumentException("FREQ must be HOURLY, DAILY, WEEKLY or MONTHLY");
        };
    }

    private static String numbers(String list, int min, int max, String name) {
        for (String n : list.split(",")) {
            int v;
            try {
                v = Integer.parseInt(n.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " '" + n + "' is not a number");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " " + v + " is outside " + min + "–" + max);
            }
        }
        return list.replace(" ", "");
    }
}
