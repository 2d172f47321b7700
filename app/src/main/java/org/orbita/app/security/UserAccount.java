package org.orbita.app.security;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.orbita.access.BuiltInRoles;

/**
 * A person who signs in to the web UI; {@code passwordHash} is BCrypt (null until an invited
 * user sets one).
 *
 * @param roles the role held in each workspace (workspace id to role id)
 * @param active false once deactivated: such a user cannot sign in, their keys stop working
 * @param superAdmin may make workspaces and act as an owner in every one
 */
public record UserAccount(
        String id, String email, String name, String passwordHash, List<String> workspaceIds, String locale, Instant created,
        Map<String, String> roles, Boolean active, boolean superAdmin, TwoFactor twoFactor, List<String> previousHashes,
        Instant passwordChanged, Map<String, List<String>> groups) {

    /**
     * A second factor: a TOTP secret (Base32), enabled once a code from it was typed; the last
     * step a code was taken at (a code is taken once); the SHA-256 of each unused recovery code.
     */
    public record TwoFactor(String secret, boolean enabled, long lastStep, List<String> recoveryHashes) {
        public TwoFactor {
            recoveryHashes = recoveryHashes == null ? List.of() : List.copyOf(recoveryHashes);
        }
    }

    public UserAccount {
        workspaceIds = workspaceIds == null ? List.of() : List.copyOf(workspaceIds);
        locale = locale == null ? "en" : locale;
        if (roles == null) {
            // kept before roles existed, when every user administered their workspaces
            Map<String, String> owner = new HashMap<>();
            workspaceIds.forEach(w -> owner.put(w, BuiltInRoles.OWNER));
            roles = owner;
        }
        roles = Map.copyOf(roles);
        active = active == null || active;
        previousHashes = previousHashes == null ? List.of() : List.copyOf(previousHashes);
        groups = groups == null ? Map.of() : Map.copyOf(groups);
    }

    /** The groups whose objects the user sees in a workspace: "main" (everything) unless given others; a super-admin sees all. */
    public List<String> groupsIn(String workspaceId) {
        List<String> in = superAdmin ? null : groups.get(workspaceId);
        return in == null || in.isEmpty() ? List.of(org.orbita.access.Actor.ALL_GROUPS) : in;
    }

    /** In these groups of a workspace. */
    public UserAccount withGroups(String workspaceId, List<String> workspaceGroups) {
        Map<String, List<String>> changed = new HashMap<>(groups);
        changed.put(workspaceId, List.copyOf(workspaceGroups));
        return new UserAccount(id, email, name, passwordHash, workspaceIds, locale, created, roles, active, superAdmin, twoFactor,
                previousHashes, passwordChanged, changed);
    }

    /** Kept: the hashes of this many earlier passwords, newest first (a policy refuses up to 24 of them again). */
    public static final int HISTORY_KEPT = 24;

    public UserAccount withLocale(String newLocale) {
        return new UserAccount(id, email, name, passwordHash, workspaceIds, newLocale, created, roles, active, superAdmin, twoFactor, previousHashes, passwordChanged, groups);
    }

    /** A new password's hash, set at {@code at}; the one it replaces joins the history. */
    public UserAccount withPassword(String hash, Instant at) {
        List<String> history = new java.util.ArrayList<>();
        if (passwordHash != null) {
            history.add(passwordHash);
        }
        history.addAll(previousHashes);
        return new UserAccount(id, email, name, hash, workspaceIds, locale, created, roles, active, superAdmin, twoFactor,
                history.subList(0, Math.min(HISTORY_KEPT, history.size())), at, groups);
    }

    public UserAccount withName(String newName) {
        return new UserAccount(id, email, newName, passwordHash, workspaceIds, locale, created, roles, active, superAdmin, twoFactor, previousHashes, passwordChanged, groups);
    }

    public UserAccount withActive(boolean nowActive) {
        return new UserAccount(id, email, name, passwordHash, workspaceIds, locale, created, roles, nowActive, superAdmin, twoFactor, previousHashes, passwordChanged, groups);
    }

    public UserAccount withSuperAdmin(boolean across) {
        return new UserAccount(id, email, name, passwordHash, workspaceIds, locale, created, roles, active, across, twoFactor, previousHashes, passwordChanged, groups);
    }

    public UserAccount withTwoFactor(TwoFactor factor) {
        return new UserAccount(id, email, name, passwordHash, workspaceIds, locale, created, roles, active, superAdmin, factor, previousHashes, passwordChanged, groups);
    }

    public boolean twoFactorOn() {
        return twoFactor != null && twoFactor.enabled();
    }

    /** In a workspace with a role; {@code roleId} null takes the user out of it. */
    public UserAccount withRole(String workspaceId, String roleId) {
        Map<String, String> newRoles = new HashMap<>(roles);
        List<String> newWorkspaces = new java.util.ArrayList<>(workspaceIds);
        if (roleId == null) {
            newRoles.remove(workspaceId);
            newWorkspaces.remove(workspaceId);
        } else {
            newRoles.put(workspaceId, roleId);
            if (!newWorkspaces.contains(workspaceId)) {
                newWorkspaces.add(workspaceId);
            }
        }
        return new UserAccount(id, email, name, passwordHash, newWorkspaces, locale, created, newRoles, active, superAdmin, twoFactor, previousHashes, passwordChanged, groups);
    }

    /** The role held in a workspace: a super-admin is an owner everywhere; null when not a member. */
    public String roleIn(String workspaceId) {
        if (superAdmin) {
            return BuiltInRoles.OWNER;
        }
        return workspaceIds.contains(workspaceId) ? roles.get(workspaceId) : null;
    }
}
