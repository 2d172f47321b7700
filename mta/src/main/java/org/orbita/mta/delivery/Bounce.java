package org.orbita.mta.delivery;

import org.orbita.mta.bounces.Reasons;

/**
 * A failure classified as Sisimai classifies it: {@code hard} (the address will not work:
 * userunknown, hostunknown, hasmoved, a permanent notaccept), {@code soft} (every other
 * failure) or {@code complaint}, with a reason from Sisimai's vocabulary (blocked,
 * contenterror, exceedlimit, expired, filtered, hasmoved, hostunknown, mailboxfull,
 * mailererror, mesgtoobig, networkerror, norelaying, notaccept, onhold, policyviolation,
 * rejected, securityerror, spamdetected, suspend, syntaxerror, systemerror, systemfull,
 * toomanyconn, userunknown, virusdetected, feedback, vacation, undefined).
 */
public record Bounce(String kind, String reason, String status) {

    /** Classifies an SMTP reply the way a returned report of it would be ({@link Reasons}); a 4xx reply is soft whatever its reason. */
    public static Bounce of(Reply reply) {
        return of(reply, "");
    }

    /** The same, knowing the command the reply answered (MAIL, RCPT or DATA), which some of the rules weigh. */
    public static Bounce of(Reply reply, String command) {
        String status = reply.enhanced() != null ? reply.enhanced() : "";
        Reasons.Verdict v = Reasons.sisimai().verdict(status, reply.toString(), "SMTP", reply.permanent() ? "failed" : "delayed", command, "");
        String kind = reply.permanent() ? v.kind() : "soft";
        return new Bounce(kind, v.reason(), v.status().isEmpty() ? (reply.code() / 100) + ".0.0" : v.status());
    }

    /** A message that stayed in the queue past its maximum age (soft, as Sisimai says: the address may well work). */
    public static Bounce expired() {
        return new Bounce("soft", "expired", "4.4.7");
    }

    /** A domain with nowhere to deliver. */
    public static Bounce noRoute() {
        return new Bounce("hard", "hostunknown", "5.1.2");
    }
}
