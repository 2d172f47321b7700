package org.orbita.mta.delivery;

import java.util.Locale;

/**
 * A failure classified as bounce processors do: {@code hard} (the address will not work),
 * {@code soft} (try again later) or {@code complaint}, with a reason from the common vocabulary
 * (userunknown, mailboxfull, hostunknown, filtered, rejected, blocked, spamdetected, expired,
 * suspend, toomanyconn, securityerror, policyviolation, contenterror, systemerror,
 * networkerror, ratelimited, feedback, vacation, undefined).
 */
public record Bounce(String kind, String reason, String status) {

    /** Classifies an SMTP reply by its enhanced status code (RFC 3463), then its words. */
    public static Bounce of(Reply reply) {
        String text = reply.text().toLowerCase(Locale.ROOT);
        String status = reply.enhanced() != null ? reply.enhanced() : (reply.code() / 100) + ".0.0";
        String kind = reply.permanent() ? "hard" : "soft";
        String detail = status.substring(status.indexOf('.') + 1);
        String reason = switch (detail) {
            case "1.1", "1.0", "1.6" -> "userunknown";
            case "1.2" -> "hostunknown";
            case "2.2", "2.3" -> "mailboxfull";
            case "2.1" -> "suspend";
            case "4.4", "4.6" -> "hostunknown";
            case "4.1", "4.2", "4.3", "4.7" -> "networkerror";
            case "4.5" -> "toomanyconn";
            case "3.4" -> "contenterror";
            case "6.0", "6.1", "6.2", "6.3" -> "contenterror";
            case "7.1" -> "blocked";
            case "7.0", "7.7", "7.9", "7.10" -> "securityerror";
            case "7.26", "7.27", "7.25", "7.23" -> "policyviolation";
            case "3.0", "3.1", "3.2", "3.5" -> "systemerror";
            default -> "undefined";
        };
        if (text.contains("spam") || text.contains("junk")) {
            reason = "spamdetected";
        } else if (text.matches(".*(rate limit|too many (messages|emails)|try again later|throttl|slow down).*")) {
            reason = "ratelimited";
        } else if (text.matches(".*(too many connections|connection limit).*")) {
            reason = "toomanyconn";
        } else if (reason.equals("undefined") && text.matches(".*(user unknown|no such user|does not exist|unknown user|invalid recipient|recipient rejected).*")) {
            reason = "userunknown";
        } else if (reason.equals("undefined") && text.matches(".*(mailbox full|quota|over quota|insufficient storage).*")) {
            reason = "mailboxfull";
        } else if (reason.equals("undefined") && text.matches(".*(blocked|blacklist|blocklist|denied|reputation).*")) {
            reason = "blocked";
        }
        if (reason.equals("mailboxfull") || reason.equals("ratelimited") || reason.equals("toomanyconn")) {
            kind = reply.permanent() && reason.equals("mailboxfull") ? "soft" : kind;
        }
        return new Bounce(kind, reason, status);
    }

    /** A message that stayed in the queue past its maximum age. */
    public static Bounce expired() {
        return new Bounce("hard", "expired", "4.4.7");
    }

    /** A domain with nowhere to deliver. */
    public static Bounce noRoute() {
        return new Bounce("hard", "hostunknown", "5.1.2");
    }
}
