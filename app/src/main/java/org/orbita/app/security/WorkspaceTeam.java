package org.orbita.app.security;

import java.util.List;
import org.orbita.access.PasswordPolicy;
import org.orbita.access.Permission;
import org.orbita.access.Role;
import org.orbita.roles.Roles;
import org.orbita.ui.TeamAdmin;
import org.springframework.stereotype.Component;

/** The UI's Users and Roles pages over the team's rules. */
@Component
class WorkspaceTeam implements TeamAdmin {

    private final Team team;
    private final Roles roles;
    private final SecurityPolicies policies;

    WorkspaceTeam(Team team, Roles roles, SecurityPolicies policies) {
        this.team = team;
        this.roles = roles;
        this.policies = policies;
    }

    @Override
    public boolean requiresTwoFactor(String workspaceId) {
        return policies.get(workspaceId).requireTwoFactor();
    }

    @Override
    public void requireTwoFactor(String workspaceId, boolean required) {
        policies.save(workspaceId, required, null);
    }

    @Override
    public boolean superAdmin() {
        return team.superAdmin();
    }

    @Override
    public void createWorkspace(String id, String name) {
        team.createWorkspace(id, name);
    }

    @Override
    public void setGroups(String workspaceId, String userId, List<String> groups) {
        team.setGroups(workspaceId, userId, groups);
    }

    @Override
    public PasswordPolicy passwordPolicy(String workspaceId) {
        return policies.get(workspaceId).password();
    }

    @Override
    public void savePasswordPolicy(String workspaceId, PasswordPolicy rules) {
        policies.save(workspaceId, policies.get(workspaceId).requireTwoFactor(), rules);
    }

    @Override
    public List<MemberView> members(String workspaceId) {
        return team.members(workspaceId).stream().map(m -> new MemberView(m.id(), m.email(), m.name(), m.role(), m.active(), m.passwordSet(), m.groups())).toList();
    }

    @Override
    public InvitationView invite(String workspaceId, String email, String name, String roleId) {
        return view(team.invite(workspaceId, email, name, roleId));
    }

    @Override
    public InvitationView reinvite(String workspaceId, String userId) {
        return view(team.reinvite(workspaceId, userId));
    }

    private static InvitationView view(Team.Invited invited) {
        return new InvitationView(invited.link(), "queued".equals(invited.mail().state()), invited.mail().detail());
    }

    @Override
    public void setRole(String workspaceId, String userId, String roleId) {
        team.setRole(workspaceId, userId, roleId);
    }

    @Override
    public void setActive(String workspaceId, String userId, boolean active) {
        team.setActive(workspaceId, userId, active);
    }

    @Override
    public void remove(String workspaceId, String userId) {
        team.remove(workspaceId, userId);
    }

    @Override
    public List<RoleView> roles(String workspaceId) {
        return roles.list(workspaceId).stream().map(WorkspaceTeam::view).toList();
    }

    @Override
    public List<String> permissions() {
        return Permission.all().stream().map(Permission::id).toList();
    }

    @Override
    public RoleView createRole(String workspaceId, String name, List<String> permissions) {
        return view(roles.create(workspaceId, name, permissions));
    }

    @Override
    public RoleView updateRole(String workspaceId, String id, String name, List<String> permissions) {
        return view(roles.update(workspaceId, id, name, permissions));
    }

    @Override
    public void deleteRole(String workspaceId, String id) {
        roles.delete(workspaceId, id, role -> team.roleInUse(workspaceId, role));
    }

    @Override
    public void acceptInvitation(String token, String password) {
        team.accept(token, password);
    }

    private static RoleView view(Role r) {
        return new RoleView(r.id(), r.name(), r.builtIn(), r.permissions());
    }
}
