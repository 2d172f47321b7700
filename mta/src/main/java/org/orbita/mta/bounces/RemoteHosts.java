package org.orbita.mta.bounces;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reasons some receiving sites state in their own words and codes, read as Sisimai's per-site
 * readers read them (Sisimai::Rhost 4.25.15, BSD 2-Clause — see SISIMAI-LICENSE), chosen by the
 * receiving host, then by the recipient's domain: Cox, Exchange Online, La Poste and Orange,
 * GoDaddy, Google, i.ua, au (KDDI), Mimecast, NTT docomo, Spectrum and Tencent QQ. The large
 * tables are in {@code sisimai-rhosts.txt}.
 */
final class RemoteHosts {

    /** What a site's reader looks at: the failure as Sisimai's Data object holds it when the site is asked. */
    record Failure(String status, String replyCode, String diagnostic, String command, String reason) {}

    private enum Site {
        COX("cox\\.net"), EXCHANGE_ONLINE("\\.(?:prod|protection)\\.outlook\\.com\\z"), FRANCE_PTT("\\b(?:laposte\\.net|(?:orange|wanadoo)\\.fr)\\z"),
        GODADDY("\\A(?:smtp|mailstore1)\\.secureserver\\.net\\z"), GOOGLE("(?:aspmx|gmail-smtp-in)\\.l\\.google\\.com\\z"),
        IUA("\\.email\\.ua\\z"), KDDI("\\.(?:ezweb\\.ne\\.jp|au\\.com)\\z"), MIMECAST("\\.mimecast\\.com\\z"),
        NTTDOCOMO("mfsmax\\.docomo\\.ne\\.jp\\z"), SPECTRUM("charter\\.net"), TENCENT("mx[0-9]+\\.qq\\.com\\z");

        final Pattern host;

        Site(String host) {
            this.host = Pattern.compile(host);
        }

        static Site of(String host) {
            if (host == null || host.isEmpty()) {
                return null;
            }
            String h = host.toLowerCase(Locale.ROOT);
            for (Site s : values()) {
                if (s.host.matcher(h).find()) {
                    return s;
                }
            }
            return null;
        }
    }

