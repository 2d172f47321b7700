package org.orbita.mta.bounces;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orbita.mta.delivery.Bounce;
import org.orbita.mta.delivery.Reply;

/**
 * Reads messages that come back: delivery status notifications (RFC 3464, one report per
 * failed or delayed recipient), feedback reports (ARF, RFC 5965: complaints), out-of-office
 * replies, and bounces in prose from servers that send no DSN (status codes and wording).
 */
public final class BounceReader {

    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=\"?([^\";\\r\\n]+)\"?");
    private static final Pattern STATUS = Pattern.compile("\\b([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");
    private static final Pattern SMTP_CODE = Pattern.compile("\\b([245]\\d\\d)[ -]");
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+=-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

    private BounceReader() {}

    /** The reports a returned message holds (empty when it is not a bounce at all). */
    public static List<Report> read(byte[] raw) {
        Part message = Part.parse(new String(raw, StandardCharsets.ISO_8859_1));
        String type = message.header("content-type").toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/report")) {
            List<Part> parts = message.parts();
            String key = originalKey(parts);
            if (type.contains("feedback-report")) {
                return feedback(parts).stream().map(r -> r.withKey(key)).toList();
            }
            if (type.contains("delivery-status")) {
                return deliveryStatus(parts).stream().map(r -> r.withKey(key)).toList();
            }
        }
        String auto = message.header("auto-submitted").toLowerCase(Locale.ROOT);
        String subject = message.header("subject").toLowerCase(Locale.ROOT);
        if (auto.startsWith("auto-replied") || subject.matches(".*(out of (the )?office|autoreply|auto-reply|vacation|отпуск|автоответ).*")) {
            return List.of(new Report(null, "soft", "vacation", null, subject));
        }
        return prose(message);
    }

    /** The platform's key of the original message, from the copy or the headers a report returns. */
    private static String originalKey(List<Part> parts) {
        for (Part q : parts) {
            String t = q.header("content-type").toLowerCase(Locale.ROOT);
            if (t.startsWith("message/rfc822") || t.startsWith("text/rfc822-headers")) {
                String key = Part.parse(q.body()).header("x-orbita-key").strip();
                if (!key.isEmpty()) {
                    return key;
                }
            }
        }
        return null;
    }

    private static List<Report> feedback(List<Part> parts) {
        for (Part p : parts) {
            if (p.header("content-type").toLowerCase(Locale.ROOT).startsWith("message/feedback-report")) {
                Map<String, String> f = fields(p.body());
                String rcpt = address(f.getOrDefault("original-rcpt-to", ""));
                if (rcpt == null) {
                    for (Part q : parts) {
                        String t = q.header("content-type").toLowerCase(Locale.ROOT);
                        if (t.startsWith("message/rfc822") || t.startsWith("text/rfc822-headers")) {
                            rcpt = address(Part.parse(q.body()).header("to"));
                        }
                    }
                }
                return List.of(new Report(rcpt, "complaint", "feedback", null, f.getOrDefault("feedback-type", "abuse")));
            }
        }
        return List.of();
    }

    private static List<Report> deliveryStatus(List<Part> parts) {
        for (Part p : parts) {
            if (!p.header("content-type").toLowerCase(Locale.ROOT).startsWith("message/delivery-status")) {
                continue;
            }
            List<Report> out = new ArrayList<>();
            String[] groups = p.body().replace("\r\n", "\n").split("\n\\s*\n");
            for (int i = 1; i < groups.length; i++) { // the first group is about the message
                Map<String, String> f = fields(groups[i]);
                String action = f.getOrDefault("action", "").toLowerCase(Locale.ROOT);
                if (!action.equals("failed") && !action.equals("delayed")) {
                    continue;
                }
                String status = f.getOrDefault("status", "").strip();
                String diagnostic = f.getOrDefault("diagnostic-code", "");
                String diag = diagnostic.contains(";") ? diagnostic.substring(diagnostic.indexOf(';') + 1).strip() : diagnostic.strip();
                Matcher code = SMTP_CODE.matcher(diag + " ");
                int smtp = code.find() ? Integer.parseInt(code.group(1)) : status.startsWith("5") ? 550 : 450;
                Bounce b = Bounce.of(new Reply(smtp, status.isEmpty() ? null : status, diag));
                String kind = action.equals("delayed") ? "soft" : b.kind();
                out.add(new Report(address(f.getOrDefault("final-recipient", f.getOrDefault("original-recipient", ""))), kind, b.reason(),
                        b.status(), diag));
            }
            return out;
        }
        return List.of();
    }

    /** A bounce without a DSN: the first status code or SMTP reply in its text, and the address nearest to it. */
    private static List<Report> prose(Part message) {
        String text = message.allText();
        String from = message.header("from").toLowerCase(Locale.ROOT);
        boolean fromDaemon = from.contains("mailer-daemon") || from.contains("postmaster") || message.header("return-path").contains("<>");
        Matcher status = STATUS.matcher(text);
        Matcher code = SMTP_CODE.matcher(text);
        if (!fromDaemon && !status.find()) {
            return List.of();
        }
        status.reset();
        String s = status.find() ? status.group() : null;
        int smtp = code.find() ? Integer.parseInt(code.group(1)) : s != null && s.startsWith("5") ? 550 : 450;
        int at = s != null ? text.indexOf(s) : code.hitEnd() ? 0 : code.start();
        String line = text.substring(Math.max(0, at - 200), Math.min(text.length(), at + 300));
        Bounce b = Bounce.of(new Reply(smtp, s, line));
        Matcher a = ADDRESS.matcher(line);
        String rcpt = a.find() ? a.group() : null;
        return List.of(new Report(rcpt, b.kind(), b.reason(), b.status(), line.strip().replaceAll("\\s+", " ")));
    }

    private static Map<String, String> fields(String block) {
        Map<String, String> out = new LinkedHashMap<>();
        String last = null;
        for (String line : block.replace("\r\n", "\n").split("\n")) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                out.put(last, out.get(last) + " " + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                out.put(last, line.substring(colon + 1).strip());
            }
        }
        return out;
    }

    private static String address(String field) {
        if (field == null) {
            return null;
        }
        Matcher m = ADDRESS.matcher(field);
        return m.find() ? m.group().toLowerCase(Locale.ROOT) : null;
    }

    /** A MIME part: its headers and body; multipart bodies split by their boundary. */
    private record Part(Map<String, String> headers, String body) {

        static Part parse(String text) {
            String t = text.replace("\r\n", "\n");
            int split = t.indexOf("\n\n");
            String head = split < 0 ? t : t.substring(0, split);
            String body = split < 0 ? "" : t.substring(split + 2);
            return new Part(fields(head), body);
        }

        String header(String name) {
            return headers.getOrDefault(name, "");
        }

        List<Part> parts() {
            Matcher m = BOUNDARY.matcher(header("content-type"));
            List<Part> out = new ArrayList<>();
            if (!m.find()) {
                return out;
            }
            String[] chunks = body.split("(?m)^--" + Pattern.quote(m.group(1)) + "(--)?[ \\t]*$");
            for (int i = 1; i < chunks.length; i++) {
                String c = chunks[i].startsWith("\n") ? chunks[i].substring(1) : chunks[i];
                if (!c.isBlank()) {
                    out.add(parse(c));
                }
            }
            return out;
        }

        String allText() {
            List<Part> parts = parts();
            if (parts.isEmpty()) {
                return body;
            }
            StringBuilder s = new StringBuilder();
            for (Part p : parts) {
                s.append(p.allText()).append('\n');
            }
            return s.toString();
        }
    }
}
