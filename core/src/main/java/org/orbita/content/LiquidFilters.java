package org.orbita.content;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liqp.TemplateContext;
import liqp.filters.Filter;

/**
 * Orbita's Liquid filters besides Liqp's own: arithmetic that keeps decimals exact, Shopify's
 * {@code default}, digests, Russian plurals, dates and money in the recipient's language, and
 * Liqp's growing filters held to the output bound.
 */
final class LiquidFilters {

    private LiquidFilters() {}

    /**
     * Liquid's own filters that make strings or lists longer, refusing results past the
     * output bound: otherwise {@code assign s = s | append: s} in a loop reaches gigabytes in
     * 30 turns, long before any output or iteration bound notices.
     */
    static final class Bounded extends Filter {
        private final Filter original;

        Bounded(String name) {
            super(name);
            this.original = liqp.filters.Filters.DEFAULT_FILTERS.getMap().get(name);
            if (original == null) {
                throw new IllegalStateException("Liquid has no filter " + name);
            }
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            long size = length(value);
            for (Object p : params) {
                size += length(p);
            }
            if (size > Templates.MAX_OUTPUT_CHARS) {
                throw new IllegalArgumentException(name + " would make a value of more than " + Templates.MAX_OUTPUT_CHARS + " characters");
            }
            Object result = original.apply(value, context, params);
            checkMade(name, length(result));
            return result;
        }

        /** A filter's result past the output bound is refused. */
        static void checkMade(String filter, long length) {
            if (length > Templates.MAX_OUTPUT_CHARS) {
                throw new IllegalArgumentException(filter + " made a value of more than " + Templates.MAX_OUTPUT_CHARS + " characters");
            }
        }

        private static long length(Object v) {
            if (v instanceof CharSequence c) {
                return c.length();
            }
            if (v instanceof Object[] a) {
                long n = a.length;
                for (Object o : a) {
                    n += o instanceof CharSequence c ? c.length() : 0;
                }
                return n;
            }
            if (v instanceof Collection<?> c) {
                long n = c.size();
                for (Object o : c) {
                    n += o instanceof CharSequence cs ? cs.length() : 0;
                }
                return n;
            }
            return 0;
        }
    }

    /**
     * Liquid's arithmetic filters reading their operands as Shopify does: text that is not a
     * number counts as its leading integer or 0 ({@code 'abc' | plus: 1} is 1, not an error),
     * rounding a whole number leaves it whole, and dividing by zero is a clear error.
     */
    static final class Numeric extends Filter {
        private static final Pattern DECIMAL = Pattern.compile("\\s*-?\\d+(\\.\\d+)?\\s*");
        private static final Pattern LEADING = Pattern.compile("^\\s*(-?\\d+)");
        private final Filter original;

        Numeric(String name) {
            super(name);
            this.original = liqp.filters.Filters.DEFAULT_FILTERS.getMap().get(name);
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            Object v = number(value);
            Object[] p = new Object[params.length];
            for (int i = 0; i < params.length; i++) {
                p[i] = number(params[i]);
                if (("divided_by".equals(name) || "modulo".equals(name)) && p[i] instanceof Number n && n.doubleValue() == 0) {
                    throw new IllegalArgumentException("Liquid error: divided by 0");
                }
            }
            if ("round".equals(name) && p.length > 0 && p[0] instanceof Number digits && digits.longValue() < 0) {
                // Ruby's 5.666.round(-2): whole tens, hundreds… as a whole number
                return new BigDecimal(v.toString()).setScale((int) Math.max(-20, digits.longValue()), RoundingMode.HALF_UP)
                        .toBigInteger().longValue();
            }
            if ("round".equals(name) && (v instanceof Long || v instanceof Integer)) {
                return v;
            }
            Object result = original.apply(v, context, p);
            if (result instanceof BigDecimal d && d.scale() > 1) {
                // Ruby's floats: 5.0 * 2.1 is 10.5, not 10.50
                BigDecimal shorter = d.stripTrailingZeros();
                return shorter.scale() < 1 ? d.setScale(1, RoundingMode.UNNECESSARY) : shorter;
            }
            return result;
        }

        private static Object number(Object v) {
            if (v instanceof Map<?, ?> || v instanceof Collection<?> || v instanceof Boolean) {
                return 0L; // Shopify's Utils.to_number of what is not a number or text
            }
            if (!(v instanceof CharSequence c)) {
                return v == null ? 0L : v;
            }
            String s = c.toString();
            if (DECIMAL.matcher(s).matches()) {
                return s.contains(".") ? (Object) Double.parseDouble(s.strip()) : (Object) Long.parseLong(s.strip());
            }
            Matcher m = LEADING.matcher(s);
            return m.find() ? Long.parseLong(m.group(1)) : 0L;
        }
    }

    /** {@code default}: the fallback for nil, false, empty text and empty lists; {@code allow_false: true} keeps false. */
    static final class DefaultValue extends Filter {
        DefaultValue() {
            super("default");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            Object fallback = "";
            boolean allowFalse = false;
            for (Object p : params) {
                // the keyword argument allow_false: may come before or after the fallback
                if (p instanceof Map<?, ?> m && m.containsKey("allow_false")) {
                    allowFalse |= Boolean.TRUE.equals(m.get("allow_false"));
                } else {
                    fallback = p;
                }
            }
            if (Boolean.FALSE.equals(value)) {
                return allowFalse ? value : fallback;
            }
            return value == null || LiquidVisitor.isBlankOrEmpty(value) ? fallback : value;
        }
    }

