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
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What some senders of bounces mean by their words, as Sisimai's per-sender readers know it:
 * how to recognise the sender from the headers, and its table of phrases that name a reason
 * ({@code sisimai-senders.txt}, extracted from Sisimai, BSD 2-Clause). Exim and qmail also say
 * what their wording of the SMTP command implies (a refused HELO is "blocked", a refused
 * sender "onhold" or "rejected"), and when they gave up on time.
 */
enum Senders {
    GSUITE(m -> m.header("from").contains("<mailer-daemon@googlemail.com>") && m.header("subject").contains("Delivery Status Notification")
            && !m.header("x-gm-message-state").isEmpty()),
    GMAIL(m -> m.header("from").contains("<mailer-daemon@googlemail.com>") && m.header("subject").contains("Delivery Status Notification")),
    MCAFEE(m -> m.header("x-nai-header").contains("Modified by McAfee") && m.header("subject").equals("Delivery Status")),
    YAHOO(m -> !m.header("x-ymailisg").isEmpty()),
    IMAILSERVER(m -> m.header("subject").matches("Undeliverable Mail *") || m.header("x-mailer").startsWith("<SMTP32 v")),
    MESSAGELABS(m -> !m.header("x-msg-ref").isEmpty() && m.header("from").contains("MAILER-DAEMON@messagelabs.com")
            && m.header("subject").startsWith("Mail Delivery Failure")),
    INTERSCANMSS(m -> m.header("from").startsWith("\"InterScan MSS\"") || m.header("from").startsWith("\"InterScan Notification\"")
            || List.of("Mail could not be delivered", "メッセージを配信できません。", "メール配信に失敗しました").contains(m.header("subject"))),
    VERIZON(m -> m.received().stream().anyMatch(r -> r.contains(".vtext.com (")) && (m.header("from").equals("post_master@vtext.com")
            || m.header("from").matches("(?s).*<?sysadmin@.+\\.vzwpix\\.com>?"))),
    MAILRU(m -> m.header("from").toLowerCase(Locale.ROOT).matches(".*<?mailer-daemon@.*mail\\.ru>?.*")
            && m.header("message-id").matches(".*\\.(?:mail\\.ru|smailru\\.net)>$") && Subjects.EXIM.matcher(m.header("subject")).find()),
    X3(m -> m.header("from").startsWith("Mail Delivery System") && m.header("subject").startsWith("Delivery status notification")),
    EXIM(m -> !m.header("from").matches(".*@.+\\.mail\\.ru>?.*") && (m.header("from").startsWith("Mail Delivery System") ? 1 : 0)
            + (m.header("message-id").matches("<\\w{7}-\\w{6}-\\w{2}@.*") ? 1 : 0)
            + (Subjects.EXIM.matcher(m.header("subject")).find() ? 1 : 0) >= 2),
    QMAIL(m -> m.header("subject").equals("failure notice")
            || m.received().stream().anyMatch(r -> r.matches("(?s)\\(qmail\\s+\\d+\\s+invoked\\s+(?:for\\s+bounce|from\\s+network)\\).*"))),
    OPENSMTPD(m -> m.header("subject").contains("Delivery status notification") && m.header("from").contains("Mailer Daemon <")
            && m.received().stream().anyMatch(r -> r.contains(" (OpenSMTPD) with "))),
    OFFICE365(m -> (m.header("subject").contains("Undeliverable:") ? 1 : 0)
            + Stream.of("x-ms-exchange-message-is-ndr", "x-microsoft-antispam-prvs", "x-exchange-antispam-report-test",
                    "x-exchange-antispam-report-cfa-test", "x-ms-exchange-crosstenant-originalarrivaltime",
                    "x-ms-exchange-crosstenant-fromentityheader", "x-ms-exchange-transport-crosstenantheadersstamped")
                .filter(h -> !m.header(h).isEmpty()).count()
            + (m.received().stream().anyMatch(r -> Subjects.OFFICE365_HOST.matcher(r).find()) ? 1 : 0)
            + (Subjects.OFFICE365_HOST.matcher(m.header("message-id")).find() ? 1 : 0) >= 2),
    EXCHANGE2003(m -> !m.header("x-ms-embedded-report").isEmpty()
            || m.header("x-mailer").startsWith("Internet Mail Service (")
            || m.header("x-mailer").startsWith("Microsoft Exchange Server Internet Mail Connector")
            || m.header("x-mimeole").startsWith("Produced By Microsoft Exchange")
            || m.received().stream().anyMatch(r -> r.contains(" with Internet Mail Service ("))),
    OUTLOOK(m -> (m.header("subject").contains("Delivery Status Notification") ? 1 : 0) + (m.header("x-message-delivery").isEmpty() ? 0 : 1)
            + (m.header("x-message-info").isEmpty() ? 0 : 1) + (m.received().stream().anyMatch(r -> r.contains(".hotmail.com")) ? 1 : 0) >= 2),
    COURIER(m -> m.header("from").contains("Courier mail server at ")
            || m.header("subject").matches(".*(?:NOTICE: mail delivery status\\.|WARNING: delayed mail\\.).*")
            || m.header("message-id").matches("<courier\\.[0-9A-F]+\\..*")),
    DOMINO(m -> m.header("subject").matches("DELIVERY[ _]FAILURE:.*")),
    AOL(m -> !m.header("x-aol-ip").isEmpty()),
    AMAVIS(m -> m.header("from").startsWith("\"Content-filter at ")),
    KDDI(m -> m.header("from").matches(".*no-reply@.+\\.dion\\.ne\\.jp.*") || m.header("reply-to").equals("no-reply@app.auone-net.jp")
            || m.received().stream().anyMatch(r -> r.contains("ezweb.ne.jp (") || r.contains(".au.com ("))),
    MXLOGIC(m -> !m.header("x-mx-bounce").isEmpty() || !m.header("x-mxl-hash").isEmpty() || !m.header("x-mxl-notehash").isEmpty()),
    NOTES(m -> m.header("subject").startsWith("Undeliverable message")),
    RECEIVINGSES(m -> !m.header("x-ses-outgoing").isEmpty()),
    BIGLOBE(m -> m.header("from").matches(".*postmaster@(?:biglobe|inacatv|tmtv|ttv)\\.ne\\.jp.*") && m.header("subject").startsWith("Returned mail:"));

