package org.orbita.app.security;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import org.orbita.ui.shell.InvitationView;
import org.orbita.ui.shell.LoginView;
import org.orbita.ui.shell.TwoFactorView;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Every page waits for the second factor: a session whose password was right but whose code is
 * still to come is sent to the two-factor page, wherever it asked to go. (The services refuse
 * such a session anyway: it holds no role.)
 */
@Component
class SecondFactorGate implements VaadinServiceInitListener {

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(ui -> ui.getUI().addBeforeEnterListener(enter -> {
            Class<?> target = enter.getNavigationTarget();
            if (target == TwoFactorView.class || target == LoginView.class || target == InvitationView.class) {
                return;
            }
            Authentication a = SecurityContextHolder.getContext().getAuthentication();
            if (a != null && a.getAuthorities().stream().anyMatch(g -> SecurityConfiguration.PASSWORD_ONLY.equals(g.getAuthority()))) {
                enter.rerouteTo(TwoFactorView.class);
            }
        }));
    }
}
