package org.orbita.app.security;

import java.util.List;
import java.util.Locale;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.spring.security.AuthenticationContext;
import org.orbita.ui.CurrentUser;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;

/** The UI's view of the signed-in user, over the accounts; the workspace is kept per browser session. */
@Component
class SignedInUser implements CurrentUser {

    private static final String WORKSPACE = "orbita.workspace";
    private final AuthenticationContext authentication;
    private final Accounts accounts;

    SignedInUser(AuthenticationContext authentication, Accounts accounts) {
        this.authentication = authentication;
        this.accounts = accounts;
    }

    private UserAccount account() {
        String email = authentication.getAuthenticatedUser(UserDetails.class).map(UserDetails::getUsername)
                .orElseThrow(() -> new IllegalStateException("no signed-in user"));
        return accounts.findUser(email).orElseThrow(() -> new IllegalStateException("the signed-in user no longer exists"));
    }

    @Override
    public String email() {
        return account().email();
    }

    @Override
    public List<WorkspaceRef> workspaces() {
        return accounts.workspacesOf(account()).stream().map(w -> new WorkspaceRef(w.id(), w.name())).toList();
    }

    @Override
    public String workspaceId() {
        String id = workspaceOf(account());
        if (id == null) {
            throw new IllegalStateException("the user belongs to no workspace");
        }
        return id;
    }

    /** The workspace a user's pages are on: the one chosen in this browser session, else their first; null when none. */
    String workspaceOf(UserAccount user) {
        VaadinSession session = VaadinSession.getCurrent();
        Object chosen = session == null ? null : session.getAttribute(WORKSPACE);
        List<String> allowed = user.workspaceIds();
        if (chosen instanceof String id && allowed.contains(id)) {
            return id;
        }
        return allowed.isEmpty() ? null : allowed.get(0);
    }

    @Override
    public void switchWorkspace(String workspaceId) {
        if (!account().workspaceIds().contains(workspaceId)) {
            throw new IllegalArgumentException("not a workspace of this user: " + workspaceId);
        }
        VaadinSession.getCurrent().setAttribute(WORKSPACE, workspaceId);
    }

    @Override
    public Locale locale() {
        return Locale.forLanguageTag(account().locale());
    }

    @Override
    public void saveLocale(Locale locale) {
        accounts.saveUser(account().withLocale(locale.getLanguage()));
    }

    @Override
    public boolean may(String permission) {
        UserAccount user = account();
        String workspace = workspaceOf(user);
        return workspace != null && accounts.permissionsOf(user, workspace).contains(permission);
    }

    @Override
    public void logout() {
        authentication.logout();
    }
}
