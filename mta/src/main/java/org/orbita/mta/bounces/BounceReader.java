package org.orbita.mta.bounces;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads messages that come back: delivery status notifications (RFC 3464, every recipient of
 * a report), feedback reports (ARF, RFC 5965: complaints), bounces in prose from servers that
 * send no DSN (Exim, qmail, Gmail, Exchange…: each recipient with the text about it), and
 * automatic replies (RFC 3834). What each failure is — its reason and whether it is hard or
 * soft — is decided by {@link Reasons}, Sisimai's rules; BounceConformanceTest measures the
 * agreement with Sisimai itself on its public corpus of real bounces.
 */
public final class BounceReader {

    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+=/'!#$&*?^`{|}~-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+");
    /** Where a bounce's own words end and the returned message begins. */
    private static final Pattern ORIGINAL = Pattern.compile("(?im)^(?:[-=_ ]*(?:"
            + "this is a copy of the message|below this line is a copy of the message|original message follows|"
            + "original message header|------ ?original message|"
            + "copy of the original message|the headers of the original message|received: from|"
            + "content-type: message/rfc822|return-path: <|message-id: <|x-orbita-key:).*)$");
    private static final Pattern COMMAND = Pattern.compile("(?i)\\b(?:in reply to|after|while talking to[^:]*:\\s*>>>)\\s*(EHLO|HELO|MAIL|RCPT|DATA|QUIT)\\b"
            + "|\\b(RCPT|MAIL|DATA)\\s+(?:TO|FROM|command)\\b");
    private static final Pattern DSN_FIELDS = Pattern.compile("(?im)^(?:Reporting-MTA|Final-Recipient):[ \\t]*(?:rfc822|dns)\\s*;");
    /** PowerMTA's bounce categories and the reasons Sisimai gives them. */
    private static final Map<String, String> POWERMTA_CATEGORIES = Map.of("bad-domain", "hostunknown", "bad-mailbox", "userunknown",
            "inactive-mailbox", "disabled", "message-expired", "expired", "no-answer-from-host", "networkerror",
            "policy-related", "policyviolation", "quota-issues", "mailboxfull", "routing-errors", "systemerror",
            "spam-related", "spamdetected");
    private static final Pattern FINAL_RECIPIENT = Pattern.compile("(?im)^Final-Recipient:");
    /** G Suite's notice: its heading ({@code ** Address not found **}), and the line before the remote server's reply. */
    private static final Pattern GSUITE_HEADING = Pattern.compile("\\A[*][*] .+ [*][*]\\z");
    private static final Pattern GSUITE_RESPONSE = Pattern.compile("\\AThe response( from the remote server)? was:\\z");
    private static final Pattern DSN_FIELD_LINE = Pattern.compile("(?i)\\A(?:Reporting-MTA|Final-Recipient|Original-Recipient|Action|Status"
            + "|Remote-MTA|Diagnostic-Code|Last-Attempt-Date|Arrival-Date|Received-From-MTA|X-Actual-Recipient|Will-Retry-Until):");
    private static final Pattern DAEMON = Pattern.compile("mailer[-_]?daemon|post_?master");
    private static final Pattern SENDER_BEFORE = Pattern.compile("(?i)\\bfrom:?\\s*<?\\s*\\z");
    private static final Set<String> NOT_RECIPIENTS = Set.of("mailer-daemon", "postmaster", "root", "noreply", "no-reply");

    private BounceReader() {}

    /** One recipient as a reader found it, before its reason is decided. */
    private record Found(String recipient, String status, String diagnostic, String diagnosticType, String action, String command,
                         String reason, String remoteHost) {

        Found(String recipient, String status, String diagnostic, String diagnosticType, String action, String command, String reason) {
            this(recipient, status, diagnostic, diagnosticType, action, command, reason, null);
        }

        Found withReading(String command, String reason) {
            return new Found(recipient, status, diagnostic, diagnosticType, action, command, reason, remoteHost);
        }
    }

