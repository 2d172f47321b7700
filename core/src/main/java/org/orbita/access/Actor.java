package org.orbita.access;

import java.util.Set;

/**
 * Who acts: a signed-in user, an API key (never more than its user), or the platform itself
 * (jobs, schedules, recipients' links), which may do everything.
 *
 * @param id the user's or key's id; {@code system} for the platform
 * @param workspaceId the workspace acted in; null for the platform
 * @param permissions ids such as {@code campaigns:launch}
 */
public record Actor(String id, Kind kind, String workspaceId, Set<String> permissions) {

    public enum Kind { USER, API_KEY, SYSTEM }

    public static final Actor SYSTEM = new Actor("system", Kind.SYSTEM, null, Set.of());

    public Actor {
        permissions = permissions == null ? Set.of() : Set.copyOf(permissions);
    }

    public boolean may(Permission p) {
        return kind == Kind.SYSTEM || permissions.contains(p.id());
    }

    public boolean may(Resource resource, Action action) {
        return may(new Permission(resource, action));
    }
}
