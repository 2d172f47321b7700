package org.orbita.app.security;

import java.time.Instant;
import java.util.List;

/**
 * A stored API key: only the SHA-256 of its secret is kept; the key itself
 * ({@code orb_<id>_<secret>}) is shown once, when created.
 *
 * @param ownerId the user the key acts for, never beyond their role; null for the workspace's
 *                service account (the key set by the operator), which acts as an administrator
 * @param expires when it stops working; null for never
 * @param lastUsed when it was last presented, to the hour
 */
public record ApiKey(String id, String workspaceId, String name, String secretHash, List<String> scopes, Instant created,
                     String ownerId, Instant expires, Instant lastUsed, List<String> groups) {

    public ApiKey {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    public ApiKey usedAt(Instant at) {
        return new ApiKey(id, workspaceId, name, secretHash, scopes, created, ownerId, expires, at, groups);
    }

    /** What the key sees: its user's groups, narrowed to the key's own when it names some. */
    public java.util.Set<String> sight(List<String> ownersGroups) {
        if (groups.isEmpty()) {
            return java.util.Set.copyOf(ownersGroups);
        }
        if (ownersGroups.contains(org.orbita.access.Actor.ALL_GROUPS)) {
            return java.util.Set.copyOf(groups);
        }
        return groups.stream().filter(ownersGroups::contains).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
