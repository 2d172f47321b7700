package org.orbita.audit;

import java.time.Instant;

/**
 * What to show of the audit log; null parts match everything.
 *
 * @param workspaceId one workspace's lines (null: every workspace and the platform's, for a super-admin)
 * @param actor a user's or key's id, or a part of its name (an email)
 * @param action a permission id such as {@code campaigns:write}, or a resource kind such as {@code campaigns}, or {@code sign-in}
 * @param objectId one object's lines
 * @param beforeSeq the next page: lines numbered below it (0: from the newest)
 */
public record AuditQuery(String workspaceId, Instant from, Instant to, String actor, String action, String objectKind,
                         String objectId, String outcome, long beforeSeq) {

    public static AuditQuery workspace(String workspaceId) {
        return new AuditQuery(workspaceId, null, null, null, null, null, null, null, 0);
    }

    public AuditQuery before(long seq) {
        return new AuditQuery(workspaceId, from, to, actor, action, objectKind, objectId, outcome, seq);
    }

    /** Whether a line matches (the stores filter in their query language; this is the one meaning both follow). */
    public boolean matches(AuditEntry e) {
        return (workspaceId == null || workspaceId.equals(e.workspaceId()))
                && (from == null || !e.at().isBefore(from))
                && (to == null || e.at().isBefore(to))
                && (actor == null || actor.equals(e.actorId()) || (e.actorName() != null && e.actorName().toLowerCase().contains(actor.toLowerCase())))
                && (action == null || action.equals(e.action()) || (e.action() != null && e.action().startsWith(action + ":")))
                && (objectKind == null || objectKind.equals(e.objectKind()))
                && (objectId == null || objectId.equals(e.objectId()))
                && (outcome == null || outcome.equals(e.outcome()))
                && (beforeSeq <= 0 || e.seq() < beforeSeq);
    }
}
