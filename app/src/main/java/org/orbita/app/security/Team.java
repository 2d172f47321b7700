package org.orbita.app.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Actor;
import org.orbita.access.BuiltInRoles;
import org.orbita.access.ForbiddenException;
import org.orbita.access.Resource;
import org.orbita.access.Role;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.groups.Groups;
import org.orbita.profiles.Channel;
import org.orbita.roles.Roles;
import org.orbita.settings.Documents;
import org.orbita.settings.KeptSecrets;
import org.orbita.settings.SettingsStore;
import org.springframework.stereotype.Service;

/**
 * The people of a workspace and their keys, as its administrators manage them: invitations
 * (a link to set a password, expiring), roles, deactivation, removal; API keys that never hold
 * more than the one who makes them. Every operation asks {@link Access} first, so the REST API
 * and the pages meet the same rules.
 */
@Service
public class Team {

    /** How long an invitation's link works. */
    public static final Duration INVITATION = Duration.ofHours(72);

    /** An invitation: the SHA-256 of its token, whom it is for, until when, and its mail. */
    public record Invitation(String tokenHash, String userId, String workspaceId, Instant expires, TeamMail.Mailed mail) {}

    /** A user as a workspace sees them. */
    public record Member(String id, String email, String name, String role, boolean active, boolean passwordSet, List<String> groups) {}

    /** An invitation made: the member, the link's token and whole link (shown once), until when, and what became of its mail. */
    public record Invited(Member member, String token, String link, Instant expires, TeamMail.Mailed mail) {}

    /** A member's open invitation: until when, and what became of its mail since. */
    public record Pending(String userId, Instant expires, boolean expired, TeamMail.Mailed mail) {}

    private final Accounts accounts;
    private final Roles roles;
    private final Access access;
    private final Documents<Invitation> invitations;
    private final Clock clock;

    private final SecurityPolicies policies;
    private final Groups groups;
    private final TeamMail mail;

    public Team(Accounts accounts, Roles roles, Access access, SettingsStore settings, Clock clock, SecurityPolicies policies, Groups groups,
                TeamMail mail) {
        this.mail = mail;
        this.policies = policies;
        this.groups = groups;
        this.accounts = accounts;
        this.roles = roles;
        this.access = access;
        this.invitations = new Documents<>(settings, "invitations", Invitation.class, Invitation::tokenHash);
        this.clock = clock;
    }

    public List<Member> members(String workspaceId) {
        access.require(Resource.USERS, Action.READ);
        return accounts.usersOf(workspaceId).stream().map(u -> member(u, workspaceId)).toList();
    }

    public Member member(String workspaceId, String userId) {
        access.require(Resource.USERS, Action.READ);
        return member(userOf(workspaceId, userId), workspaceId);
    }

    /**
     * Invites someone by email with a role: a new user without a password, or one who already
     * has an account joining this workspace; the token is for a link to set a password.
     */
    public Invited invite(String workspaceId, String email, String name, String roleId) {
        access.require(Resource.USERS, Action.WRITE);
        String address;
        try {
            address = Channel.EMAIL.normalize(email); // the platform's one rule for an address (lower-cased)
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("email", email, "must be an email address");
        }
        Role role = grantable(workspaceId, roleId);
        Optional<UserAccount> existing = accounts.findUser(address);
        if (existing.isPresent() && existing.get().workspaceIds().contains(workspaceId)) {
            throw new InvalidInputException("email", email, "is already a member of this workspace");
        }
        String shownName = name == null || name.isBlank() ? address.substring(0, address.indexOf('@')) : name.strip();
        UserAccount user = existing.map(u -> accounts.saveUser(u.withRole(workspaceId, role.id())))
                .orElseGet(() -> accounts.createUser(address, shownName, null, Map.of(workspaceId, role.id())));
        Actor inviter = access.actor();
        if (!inviter.groups().contains(Groups.MAIN)) {
            // one who sees only some groups brings people into those, never into more
            user = accounts.saveUser(user.withGroups(workspaceId, List.copyOf(inviter.groups())));
        }
        Member invited = access.recorded(Resource.USERS, Action.WRITE, null, member(user, workspaceId));
        return sendInvitation(workspaceId, user, invited);
    }

