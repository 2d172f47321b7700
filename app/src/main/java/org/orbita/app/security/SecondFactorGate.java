package org.orbita.app.security;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import org.orbita.ui.shell.AccountView;
import org.orbita.ui.shell.InvitationView;
import org.orbita.ui.shell.LoginView;
import org.orbita.ui.shell.TwoFactorView;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Every page waits for the second factor: a session whose password was right but whose code is
 * still to come is sent to the two-factor page, wherever it asked to go (the services refuse
 * such a session anyway: it holds no role). In a workspace that requires two-factor sign-in, a
 * member without it is sent to their account page to set it up.
 */
@Component
class SecondFactorGate implements VaadinServiceInitListener {

    private final Accounts accounts;
    private final SignedInUser pages;
    private final SecurityPolicies policies;

    SecondFactorGate(Accounts accounts, SignedInUser pages, SecurityPolicies policies) {
        this.accounts = accounts;
        this.pages = pages;
        this.policies = policies;
    }

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(ui -> ui.getUI().addBeforeEnterListener(enter -> {
            Class<?> target = enter.getNavigationTarget();
            if (target == TwoFactorView.class || target == LoginView.class || target == InvitationView.class) {
                return;
            }
            Authentication a = SecurityContextHolder.getContext().getAuthentication();
            if (a == null || !a.isAuthenticated()) {
                return;
            }
            if (a.getAuthorities().stream().anyMatch(g -> SecurityConfiguration.PASSWORD_ONLY.equals(g.getAuthority()))) {
                enter.rerouteTo(TwoFactorView.class);
                return;
            }
            if (target == AccountView.class || a.getAuthorities().stream().noneMatch(g -> SecurityConfiguration.FULL.equals(g.getAuthority()))) {
                return;
            }
            accounts.findUser(a.getName()).ifPresent(user -> {
                String workspace = pages.workspaceOf(user);
                if (workspace != null && !user.twoFactorOn() && policies.of(workspace).requireTwoFactor() || policies.passwordExpired(user)) {
                    enter.rerouteTo(AccountView.class); // the page says why
                }
            });
        }));
    }
}
