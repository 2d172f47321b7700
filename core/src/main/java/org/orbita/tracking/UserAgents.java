package org.orbita.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import ua_parser.Parser;

/**
 * The device, operating system and browser (or mail client) behind an open, a click or a visit,
 * as the Traffic report and the click map group them. Names come from ua-parser's rules
 * (uap-core, Apache-2.0, vendored under {@code org/orbita/tracking/uap-core}; its test suite is
 * run against them); the device type is Orbita's: {@code machine} for what
 * {@link MachineOpens} flags and for crawlers, {@code tablet}, {@code mobile}, {@code desktop},
 * else {@code unknown} — Gmail's image proxy hides the reader's device, so its opens are
 * {@code unknown} on an {@code Other} system with the proxy as the browser.
 */
public final class UserAgents {

    /** What one user agent is, as recorded on events ({@code device}, {@code os}, {@code browser}). */
    public record Client(String device, String os, String browser) {
        public static final Client UNKNOWN = new Client("unknown", "Other", "Other");

        public Map<String, Object> properties() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("device", device);
            p.put("os", os);
            p.put("browser", browser);
            return p;
        }
    }

    /** The device types, in the order reports list them. */
    public static final java.util.List<String> DEVICES = java.util.List.of("desktop", "mobile", "tablet", "machine", "unknown");

    private static final int CACHE = 10_000;
    private static final Parser PARSER = load();
    private static final Map<String, Client> CACHED = new ConcurrentHashMap<>();

    private UserAgents() {}

    /** The parser on the vendored rules (the conformance test runs uap-core's suite on it). */
    static Parser parser() {
        return PARSER;
    }

    public static Client classify(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return new Client("machine", "Other", "Other");
        }
        String ua = userAgent.length() > 1_000 ? userAgent.substring(0, 1_000) : userAgent;
        Client known = CACHED.get(ua);
        if (known != null) {
            return known;
        }
        Client c = parse(ua);
        if (CACHED.size() >= CACHE) {
            CACHED.clear(); // bounded: a flood of distinct agents costs parsing, never memory
        }
        CACHED.put(ua, c);
        return c;
    }

    private static Client parse(String ua) {
        ua_parser.Client c = PARSER.parse(ua);
        String browser = c.userAgent.family;
        String os = c.os.family;
        String device = c.device.family;
        if ("GmailImageProxy".equals(browser)) {
            return new Client("unknown", "Other", browser);
        }
        return new Client(type(ua, os, device), os, browser);
    }

    private static String type(String ua, String os, String device) {
        if (MachineOpens.isMachine(ua) || "Spider".equals(device)) {
            return "machine";
        }
        String lower = ua.toLowerCase(Locale.ROOT);
        String d = device.toLowerCase(Locale.ROOT);
        if (d.contains("ipad") || d.contains("tablet") || d.contains("kindle") || lower.contains("tablet")
                || ("Android".equals(os) && !lower.contains("mobile"))) {
            return "tablet";
        }
        if (os.equals("iOS") || os.equals("Android") || os.startsWith("Windows Phone") || os.equals("KaiOS") || os.equals("BlackBerry OS")
                || os.equals("HarmonyOS") || lower.contains("mobile") || !"Other".equals(device) && !d.equals("mac")) {
            return "mobile";
        }
        if (os.startsWith("Windows") || os.equals("Mac OS X") || os.equals("Linux") || os.equals("Ubuntu") || os.equals("Chrome OS")
                || os.equals("Fedora") || os.equals("Debian") || os.endsWith("BSD")) {
            return "desktop";
        }
        return "unknown";
    }

    private static Parser load() {
        try (InputStream in = UserAgents.class.getResourceAsStream("uap-core/regexes.yaml")) {
            if (in == null) {
                throw new IllegalStateException("uap-core/regexes.yaml is missing from the classpath");
            }
            return new Parser(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
