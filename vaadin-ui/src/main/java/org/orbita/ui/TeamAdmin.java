package org.orbita.ui;

import java.util.List;
import java.util.Set;

/**
 * The people of a workspace and their roles as the pages manage them; the app implements it
 * over its team, whose rules (and permission checks) apply here as in the REST API.
 */
public interface TeamAdmin {

    /** A member as the Users page shows them. */
    record MemberView(String id, String email, String name, String role, boolean active, boolean passwordSet, List<String> groups) {}

    /** A role with its permissions (ids such as {@code campaigns:launch}). */
    record RoleView(String id, String name, boolean builtIn, Set<String> permissions) {}

    List<MemberView> members(String workspaceId);

    /** An invitation made: its whole link (shown once) and whether it was mailed ({@code why} says why not). */
    record InvitationView(String link, boolean mailed, String why) {}

    /** Invites by email with a role: mails the link when the workspace can send email. */
    InvitationView invite(String workspaceId, String email, String name, String roleId);

    /** A new invitation (link and mail) for a member who has not set a password; earlier links stop working. */
    InvitationView reinvite(String workspaceId, String userId);

    void setRole(String workspaceId, String userId, String roleId);

    void setActive(String workspaceId, String userId, boolean active);

    /** Whether the signed-in user is a super-administrator, who makes workspaces. */
    boolean superAdmin();

    /** Makes a workspace whose owner the super-administrator becomes; the switcher shows it next. */
    void createWorkspace(String id, String name);

    /** Puts a member in groups: they see those groups' objects only ("main": all). */
    void setGroups(String workspaceId, String userId, List<String> groups);

    void remove(String workspaceId, String userId);

    List<RoleView> roles(String workspaceId);

    /** Every permission a role may hold, in order. */
    List<String> permissions();

    RoleView createRole(String workspaceId, String name, List<String> permissions);

    RoleView updateRole(String workspaceId, String id, String name, List<String> permissions);

    void deleteRole(String workspaceId, String id);

    /** Whether the workspace requires two-factor sign-in of its members. */
    boolean requiresTwoFactor(String workspaceId);

    void requireTwoFactor(String workspaceId, boolean required);

    /** The workspace's password rules. */
    org.orbita.access.PasswordPolicy passwordPolicy(String workspaceId);

    void savePasswordPolicy(String workspaceId, org.orbita.access.PasswordPolicy rules);

    /** Sets the password of an invited user from their link; needs nobody signed in. */
    void acceptInvitation(String token, String password);
}
