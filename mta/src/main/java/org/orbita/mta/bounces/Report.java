package org.orbita.mta.bounces;

/**
 * What a returned message says: whose delivery it is about, {@code hard}, {@code soft} or
 * {@code complaint}, the reason from the common vocabulary, the status code (RFC 3463), and the
 * platform's key of the message ({@code X-Orbita-Key} of the original, which DSNs and ARF reports
 * carry back) when it is there.
 */
public record Report(String recipient, String kind, String reason, String status, String diagnostic, String key) {

    /** A report with no sender's key (the original message's {@code X-Orbita-Key} was not in it). */
    public Report(String recipient, String kind, String reason, String status, String diagnostic) {
        this(recipient, kind, reason, status, diagnostic, null);
    }

    public Report withKey(String k) {
        return new Report(recipient, kind, reason, status, diagnostic, k);
    }
}