    /** The reports a returned message holds (empty when it is not a bounce at all). */
    public static List<Report> read(byte[] raw) {
        Mime message = Mime.parse(raw);
        String key = originalKey(message);
        if (isFeedback(message)) {
            return feedback(message).stream().map(r -> r.withKey(key)).toList();
        }
        List<Found> found = googleGroups(message);
        if (found.isEmpty()) {
            found = deliveryStatus(message);
        }
        if (found.isEmpty()) {
            found = prose(message);
        }
        if (found.isEmpty()) {
            found = autoReply(message);
        }
        List<Report> out = new ArrayList<>();
        Senders sender = Senders.of(message).orElse(null);
        for (Found f : found) {
            if (sender != null && (f.reason() == null || f.reason().isEmpty()) && f.diagnostic() != null) {
                // the sender's own words for the failure, as Sisimai's reader for that sender knows them
                Senders.Reading reading = sender.read(f.diagnostic(), f.command() == null ? "" : f.command(), f.status());
                f = f.withReading(reading.command(), reading.reason());
            }
            // a receiving site's own words, as Sisimai reads them for that site, decide before the general rules
            String known = f.reason() == null ? "" : f.reason();
            if (f.diagnostic() != null && (known.isEmpty() || Reasons.isRetry(known))) {
                String destination = f.recipient() == null || f.recipient().indexOf('@') < 0 ? null
                        : f.recipient().substring(f.recipient().lastIndexOf('@') + 1);
                String text = f.diagnostic().replaceAll("\\s+", " ").strip();
                String stated = RemoteHosts.reason(f.remoteHost() != null ? f.remoteHost() : receivingHost(message), destination,
                        new RemoteHosts.Failure(Reasons.finalStatus(f.status(), text), Reasons.findReply(text), text,
                                f.command() == null ? "" : f.command(), known));
                if (!stated.isEmpty()) {
                    f = f.withReading(f.command(), "=" + stated);
                }
            }
            Report r = classify(f);
            if (r != null) {
                out.add(r.withKey(key));
            }
        }
        return out;
    }

    /** The reason and verdict of one recipient (delivery reports of success are no failure: null). */
    private static Report classify(Found f) {
        Reasons.Verdict v = Reasons.sisimai().verdict(f.status(), f.diagnostic(), f.diagnosticType(), f.action(), f.command(), f.reason());
        if (v.reason().equals("delivered")) {
            return null;
        }
        String diagnostic = f.diagnostic() == null ? "" : f.diagnostic().replaceAll("\\s+", " ").strip();
        return new Report(f.recipient(), v.kind(), v.reason(), v.status().isEmpty() ? null : v.status(), diagnostic);
    }

    /** The platform's key of the original message, from the copy or the headers a report returns. */
    private static String originalKey(Mime message) {
        Matcher m = Pattern.compile("(?im)^X-Orbita-Key:\\s*(\\S+)").matcher(String.join("\n", message.all().stream().map(Mime::body).toList()));
        return m.find() ? m.group(1) : null;
    }

    /** Whether a message is a complaint (ARF, RFC 5965), or one of the complaint formats of Hotmail and Amazon SES. */
    private static boolean isFeedback(Mime message) {
        if (message.type().matches(".*report-type=\"?feedback-report\"?.*")
                || message.all().stream().anyMatch(p -> p.type().startsWith("message/feedback-report"))) {
            return true;
        }
        String from = message.header("from").toLowerCase(Locale.ROOT);
        return message.type().startsWith("multipart/mixed") && from.matches(".*(staff@hotmail\\.com|complaints@email-abuse\\.amazonses\\.com).*")
                && message.header("subject").toLowerCase(Locale.ROOT).contains("complaint about message from ");
    }

    /** A complaint about each recipient the report names (Original-Rcpt-To), else about the original message's To. */
    private static List<Report> feedback(Mime message) {
        String type = "abuse";
        List<String> recipients = new ArrayList<>();
        String originalTo = null;
        for (Mime p : message.all()) {
            String t = p.type();
            if (t.startsWith("message/feedback-report")) {
                for (String line : p.body().replace("\r\n", "\n").split("\n")) {
                    Matcher rcpt = Pattern.compile("(?i)^(?:Original-Rcpt-To|Redacted-Address):\\s*<?([^>\\s]+)>?").matcher(line);
                    if (rcpt.find() && rcpt.group(1).contains("@")) {
                        recipients.add(rcpt.group(1).toLowerCase(Locale.ROOT));
                    }
                    Matcher ft = Pattern.compile("(?i)^Feedback-Type:\\s*(\\S+)").matcher(line);
                    if (ft.find()) {
                        type = ft.group(1);
                    }
                }
            } else if ((t.startsWith("message/rfc822") || t.startsWith("text/rfc822-headers")) && originalTo == null) {
                Mime original = Mime.parse(p.body(), 9);
                String hotmail = address(original.header("x-hmxmroriginalrecipient"));
                originalTo = hotmail != null ? hotmail : address(original.header("to"));
            }
        }
        if (recipients.isEmpty()) {
            recipients.add(originalTo); // null when the report names no one: the return path may still say
        }
        String kind = type;
        return recipients.stream().map(r -> new Report(r, "complaint", "feedback", null, kind)).toList();
    }