    /** Apart, as the constants above use it before the enum's own statics exist. */
    private static final class Subjects {
        static final Pattern OFFICE365_HOST = Pattern.compile(".+\\.(?:outbound\\.protection|prod)\\.outlook\\.com\\b");
        static final Pattern EXIM = Pattern.compile("Mail delivery failed(: returning message to sender)?|Warning: message [^ ]+ delayed +"
                + "|Delivery Status Notification|Mail failure|Message frozen|error\\(s\\) in forwarding or filtering");
    }

    /** The reasons some senders' own wording names (Sisimai's McAfee, IMailServer and MessageLabs readers, $refailures). */
    private static final Map<Senders, Map<String, Pattern>> WORDING = Map.of(
            MCAFEE, Map.of("userunknown", Pattern.compile(" User \\(.+@.+\\) unknown\\. |550 Unknown user [^ ]+@[^ ]+"
                    + "|550 <.+?@.+?>\\.+ User not exist|No such user")),
            IMAILSERVER, ordered("hostunknown", "Unknown host", "userunknown", "\\A(?:Unknown user|Invalid final delivery userid)",
                    "mailboxfull", "\\AUser mailbox exceeds allowed size", "virusdetected", "\\ARequested action not taken: virus detected",
                    "undefined", "\\Aundeliverable to", "expired", "\\ADelivery failed \\d+ attempts"),
            INTERSCANMSS, ordered("userunknown", "Unable to deliver"),
            VERIZON, ordered("userunknown", "550 - Requested action not taken: no such user here|No valid recipients for this MM"),
            MESSAGELABS, ordered("userunknown", "(?:542 .+ Rejected|No such user)",
                    "securityerror", "Please turn on SMTP Authentication in your mail client"));
    /** IMailServer's wording of the command a reply answered. */
    private static final Map<String, Pattern> IMAILSERVER_COMMANDS = ordered(
            "CONN", "(?:SMTP connection failed,|Unexpected connection response from server:)", "EHLO", "Unexpected response to EHLO/HELO:",
            "MAIL", "Server response to MAIL FROM:", "RCPT", "Additional RCPT TO generated following response:",
            "DATA", "DATA command generated response:");
    private static final Pattern X3_COMMAND = Pattern.compile("(?:\\A|\\s)SMTP:([^ ]+) ");
    private static final Pattern YAHOO_COMMAND = Pattern.compile("\\[([A-Z]{4})[^\\]]*\\]\\z");
    private static final Pattern YAHOO_ADDRESS = Pattern.compile("<.+@.+>");
    private static final Pattern EXIM_COMMAND = Pattern.compile("(?:SMTP error from remote (?:mail server|mailer) after (?:end of )?|LMTP error after (?:end of )?)([A-Za-z]{4})");
    private static final List<String> EXIM_DELAYED = List.of("retry timeout exceeded", "No action is required on your part",
            "retry time not reached for any host after a long failure period", "all hosts have been failing for a long time and were last tried",
            "Delay reason: ", "has been frozen", "was frozen on arrival by ");
    private static final Map<String, Pattern> QMAIL_COMMANDS = Map.of(
            "CONN", Pattern.compile("(?:Error:)?Connected to [^ ]+ but greeting failed\\."),
            "EHLO", Pattern.compile("(?:Error:)?Connected to [^ ]+ but my name was rejected\\."),
            "MAIL", Pattern.compile("(?:Error:)?Connected to [^ ]+ but sender was rejected\\."),
            "RCPT", Pattern.compile("(?:Error:)?[^ ]+ does not like recipient\\."),
            "DATA", Pattern.compile("(?:Error:)?[^ ]+ (?:failed on DATA command|failed after I sent the message)\\."));
    private static final Pattern QMAIL_PROGRESS = Pattern.compile("Sorry, no SMTP connection got far enough; most progress was ([A-Z]{4}) ");
    private static final Pattern QMAIL_ONHOLD = Pattern.compile("\\A[^ ]+ does not like recipient\\.[ \\t]+.+this message has been in the queue too long\\.\\z");
    private static final Map<String, List<String>> QMAIL_LDAP = new LinkedHashMap<>();
    private static final Pattern EXCHANGE2003_CODE = Pattern.compile("MSEXCH:.+[ \\t]*\\(([0-9A-F]{8})\\)");
    /** Exchange 2003's own error codes and the reasons Sisimai gives them (Sisimai::Lhost::Exchange2003). */
    private static final Map<String, String> EXCHANGE2003_CODES = Map.ofEntries(Map.entry("000B099C", "onhold"),
            Map.entry("000B09AA", "onhold"), Map.entry("000B09B6", "onhold"), Map.entry("000C05A6", "userunknown"),
            Map.entry("00010256", "systemerror"), Map.entry("000D06B5", "systemerror"), Map.entry("00120270", "networkerror"),
            Map.entry("00050311", "contenterror"), Map.entry("000502CC", "contenterror"), Map.entry("000B0981", "securityerror"),
            Map.entry("000C0595", "filtered"));
    private static final Pattern OFFICE365_RCPT = Pattern.compile("unknown recipient or mailbox unavailable ->.+<?.+@.+\\.[a-zA-Z]+>?");
    /** Office 365's status codes and the reasons Sisimai gives them (Sisimai::Lhost::Office365). */
    private static final Map<Pattern, String> OFFICE365_STATUS = new LinkedHashMap<>();