    private static final Pattern FRANCE_PTT_CODE = Pattern.compile("(?i)\\b(LPN|LPNAAA|OFR|OUK)(_[0-9]{3}|[0-9]{3}[-_][0-9]{3})\\b");
    private static final Map<String, String> FRANCE_PTT = Map.ofEntries(
            Map.entry("101", "blocked"), Map.entry("102", "blocked"), Map.entry("103", "blocked"), Map.entry("104", "toomanyconn"),
            Map.entry("305", "securityerror"), Map.entry("401", "blocked"), Map.entry("402", "securityerror"),
            Map.entry("403", "rejected"), Map.entry("405", "rejected"), Map.entry("415", "rejected"), Map.entry("416", "userunknown"),
            Map.entry("417", "mailboxfull"), Map.entry("418", "userunknown"), Map.entry("420", "suspend"), Map.entry("421", "rejected"),
            Map.entry("426", "suspend"), Map.entry("505", "systemerror"), Map.entry("506", "spamdetected"), Map.entry("510", "blocked"),
            Map.entry("514", "mesgtoobig"), Map.entry("517", "policyviolation"), Map.entry("630", "policyviolation"),
            Map.entry("999", "blocked"));
    private static final Pattern COX_CODE = Pattern.compile("AUP#([0-9A-Z]+)");
    private static final Map<String, String> COX_CODES = codes("CXBL blocked CXTHRT securityerror CXMJ securityerror CXDNS blocked"
            + " CXSNDR rejected CXSMTP rejected CXCNCT toomanyconn CXMXRT toomanyconn CDRBL blocked IPBL0001 blocked IPBL0010 blocked"
            + " IPBL0100 blocked IPBL0011 blocked IPBL0101 blocked IPBL0110 blocked IPBL0111 blocked IPBL1000 blocked IPBL1001 blocked"
            + " IPBL1010 blocked IPBL1011 blocked IPBL1100 blocked IPBL1101 blocked IPBL1110 blocked IPBL1111 blocked IPBL00001 blocked"
            + " URLBL011 spamdetected URLBL101 spamdetected URLBL110 spamdetected URLBL1001 spamdetected");
    private static final Map<String, List<String>> COX_PHRASES = phrases(
            "blocked", List.of("rejected - no rDNS", "cox too many bad commands from", "DNS check failure - try again later",
                    "Too many invalid recipients"),
            "notaccept", List.of("ESMTP server temporarily not available"),
            "policyviolation", List.of("ESMTP no data before greeting", "attachment extension is forbidden"),
            "rejected", List.of("sender rejected"),
            "toomanyconn", List.of("too many sessions from", "requested action aborted: try again later", "Message threshold exceeded"),
            "userunknown", List.of("recipient rejected"));
    private static final Pattern GODADDY_CODE = Pattern.compile("\\s(IB\\d{3})\\b");
    private static final Map<String, String> GODADDY_CODES = codes("IB103 blocked IB104 blocked IB105 blocked IB106 blocked"
            + " IB007 toomanyconn IB101 expired IB108 blocked IB110 blocked IB111 blocked IB112 blocked IB113 blocked IB212 spamdetected"
            + " IB401 securityerror IB501 rejected IB502 rejected IB504 toomanyconn IB506 rejected IB508 rejected IB510 toomanyconn"
            + " IB607 toomanyconn IB705 virusdetected");
    private static final Map<String, List<String>> GODADDY_PHRASES = phrases(
            "blocked", List.of("www.spamhaus.org/query/bl?ip=", "554 RBL Reject."),
            "expired", List.of("Delivery timeout", "451 Sorry, I wasn't able to establish an SMTP connection."),
            "suspend", List.of("Account disabled"),
            "mailboxfull", List.of("Account storage limit"),
            "userunknown", List.of("Account does not exist", "550 Recipient not found."));
    private static final Pattern IUA_CODE = Pattern.compile("\\.i\\.ua/err/(\\d+)");
    private static final Map<String, String> IUA_CODES = codes("1 norelaying 2 userunknown 3 suspend 4 mailboxfull 5 toomanyconn"
            + " 6 norelaying 7 blocked 8 rejected 9 blocked 10 filtered");
    private static final Map<String, List<String>> KDDI_PHRASES = phrases(
            "filtered", List.of("550 : User unknown"), "userunknown", List.of(">: User unknown"));
    private static final Pattern SPECTRUM_CODE = Pattern.compile("AUP#[-A-Za-z]*(\\d{4})");
    private static final Map<String, String> SPECTRUM_CODES = codes("1000 blocked 1010 rejected 1090 systemerror 1260 networkerror"
            + " 1500 rejected 1520 rejected 1530 mesgtoobig 1540 toomanyconn 1550 toomanyconn 1560 policyviolation");
    /** Spectrum's ranges of codes: lowest, highest, reason (Sisimai spells one "blokced"; kept, as its answers have it). */
    private static final String[][] SPECTRUM_RANGES = {{"1020", "1080", "rejected"}, {"1100", "1150", "blocked"},
        {"1160", "1190", "policyviolation"}, {"1200", "1210", "blocked"}, {"1220", "1250", "blokced"}, {"1300", "1340", "toomanyconn"},
        {"1350", "1490", "toomanyconn"}};
    private static final Map<String, List<String>> TENCENT_PHRASES = phrases(
            "blocked", List.of("dmarc check failed", "spf check failed", "suspected spam ip"),
            "filtered", List.of("mail is rejected by recipients"),
            "mesgtoobig", List.of("message too large"),
            "spamdetected", List.of("mail content denied", "spam is embedded in the email", "suspected spam"),
            "syntaxerror", List.of("bad address syntax"),
            "toomanyconn", List.of("connection denied", "connection frequency limited", "domain frequency limited", "ip frequency limited",
                    "sender frequency limited", "mailbox unavailable or access denied"),
            "userunknown", List.of("mailbox not found"));
    private static final Map<String, Pattern> NTTDOCOMO_PATTERNS = Map.of("mailboxfull", Pattern.compile("552 too much mail data"),
            "toomanyconn", Pattern.compile("552 too many recipients"),
            "syntaxerror", Pattern.compile("(?:503 bad sequence of commands|504 command parameter not implemented)"));
    private static final Map<String, List<String[]>> TABLES = load();

    private RemoteHosts() {}

    /**
     * The reason a receiving site's reader gives ("" when the site is none of these, or its reader
     * finds none), as Sisimai asks it: for the receiving host first, then the recipient's domain;
     * only when the sender's reader found no reason or one the rules look at again.
     */
    static String reason(String remoteHost, String destination, Failure f) {
        Site site = Site.of(remoteHost);
        String r = site == null ? "" : reason(site, f);
        if (r.isEmpty()) {
            Site other = Site.of(destination);
            r = other == null ? "" : reason(other, f);
        }
        return r;
    }

