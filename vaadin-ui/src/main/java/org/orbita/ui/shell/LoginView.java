package org.orbita.ui.shell;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import java.util.List;
import org.orbita.ui.SignInOptions;

/** The sign-in page; Spring Security processes the form posted to /login. */
@Route(value = "login", autoLayout = false)
@PageTitle("Orbita — sign in")
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver {

    private final LoginForm form = new LoginForm();

    public LoginView(SignInOptions options) {
        addClassName("login-view");
        setSizeFull();
        setAlignItems(Alignment.CENTER);
        setJustifyContentModeCenter();
        form.setI18n(i18n());
        form.setForgotPasswordButtonVisible(false);
        form.setAction("login");
        H1 brand = new H1("Orbita");
        brand.getStyle().set("margin-bottom", "0");
        add(brand, new Paragraph(getTranslation("login.tagline")), form);
        // identity providers: a plain link each (the sign-in leaves for the provider's page and comes back)
        for (SignInOptions.Option o : options.providers()) {
            Anchor sso = new Anchor(o.path(), getTranslation("login.sso", o.label()));
            sso.setRouterIgnore(true);
            sso.addClassName("sso-button");
            sso.getElement().setAttribute("theme", "primary");
            sso.getStyle().set("padding", "var(--lumo-space-s) var(--lumo-space-l)").set("border", "1px solid var(--lumo-contrast-30pct)")
                    .set("border-radius", "var(--lumo-border-radius-m)");
            add(sso);
        }
    }

    private void setJustifyContentModeCenter() {
        setJustifyContentMode(JustifyContentMode.CENTER);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var parameters = event.getLocation().getQueryParameters().getParameters();
        if (!parameters.containsKey("error")) {
            return;
        }
        String kind = parameters.get("error").isEmpty() ? "" : parameters.get("error").get(0);
        LoginI18n i18n = i18n();
        switch (kind) {
            case "wait" -> {
                String seconds = parameters.getOrDefault("seconds", List.of("")).stream().findFirst().orElse("");
                i18n.getErrorMessage().setTitle(getTranslation("login.wait.title"));
                i18n.getErrorMessage().setMessage(getTranslation("login.wait.message", seconds.matches("[0-9]{1,6}") ? seconds : "?"));
            }
            case "elsewhere" -> {
                i18n.getErrorMessage().setTitle(getTranslation("login.elsewhere.title"));
                i18n.getErrorMessage().setMessage(getTranslation("login.elsewhere.message"));
            }
            case "sso" -> {
                i18n.getErrorMessage().setTitle(getTranslation("login.sso.title"));
                i18n.getErrorMessage().setMessage(getTranslation("login.sso.message"));
            }
            case "expired" -> {
                i18n.getErrorMessage().setTitle(getTranslation("login.expired.title"));
                i18n.getErrorMessage().setMessage(getTranslation("login.expired.message"));
            }
            default -> {
                // a wrong email or password: the default message — unless the directory did not answer
                com.vaadin.flow.server.VaadinRequest r = com.vaadin.flow.server.VaadinRequest.getCurrent();
                com.vaadin.flow.server.WrappedSession s = r == null ? null : r.getWrappedSession(false);
                Object failure = s == null ? null : s.getAttribute("SPRING_SECURITY_LAST_EXCEPTION");
                if (failure != null && failure.getClass().getSimpleName().equals("AuthenticationServiceException")) {
                    i18n.getErrorMessage().setTitle(getTranslation("login.directory.title"));
                    i18n.getErrorMessage().setMessage(getTranslation("login.directory.message"));
                }
            }
        }
        form.setI18n(i18n);
        form.setError(true);
        // the email typed before, kept in the session by the sign-in filter: only the password is typed again
        com.vaadin.flow.server.VaadinRequest request = com.vaadin.flow.server.VaadinRequest.getCurrent();
        com.vaadin.flow.server.WrappedSession session = request == null ? null : request.getWrappedSession(false);
        Object last = session == null ? null : session.getAttribute(LAST_EMAIL);
        if (last instanceof String email && !email.isBlank()) {
            form.getElement().executeJs("const set = () => { const u = this.querySelector('#vaadinLoginUsername');"
                    + " if (u) { u.value = $0; const p = this.querySelector('#vaadinLoginPassword'); if (p) p.focus(); } else setTimeout(set, 50); };"
                    + " set();", email);
        }
    }

    /** As the app's sign-in filter names it (the UI module does not see the app's classes). */
    static final String LAST_EMAIL = "orbita.sign-in.last-email";

    /** The form's texts, with the message for a wrong email or password. */
    private LoginI18n i18n() {
        LoginI18n i18n = LoginI18n.createDefault();
        i18n.getForm().setTitle(getTranslation("login.title"));
        i18n.getForm().setUsername(getTranslation("login.email"));
        i18n.getForm().setPassword(getTranslation("login.password"));
        i18n.getForm().setSubmit(getTranslation("login.submit"));
        i18n.getErrorMessage().setTitle(getTranslation("login.error.title"));
        i18n.getErrorMessage().setMessage(getTranslation("login.error.message"));
        return i18n;
    }
}
