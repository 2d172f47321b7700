package org.orbita.app.security;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** Counts the outcome of every sign-in with a password: failures throttle, a success clears; both are audited. */
public final class SignInEvents {

    private final SignInGuard guard;
    private final SignInAudit audit;

    public SignInEvents(SignInGuard guard, SignInAudit audit) {
        this.guard = guard;
        this.audit = audit;
    }

    private static String address(Authentication a) {
        return a.getDetails() instanceof WebAuthenticationDetails d ? d.getRemoteAddress() : null;
    }

    @EventListener
    public void failed(AbstractAuthenticationFailureEvent event) {
        Authentication a = event.getAuthentication();
        if (!(a.getDetails() instanceof WebAuthenticationDetails)) {
            return; // not the sign-in form (API keys are checked by their own filter)
        }
        String email = a.getName();
        if (event.getException() instanceof org.springframework.security.authentication.AuthenticationServiceException) {
            audit.record(email, address(a), "directory-unreachable"); // not the person's fault: not counted against them
            return;
        }
        boolean locked = guard.failed(email, address(a));
        audit.record(email, address(a), "failed");
        if (locked) {
            audit.record(email, address(a), "lockout");
        }
    }

    @EventListener
    public void succeeded(AuthenticationSuccessEvent event) {
        Authentication a = event.getAuthentication();
        if (a.getDetails() instanceof WebAuthenticationDetails) {
            guard.succeeded(a.getName(), address(a));
            // with a second factor on, the password was right and the code is still to come
            boolean full = a.getAuthorities().stream().anyMatch(g -> SecurityConfiguration.FULL.equals(g.getAuthority()));
            audit.record(a.getName(), address(a), full ? "ok" : "password-ok");
        }
    }
}
