package org.orbita.ui.shell;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import org.orbita.ui.MyAccount;

/** The sign-in's second step: a code from the authenticator app, or one of the recovery codes. */
@Route(value = "two-factor", autoLayout = false)
@PageTitle("Orbita — two-factor sign-in")
@PermitAll
public class TwoFactorView extends VerticalLayout {

    public TwoFactorView(MyAccount account) {
        setSizeFull();
        setAlignItems(Alignment.CENTER);
        setJustifyContentMode(JustifyContentMode.CENTER);
        TextField code = new TextField(getTranslation("twoFactor.code"));
        code.setId("two-factor-code");
        code.setHelperText(getTranslation("twoFactor.codeHelp"));
        code.getElement().setAttribute("autocomplete", "one-time-code");
        code.focus();
        Button go = new Button(getTranslation("twoFactor.go"), e -> {
            if (account.completeSignIn(code.getValue())) {
                getUI().ifPresent(ui -> ui.getPage().setLocation("/"));
            } else {
                code.clear(); // first: clearing validates the field again
                code.setErrorMessage(getTranslation("twoFactor.wrong"));
                code.setInvalid(true);
            }
        });
        go.setId("two-factor-go");
        go.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        go.addClickShortcut(com.vaadin.flow.component.Key.ENTER);
        add(new H1("Orbita"), new Paragraph(getTranslation("twoFactor.intro")), code, go);
    }
}
