package org.orbita.app.security;

import java.util.Set;
import org.orbita.access.Access;
import org.orbita.access.Actor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;

/**
 * Who acts, for the application services: the calling API key (its permissions worked out
 * when it was presented), the signed-in user in the workspace their page is on, or — on a
 * thread no request is behind (jobs, schedules, reactions) — the platform itself. A request
 * without a signed-in user (the sign-in page) may do nothing.
 */
@Component
public class SecurityAccess implements Access {

    private static final Actor NOBODY = new Actor("anonymous", Actor.Kind.USER, null, Set.of());

    private final ObjectProvider<Accounts> accounts;
    private final ObjectProvider<SignedInUser> pages;

    SecurityAccess(ObjectProvider<Accounts> accounts, ObjectProvider<SignedInUser> pages) {
        this.accounts = accounts;
        this.pages = pages;
    }

    @Override
    public Actor actor() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (a == null) {
            return Actor.SYSTEM;
        }
        if (a.getPrincipal() instanceof ApiPrincipal key) {
            return new Actor(key.keyId(), Actor.Kind.API_KEY, key.workspaceId(), key.permissions());
        }
        if (a instanceof AnonymousAuthenticationToken || !a.isAuthenticated() || !(a.getPrincipal() instanceof UserDetails signedIn)
                || a.getAuthorities().stream().noneMatch(g -> SecurityConfiguration.FULL.equals(g.getAuthority()))) {
            return NOBODY; // not signed in, or the second factor still to come
        }
        return accounts.getObject().findUser(signedIn.getUsername()).map(user -> {
            String workspace = pages.getObject().workspaceOf(user);
            return new Actor(user.id(), Actor.Kind.USER, workspace, workspace == null ? Set.of() : accounts.getObject().permissionsOf(user, workspace));
        }).orElse(NOBODY);
    }
}
