package org.orbita.mta.bounces;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reasons some receiving sites state in their own codes, read as Sisimai's per-site readers
 * read them (Sisimai::Rhost, chosen by the receiving host or the recipient's domain). So far La
 * Poste and Orange (Sisimai::Rhost::FrancePTT, 4.25.15, BSD 2-Clause — see SISIMAI-LICENSE):
 * the last three digits of an {@code LPN…}/{@code OFR…}/{@code OUK…} code name the reason;
 * a code the table lists without one is {@code undefined}.
 */
final class RemoteHosts {

    private static final Pattern FRANCE_PTT_HOST = Pattern.compile("\\b(?:laposte\\.net|(?:orange|wanadoo)\\.fr)\\z");
    private static final Pattern FRANCE_PTT_CODE = Pattern.compile("(?i)\\b(LPN|LPNAAA|OFR|OUK)(_[0-9]{3}|[0-9]{3}[-_][0-9]{3})\\b");
    private static final Map<String, String> FRANCE_PTT = Map.ofEntries(
            Map.entry("101", "blocked"), Map.entry("102", "blocked"), Map.entry("103", "blocked"), Map.entry("104", "toomanyconn"),
            Map.entry("305", "securityerror"), Map.entry("401", "blocked"), Map.entry("402", "securityerror"),
            Map.entry("403", "rejected"), Map.entry("405", "rejected"), Map.entry("415", "rejected"), Map.entry("416", "userunknown"),
            Map.entry("417", "mailboxfull"), Map.entry("418", "userunknown"), Map.entry("420", "suspend"), Map.entry("421", "rejected"),
            Map.entry("426", "suspend"), Map.entry("505", "systemerror"), Map.entry("506", "spamdetected"), Map.entry("510", "blocked"),
            Map.entry("514", "mesgtoobig"), Map.entry("517", "policyviolation"), Map.entry("630", "policyviolation"),
            Map.entry("999", "blocked"));

    private RemoteHosts() {}

    /**
     * The reason the receiving site's code gives ("" when the site is not one of these, or its
     * text has no code), as Sisimai takes it: before its general rules, and final.
     *
     * @param host the receiving host or the recipient's domain
     */
    static String reason(String host, String diagnostic) {
        if (host == null || diagnostic == null || !FRANCE_PTT_HOST.matcher(host.toLowerCase(Locale.ROOT)).find()) {
            return "";
        }
        Matcher m = FRANCE_PTT_CODE.matcher(diagnostic);
        if (!m.find()) {
            return "";
        }
        String code = (m.group(1) + m.group(2));
        return FRANCE_PTT.getOrDefault(code.substring(code.length() - 3), "undefined");
    }
}
