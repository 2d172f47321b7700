package org.orbita.audiences;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Typed reads of one profile's stored field values, as rule constraints use them
 * ({@code text("city") == "Moscow"}, {@code number("age") > 30.0}). Every accessor returns
 * null for an unset field (or one of another type), so a comparison with it is false.
 * Dates are days since the epoch and compared with {@link #getToday()} (UTC).
 */
public class FieldValues {

    private final Map<String, Object> fields;
    private final long today;
    /** Parsed dates by field: many segments test the same date of one profile. */
    private Map<String, Long> days;

    public FieldValues(Map<String, Object> fields, long today) {
        this.fields = fields == null ? Map.of() : fields;
        this.today = today;
    }

    public Map<String, Object> fields() {
        return fields;
    }

    /** Today, in days since the epoch (UTC), fixed for one evaluation. */
    public long getToday() {
        return today;
    }

    public Object value(String field) {
        return fields.get(field);
    }

    public boolean has(String field) {
        Object v = fields.get(field);
        if (v == null) {
            return false;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        return !(v instanceof Map<?, ?> m) || !m.isEmpty();
    }

    public String text(String field) {
        Object v = fields.get(field);
        return v instanceof String s ? s : null;
    }

    /** The text lower-cased (for contains / starts with, which ignore case). */
    public String lower(String field) {
        String s = text(field);
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    public Double number(String field) {
        return asDouble(fields.get(field));
    }

    public Boolean bool(String field) {
        return fields.get(field) instanceof Boolean b ? b : null;
    }

    /** A date or date-time field as days since the epoch (UTC). */
    public Long day(String field) {
        if (days == null) {
            days = new HashMap<>(4);
        }
        if (days.containsKey(field)) {
            return days.get(field);
        }
        Long d = toDay(fields.get(field));
        days.put(field, d);
        return d;
    }

    /** A date-time field as milliseconds since the epoch (a date: its midnight UTC). */
    public Long millis(String field) {
        Object v = fields.get(field);
        if (!(v instanceof String s)) {
            return null;
        }
        try {
            return s.length() == 10 ? LocalDate.parse(s).toEpochDay() * 86_400_000L : Instant.parse(s).toEpochMilli();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** ISO day of week of a date field, 1 (Monday) to 7 (Sunday). */
    public Integer weekday(String field) {
        Long d = day(field);
        return d == null ? null : LocalDate.ofEpochDay(d).getDayOfWeek().getValue();
    }

    /**
     * Days from today to the next anniversary of a date field (0 when it is today); 29 February
     * is kept on 28 February in other years.
     */
    public Long daysToAnniversary(String field) {
        Long d = day(field);
        if (d == null) {
            return null;
        }
        return anniversaryDistance(LocalDate.ofEpochDay(d), LocalDate.ofEpochDay(today));
    }

    static long anniversaryDistance(LocalDate date, LocalDate today) {
        MonthDay md = MonthDay.from(date);
        LocalDate next = md.atYear(today.getYear());
        if (next.isBefore(today)) {
            next = md.atYear(today.getYear() + 1);
        }
        return next.toEpochDay() - today.toEpochDay();
    }

    /** Whether a tags field holds {@code tag} (ignoring case). */
    public boolean hasTag(String field, String tag) {
        if (fields.get(field) instanceof Collection<?> c) {
            for (Object o : c) {
                if (o instanceof String s && s.equalsIgnoreCase(tag)) {
                    return true;
                }
            }
        }
        return false;
    }

    static Double asDouble(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof BigDecimal b) {
            return b.doubleValue();
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        return null;
    }

    static Long toDay(Object v) {
        if (!(v instanceof String s) || s.length() < 10) {
            return null;
        }
        try {
            return s.length() == 10 ? LocalDate.parse(s).toEpochDay()
                    : Instant.parse(s).atOffset(ZoneOffset.UTC).toLocalDate().toEpochDay();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
