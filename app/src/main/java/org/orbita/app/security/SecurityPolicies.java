package org.orbita.app.security;

import java.time.Clock;
import java.time.Instant;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.settings.CachedDocuments;
import org.orbita.settings.SettingsStore;
import org.springframework.stereotype.Service;

/**
 * A workspace's sign-in rules, set by its administrators: whether its members must use two-factor
 * sign-in (those without it are sent to their account page to set it up before anything else).
 */
@Service
public class SecurityPolicies {

    /** A workspace's policy; absent means nothing required. */
    public record Policy(String workspaceId, boolean requireTwoFactor, Instant updatedAt) {}

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
        return policies.get(workspaceId).orElse(new Policy(workspaceId, false, null));
    }

    public Policy get(String workspaceId) {
        access.require(Resource.SETTINGS, Action.READ);
        return of(workspaceId);
    }

    public Policy save(String workspaceId, boolean requireTwoFactor) {
        access.require(Resource.SETTINGS, Action.WRITE);
        return access.recorded(Resource.SETTINGS, Action.WRITE, policies.get(workspaceId).orElse(null),
                policies.put(new Policy(workspaceId, requireTwoFactor, clock.instant())));
    }
}
