package org.orbita.tracking;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether an open or click came from a machine rather than a person: Apple Mail Privacy
 * Protection fetches every image through Apple's proxies with a bare {@code Mozilla/5.0}; mail
 * security gateways and link scanners (Barracuda, Proofpoint, Mimecast, Microsoft's Safe Links
 * preview, generic HTTP libraries) follow links and images before anyone reads the message.
 * Gmail's image proxy ({@code GoogleImageProxy}) fetches when a person opens the message, so
 * it counts as a person. Machine opens are recorded with {@code machine: true} and reported
 * apart, as Braze and Customer.io do.
 */
public final class MachineOpens {

    private static final Pattern SCANNERS = Pattern.compile(
            "barracuda|proofpoint|mimecast|safelinks|bingpreview|symantec|trendmicro|fortiguard|sophos|messagelabs|ironport|"
                    + "bot\\b|crawler|spider|python|curl/|wget|java/|java-http-client|go-http-client|okhttp|apache-httpclient|headlesschrome|libwww");

    private MachineOpens() {}

    public static boolean isMachine(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return true;
        }
        String ua = userAgent.strip();
        if (ua.equals("Mozilla/5.0")) {
            return true; // Apple's privacy proxy
        }
        String lower = ua.toLowerCase(Locale.ROOT);
        return !lower.contains("googleimageproxy") && SCANNERS.matcher(lower).find();
    }
}