    /**
     * A new invitation for a member who has not set a password yet (the first one expired or was
     * lost): the earlier links stop working, and the mail goes again.
     */
    public Invited reinvite(String workspaceId, String userId) {
        access.require(Resource.USERS, Action.WRITE);
        UserAccount user = userOf(workspaceId, userId);
        if (user.passwordHash() != null) {
            throw new InvalidInputException("id", userId, "has set a password already: they sign in (or reset it from My account)");
        }
        Member m = access.recorded(Resource.USERS, Action.WRITE, member(user, workspaceId), member(user, workspaceId));
        return sendInvitation(workspaceId, user, m);
    }

    /** A member's newest invitation and its mail's state now; none when they have no open invitation. */
    public Optional<Pending> pending(String workspaceId, String userId) {
        access.require(Resource.USERS, Action.READ);
        userOf(workspaceId, userId);
        return newest(workspaceId, userId).map(i -> new Pending(userId, i.expires(), !clock.instant().isBefore(i.expires()),
                mail.since(workspaceId, i.mail())));
    }

    private Optional<Invitation> newest(String workspaceId, String userId) {
        return invitations.list().stream().filter(i -> i.userId().equals(userId) && i.workspaceId().equals(workspaceId))
                .max(java.util.Comparator.comparing(Invitation::expires));
    }

    private Invited sendInvitation(String workspaceId, UserAccount user, Member member) {
        // one open link per person and workspace: a new one ends the others
        invitations.list().stream().filter(i -> i.userId().equals(user.id()) && i.workspaceId().equals(workspaceId))
                .forEach(i -> invitations.delete(i.tokenHash()));
        // the link's token: 32 random bytes, URL-safe; only its SHA-256 is kept
        String token = KeptSecrets.random(32).replace('+', '-').replace('/', '_').replace("=", "");
        Instant expires = clock.instant().plus(INVITATION);
        Actor inviter = access.actor();
        // the person inviting: the signed-in user, or the owner of the key that asks
        String byId = inviter.kind() == Actor.Kind.USER ? inviter.id()
                : inviter.kind() == Actor.Kind.API_KEY ? accounts.keyOwner(inviter.id()) : null;
        UserAccount by = byId == null ? null : accounts.user(byId).orElse(null);
        String workspace = accounts.workspace(workspaceId).map(Workspace::name).orElse(workspaceId);
        TeamMail.Mailed mailed = mail.invitation(workspaceId, workspace, user.email(), user.name(), by == null ? null : by.name(), token,
                expires, by == null ? null : by.locale());
        invitations.put(new Invitation(Accounts.sha256(token), user.id(), workspaceId, expires, mailed));
        return new Invited(member, token, mail.invitationLink(token), expires, mailed);
    }

    /** Sets the password of an invited user from their link; an expired or used link is refused. Needs no signed-in user. */
    public UserAccount accept(String token, String password) {
        Invitation invitation = invitations.get(Accounts.sha256(token == null ? "" : token))
                .orElseThrow(() -> new InvalidInputException("token", null, "this invitation link is not valid (used or never made)"));
        if (!clock.instant().isBefore(invitation.expires())) {
            invitations.delete(invitation.tokenHash());
            throw new InvalidInputException("token", null, "this invitation link has expired: ask for a new one");
        }
        UserAccount user = accounts.user(invitation.userId()).orElseThrow(() -> new NotFoundException("user", invitation.userId()));
        // the invited workspace's rules, and every other workspace's the user is already in
        UserAccount set = accounts.setPassword(user, password, policies.passwordPolicyFor(user));
        invitations.delete(invitation.tokenHash());
        return set;
    }

