package org.orbita.mta.bounces;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a delivery failed, decided as Sisimai decides it (its Sisimai::Reason, SMTP::Status and
 * SMTP::Error, ported): the reason a reader already knows stands unless it is one to look at
 * again; then the delivery status code's reason, the words of the diagnostic (each reason's
 * phrases, in Sisimai's order of classes), the reply code and the SMTP command. The phrases
 * and the status table are Sisimai's own data ({@code sisimai-reasons.txt},
 * {@code sisimai-status.txt}, BSD 2-Clause, see {@code SISIMAI-LICENSE}); hard or soft
 * follows Sisimai's policy: userunknown, hostunknown and hasmoved are hard, notaccept too
 * unless 4xx, every other failure soft.
 */
public final class Reasons {

    /** What a reader knows of one recipient's failure (Sisimai::Data's fields that decide the reason). */
    public record Facts(String status, String replyCode, String diagnostic, String diagnosticType, String action, String command,
                        String reason) {

        public Facts {
            status = status == null ? "" : status;
            replyCode = replyCode == null ? "" : replyCode;
            diagnostic = diagnostic == null ? "" : diagnostic;
            diagnosticType = diagnosticType == null ? "" : diagnosticType;
            action = action == null ? "" : action;
            command = command == null ? "" : command;
            reason = reason == null ? "" : reason;
        }

        Facts withReason(String r) {
            return new Facts(status, replyCode, diagnostic, diagnosticType, action, command, r);
        }
    }

    /** The phrases of one reason. */
    private record Rule(List<String> phrases, List<String> isnot, List<Pattern> regexes) {}

    private static final List<String> FIRST = List.of("mailboxfull", "mesgtoobig", "exceedlimit", "suspend", "hasmoved", "norelaying",
            "userunknown", "filtered", "rejected", "hostunknown", "spamdetected", "toomanyconn", "blocked");
    private static final List<String> SECOND = List.of("mailboxfull", "spamdetected", "policyviolation", "virusdetected", "norelaying",
            "securityerror", "systemerror", "networkerror", "suspend", "expired", "contenterror", "systemfull", "notaccept", "mailererror");
    private static final List<String> TEXT_ONLY = List.of("mailboxfull", "mesgtoobig", "exceedlimit", "suspend", "userunknown", "filtered",
            "rejected", "hostunknown", "spamdetected", "toomanyconn", "blocked", "spamdetected", "securityerror", "systemerror",
            "networkerror", "suspend", "expired", "contenterror", "hasmoved", "systemfull", "notaccept", "mailererror", "norelaying",
            "syntaxerror", "onhold");
    /** Reasons a reader's guess is looked at again for. */
    private static final Set<String> RETRY = Set.of("undefined", "onhold", "systemerror", "securityerror", "networkerror", "hostunknown",
            "userunknown");
    private static final Set<String> HARD = Set.of("hasmoved", "hostunknown", "userunknown");
    private static final Set<String> NEITHER = Set.of("delivered", "feedback", "vacation");

    private static final Pattern STATUS_IN_PARENS = Pattern.compile(" ?\\(#([45]\\.\\d\\.\\d+)\\)? ?");
    private static final Pattern STATUS_AFTER_REPLY = Pattern.compile("\\b\\d{3}[ -]#?([45]\\.\\d\\.\\d+)\\b");
    private static final Pattern STATUS_BARE = Pattern.compile("\\b([45]\\.\\d\\.\\d+)\\b");
    private static final Pattern STATUS_SUCCESS = Pattern.compile("\\b(2\\.[0-7]\\.[0-7])\\b");
    private static final Pattern IPV4 = Pattern.compile(
            "\\b(?:\\d|[01]?\\d\\d|2[0-4]\\d|25[0-5])\\.(?:\\d|[01]?\\d\\d|2[0-4]\\d|25[0-5])\\.(?:\\d|[01]?\\d\\d|2[0-4]\\d|25[0-5])\\.(?:\\d|[01]?\\d\\d|2[0-4]\\d|25[0-5])\\b");
    private static final Pattern REPLY = Pattern.compile("\\b([45][0-5][0-9])\\b");
    private static final Pattern REPLY_OK = Pattern.compile("\\b(25[0-3])\\b");