    /**
     * Google Groups' refusals (Sisimai's GoogleGroups): a group that does not exist or that one
     * may not post to; "rejected" when the notice lists its four reasons, else on hold.
     */
    private static List<Found> googleGroups(Mime message) {
        if (!message.header("from").toLowerCase(Locale.ROOT).contains("<mailer-daemon@googlemail.com>")
                || !message.header("subject").contains("Delivery Status Notification")
                || message.header("x-failed-recipients").isEmpty() || message.header("x-google-smtp-source").isEmpty()
                || Senders.of(message).filter(s -> s == Senders.GSUITE).isPresent() && FINAL_RECIPIENT.matcher(message.body()).find()) {
            return List.of(); // not a group's notice, or G Suite's delivery report (Sisimai reads that one first)
        }
        String text = humanText(message);
        int cut = text.indexOf("----- Original message -----");
        String notice = cut < 0 ? text : text.substring(0, cut);
        long bullets = notice.lines().filter(l -> l.matches("^ ?\\* ?.*")).count();
        String[] paragraphs = notice.split("\n\n", 5);
        String diagnostic = String.join(" ", Arrays.copyOf(paragraphs, Math.max(0, Math.min(4, paragraphs.length - 1))));
        List<Found> out = new ArrayList<>();
        Matcher m = ADDRESS.matcher(message.header("x-failed-recipients"));
        while (m.find()) {
            out.add(new Found(m.group().toLowerCase(Locale.ROOT), "", diagnostic, "", "", "", bullets == 4 ? "rejected" : "onhold"));
        }
        return out;
    }

    /** RFC 3464: every per-recipient group of the delivery-status part. */
    private static List<Found> deliveryStatus(Mime message) {
        List<Found> out = new ArrayList<>();
        String text = humanText(message);
        boolean powerMta = message.header("subject").contains("Delivery report");
        String gsuite = Senders.of(message).filter(s -> s == Senders.GSUITE).isPresent() ? gsuiteNotice(text) : null;
        List<String> reports = new ArrayList<>();
        for (Mime p : message.all()) {
            String t = p.type();
            if (t.startsWith("message/delivery-status") || t.startsWith("message/global-delivery-status")) {
                reports.add(p.body());
            }
        }
        if (reports.isEmpty()) {
            // a report whose MIME structure is broken (a boundary never written) still has its fields in the text
            Matcher fields = DSN_FIELDS.matcher(message.body());
            if (fields.find()) {
                reports.add(message.body().substring(fields.start()));
            }
        }
        for (String report : reports) {
            String[] groups = report.replace("\r\n", "\n").strip().split("\n\\s*\n");
            Set<String> all = new LinkedHashSet<>();
            for (String g : groups) {
                String a = dsnAddress(Mime.headers(g).getOrDefault("final-recipient", ""));
                if (a != null) {
                    all.add(a);
                }
            }
            String messageHost = null; // the report's own MTA, where a recipient's group names no remote one
            for (int i = 0; i < groups.length; i++) {
                Map<String, String> f = Mime.headers(groups[i]);
                if (messageHost == null && (f.containsKey("reporting-mta") || f.containsKey("remote-mta"))
                        && !f.containsKey("final-recipient")) {
                    messageHost = dsnHost(f.getOrDefault("remote-mta", f.get("reporting-mta")));
                }
                String rcpt = dsnAddress(f.getOrDefault("final-recipient", ""));
                if (rcpt == null) {
                    rcpt = dsnAddress(f.getOrDefault("original-recipient", ""));
                }
                if (rcpt == null) {
                    continue; // the group about the message, or one without a recipient
                }
                String action = f.getOrDefault("action", "").toLowerCase(Locale.ROOT).strip();
                if (action.equals("delivered") || action.equals("relayed") || action.equals("expanded")) {
                    continue;
                }
                String diagnostic = f.getOrDefault("diagnostic-code", "");
                String type = "";
                int semi = diagnostic.indexOf(';');
                if (semi > 0 && semi < 12) {
                    type = diagnostic.substring(0, semi).strip().toUpperCase(Locale.ROOT);
                    diagnostic = diagnostic.substring(semi + 1).strip();
                }
                if (type.equals("X-POSTFIX")) {
                    type = "SMTP"; // Postfix's own type for what its SMTP client was told
                }
                String status = f.getOrDefault("status", "").strip().replaceAll("\\s.*", "");
                String about = gsuite != null ? gsuite : aboutRecipient(text, rcpt, all).strip();
                if (diagnostic.isBlank()) {
                    diagnostic = about;
                } else if (!about.isEmpty() && (status.isEmpty() || status.endsWith(".0.0"))) {
                    // the report's words about the recipient say more than its fields (Postfix writes both): take them
                    String inText = Reasons.findStatus(about);
                    String reply = Reasons.findReply(about);
                    if (!inText.isEmpty() && !inText.endsWith(".0.0")) {
                        status = inText;
                    }
                    if (!inText.isEmpty() || (!reply.isEmpty() && about.length() > diagnostic.length())) {
                        diagnostic = about;
                    }
                }
                String command = command(about + " " + diagnostic);
                if (command.isEmpty()) {
                    command = transcriptCommand(text, rcpt);
                }
                if (command.isEmpty() && diagnostic.contains("refused to talk to me:")) {
                    command = "HELO";
                }
                String remote = f.containsKey("remote-mta") ? dsnHost(f.get("remote-mta")) : messageHost;
                // PowerMTA names its category of the failure (Sisimai's PowerMTA reader takes it as the reason)
                String category = powerMta ? POWERMTA_CATEGORIES.getOrDefault(f.getOrDefault("x-powermta-bouncecategory", "").strip(), "") : "";
                out.add(new Found(rcpt, status, diagnostic, type, action.startsWith("delayed") ? "delayed" : action.isEmpty() ? "" : "failed",
                        command, category, remote));
            }
        }
        return out;
    }

