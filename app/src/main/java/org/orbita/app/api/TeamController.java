package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.orbita.access.Permission;
import org.orbita.access.Role;
import org.orbita.app.security.Accounts;
import org.orbita.app.security.ApiKey;
import org.orbita.app.security.Team;
import org.orbita.app.security.TeamMail;
import org.orbita.app.security.Workspace;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.roles.Roles;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The people of a workspace, their roles and their API keys. The rules (nobody gives more than
 * they hold, the last owner stays, a key never mints a key with more) are the team's own, the
 * same from the pages.
 */
@RestController
@Tag(name = "Users and roles", description = "Members and invitations, roles and their permissions, API keys")
class TeamController {

    private final Team team;
    private final Roles roles;
    private final ApiContext context;

    TeamController(Team team, Roles roles, ApiContext context) {
        this.team = team;
        this.roles = roles;
        this.context = context;
    }

    @GetMapping("/api/v1/users")
    @PreAuthorize("hasAuthority('SCOPE_users:read')")
    @Operation(summary = "The workspace's members, each with their role")
    List<Team.Member> members() {
        return team.members(context.workspaceId());
    }

    @GetMapping("/api/v1/users/{id}")
    @PreAuthorize("hasAuthority('SCOPE_users:read')")
    @Operation(summary = "One member")
    Team.Member member(@PathVariable String id) {
        return team.member(context.workspaceId(), id);
    }

    record Invite(String email, String name, String role) {}

    record Invitation(Team.Member member, String token, String link, Instant expires, TeamMail.Mailed mail) {

        Invitation(Team.Invited made) {
            this(made.member(), made.token(), made.link(), made.expires(), made.mail());
        }
    }

    @PostMapping("/api/v1/users")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Invites someone by email with a role: the link (in the answer once, valid 72 hours) is mailed to them when"
            + " the workspace can send email (mail.state queued), else given by hand (mail.state not-sent, mail.detail why)")
    Invitation invite(@RequestBody Invite in) {
        return new Invitation(team.invite(context.workspaceId(), in.email(), in.name(), in.role()));
    }

    @PostMapping("/api/v1/users/{id}/invitation")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Invites a member again who has not set a password (the first link expired or was lost): earlier links stop working")
    Invitation reinvite(@PathVariable String id) {
        return new Invitation(team.reinvite(context.workspaceId(), id));
    }

    @GetMapping("/api/v1/users/{id}/invitation")
    @PreAuthorize("hasAuthority('SCOPE_users:read')")
    @Operation(summary = "A member's open invitation: until when, and what became of its mail (queued, delivered, failed, bounced…)")
    Team.Pending invitation(@PathVariable String id) {
        return team.pending(context.workspaceId(), id).orElseThrow(() -> new NotFoundException("invitation", id));
    }

    record Change(String role, Boolean active) {}

    @PutMapping("/api/v1/users/{id}")
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Changes a member's role or deactivates / reactivates them (a deactivated member cannot sign in; their keys stop)")
    Team.Member change(@PathVariable String id, @RequestBody Change in) {
        Team.Member m = team.member(context.workspaceId(), id);
        if (in.role() != null) {
            m = team.setRole(context.workspaceId(), id, in.role());
        }
        if (in.active() != null) {
            m = team.setActive(context.workspaceId(), id, in.active());
        }
        return m;
    }

    @DeleteMapping("/api/v1/users/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Takes a member out of the workspace (deleted, with their keys, when in no other)")
    void remove(@PathVariable String id) {
        team.remove(context.workspaceId(), id);
    }

    record Permissions(List<String> resources, List<String> actions, List<String> permissions) {}

    @GetMapping("/api/v1/roles/permissions")
    @PreAuthorize("hasAuthority('SCOPE_users:read')")
    @Operation(summary = "Every permission a role may hold (resource:action)")
    Permissions permissions() {
        return new Permissions(org.orbita.access.Resource.ids(), org.orbita.access.Action.ids(), Permission.all().stream().map(Permission::id).toList());
    }

    @GetMapping("/api/v1/roles")
    @PreAuthorize("hasAuthority('SCOPE_users:read')")
    @Operation(summary = "The built-in roles and the workspace's own")
    List<Role> roles() {
        return roles.list(context.workspaceId());
    }

    record RoleInput(String name, List<String> permissions) {}

    @PostMapping("/api/v1/roles")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Makes a role: permissions as resource:action, none beyond the caller's own")
    Role createRole(@RequestBody RoleInput in) {
        return roles.create(context.workspaceId(), in.name(), in.permissions());
    }

    @PutMapping("/api/v1/roles/{id}")
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Changes a role of the workspace's own (built-in ones do not change)")
    Role updateRole(@PathVariable String id, @RequestBody RoleInput in) {
        return roles.update(context.workspaceId(), id, in.name(), in.permissions());
    }

    @DeleteMapping("/api/v1/roles/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Deletes a role of the workspace's own that nobody holds")
    void deleteRole(@PathVariable String id) {
        roles.delete(context.workspaceId(), id, role -> team.roleInUse(context.workspaceId(), role));
    }

    record KeyView(String id, String name, List<String> scopes, String ownerId, Instant created, Instant expires, Instant lastUsed,
                   List<String> groups) {
        static KeyView of(ApiKey k) {
            return new KeyView(k.id(), k.name(), k.scopes(), k.ownerId(), k.created(), k.expires(), k.lastUsed(), k.groups());
        }
    }

    @GetMapping("/api/v1/api-keys")
    @PreAuthorize("hasAuthority('SCOPE_users:read')")
    @Operation(summary = "The workspace's API keys, without their secrets")
    List<KeyView> keys() {
        return team.keys(context.workspaceId()).stream().map(KeyView::of).toList();
    }

    record KeyInput(String name, List<String> scopes, String expires, List<String> groups) {}

    record NewKey(String key, KeyView view) {}

    @PostMapping("/api/v1/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Makes a key acting for the caller's user, with scopes they hold and, when named, only some of their groups"
            + " {name, scopes, expires, groups}; the key is in this answer only")
    NewKey createKey(@RequestBody KeyInput in) {
        Instant expires;
        try {
            expires = in.expires() == null || in.expires().isBlank() ? null : Instant.parse(in.expires());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("expires", in.expires(), "must be an ISO-8601 instant, e.g. 2027-01-31T00:00:00Z");
        }
        String key = team.createKey(context.workspaceId(), in.name(), in.scopes(), expires, in.groups());
        String id = Accounts.keyId(key);
        return new NewKey(key, team.keys(context.workspaceId()).stream().filter(k -> k.id().equals(id)).findFirst().map(KeyView::of).orElseThrow());
    }

    @DeleteMapping("/api/v1/api-keys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Revokes a key: it stops working at once")
    void revoke(@PathVariable String id) {
        team.revokeKey(context.workspaceId(), id);
    }

    record NewWorkspace(String id, String name) {}

    @GetMapping("/api/v1/workspaces")
    @PreAuthorize("isAuthenticated()")
    @Operation(summary = "The workspaces the caller's user belongs to")
    List<Workspace> workspaces() {
        return team.workspaces();
    }

    @PostMapping("/api/v1/workspaces")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_settings:write')")
    @Operation(summary = "Makes a workspace (a super-administrator only, who becomes its owner); it starts empty: its own databases, people and keys")
    Workspace createWorkspace(@RequestBody NewWorkspace in) {
        return team.createWorkspace(in.id(), in.name());
    }
}
