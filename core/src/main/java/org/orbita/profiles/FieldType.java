package org.orbita.profiles;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.orbita.common.Json;
import org.orbita.common.Storable;

/**
 * The types a client database field can have. Each converts a raw value — a string
 * from a file cell or a JSON value from the API — into the one stored form, or says
 * which rule it broke.
 */
public enum FieldType {
    STRING, INTEGER, DECIMAL, BOOLEAN, DATE, DATETIME, ENUM, EMAIL, PHONE, TAGS, OBJECTS, JSON;

    public static final int MAX_STRING = 65_535;
    /** The most significant digits a decimal keeps (IEEE 754 decimal128, as MongoDB stores it). */
    public static final int MAX_DECIMAL_DIGITS = 34;
    private static final BigDecimal MAX_DECIMAL = new BigDecimal("1e30");
    private static final Pattern PHONE_NOISE = Pattern.compile("[\\s()\\-.]");
    private static final Pattern DIGITS = Pattern.compile("\\d{8,15}");
    private static final DateTimeFormatter DOTTED_DATE = DateTimeFormatter.ofPattern("dd.MM.uuuu");
    private static final DateTimeFormatter SPACED_DATETIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm[:ss]");

    /** Whether a value of this type can identify a profile (be a unique or matching field). */
    public boolean canBeUnique() {
        return this == STRING || this == INTEGER || this == EMAIL || this == PHONE;
    }

