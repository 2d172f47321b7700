package org.orbita.app.security;

import java.time.Clock;
import java.time.Instant;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.PasswordPolicy;
import org.orbita.access.Resource;
import org.orbita.settings.CachedDocuments;
import org.orbita.settings.SettingsStore;
import org.springframework.stereotype.Service;

/**
 * A workspace's sign-in rules, set by its administrators: whether its members must use two-factor
 * sign-in (those without it are sent to their account page to set it up before anything else),
 * and its password rules (X2; a member of several workspaces meets the strictest of them; a
 * password past its lifetime sends its user to their account page to change it).
 */
@Service
public class SecurityPolicies {

    /** A workspace's policy; absent means no second factor required and the default password rules. */
    public record Policy(String workspaceId, boolean requireTwoFactor, PasswordPolicy password, Instant updatedAt) {
        public Policy {
            password = password == null ? PasswordPolicy.DEFAULT : password;
        }
    }

    private final CachedDocuments<Policy> policies;
    private final Access access;
    private final Clock clock;

    public SecurityPolicies(SettingsStore settings, Access access, Clock clock) {
        this.policies = new CachedDocuments<>(settings, "security-policies", Policy.class, Policy::workspaceId, java.time.Duration.ofSeconds(10), clock);
        this.access = access;
        this.clock = clock;
    }

    /** Read by every page to decide where a member may go: no permission asked. */
    public Policy of(String workspaceId) {
        return policies.get(workspaceId).orElse(new Policy(workspaceId, false, null, null));
    }

    public Policy get(String workspaceId) {
        access.require(Resource.SETTINGS, Action.READ);
        return of(workspaceId);
    }

    /** Saves the rules; {@code password} null keeps the password rules as they are. */
    public Policy save(String workspaceId, boolean requireTwoFactor, PasswordPolicy password) {
        access.require(Resource.SETTINGS, Action.WRITE);
        PasswordPolicy rules = password == null ? of(workspaceId).password() : password.checked("password.");
        return access.recorded(Resource.SETTINGS, Action.WRITE, policies.get(workspaceId).orElse(null),
                policies.put(new Policy(workspaceId, requireTwoFactor, rules, clock.instant())));
    }

    /** The password rules a user meets: the strictest of their workspaces' (a super-admin's: every workspace's they belong to). */
    public PasswordPolicy passwordPolicyFor(UserAccount user) {
        return PasswordPolicy.strictest(user.workspaceIds().stream().map(w -> of(w).password()).toList());
    }

    /** Whether the user's password is past its lifetime under their workspaces' rules. */
    public boolean passwordExpired(UserAccount user) {
        Instant set = user.passwordChanged() != null ? user.passwordChanged() : user.created();
        return user.passwordHash() != null && passwordPolicyFor(user).expired(set, clock.instant());
    }
}