    /** {@code md5} / {@code sha256}: hex digest of the text (for hashed emails in links and audiences). */
    static final class Digest extends Filter {
        private final String algorithm;

        Digest(String name, String algorithm) {
            super(name);
            this.algorithm = algorithm;
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            try {
                byte[] d = MessageDigest.getInstance(algorithm).digest(asString(value, context).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(d);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * {@code plural_ru: 'товар', 'товара', 'товаров'}: the Russian form for a count (1 товар,
     * 2 товара, 5 товаров, 21 товар, 11 товаров).
     */
    static final class PluralRu extends Filter {
        PluralRu() {
            super("plural_ru");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            if (params.length != 3) {
                throw new IllegalArgumentException("plural_ru takes three forms: 'one', 'few', 'many'");
            }
            long n = Math.abs(asNumber(value).longValue());
            long d10 = n % 10;
            long d100 = n % 100;
            int form = d10 == 1 && d100 != 11 ? 0 : d10 >= 2 && d10 <= 4 && (d100 < 12 || d100 > 14) ? 1 : 2;
            return String.valueOf(params[form]);
        }
    }

    /**
     * {@code date_locale: '%e %B %Y', 'ru'} → "22 ноября 2026": strftime-style codes
     * ({@code %d %e %m %B %b %Y %y %H %M %A %a}) with month and day names of the locale (ru, en);
     * the value is a date, a date-time (ISO), epoch milliseconds or "now"; times shown in UTC.
     */
    static final class LocaleDate extends Filter {
        LocaleDate() {
            super("date_locale");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            if (params.length < 1) {
                throw new IllegalArgumentException("date_locale takes a format, e.g. '%e %B %Y', and a locale, 'ru' or 'en'");
            }
            ZonedDateTime t = toTime(value);
            if (t == null) {
                return value;
            }
            Locale locale = params.length > 1 && "ru".equals(String.valueOf(params[1])) ? new Locale("ru") : Locale.ENGLISH;
            String format = String.valueOf(params[0]);
            boolean withDay = format.contains("%d") || format.contains("%e");
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < format.length(); i++) {
                char c = format.charAt(i);
                if (c != '%' || i + 1 >= format.length()) {
                    out.append(c);
                    continue;
                }
                char code = format.charAt(++i);
                out.append(switch (code) {
                    case 'd' -> String.format("%02d", t.getDayOfMonth());
                    case 'e' -> String.valueOf(t.getDayOfMonth());
                    case 'm' -> String.format("%02d", t.getMonthValue());
                    // Russian months take the genitive after a day number ("22 ноября"), the nominative alone ("ноябрь")
                    case 'B' -> t.format(DateTimeFormatter.ofPattern(withDay ? "MMMM" : "LLLL", locale));
                    case 'b' -> t.format(DateTimeFormatter.ofPattern(withDay ? "MMM" : "LLL", locale));
                    case 'Y' -> String.valueOf(t.getYear());
                    case 'y' -> String.format("%02d", t.getYear() % 100);
                    case 'H' -> String.format("%02d", t.getHour());
                    case 'M' -> String.format("%02d", t.getMinute());
                    case 'A' -> t.format(DateTimeFormatter.ofPattern("EEEE", locale));
                    case 'a' -> t.format(DateTimeFormatter.ofPattern("EEE", locale));
                    case '%' -> "%";
                    default -> "%" + code;
                });
            }
            return out.toString();
        }

        private static ZonedDateTime toTime(Object value) {
            ZoneId utc = ZoneOffset.UTC;
            if (value instanceof Number n) {
                return Instant.ofEpochMilli(n.longValue()).atZone(utc);
            }
            String s = String.valueOf(value).strip();
            try {
                if (s.equals("now") || s.equals("today")) {
                    return ZonedDateTime.now(utc);
                }
                if (s.length() == 10) {
                    return LocalDate.parse(s).atStartOfDay(utc);
                }
                return OffsetDateTime.parse(s).atZoneSameInstant(utc);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    /** {@code money: 'RUB'}: 1234.5 → "1 234,50 ₽" (ru) or "$1,234.50" (en), two decimals. */
    static final class Money extends Filter {
        Money() {
            super("money");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            BigDecimal amount = new BigDecimal(asNumber(value).toString()).setScale(2, RoundingMode.HALF_EVEN);
            String currency = params.length > 0 ? String.valueOf(params[0]).toUpperCase(Locale.ROOT) : "RUB";
            return switch (currency) {
                case "RUB" -> String.format(new Locale("ru", "RU"), "%,.2f ₽", amount).replace('\u00a0', ' ').replace('\u202f', ' ');
                case "USD" -> String.format(Locale.US, "$%,.2f", amount);
                case "EUR" -> String.format(Locale.GERMANY, "%,.2f €", amount);
                default -> String.format(Locale.US, "%,.2f %s", amount, currency);
            };
        }
    }
}