    static {
        String[][] codes = {{"4\\.4\\.7", "expired"}, {"4\\.4\\.312", "networkerror"}, {"4\\.4\\.316", "expired"},
            {"4\\.7\\.26", "securityerror"}, {"4\\.7\\.[56]\\d\\d", "blocked"}, {"4\\.7\\.8[5-9]\\d", "blocked"},
            {"5\\.0\\.350", "contenterror"}, {"5\\.1\\.10", "userunknown"}, {"5\\.4\\.1", "norelaying"},
            {"5\\.4\\.6", "networkerror"}, {"5\\.4\\.312", "networkerror"}, {"5\\.4\\.316", "expired"},
            {"5\\.6\\.11", "contenterror"}, {"5\\.7\\.1", "rejected"}, {"5\\.7\\.1[23]", "rejected"}, {"5\\.7\\.124", "rejected"},
            {"5\\.7\\.13[3-6]", "rejected"}, {"5\\.7\\.23", "blocked"}, {"5\\.7\\.25", "networkerror"},
            {"5\\.7\\.50[1-3]", "spamdetected"}, {"5\\.7\\.50[4-5]", "filtered"}, {"5\\.7\\.50[6-7]", "blocked"},
            {"5\\.7\\.508", "toomanyconn"}, {"5\\.7\\.509", "securityerror"}, {"5\\.7\\.510", "notaccept"},
            {"5\\.7\\.511", "rejected"}, {"5\\.7\\.512", "securityerror"}, {"5\\.7\\.57", "securityerror"},
            {"5\\.7\\.60[6-9]", "blocked"}, {"5\\.7\\.6[1-4]\\d", "blocked"}, {"5\\.7\\.7[0-4]\\d", "toomanyconn"}};
        for (String[] c : codes) {
            OFFICE365_STATUS.put(Pattern.compile(c[0]), c[1]);
        }
    }