    private static final Reasons SISIMAI = load();

    private final Map<String, Rule> rules;
    private final Map<String, String> statusNames;

    private Reasons(Map<String, Rule> rules, Map<String, String> statusNames) {
        this.rules = rules;
        this.statusNames = statusNames;
    }

    public static Reasons sisimai() {
        return SISIMAI;
    }

    private static Reasons load() {
        Map<String, Rule> rules = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        try {
            String current = null;
            for (String line : lines("sisimai-reasons.txt")) {
                if (line.startsWith("[")) {
                    current = line.substring(1, line.length() - 1);
                    rules.put(current, new Rule(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
                } else if (current != null) {
                    int sp = line.indexOf(' ');
                    String kind = line.substring(0, sp);
                    String value = line.substring(sp + 1);
                    Rule r = rules.get(current);
                    switch (kind) {
                        case "phrase" -> r.phrases().add(value);
                        case "isnot" -> r.isnot().add(value);
                        case "regex" -> r.regexes().add(Pattern.compile(value));
                        default -> throw new IllegalStateException("sisimai-reasons.txt: unknown line kind " + kind);
                    }
                }
            }
            for (String line : lines("sisimai-status.txt")) {
                String[] f = line.split(" ");
                names.put(f[0], f[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bounce reason rules", e);
        }
        return new Reasons(rules, names);
    }

    private static List<String> lines(String resource) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = Reasons.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line);
                }
            }
        }
        return out;
    }

    /** Whether a reason's phrases are in a (lowercased) text. */
    public boolean match(String reason, String lowercased) {
        Rule r = rules.get(reason);
        if (r == null) {
            return false;
        }
        for (String no : r.isnot()) {
            if (lowercased.contains(no)) {
                return false;
            }
        }
        for (String p : r.phrases()) {
            if (lowercased.contains(p)) {
                return true;
            }
        }
        for (Pattern p : r.regexes()) {
            if (p.matcher(lowercased).find()) {
                return true;
            }
        }
        return false;
    }

    /** The reason of a delivery status code in Sisimai's table ("" when it has none). */
    public String name(String status) {
        if (status == null || !status.matches("[245]\\.\\d\\.\\d+")) {
            return "";
        }
        return statusNames.getOrDefault(status, "");
    }

    /** The first delivery status code in a text (not part of an IPv4 address), or "". */
    public static String findStatus(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        for (Pattern p : List.of(STATUS_IN_PARENS, STATUS_AFTER_REPLY, STATUS_BARE, STATUS_SUCCESS)) {
            Matcher m = p.matcher(text);
            if (!m.find()) {
                continue;
            }
            String found = m.group(1);
            String q = Pattern.quote(found);
            if (Pattern.compile("\\b(?:" + q + "\\.\\d{1,3}|\\d{1,3}\\." + q + ")\\b").matcher(text).find()) {
                continue;
            }
            return found;
        }
        return "";
    }

    /** The first SMTP reply code in a text (IPv4 addresses masked), or "". */
    public static String findReply(String text) {
        if (text == null || text.isEmpty() || text.toUpperCase(Locale.ROOT).contains("X-UNIX;")) {
            return "";
        }
        String masked = IPV4.matcher(text).replaceAll("***.***.***.***");
        Matcher m = REPLY.matcher(masked);
        if (m.find()) {
            return m.group(1);
        }
        Matcher ok = REPLY_OK.matcher(masked);
        return ok.find() ? ok.group(1) : "";
    }

    /** The status code Sisimai settles on: a specific one (x.y.z, one digit each) in the text wins over the report's. */
    static String finalStatus(String status, String text) {
        String inText = findStatus(text);
        return inText.matches("[45]\\.[1-9]\\.[1-9]") ? inText : status == null ? "" : status;
    }

    /** A failure decided: its reason, hard, soft or none (delivered, feedback, vacation), and its status code. */
    public record Verdict(String reason, String kind, String status) {}