    /**
     * G Suite's notice as Sisimai's GSuite reader collects it: from its heading on, the lines
     * that are not report fields, the remote server's reply after "The response was:", up to
     * the sixth empty line.
     */
    private static String gsuiteNotice(String text) {
        StringBuilder notice = new StringBuilder();
        int empty = 0;
        for (String line : text.replace("\r\n", "\n").split("\n")) {
            if (notice.isEmpty()) {
                if (GSUITE_HEADING.matcher(line).matches()) {
                    notice.append(line);
                }
                continue;
            }
            if (DSN_FIELD_LINE.matcher(line).find() || line.startsWith("Content-Type:") || empty > 5) {
                continue;
            }
            if (GSUITE_RESPONSE.matcher(line).matches()) {
                notice.append(line);
            } else if (line.isEmpty()) {
                empty++;
            } else {
                notice.append(' ').append(line);
            }
        }
        return notice.toString().replaceAll("\\s+", " ").strip();
    }

    /** The host of a DSN's Remote-MTA or Reporting-MTA field ({@code dns; mx.example.net (…)}), as Sisimai trims it. */
    private static String dsnHost(String field) {
        if (field == null) {
            return null;
        }
        String v = field.replaceAll("[\\[\\]()]", "").replaceFirst("\\A.+?;", "").strip();
        v = v.replaceFirst("\\A.+=", "");
        v = v.split("\\s+", 2)[0];
        v = v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
        return v.isEmpty() ? null : v.toLowerCase(Locale.ROOT);
    }

    /** Sisimai's last resort for the receiving host: the host that took in the bounce first (its oldest Received: "by"). */
    private static String receivingHost(Mime message) {
        List<String> received = message.received();
        if (received.isEmpty()) {
            return null;
        }
        String oldest = received.get(received.size() - 1).replaceAll("\\s+", " ").strip();
        if (oldest.matches("(?s).*qmail\\s+.+invoked\\s+.*")) {
            return null;
        }
        Matcher m = Pattern.compile("\\A(?:from .+ )?by ([^ ]+)").matcher(oldest);
        if (!m.find()) {
            Matcher any = Pattern.compile("\\bby ([^ ]+)").matcher(oldest);
            return any.find() ? any.group(1).replaceAll("[()\\[\\];?]", "").toLowerCase(Locale.ROOT) : null;
        }
        return m.group(1).replaceAll("[()\\[\\];?]", "").toLowerCase(Locale.ROOT);
    }

    /** The readable words of a bounce: its text parts before any copy of the original message. */
    private static String humanText(Mime message) {
        StringBuilder s = new StringBuilder();
        collect(message, s);
        String text = s.toString();
        Matcher cut = ORIGINAL.matcher(text);
        int end = text.length();
        while (cut.find()) {
            if (cut.start() > 40) {
                end = cut.start();
                break;
            }
        }
        return text.substring(0, end);
    }