    /** Gives a member another role: never one with more than the giver holds, the owner's only by an owner; nobody changes their own. */
    public Member setRole(String workspaceId, String userId, String roleId) {
        access.require(Resource.USERS, Action.WRITE);
        UserAccount user = userOf(workspaceId, userId);
        notSelf(userId, "role");
        Role role = grantable(workspaceId, roleId);
        leavesAnOwner(workspaceId, user, role.id());
        return access.recorded(Resource.USERS, Action.WRITE, member(user, workspaceId),
                member(accounts.saveUser(user.withRole(workspaceId, role.id())), workspaceId));
    }

    /**
     * Puts a member in groups: they then see those groups' objects only ({@value Groups#MAIN}: all).
     * Nobody gives a group they are not in themselves; nobody changes their own.
     */
    public Member setGroups(String workspaceId, String userId, List<String> wanted) {
        access.require(Resource.USERS, Action.WRITE);
        UserAccount user = userOf(workspaceId, userId);
        notSelf(userId, "groups");
        List<String> checked = groups.checkedGroups(workspaceId, "groups", wanted);
        Actor actor = access.actor();
        if (!actor.groups().contains(Groups.MAIN)) {
            for (int i = 0; i < checked.size(); i++) {
                if (!actor.groups().contains(checked.get(i))) {
                    throw refused(Resource.USERS, "groups[" + i + "]", checked.get(i), "is not one of your groups: nobody gives more sight than they have");
                }
            }
        }
        return access.recorded(Resource.USERS, Action.WRITE, member(user, workspaceId),
                member(accounts.saveUser(user.withGroups(workspaceId, checked)), workspaceId));
    }

