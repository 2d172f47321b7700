package org.orbita.access;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * A named set of permissions, given to a user in a workspace (and through the user to its API
 * keys). The built-in ones are the same in every workspace; custom ones belong to one.
 *
 * @param workspaceId the workspace of a custom role; null for a built-in one
 * @param permissions ids such as {@code campaigns:launch}
 */
public record Role(String id, String workspaceId, String name, boolean builtIn, Set<String> permissions, Instant created) {

    public Role {
        permissions = permissions == null ? Set.of() : Set.copyOf(new TreeSet<>(permissions));
    }

    public boolean allows(Permission p) {
        return permissions.contains(p.id());
    }

    public boolean allows(Resource resource, Action action) {
        return permissions.contains(resource.id() + ":" + action.id());
    }
}