    private static void collect(Mime part, StringBuilder out) {
        String t = part.type();
        if (t.startsWith("message/") || t.startsWith("text/rfc822-headers")) {
            return;
        }
        if (!part.parts().isEmpty()) {
            for (Mime p : part.parts()) {
                collect(p, out);
            }
            return;
        }
        if (t.isEmpty() || t.startsWith("text/plain")) {
            out.append(part.body()).append('\n');
        } else if (t.startsWith("text/html") && out.isEmpty()) {
            out.append(part.body().replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("(?s)<[^>]+>", " ")
                    .replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")).append('\n');
        }
    }

    /**
     * The words of a bounce about one recipient: from its first mention up to the mention of
     * another of the recipients (any address when they are not known), at most 2,000 characters.
     */
    private static String aboutRecipient(String text, String recipient, Set<String> recipients) {
        String lower = text.toLowerCase(Locale.ROOT);
        int at = lower.indexOf(recipient);
        if (at < 0) {
            return "";
        }
        int from = at + recipient.length();
        int end = text.length();
        if (recipients.isEmpty()) {
            Matcher next = ADDRESS.matcher(text);
            next.region(from, text.length());
            while (next.find()) {
                if (!next.group().toLowerCase(Locale.ROOT).equals(recipient)) {
                    end = next.start();
                    break;
                }
            }
        } else {
            for (String other : recipients) {
                int o = other.equals(recipient) ? -1 : lower.indexOf(other, from);
                if (o >= 0 && o < end) {
                    end = o;
                }
            }
        }
        String about = text.substring(from, Math.min(end, from + 2000));
        return about.replaceFirst("^[>:\\s\\]\\)]+", "");
    }

    /**
     * A bounce without a DSN: the recipients named in its text (not the sender, not daemons),
     * each with the words that follow it; one recipient takes the whole text.
     */
    private static List<Found> prose(Mime message) {
        String from = message.header("from").toLowerCase(Locale.ROOT);
        String subject = message.header("subject").toLowerCase(Locale.ROOT);
        boolean fromDaemon = DAEMON.matcher(from).find() || from.contains("mail delivery")
                || message.header("return-path").contains("<>") || from.isEmpty();
        boolean looksBounced = subject.matches(".*(undeliver|delivery|returned|failure|failed|could not be delivered|not delivered|"
                + "non remis|unzustellbar|nicht zugestellt|mail error|bounce|notification|error|unable to deliver|rejected).*");
        String text = humanText(message);
        if (!fromDaemon && !looksBounced) {
            return List.of();
        }
        Set<String> own = new LinkedHashSet<>();
        for (String h : List.of("from", "to", "reply-to", "sender", "return-path")) {
            Matcher m = ADDRESS.matcher(message.header(h));
            while (m.find()) {
                own.add(m.group().toLowerCase(Locale.ROOT));
            }
        }
        Map<String, Integer> recipients = new LinkedHashMap<>();
        // Exim, Gmail and Google Groups name the failed recipients in a header of their own
        Matcher failed = ADDRESS.matcher(message.header("x-failed-recipients"));
        while (failed.find()) {
            recipients.put(trimAddress(failed.group().toLowerCase(Locale.ROOT)), -1);
        }
        Matcher m = ADDRESS.matcher(recipients.isEmpty() ? text : "");
        while (m.find()) {
            String a = trimAddress(m.group().toLowerCase(Locale.ROOT));
            String local = a.substring(0, a.indexOf('@'));
            if (own.contains(a) || NOT_RECIPIENTS.contains(local) || recipients.containsKey(a) || isSender(text, m.start())) {
                continue;
            }
            recipients.put(a, m.start());
        }
        if (recipients.isEmpty()) {
            String original = originalRecipient(message);
            boolean coded = !Reasons.findStatus(text).isEmpty() || !Reasons.findReply(text).isEmpty();
            if (original == null && fromDaemon && coded) {
                // a daemon's bounce that names no one: the return path (VERP) may still say whose it is
                return List.of(new Found(null, "", text, "", "", command(text), ""));
            }
            if (original == null || (!fromDaemon && !coded)) {
                return List.of();
            }
            recipients.put(original, -1);
        }
        List<Found> out = new ArrayList<>();
        boolean one = recipients.size() == 1;
        for (String r : recipients.keySet()) {
            String after = aboutRecipient(text, r, recipients.keySet());
            boolean coded = !Reasons.findStatus(after).isEmpty() || !Reasons.findReply(after).isEmpty();
            String about = one && !coded ? text : after;
            if (!fromDaemon && Reasons.findStatus(about).isEmpty() && Reasons.findReply(about).isEmpty()) {
                continue;
            }
            String command = command(about);
            out.add(new Found(r, "", about, "", "", command.isEmpty() ? transcriptCommand(text, r) : command, ""));
        }
        return out;
    }

    /** Whether the address at this place is a sender's ("MAIL FROM: a", "From: a" in a message's details). */
    private static boolean isSender(String text, int at) {
        int line = text.lastIndexOf('\n', at - 1) + 1;
        return SENDER_BEFORE.matcher(text.substring(line, at)).find();
    }

    private static String trimAddress(String a) {
        return a.replaceAll("[.'`]+$", "");
    }

    /** The recipient of the returned copy (its To), when the bounce names none in its words. */
    private static String originalRecipient(Mime message) {
        for (Mime p : message.all()) {
            if (p.type().startsWith("message/rfc822") || p.type().startsWith("text/rfc822-headers")) {
                String to = address(Mime.parse(p.body(), 9).header("to"));
                if (to != null) {
                    return to;
                }
            }
        }
        return null;
    }

    /** An automatic reply (RFC 3834): a vacation message from its sender, unless it is a bounce in disguise. */
    private static List<Found> autoReply(Mime message) {
        String subject = message.header("subject").toLowerCase(Locale.ROOT);
        String from = message.header("from").toLowerCase(Locale.ROOT);
        if (subject.matches(".*(security information for|mail failure -).*") || from.matches(".*(root|postmaster|mailer-daemon)@.*")
                || message.header("to").toLowerCase(Locale.ROOT).contains("root@")) {
            return List.of();
        }
        boolean auto = message.header("auto-submitted").toLowerCase(Locale.ROOT).matches("auto-(generated|replied|notified).*")
                || message.header("x-auto-response-suppress").toLowerCase(Locale.ROOT).matches(".*(oof|autoreply).*")
                || message.header("x-apple-action").equalsIgnoreCase("vacation")
                || message.header("precedence").equalsIgnoreCase("auto_reply")
                || subject.matches("(auto:|auto response:|automatic reply:|out of (the )*office:).*");
        String sender = address(message.header("from"));
        if (!auto || sender == null) {
            return List.of();
        }
        String body = humanText(message).strip();
        String firstLines = String.join(" ", body.lines().filter(l -> l.contains(" ")).limit(5).toList());
        return List.of(new Found(sender, "", firstLines.isEmpty() ? subject : firstLines, "", "", "", "vacation"));
    }

    /**
     * The command a session transcript shows sent for this recipient ({@code >>> RCPT To:<a@b>}
     * just before the {@code <<<} reply), "" when the text has no such line.
     */
    private static String transcriptCommand(String text, String recipient) {
        if (text == null || recipient == null) {
            return "";
        }
        Matcher m = Pattern.compile("(?im)^\\s*>>>\\s*(RCPT|MAIL|DATA|EHLO|HELO)\\b[^\\n]*" + Pattern.quote(recipient)).matcher(text);
        return m.find() ? m.group(1).toUpperCase(Locale.ROOT) : "";
    }

    /** The SMTP command a failure was answered to, when the text says. */
    private static String command(String text) {
        Matcher m = COMMAND.matcher(text);
        if (!m.find()) {
            return "";
        }
        return (m.group(1) != null ? m.group(1) : m.group(2)).toUpperCase(Locale.ROOT);
    }

    /** The address of a DSN field ("rfc822; addr"), quoted local parts and dotless hosts included. */
    private static String dsnAddress(String field) {
        String v = field.contains(";") ? field.substring(field.indexOf(';') + 1) : field;
        v = v.strip().replaceAll("^<|>$", "").strip();
        int at = v.lastIndexOf('@');
        if (at <= 0 || at == v.length() - 1 || v.contains(" ") && !v.startsWith("\"")) {
            return address(field);
        }
        return v.toLowerCase(Locale.ROOT);
    }

    private static String address(String field) {
        if (field == null) {
            return null;
        }
        Matcher m = ADDRESS.matcher(field);
        return m.find() ? trimAddress(m.group().toLowerCase(Locale.ROOT)) : null;
    }
}
