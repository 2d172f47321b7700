package org.orbita.ui.shell;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.ParentLayout;
import jakarta.annotation.security.PermitAll;
import org.orbita.ui.home.HomeView;

/** A page that does not exist: said in the page's language, inside the shell, with the way home. */
@ParentLayout(MainLayout.class)
@PermitAll
public class NotFoundView extends VerticalLayout implements HasErrorParameter<NotFoundException> {

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<NotFoundException> parameter) {
        removeAll();
        H2 title = new H2(getTranslation("notFound.title"));
        title.setId("not-found");
        Button home = new Button(getTranslation("notFound.home"), VaadinIcon.HOME.create(), e -> getUI().ifPresent(ui -> ui.navigate(HomeView.class)));
        home.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(title, new Paragraph(getTranslation("notFound.text", "/" + event.getLocation().getPath())), home);
        return 404;
    }
}
