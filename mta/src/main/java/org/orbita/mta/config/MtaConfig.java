package org.orbita.mta.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The node's settings: a properties file ({@code ORBITA_MTA_CONFIG} or the first argument)
 * with environment variables over it ({@code MTA_SMTP_PORT} for {@code mta.smtp.port},
 * {@code MTA_DELIVERY_MAX_CONNECTIONS} for {@code mta.delivery.max-connections}).
 * Every key, its default and meaning: the MTA section of the README.
 */
public final class MtaConfig {

    private final Properties values = new Properties();

    public MtaConfig(Path file, Map<String, String> env) throws IOException {
        if (file != null) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                values.load(r);
            }
        }
        env.forEach((k, v) -> {
            if (k.startsWith("MTA_")) {
                values.setProperty(k.toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
    }

    public String text(String key, String fallback) {
        String v = values.getProperty(key, values.getProperty(key.replace('-', '.')));
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    public int number(String key, int fallback) {
        String v = text(key, null);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
        }
    }

    /** Sizes like {@code 50MB}, {@code 512KB} or plain bytes. */
    public long bytes(String key, long fallback) {
        String v = text(key, null);
        if (v == null) {
            return fallback;
        }
        String u = v.toUpperCase(Locale.ROOT);
        long factor = u.endsWith("GB") ? 1L << 30 : u.endsWith("MB") ? 1L << 20 : u.endsWith("KB") ? 1L << 10 : 1;
        try {
            return Long.parseLong(factor == 1 ? u : u.substring(0, u.length() - 2).strip()) * factor;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a size such as 50MB, got '" + v + "'");
        }
    }

    /** Durations like {@code 90s}, {@code 5m}, {@code 1h}, {@code 3d} or ISO-8601 ({@code PT5M}). */
    public Duration duration(String key, Duration fallback) {
        String v = text(key, null);
        return v == null ? fallback : duration(v, key);
    }

    /**
     * Reads a duration written {@code 90s}, {@code 5m}, {@code 1h}, {@code 3d} or ISO-8601.
     *
     * @throws IllegalArgumentException naming {@code where} and the forms it takes
     */
    public static Duration duration(String value, String where) {
        String v = value.strip();
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v);
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": a duration such as \"90s\", \"10m\", \"1h\" or \"3d\", got \"" + value + "\"");
        }
    }

    /** A comma-separated list (empty when not set). */
    public List<String> list(String key) {
        String v = text(key, null);
        return v == null ? List.of()
                : Arrays.stream(v.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    /** Every key under a prefix, the prefix taken off. */
    public Map<String, String> prefixed(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : values.stringPropertyNames()) {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), values.getProperty(k).strip());
            }
        }
        return out;
    }

    /** {@code mta.route.example.com=host:port} entries: domain → relay ({@code *} for every other domain). */
    public Map<String, String> routes() {
        Map<String, String> out = new LinkedHashMap<>();
        prefixed("mta.route.").forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }
}
