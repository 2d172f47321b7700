package org.orbita.access;

import java.util.Set;

/**
 * Who acts: a signed-in user, an API key (never more than its user), or the platform itself
 * (jobs, schedules, recipients' links), which may do everything.
 *
 * @param id the user's or key's id; {@code system} for the platform
 * @param workspaceId the workspace acted in; null for the platform
 * @param permissions ids such as {@code campaigns:launch}
 * @param groups the groups whose objects it sees ({@value #ALL_GROUPS}, the default, sees all)
 */
public record Actor(String id, Kind kind, String workspaceId, Set<String> permissions, Set<String> groups) {

    public enum Kind { USER, API_KEY, SYSTEM }

    /** The group that holds everything: its members see every object. */
    public static final String ALL_GROUPS = "main";

    public static final Actor SYSTEM = new Actor("system", Kind.SYSTEM, null, Set.of());

    public Actor {
        permissions = permissions == null ? Set.of() : Set.copyOf(permissions);
        groups = groups == null || groups.isEmpty() ? Set.of(ALL_GROUPS) : Set.copyOf(groups);
    }

    /** One who sees every object (in the group that holds everything). */
    public Actor(String id, Kind kind, String workspaceId, Set<String> permissions) {
        this(id, kind, workspaceId, permissions, Set.of(ALL_GROUPS));
    }

    public boolean may(Permission p) {
        return kind == Kind.SYSTEM || permissions.contains(p.id());
    }

    public boolean may(Resource resource, Action action) {
        return may(new Permission(resource, action));
    }
}