    /**
     * Decides one recipient's failure as Sisimai's Data.make and Reason.get do: a specific status
     * code or reply code in the diagnostic wins over the report's, then the rules decide.
     *
     * @param preset the reason a reader already knows ("" for none)
     */
    public Verdict verdict(String status, String diagnostic, String diagnosticType, String action, String command, String preset) {
        String text = diagnostic == null ? "" : diagnostic.replaceAll("\\s+", " ").strip();
        String code = finalStatus(status, text);
        // "=reason": decided already and final (a receiving site's own code), even a reason the rules would otherwise retry
        boolean decided = preset != null && preset.startsWith("=");
        String known = preset == null ? "" : decided ? preset.substring(1) : preset;
        String type = diagnosticType == null || diagnosticType.isEmpty()
                ? (known.equals("mailererror") ? "X-UNIX" : known.equals("feedback") || known.equals("vacation") ? "" : "SMTP")
                : diagnosticType;
        String act = action == null ? "" : action;
        if (act.isEmpty()) {
            act = known.equals("expired") ? "delayed" : code.startsWith("5") || code.startsWith("4") ? "failed" : "";
        }
        Facts facts = new Facts(code, findReply(text), text, type, act, command, known);
        String reason = decided ? known : known.isEmpty() || RETRY.contains(known) ? get(facts) : known;
        if (reason.isEmpty()) {
            reason = "undefined";
        }
        String verdict = softOrHard(reason, (code + " " + text).strip());
        return new Verdict(reason, reason.equals("feedback") ? "complaint" : verdict.isEmpty() ? "none" : verdict, code);
    }

    /** Whether the rules look again at a failure a reader gave this reason (Sisimai's retry list). */
    static boolean isRetry(String reason) {
        return RETRY.contains(reason);
    }

    /** The reason of a failure (Sisimai::Reason->get). */
    public String get(Facts f) {
        if (!RETRY.contains(f.reason()) && !f.reason().isEmpty()) {
            return f.reason();
        }
        if (f.status().startsWith("2.")) {
            return "delivered";
        }
        String reason = "";
        if (f.diagnosticType().equals("SMTP") || f.diagnosticType().isEmpty()) {
            for (String r : FIRST) {
                if (isTrue(r, f)) {
                    reason = r;
                    break;
                }
            }
        }
        if (reason.isEmpty() || reason.equals("undefined")) {
            reason = anotherone(f);
            if (reason.equals("undefined")) {
                reason = "";
            }
            if (reason.isEmpty() && f.action().equals("delayed")) {
                reason = "expired";
            }
            if (!reason.isEmpty()) {
                return reason;
            }
            if (match("vacation", f.diagnostic().toLowerCase(Locale.ROOT))) {
                return "vacation";
            }
            return f.diagnostic().isEmpty() ? "undefined" : "onhold";
        }
        return reason;
    }

    /** The fallback of {@link #get}: the status code's reason, the second list of phrases, the code's class, the command. */
    String anotherone(Facts f) {
        if (!f.reason().isEmpty()) {
            return f.reason();
        }
        String status = f.status();
        String reason = name(status);
        String diagnostic = f.diagnostic().toLowerCase(Locale.ROOT);
        boolean tryToMatch = reason.isEmpty() || reason.equals("expired") || RETRY.contains(reason) || !f.diagnosticType().equals("SMTP");
        if (!tryToMatch) {
            return reason;
        }
        for (String r : SECOND) {
            if (match(r, diagnostic)) {
                return r;
            }
        }
        String head = status.length() >= 3 ? status.substring(0, 3) : status;
        if (head.equals("4.6") || head.equals("5.6")) {
            return "contenterror";
        }
        if (head.equals("5.7") || head.equals("4.7")) {
            return "securityerror";
        }
        if (f.diagnosticType().equals("X-UNIX") || f.diagnosticType().equals("X-POSTFIX")) {
            return "mailererror";
        }
        if (isTrue("syntaxerror", f)) {
            return "syntaxerror";
        }
        if (f.action().startsWith("delayed") || f.action().startsWith("expired")) {
            return "expired";
        }
        if (f.command().equals("EHLO") || f.command().equals("HELO")) {
            return "blocked";
        }
        return reason;
    }