    private static final Pattern WORKSPACE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /**
     * Makes a workspace: only a super-administrator may (the first user is one), and becomes its
     * owner; the workspace starts empty — its databases, people and keys are its own.
     */
    public Workspace createWorkspace(String id, String name) {
        Actor actor = access.actor();
        String maker = switch (actor.kind()) {
            case USER -> actor.id();
            case API_KEY -> accounts.keyOwner(actor.id());
            case SYSTEM -> null;
        };
        UserAccount superAdmin = maker == null ? null : accounts.user(maker).filter(UserAccount::superAdmin).orElse(null);
        if (actor.kind() != Actor.Kind.SYSTEM && superAdmin == null) {
            access.refused(Resource.SETTINGS, Action.WRITE, id, "only a super-administrator makes workspaces");
            throw new ForbiddenException("only a super-administrator makes workspaces");
        }
        List<FieldError> errors = new ArrayList<>();
        if (id == null || !WORKSPACE_ID.matcher(id).matches()) {
            errors.add(FieldError.of("id", id, "must be 1-63 characters of a-z, 0-9 and -, starting with a letter or digit"));
        } else if (accounts.workspace(id).isPresent()) {
            errors.add(FieldError.of("id", id, "a workspace with this id exists"));
        }
        if (name == null || name.isBlank() || name.length() > 100) {
            errors.add(FieldError.of("name", name, "is required, at most 100 characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Workspace made = accounts.createWorkspace(id, name.strip());
        if (superAdmin != null) {
            accounts.saveUser(superAdmin.withRole(id, BuiltInRoles.OWNER));
        }
        access.changed(Resource.SETTINGS, Action.WRITE, "workspace:" + id, null, made);
        return made;
    }

    /** Whether the one acting (a user, or a key's user) is a super-administrator, who makes workspaces. */
    public boolean superAdmin() {
        Actor actor = access.actor();
        String who = actor.kind() == Actor.Kind.API_KEY ? accounts.keyOwner(actor.id()) : actor.id();
        return actor.kind() == Actor.Kind.SYSTEM || who != null && accounts.user(who).map(UserAccount::superAdmin).orElse(false);
    }

    /** The workspaces one may open: a member's own. */
    public List<Workspace> workspaces() {
        Actor actor = access.actor();
        String who = actor.kind() == Actor.Kind.API_KEY ? accounts.keyOwner(actor.id()) : actor.id();
        return who == null ? accounts.workspace(actor.workspaceId()).stream().toList()
                : accounts.user(who).map(accounts::workspacesOf).orElse(List.of());
    }

    /** Deactivates or reactivates a member: a deactivated one cannot sign in and their keys stop working. */
    public Member setActive(String workspaceId, String userId, boolean active) {
        access.require(Resource.USERS, Action.WRITE);
        UserAccount user = userOf(workspaceId, userId);
        notSelf(userId, "active");
        if (!active) {
            leavesAnOwner(workspaceId, user, null);
        }
        return access.recorded(Resource.USERS, Action.WRITE, member(user, workspaceId), member(accounts.saveUser(user.withActive(active)), workspaceId));
    }

    /** Takes a member out of the workspace; a user left in no workspace is deleted with their keys. */
    public void remove(String workspaceId, String userId) {
        access.require(Resource.USERS, Action.DELETE);
        UserAccount user = userOf(workspaceId, userId);
        notSelf(userId, "user");
        leavesAnOwner(workspaceId, user, null);
        UserAccount left = user.withRole(workspaceId, null);
        if (left.workspaceIds().isEmpty() && !left.superAdmin()) {
            accounts.deleteUser(userId);
        } else {
            accounts.saveUser(left);
            accounts.keys(workspaceId).stream().filter(k -> userId.equals(k.ownerId())).forEach(k -> accounts.revokeKey(workspaceId, k.id()));
        }
        access.changed(Resource.USERS, Action.DELETE, userId, member(user, workspaceId), null);
    }

    public List<ApiKey> keys(String workspaceId) {
        access.require(Resource.API_KEYS, Action.READ);
        return accounts.keys(workspaceId);
    }

    /**
     * Makes a key acting for the one who asks (a key's own user when a key asks), with scopes
     * whose permissions they all hold: a key never mints a key with more.
     */
    public String createKey(String workspaceId, String name, List<String> scopes, Instant expires) {
        return createKey(workspaceId, name, scopes, expires, List.of());
    }

    /** The same, seeing only some of one's groups ({@code groups} empty: all of them): scopes ∩ role ∩ groups. */
    public String createKey(String workspaceId, String name, List<String> scopes, Instant expires, List<String> keyGroups) {
        access.require(Resource.API_KEYS, Action.WRITE);
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidInputException("name", name, "is required, at most 100 characters");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw new InvalidInputException("scopes", null, "at least one of " + Scope.ids());
        }
        Actor actor = access.actor();
        for (int i = 0; i < scopes.size(); i++) {
            Scope scope;
            try {
                scope = Scope.fromId(scopes.get(i));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("scopes[" + i + "]", scopes.get(i), e.getMessage());
            }
            for (String p : scope.permissions()) {
                if (actor.kind() != Actor.Kind.SYSTEM && !actor.permissions().contains(p)) {
                    throw refused(Resource.API_KEYS, "scopes[" + i + "]", scope.id(), "is more than your own role allows (" + p + ")");
                }
            }
        }
        if (expires != null && !expires.isAfter(clock.instant())) {
            throw new InvalidInputException("expires", expires.toString(), "must be in the future");
        }
        List<String> sight = keyGroups == null || keyGroups.isEmpty() ? List.of() : groups.checkedGroups(workspaceId, "groups", keyGroups);
        if (!actor.groups().contains(Groups.MAIN)) {
            for (int i = 0; i < sight.size(); i++) {
                if (!actor.groups().contains(sight.get(i))) {
                    throw refused(Resource.API_KEYS, "groups[" + i + "]", sight.get(i), "is not one of your groups: a key never sees more than you");
                }
            }
        }
        String key = accounts.createKey(workspaceId, name.strip(), scopes, ownerOfNewKey(actor), expires, sight);
        access.changed(Resource.API_KEYS, Action.WRITE, Accounts.keyId(key), null,
                Map.of("name", name.strip(), "scopes", List.copyOf(scopes), "expires", String.valueOf(expires), "groups", sight));
        return key;
    }

    public void revokeKey(String workspaceId, String keyId) {
        access.require(Resource.API_KEYS, Action.DELETE);
        accounts.revokeKey(workspaceId, keyId);
        access.changed(Resource.API_KEYS, Action.DELETE, keyId, Map.of("id", keyId), null);
    }

    public List<Role> roles(String workspaceId) {
        return roles.list(workspaceId);
    }

    /** Whether a user or key of the workspace holds a role (a role in use is not deleted). */
    public boolean roleInUse(String workspaceId, String roleId) {
        return accounts.usersOf(workspaceId).stream().anyMatch(u -> roleId.equals(u.roles().get(workspaceId)));
    }

    private String ownerOfNewKey(Actor actor) {
        return switch (actor.kind()) {
            case USER -> actor.id();
            case API_KEY -> accounts.keyOwner(actor.id());
            case SYSTEM -> null;
        };
    }

    private Role grantable(String workspaceId, String roleId) {
        Role role = roles.find(workspaceId, roleId == null ? "" : roleId)
                .orElseThrow(() -> new InvalidInputException("role", roleId, "is not a role of this workspace"));
        Actor actor = access.actor();
        if (actor.kind() == Actor.Kind.SYSTEM) {
            return role;
        }
        for (String p : role.permissions()) {
            if (!actor.permissions().contains(p)) {
                throw refused(Resource.USERS, "role", roleId, "holds more than your own role allows (" + p + ")");
            }
        }
        if (BuiltInRoles.OWNER.equals(role.id()) && !holdsOwner(actor, workspaceId)) {
            throw refused(Resource.USERS, "role", roleId, "only an owner gives the owner's role");
        }
        return role;
    }

    private boolean holdsOwner(Actor actor, String workspaceId) {
        return actor.kind() == Actor.Kind.USER
                && accounts.user(actor.id()).map(u -> BuiltInRoles.OWNER.equals(u.roleIn(workspaceId))).orElse(false);
    }

    private void notSelf(String userId, String field) {
        Actor actor = access.actor();
        if (actor.kind() == Actor.Kind.USER && actor.id().equals(userId)
                || actor.kind() == Actor.Kind.API_KEY && userId.equals(accounts.keyOwner(actor.id()))) {
            throw refused(Resource.USERS, field, userId, "is your own: another administrator changes it");
        }
    }

    /** Refuses a change that would leave the workspace without an active owner. */
    private void leavesAnOwner(String workspaceId, UserAccount changed, String newRole) {
        if (!BuiltInRoles.OWNER.equals(changed.roles().get(workspaceId)) || BuiltInRoles.OWNER.equals(newRole)) {
            return;
        }
        boolean another = accounts.usersOf(workspaceId).stream().anyMatch(u -> !u.id().equals(changed.id()) && u.active()
                && BuiltInRoles.OWNER.equals(u.roles().get(workspaceId)));
        if (!another) {
            throw refused(Resource.USERS, "role", changed.roles().get(workspaceId), "is the workspace's last owner: make another owner first");
        }
    }

    /** A refusal, recorded in the audit log, to be thrown. */
    private InvalidInputException refused(Resource resource, String field, String value, String why) {
        access.refused(resource, Action.WRITE, value, field + " " + why);
        return new InvalidInputException(field, value, why);
    }

    private UserAccount userOf(String workspaceId, String userId) {
        return accounts.user(userId).filter(u -> u.workspaceIds().contains(workspaceId))
                .orElseThrow(() -> new NotFoundException("user", userId));
    }

    private static Member member(UserAccount u, String workspaceId) {
        return new Member(u.id(), u.email(), u.name(), u.roleIn(workspaceId), u.active(), u.passwordHash() != null, u.groupsIn(workspaceId));
    }
}
