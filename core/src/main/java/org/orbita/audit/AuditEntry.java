package org.orbita.audit;

import java.time.Instant;

/**
 * One line of the audit log: who did what to which object, from where, with what outcome, and
 * digests of the object before and after (never its values: settings hold secrets). Each line
 * carries the hash of the line before it and its own, so a line changed or removed in the store
 * shows when the chain is checked.
 *
 * @param seq the line's number, one more than the line before (the chain's order)
 * @param workspaceId the workspace it happened in; null for the platform (a sign-in by an unknown email)
 * @param actorKind {@code USER}, {@code API_KEY} or {@code SYSTEM}
 * @param action a permission such as {@code campaigns:launch}, or {@code sign-in}
 * @param outcome {@code done}, {@code refused}, or a sign-in's outcome ({@code ok}, {@code failed}, {@code throttled}, {@code locked}, {@code lockout}, …)
 * @param detail what changed: the names of the fields that differ, or why it was refused
 * @param before the SHA-256 of the object before (null when it did not exist)
 * @param after the SHA-256 of the object after (null when it no longer exists)
 */
public record AuditEntry(long seq, Instant at, String workspaceId, String actorKind, String actorId, String actorName,
                         String address, String agent, String action, String objectKind, String objectId, String outcome,
                         String detail, String before, String after, String previous, String hash) {

    /** The same line, numbered and chained after {@code previous}. */
    public AuditEntry chained(long seq, String previous) {
        AuditEntry numbered = new AuditEntry(seq, at, workspaceId, actorKind, actorId, actorName, address, agent, action,
                objectKind, objectId, outcome, detail, before, after, previous, null);
        return new AuditEntry(seq, at, workspaceId, actorKind, actorId, actorName, address, agent, action,
                objectKind, objectId, outcome, detail, before, after, previous, AuditChain.hash(numbered));
    }
}