    static {
        QMAIL_LDAP.put("suspend", List.of("Mailaddress is administrative?le?y disabled"));
        QMAIL_LDAP.put("userunknown", List.of("Sorry, no mailbox here by that name"));
        QMAIL_LDAP.put("exceedlimit", List.of("The message exeeded the maximum size the user accepts"));
        QMAIL_LDAP.put("systemerror", List.of("Automatic homedir creator crashed", "Illegal value in LDAP attribute",
                "LDAP attribute is not given but mandatory", "Timeout while performing search on LDAP server",
                "Too many results returned but needs to be unique", "Permanent error while executing qmail-forward",
                "Temporary error in automatic homedir creation", "Temporary error while executing qmail-forward",
                "Temporary failure in LDAP lookup", "Unable to contact LDAP server", "Unable to login into LDAP server, bad credentials"));
    }

    /** One phrase of a sender's table: a text contained, or a pattern found. */
    private record Phrase(String reason, String text, Pattern pattern) {
        boolean in(String diagnostic) {
            return pattern != null ? pattern.matcher(diagnostic).find() : diagnostic.contains(text);
        }
    }

    private static final Map<String, List<Phrase>> TABLES = load();

    private final Predicate<Mime> recognises;

    Senders(Predicate<Mime> recognises) {
        this.recognises = recognises;
    }

