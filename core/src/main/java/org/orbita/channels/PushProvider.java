package org.orbita.channels;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Mobile push ({@code push}): one channel, the platform told by the subscription's address —
 * {@code fcm:<token>}, {@code apns:<token>}, {@code hms:<token>}, {@code rustore:<token>}, a bare
 * token being FCM's, or {@code sns:<platform endpoint ARN>} (Amazon SNS, {@link SnsPublish}). Each platform is a {@link Platform} speaking its service's API; one whose
 * credentials are not configured fails its messages with that reason.
 */
public final class PushProvider implements ChannelProvider {

    /** One push service. */
    public interface Platform {
        /** The prefix of addresses it takes ({@code fcm}, {@code apns}, {@code hms}, {@code rustore}). */
        String name();

        Result send(String key, String token, Map<String, Object> payload);
    }

    private final Map<String, Platform> platforms = new TreeMap<>();

    public PushProvider(Iterable<Platform> configured) {
        configured.forEach(p -> platforms.put(p.name(), p));
    }

    @Override
    public String channel() {
        return "push";
    }

    /** The platforms messages can go to. */
    public Set<String> platforms() {
        return platforms.keySet();
    }

    @Override
    public Result send(String key, String address, Map<String, Object> payload) {
        int colon = address == null ? -1 : address.indexOf(':');
        String name = colon > 0 ? address.substring(0, colon).toLowerCase(Locale.ROOT) : "fcm";
        String token = colon > 0 ? address.substring(colon + 1) : address;
        if (!Set.of("fcm", "apns", "hms", "rustore", "sns").contains(name)) {
            return new Result.Failed("'" + name + "' is not a push platform (fcm, apns, hms, rustore, sns)", true);
        }
        if (token == null || token.isBlank()) {
            return new Result.Failed("the push address has no token", true);
        }
        Platform p = platforms.get(name);
        if (p == null) {
            return new Result.Failed("no " + name + " credentials are configured (orbita.channels.push." + name + ".*)", false);
        }
        return p.send(key, token, payload);
    }

    /** {@code title}, {@code body} and (when there is one) {@code image}, as FCM, RuStore and Push Kit take a notification. */
    static Map<String, Object> notification(Map<String, Object> payload) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("title", text(payload, "title"));
        n.put("body", text(payload, "body"));
        if (text(payload, "image") != null) {
            n.put("image", text(payload, "image"));
        }
        return n;
    }

    /** A payload's string, or null when absent or blank. */
    static String text(Map<String, Object> payload, String key) {
        Object v = payload.get(key);
        return v == null || String.valueOf(v).isBlank() ? null : String.valueOf(v);
    }
}