    private static String reason(Site site, Failure f) {
        String d = f.diagnostic() == null ? "" : f.diagnostic();
        String lower = d.toLowerCase(Locale.ROOT);
        String status = f.status() == null ? "" : f.status();
        String reply = f.replyCode() == null ? "" : f.replyCode();
        String known = f.reason() == null ? "" : f.reason();
        return switch (site) {
            case COX -> {
                Matcher m = COX_CODE.matcher(d);
                String r = m.find() ? COX_CODES.getOrDefault(m.group(1), "") : "";
                yield r.isEmpty() ? phrase(COX_PHRASES, d) : r;
            }
            case EXCHANGE_ONLINE -> {
                if (!known.isEmpty()) {
                    yield known;
                }
                if (d.isEmpty() || !status.matches("[245]\\.\\d\\.\\d+")) {
                    yield "";
                }
                int third = Integer.parseInt(status.substring(status.lastIndexOf('.') + 1));
                for (String[] row : TABLES.get("ExchangeOnline")) {
                    int lo = Integer.parseInt(row[2]);
                    int hi = Integer.parseInt(row[3]);
                    boolean code = lo == hi ? status.equals(row[1]) : status.contains(row[1]) && third >= lo && third <= hi;
                    if (code && lower.contains(row[4])) {
                        yield row[0];
                    }
                }
                yield "";
            }
            case FRANCE_PTT -> {
                Matcher m = FRANCE_PTT_CODE.matcher(d);
                if (!m.find()) {
                    yield "";
                }
                String code = m.group(1) + m.group(2);
                yield FRANCE_PTT.getOrDefault(code.substring(code.length() - 3), "undefined");
            }
            case GODADDY -> {
                if (!known.isEmpty()) {
                    yield known;
                }
                Matcher m = GODADDY_CODE.matcher(d);
                yield m.find() ? GODADDY_CODES.getOrDefault(m.group(1), "") : phrase(GODADDY_PHRASES, d);
            }
            case GOOGLE -> {
                if (!known.isEmpty()) {
                    yield known;
                }
                if (reply.length() < 3 || d.isEmpty() || !status.matches("[245]\\.\\d\\.\\d+")) {
                    yield "";
                }
                // as Sisimai compares them: the reply's last two digits and the status without its class
                String replyPart = reply.substring(1, 3);
                String statusPart = status.substring(2);
                for (String[] row : TABLES.get("GoogleApps")) {
                    if (lower.contains(row[3]) && row[1].indexOf(replyPart) > 0 && row[2].indexOf(statusPart) > 1) {
                        yield row[0];
                    }
                }
                yield "";
            }
            case IUA -> {
                Matcher m = IUA_CODE.matcher(lower);
                yield m.find() ? IUA_CODES.getOrDefault(m.group(1), "") : "";
            }
            case KDDI -> phrase(KDDI_PHRASES, d);
            case MIMECAST -> {
                if (d.isEmpty() || !reply.matches("[245]\\d\\d")) {
                    yield "";
                }
                for (String[] row : TABLES.get("Mimecast")) {
                    if (reply.equals(row[1]) && lower.contains(row[2])) {
                        yield row[0];
                    }
                }
                yield "";
            }
            case NTTDOCOMO -> {
                if (status.equals("5.1.1") || status.equals("5.0.911")) {
                    yield "userunknown";
                }
                if (status.equals("5.2.0")) {
                    yield "filtered";
                }
                for (Map.Entry<String, Pattern> e : NTTDOCOMO_PATTERNS.entrySet()) {
                    if (e.getValue().matcher(lower).find()) {
                        yield e.getKey();
                    }
                }
                if (status.equals("5.0.0")) {
                    yield f.command().equals("RCPT") ? "userunknown" : f.command().equals("DATA") ? "rejected" : "";
                }
                yield "";
            }
            case SPECTRUM -> {
                Matcher m = SPECTRUM_CODE.matcher(d);
                int code = m.find() ? Integer.parseInt(m.group(1)) : 0;
                String r = SPECTRUM_CODES.getOrDefault(Integer.toString(code), "");
                for (String[] range : SPECTRUM_RANGES) {
                    if (r.isEmpty() && code >= Integer.parseInt(range[0]) && code <= Integer.parseInt(range[1])) {
                        r = range[2];
                    }
                }
                yield r;
            }
            case TENCENT -> phrase(TENCENT_PHRASES, lower);
        };
    }

    /** The first reason one of whose phrases the text contains, or "". */
    private static String phrase(Map<String, List<String>> table, String text) {
        for (Map.Entry<String, List<String>> e : table.entrySet()) {
            if (e.getValue().stream().anyMatch(text::contains)) {
                return e.getKey();
            }
        }
        return "";
    }

    private static Map<String, String> codes(String pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] w = pairs.split(" ");
        for (int i = 0; i < w.length; i += 2) {
            out.put(w[i], w[i + 1]);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> phrases(Object... reasonsAndPhrases) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < reasonsAndPhrases.length; i += 2) {
            out.put((String) reasonsAndPhrases[i], (List<String>) reasonsAndPhrases[i + 1]);
        }
        return out;
    }

    private static Map<String, List<String[]>> load() {
        Map<String, List<String[]>> tables = new LinkedHashMap<>();
        try (InputStream in = RemoteHosts.class.getResourceAsStream("sisimai-rhosts.txt")) {
            if (in == null) {
                throw new IOException("sisimai-rhosts.txt is missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String[]> current = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("[")) {
                    current = new ArrayList<>();
                    tables.put(line.substring(1, line.length() - 1), current);
                } else if (current != null) {
                    current.add(line.split("\t"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sites' reason tables", e);
        }
        return tables;
    }
}