    /** The sender of a bounce, when it is one Orbita knows the words of. */
    static Optional<Senders> of(Mime message) {
        for (Senders s : values()) {
            if (s.recognises.test(message)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** What this sender's words make of a recipient's failure: a command it implies and a reason, either may be empty. */
    record Reading(String command, String reason) {}

    Reading read(String diagnostic, String command, String status) {
        String d = diagnostic.replaceAll("\\s+", " ").strip();
        return switch (this) {
            case EXCHANGE2003 -> {
                Matcher m = EXCHANGE2003_CODE.matcher(d);
                yield new Reading(command, m.find() ? EXCHANGE2003_CODES.getOrDefault(m.group(1), "") : "");
            }
            case OFFICE365 -> {
                String c = command.isEmpty() && OFFICE365_RCPT.matcher(d).find() ? "RCPT" : command;
                String r = "";
                for (Map.Entry<Pattern, String> e : OFFICE365_STATUS.entrySet()) {
                    if (status != null && e.getKey().matcher(status).matches()) {
                        r = e.getValue();
                        break;
                    }
                }
                yield new Reading(c, r);
            }
            case EXIM, MAILRU, MXLOGIC -> {
                String c = command;
                if (c.isEmpty()) {
                    Matcher m = EXIM_COMMAND.matcher(d);
                    c = m.find() ? m.group(1).toUpperCase(Locale.ROOT) : "";
                }
                if (c.equals("HELO") || c.equals("EHLO")) {
                    yield new Reading(c, "blocked");
                }
                if (c.equals("MAIL")) {
                    yield new Reading(c, "onhold");
                }
                String r = table(d);
                if (r.isEmpty() && EXIM_DELAYED.stream().anyMatch(d::contains)) {
                    r = "expired";
                }
                yield new Reading(c, r);
            }
            case QMAIL -> {
                String c = command;
                if (c.isEmpty()) {
                    for (Map.Entry<String, Pattern> e : QMAIL_COMMANDS.entrySet()) {
                        if (e.getValue().matcher(d).find()) {
                            c = e.getKey();
                            break;
                        }
                    }
                }
                if (c.isEmpty()) {
                    Matcher m = QMAIL_PROGRESS.matcher(d);
                    c = m.find() ? m.group(1) : "";
                }
                if (c.equals("MAIL")) {
                    yield new Reading(c, "rejected");
                }
                if (c.equals("HELO") || c.equals("EHLO")) {
                    yield new Reading(c, "blocked");
                }
                if (QMAIL_ONHOLD.matcher(d).find()) {
                    yield new Reading(c, "onhold");
                }
                String r = table(d);
                if (r.isEmpty()) {
                    for (Map.Entry<String, List<String>> e : QMAIL_LDAP.entrySet()) {
                        if (e.getValue().stream().anyMatch(d::contains)) {
                            r = e.getKey();
                            break;
                        }
                    }
                }
                if (r.isEmpty() && d.contains("this message has been in the queue too long.")) {
                    r = "expired";
                }
                yield new Reading(c, r);
            }
            case MCAFEE, IMAILSERVER, MESSAGELABS, INTERSCANMSS, VERIZON -> {
                String c = command;
                if (this == IMAILSERVER && c.isEmpty()) {
                    c = first(IMAILSERVER_COMMANDS, d);
                }
                yield new Reading(c, first(WORDING.get(this), d));
            }
            case X3 -> {
                Matcher m = X3_COMMAND.matcher(d);
                yield new Reading(command.isEmpty() && m.find() ? m.group(1).toUpperCase(Locale.ROOT) : command, "");
            }
            case YAHOO -> {
                Matcher m = YAHOO_COMMAND.matcher(d);
                String c = command.isEmpty() && m.find() ? m.group(1) : command;
                yield new Reading(c.isEmpty() && YAHOO_ADDRESS.matcher(d).find() ? "RCPT" : c, "");
            }
            default -> new Reading(command, table(d));
        };
    }

    /** The first key whose pattern is found in the text ("" when none is). */
    private static String first(Map<String, Pattern> patterns, String text) {
        for (Map.Entry<String, Pattern> e : patterns.entrySet()) {
            if (e.getValue().matcher(text).find()) {
                return e.getKey();
            }
        }
        return "";
    }

    private static Map<String, Pattern> ordered(String... keysAndPatterns) {
        Map<String, Pattern> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndPatterns.length; i += 2) {
            out.put(keysAndPatterns[i], Pattern.compile(keysAndPatterns[i + 1]));
        }
        return out;
    }

    /** The first reason of this sender's table whose phrase is in the text ("" when none is). */
    String table(String diagnostic) {
        for (Phrase phrase : TABLES.getOrDefault(tableName(), List.of())) {
            if (phrase.in(diagnostic)) {
                return phrase.reason();
            }
        }
        return "";
    }

    private String tableName() {
        return switch (this) {
            case OFFICE365 -> "Office365";
            case EXCHANGE2003 -> "Exchange2003";
            case GSUITE -> "GSuite";
            case GMAIL -> "Gmail";
            case MAILRU -> "MailRu";
            case EXIM -> "Exim";
            case QMAIL -> "qmail";
            case OPENSMTPD -> "OpenSMTPD";
            case OUTLOOK -> "Outlook";
            case COURIER -> "Courier";
            case DOMINO -> "Domino";
            case AOL -> "Aol";
            case AMAVIS -> "Amavis";
            case KDDI -> "KDDI";
            case MXLOGIC -> "MXLogic";
            case NOTES -> "Notes";
            case RECEIVINGSES -> "ReceivingSES";
            case BIGLOBE -> "Biglobe";
            case X3 -> "X3";
            case MCAFEE -> "McAfee";
            case YAHOO -> "Yahoo";
            case IMAILSERVER -> "IMailServer";
            case MESSAGELABS -> "MessageLabs";
            case INTERSCANMSS -> "InterScanMSS";
            case VERIZON -> "Verizon";
        };
    }

    private static Map<String, List<Phrase>> load() {
        Map<String, List<Phrase>> tables = new LinkedHashMap<>();
        try (InputStream in = Senders.class.getResourceAsStream("sisimai-senders.txt")) {
            if (in == null) {
                throw new IOException("sisimai-senders.txt is missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String current = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("[")) {
                    current = line.substring(1, line.length() - 1);
                    tables.put(current, new ArrayList<>());
                } else if (current != null) {
                    String[] f = line.split(" ", 3);
                    tables.get(current).add(f[1].equals("regex") ? new Phrase(f[0], null, Pattern.compile(f[2])) : new Phrase(f[0], f[2], null));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the senders' reason tables", e);
        }
        return tables;
    }
}
