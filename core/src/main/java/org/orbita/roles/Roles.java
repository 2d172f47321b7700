package org.orbita.roles;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.BuiltInRoles;
import org.orbita.access.Permission;
import org.orbita.access.Resource;
import org.orbita.access.Role;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.settings.CachedDocuments;
import org.orbita.settings.SettingsStore;

/**
 * The roles of a workspace: the built-in ones and its own. Nobody makes or changes a role to
 * hold more than they hold themselves, so a role never becomes a way to grant oneself more.
 */
public final class Roles {

    private final CachedDocuments<Role> custom;
    private final Access access;
    private final Clock clock;

    public Roles(SettingsStore settings, Access access, Clock clock) {
        // read on every API call: kept for a few seconds
        this.custom = new CachedDocuments<>(settings, "roles", Role.class, Role::id, Duration.ofSeconds(10), clock);
        this.access = access;
        this.clock = clock;
    }

    public List<Role> list(String workspaceId) {
        access.require(Resource.USERS, Action.READ);
        List<Role> all = new ArrayList<>(BuiltInRoles.all());
        custom.list().stream().filter(r -> workspaceId.equals(r.workspaceId())).forEach(all::add);
        return all;
    }

    /** A role of the workspace (built-in or its own), read without a permission: every signed-in user needs their own. */
    public Optional<Role> find(String workspaceId, String id) {
        return BuiltInRoles.find(id).or(() -> custom.get(id).filter(r -> workspaceId.equals(r.workspaceId())));
    }

    public Role create(String workspaceId, String name, List<String> permissions) {
        access.require(Resource.USERS, Action.WRITE);
        return access.recorded(Resource.USERS, Action.WRITE, null,
                custom.put(new Role(Ids.next(), workspaceId, requireName(name), false, checked(permissions), clock.instant())));
    }

    public Role update(String workspaceId, String id, String name, List<String> permissions) {
        access.require(Resource.USERS, Action.WRITE);
        Role old = ownRole(workspaceId, id);
        return access.recorded(Resource.USERS, Action.WRITE, old,
                custom.put(new Role(old.id(), workspaceId, requireName(name), false, checked(permissions), old.created())));
    }

    /** Deletes a role of the workspace's own; {@code inUse} says whether a user or key still holds it. */
    public void delete(String workspaceId, String id, Predicate<String> inUse) {
        access.require(Resource.USERS, Action.DELETE);
        Role old = ownRole(workspaceId, id);
        if (inUse.test(old.id())) {
            throw new InvalidInputException("role", id, "is given to a user: give them another role first");
        }
        custom.delete(old.id());
        access.changed(Resource.USERS, Action.DELETE, old.id(), old, null);
    }

    private Role ownRole(String workspaceId, String id) {
        if (BuiltInRoles.find(id).isPresent()) {
            throw new InvalidInputException("role", id, "is built in and cannot be changed");
        }
        return custom.get(id).filter(r -> workspaceId.equals(r.workspaceId())).orElseThrow(() -> new NotFoundException("role", id));
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidInputException("name", name, "is required, at most 100 characters");
        }
        return name.strip();
    }

    /** Parsed, and none beyond what the one acting holds. */
    private Set<String> checked(List<String> permissions) {
        if (permissions == null) {
            throw new InvalidInputException("permissions", null, "is required: a list such as [\"campaigns:read\"]");
        }
        Set<String> ids = new TreeSet<>();
        for (int i = 0; i < permissions.size(); i++) {
            Permission p = Permission.parse("permissions[" + i + "]", permissions.get(i));
            if (!access.actor().may(p)) {
                throw new InvalidInputException("permissions[" + i + "]", p.id(), "is more than your own role allows");
            }
            ids.add(p.id());
        }
        return ids;
    }
}