    /**
     * Converts a raw value to its stored form.
     *
     * @return the stored value, or null when the raw value is empty
     * @throws IllegalArgumentException with the rule broken, in words a user understands
     */
    public Object convert(Object raw, List<String> enumValues) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof String s && s.isBlank() && this != STRING) {
            return null;
        }
        checkText(raw, 0);
        return switch (this) {
            case STRING -> toStringValue(raw);
            case INTEGER -> toInteger(raw);
            case DECIMAL -> toDecimal(raw);
            case BOOLEAN -> toBoolean(raw);
            case DATE -> toDate(raw);
            case DATETIME -> toDateTime(raw);
            case ENUM -> toEnum(raw, enumValues);
            case EMAIL -> toEmail(raw);
            case PHONE -> toPhone(raw);
            case TAGS -> toTags(raw);
            case OBJECTS -> toObjects(raw);
            case JSON -> raw instanceof String s ? parseJson(s) : raw;
        };
    }

    /** Text anywhere in the value (keys, items) must be storable: no NUL, no half surrogate pair. */
    private static void checkText(Object raw, int depth) {
        if (raw instanceof String s) {
            String problem = Storable.textProblem(s);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        } else if (raw instanceof Map<?, ?> map && depth < 32) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                checkText(String.valueOf(e.getKey()), depth + 1);
                checkText(e.getValue(), depth + 1);
            }
        } else if (raw instanceof List<?> list && depth < 32) {
            for (Object item : list) {
                checkText(item, depth + 1);
            }
        }
    }

    private static String scalar(Object raw, String expected) {
        if (raw instanceof Map<?, ?> || raw instanceof List<?>) {
            throw new IllegalArgumentException("must be " + expected + ", not a JSON " + (raw instanceof Map ? "object" : "array"));
        }
        return String.valueOf(raw).trim();
    }

    private static String toStringValue(Object raw) {
        String s = raw instanceof String str ? str : scalar(raw, "a string");
        if (s.isEmpty()) {
            return null;
        }
        if (s.length() > MAX_STRING) {
            throw new IllegalArgumentException("must be at most " + MAX_STRING + " characters");
        }
        return s;
    }

    private static Long toInteger(Object raw) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
            return ((Number) raw).longValue();
        }
        String s = scalar(raw, "an integer");
        BigDecimal d;
        try {
            d = new BigDecimal(s.replace(" ", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number, such as 42");
        }
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(d.stripTrailingZeros().scale() > 0 ? "must be a whole number, without a fraction"
                    : "is too large: a whole number here is at most about nine quintillion (9.2 × 10¹⁸) either way");
        }
    }

    private static BigDecimal toDecimal(Object raw) {
        BigDecimal d;
        if (raw instanceof BigDecimal given) {
            d = given;
        } else {
            String s = scalar(raw, "a decimal number").replace(" ", "");
            if (s.indexOf(',') >= 0 && s.indexOf('.') < 0) {
                s = s.replace(',', '.');
            }
            try {
                d = new BigDecimal(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a decimal number such as 1234.56");
            }
        }
        if (d.abs().compareTo(MAX_DECIMAL) >= 0) {
            throw new IllegalArgumentException("must be a decimal number between -1e30 and 1e30");
        }
        if (d.stripTrailingZeros().precision() > MAX_DECIMAL_DIGITS) {
            throw new IllegalArgumentException("must have at most " + MAX_DECIMAL_DIGITS + " significant digits");
        }
        return d;
    }

    private static Boolean toBoolean(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        return switch (scalar(raw, "true or false").toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "y", "да", "t" -> true;
            case "false", "0", "no", "n", "нет", "f" -> false;
            default -> throw new IllegalArgumentException("must be true or false (also accepted: 1/0, yes/no)");
        };
    }

    private static String toDate(Object raw) {
        String s = scalar(raw, "a date");
        LocalDate d;
        try {
            d = LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            try {
                d = LocalDate.parse(s, DOTTED_DATE);
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("must be a date as YYYY-MM-DD or DD.MM.YYYY");
            }
        }
        if (!Storable.isStorable(d)) {
            throw new IllegalArgumentException(Storable.DATE_RULE);
        }
        return d.toString();
    }

    private static String toDateTime(Object raw) {
        Instant t = parseDateTime(scalar(raw, "a date and time"));
        if (!Storable.isStorable(t)) {
            throw new IllegalArgumentException(Storable.TIME_RULE);
        }
        return t.toString();
    }

    private static Instant parseDateTime(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s, SPACED_DATETIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                try {
                    return Instant.parse(s);
                } catch (DateTimeParseException e3) {
                    throw new IllegalArgumentException(
                            "must be an ISO-8601 date-time such as 2026-01-31T10:15:00Z (or 'YYYY-MM-DD HH:MM:SS', taken as UTC)");
                }
            }
        }
    }

    private static String toEnum(Object raw, List<String> enumValues) {
        String s = scalar(raw, "one of the listed values");
        if (enumValues == null || !enumValues.contains(s)) {
            throw new IllegalArgumentException("must be one of " + enumValues);
        }
        return s;
    }

    private static String toEmail(Object raw) {
        String s = scalar(raw, "an email address").toLowerCase(Locale.ROOT);
        if (s.length() > 254 || !emailShape(s)) {
            throw new IllegalArgumentException("must be an email address such as name@example.com");
        }
        return s;
    }

    /**
     * An address's shape, walked by hand (it is checked for every email of every import and call):
     * 1 to 64 characters before the {@code @}, none of them a space or {@code @"<>(),;:}; after it,
     * two or more dot-separated labels of letters (any script), ASCII digits and {@code -}, a label
     * neither starting nor ending with {@code -}.
     */
    static boolean emailShape(String s) {
        int at = s.indexOf('@');
        if (at < 1 || s.codePointCount(0, at) > 64) {
            return false;
        }
        for (int i = 0; i < at; i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r' || "\"<>(),;:".indexOf(c) >= 0) {
                return false;
            }
        }
        int labels = 0;
        int i = at + 1;
        int n = s.length();
        while (true) {
            int start = i;
            int last = -1;
            while (i < n && s.charAt(i) != '.') {
                int cp = s.codePointAt(i);
                boolean letterOrDigit = (cp >= '0' && cp <= '9') || Character.isLetter(cp);
                if (!letterOrDigit && (cp != '-' || i == start)) {
                    return false;
                }
                last = cp;
                i += Character.charCount(cp);
            }
            if (i == start || last == '-') {
                return false;
            }
            labels++;
            if (i == n) {
                return labels >= 2;
            }
            i++; // the dot
        }
    }

    private static String toPhone(Object raw) {
        String s = PHONE_NOISE.matcher(scalar(raw, "a phone number")).replaceAll("");
        String digits = s.startsWith("+") ? s.substring(1) : s;
        if (!DIGITS.matcher(digits).matches() || digits.startsWith("0")) {
            throw new IllegalArgumentException("must be a phone number in international form (E.164), such as +79161234567");
        }
        return "+" + digits;
    }

    private static List<String> toTags(Object raw) {
        List<String> tags = new ArrayList<>();
        if (raw instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> || item instanceof List<?>) {
                    throw new IllegalArgumentException("must be a list of strings");
                }
                if (item != null && !String.valueOf(item).isBlank()) {
                    tags.add(String.valueOf(item).trim());
                }
            }
        } else {
            for (String part : scalar(raw, "a list of strings").split("[,;|]")) {
                if (!part.isBlank()) {
                    tags.add(part.trim());
                }
            }
        }
        return tags.stream().distinct().toList();
    }

    private static List<?> toObjects(Object raw) {
        Object value = raw instanceof String s ? parseJson(s) : raw;
        if (!(value instanceof List<?> list) || !list.stream().allMatch(item -> item instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("must be a JSON array of objects");
        }
        return list;
    }

    private static Object parseJson(String s) {
        try {
            return Json.MAPPER.readValue(s, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("must be valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /** The lower-case name used in JSON and files. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static FieldType fromId(String id) {
        try {
            return valueOf(id.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("type must be one of string, integer, decimal, boolean, date, datetime, "
                    + "enum, email, phone, tags, objects, json");
        }
    }
}