    /** The reason a text alone points at (Sisimai::Reason->match), for bounces with nothing else to go by. */
    public String fromText(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String r : TEXT_ONLY) {
            if (match(r, lower)) {
                return r;
            }
        }
        if (text.toUpperCase(Locale.ROOT).matches("(?s)\\AX-UNIX;.*")) {
            return "mailererror";
        }
        String found = name(findStatus(text));
        return found.isEmpty() ? "undefined" : found;
    }

    private static boolean in(String value, String... options) {
        for (String o : options) {
            if (o.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Each reason's own test of a failure (the {@code true} of Sisimai's reason classes). */
    boolean isTrue(String reason, Facts f) {
        String named = name(f.status());
        String diagnostic = f.diagnostic().toLowerCase(Locale.ROOT);
        String command = f.command();
        if (f.reason().equals(reason)) {
            return true;
        }
        return switch (reason) {
            case "blocked" -> named.equals("blocked") || match("blocked", diagnostic);
            case "exceedlimit", "mailboxfull", "toomanyconn" -> (!reason.equals("toomanyconn") && f.status().isEmpty()) ? false
                    : named.equals(reason) || match(reason, diagnostic);
            case "filtered" -> {
                if (named.equals("suspend")) {
                    yield false;
                }
                if (named.equals("filtered")) {
                    yield match("userunknown", diagnostic) || match("filtered", diagnostic);
                }
                yield !in(command, "CONN", "EHLO", "HELO", "MAIL", "RCPT") && (match("filtered", diagnostic) || match("userunknown", diagnostic));
            }
            case "hasmoved" -> match("hasmoved", diagnostic);
            case "hostunknown" -> named.equals("hostunknown") ? !match("networkerror", diagnostic) : match("hostunknown", diagnostic);
            case "mesgtoobig" -> {
                if (named.equals("mesgtoobig")) {
                    yield true;
                }
                yield !named.equals("exceedlimit") && !f.status().equals("5.2.3") && match("mesgtoobig", diagnostic);
            }
            case "norelaying" -> !in(f.reason(), "securityerror", "systemerror", "undefined") && !in(command, "CONN", "EHLO", "HELO")
                    && match("norelaying", diagnostic);
            case "notaccept" -> in(f.replyCode(), "521", "554", "556") || (command.equals("MAIL") && match("notaccept", diagnostic));
            case "onhold" -> !f.status().isEmpty() && named.equals("onhold");
            case "rejected" -> {
                String temp = named.isEmpty() ? "undefined" : named;
                if (temp.equals("rejected")) {
                    yield true;
                }
                if (command.equals("MAIL")) {
                    yield match("rejected", diagnostic);
                }
                if (command.equals("DATA")) {
                    yield !temp.equals("userunknown") && match("rejected", diagnostic);
                }
                yield in(temp, "onhold", "undefined", "securityerror", "systemerror") && match("rejected", diagnostic);
            }
            case "spamdetected" -> !f.status().isEmpty() && (named.equals("spamdetected")
                    || (!in(command, "CONN", "EHLO", "HELO", "MAIL", "RCPT") && match("spamdetected", diagnostic)));
            case "suspend" -> !f.status().isEmpty() && match("suspend", diagnostic);
            case "syntaxerror" -> f.replyCode().matches("[45]0[0-7]");
            case "userunknown" -> {
                if (named.equals("suspend")) {
                    yield false;
                }
                if (named.equals("userunknown")) {
                    for (String other : List.of("norelaying", "blocked", "mailboxfull", "hasmoved", "rejected", "notaccept")) {
                        if (match(other, diagnostic)) {
                            yield false;
                        }
                    }
                    yield true;
                }
                yield command.equals("RCPT") && match("userunknown", diagnostic);
            }
            case "virusdetected" -> !in(command, "CONN", "EHLO", "HELO", "MAIL", "RCPT") && match("virusdetected", diagnostic);
            default -> false;
        };
    }

    /** Hard or soft as Sisimai says (Sisimai::SMTP::Error->soft_or_hard); "" for neither (delivered, feedback, vacation). */
    public static String softOrHard(String reason, String text) {
        if (NEITHER.contains(reason)) {
            return "";
        }
        if (reason.equals("notaccept")) {
            if (text == null || text.isEmpty()) {
                return "hard";
            }
            String code = findStatus(text);
            code = code.isEmpty() ? findReply(text) : code;
            return code.startsWith("4") ? "soft" : "hard";
        }
        return HARD.contains(reason) ? "hard" : "soft";
    }
}
