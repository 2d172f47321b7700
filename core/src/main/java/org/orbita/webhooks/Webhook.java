package org.orbita.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * A workspace's subscription to its events: what is sent where. Stored as a settings document;
 * the secret is the receiver's key to check each call ({@link WebhookSignature}) and is never
 * shown again after it is made.
 *
 * @param events       event types, {@code *} for all, {@code profile.*} for a family
 * @param databases    database keys whose events are sent; empty: every database of the workspace
 * @param noticeEmails who is told when the webhook is disabled for failing (comma-separated), or null
 * @param failures     calls failed in a row since the last success
 * @param failingSince the first of those failures, or null while calls succeed
 * @param disabled     why it stopped sending (failing too long, or a person), or null while it sends
 */
public record Webhook(String workspaceId, String id, String name, String url, List<String> events, List<String> databases, String secret,
                      String noticeEmails, boolean enabled, int failures, Instant failingSince, String disabled, Instant disabledAt,
                      Instant created, Instant updated) {

    public Webhook {
        events = events == null ? List.of() : List.copyOf(events);
        databases = databases == null ? List.of() : List.copyOf(databases);
    }

    /** Whether an event of this type from this database is sent here. */
    public boolean wants(String type, String databaseId) {
        if (!databases.isEmpty() && !databases.contains(databaseId)) {
            return false;
        }
        for (String e : events) {
            if (e.equals("*") || e.equals(type) || (e.endsWith(".*") && type.startsWith(e.substring(0, e.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    Webhook succeeded(Instant now) {
        return new Webhook(workspaceId, id, name, url, events, databases, secret, noticeEmails, enabled, 0, null, disabled, disabledAt, created, now);
    }

    Webhook failed(Instant now) {
        return new Webhook(workspaceId, id, name, url, events, databases, secret, noticeEmails, enabled, failures + 1,
                failingSince == null ? now : failingSince, disabled, disabledAt, created, now);
    }

    Webhook disabledFor(String why, Instant now) {
        return new Webhook(workspaceId, id, name, url, events, databases, secret, noticeEmails, false, failures, failingSince, why, now, created, now);
    }

    Webhook enabled(Instant now) {
        return new Webhook(workspaceId, id, name, url, events, databases, secret, noticeEmails, true, 0, null, null, null, created, now);
    }

    Webhook withSecret(String newSecret, Instant now) {
        return new Webhook(workspaceId, id, name, url, events, databases, newSecret, noticeEmails, enabled, failures, failingSince, disabled,
                disabledAt, created, now);
    }
}
