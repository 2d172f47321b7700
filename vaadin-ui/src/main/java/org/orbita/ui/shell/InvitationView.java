package org.orbita.ui.shell;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import org.orbita.common.InvalidInputException;
import org.orbita.ui.Problems;
import org.orbita.ui.TeamAdmin;

/** Where an invited person sets their password from the link they were given; then they sign in. */
@Route(value = "invitation/:token", autoLayout = false)
@PageTitle("Orbita — invitation")
@AnonymousAllowed
public class InvitationView extends VerticalLayout implements BeforeEnterObserver {

    private final TeamAdmin team;
    private final PasswordField password = new PasswordField();
    private final PasswordField again = new PasswordField();
    private String token;

    public InvitationView(TeamAdmin team) {
        this.team = team;
        setSizeFull();
        setAlignItems(Alignment.CENTER);
        setJustifyContentMode(JustifyContentMode.CENTER);
        password.setLabel(getTranslation("invitation.password"));
        password.setHelperText(getTranslation("invitation.passwordHelp"));
        password.setId("invitation-password");
        again.setLabel(getTranslation("invitation.again"));
        again.setId("invitation-again");
        Button set = new Button(getTranslation("invitation.set"), e -> accept());
        set.setId("invitation-set");
        set.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        H1 brand = new H1("Orbita");
        add(brand, new Paragraph(getTranslation("invitation.welcome")), password, again, set);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        token = event.getRouteParameters().get("token").orElse("");
    }

    private void accept() {
        if (!password.getValue().equals(again.getValue())) {
            again.setInvalid(true);
            again.setErrorMessage(getTranslation("invitation.mismatch"));
            return;
        }
        try {
            team.acceptInvitation(token, password.getValue());
        } catch (InvalidInputException e) {
            Problems.show(e);
            return;
        }
        getUI().ifPresent(ui -> ui.navigate("login"));
    }
}
