package org.orbita.ui.content;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import jakarta.annotation.security.PermitAll;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.ProfileText;

/** The workspace's messages: their channels and versions; open one to edit and preview it. */
@Route("messages")
@PageTitle("Orbita — messages")
@PermitAll
public class MessagesView extends VerticalLayout {

    public MessagesView(Messages messages, CurrentUser user) {
        Button create = new Button(getTranslation("messages.new"), VaadinIcon.PLUS.create(),
                e -> getUI().ifPresent(ui -> ui.navigate(MessageEditorView.class, new RouteParameters("id", MessageEditorView.NEW))));
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setId("new-message");
        HorizontalLayout header = PageHeader.of(getTranslation("messages.title"), create);
        Grid<Message> grid = new Grid<>();
        grid.setId("messages-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(Message::name).setHeader(getTranslation("messages.name")).setFlexGrow(3);
        grid.addColumn(m -> String.join(", ", m.channels().stream().map(c -> getTranslation("messages.channel." + c)).toList()))
                .setHeader(getTranslation("messages.channels")).setFlexGrow(2);
        grid.addColumn(m -> "v" + m.version()).setHeader(getTranslation("messages.version"));
        grid.addColumn(m -> ProfileText.instant(m.updated(), getLocale())).setHeader(getTranslation("messages.updated"));
        grid.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate(MessageEditorView.class, new RouteParameters("id", e.getItem().id()))));
        grid.setAllRowsVisible(true);
        grid.setItems(messages.list(user.workspaceId()));
        Paragraph help = PageHeader.help(getTranslation("messages.help"));
        add(header, help, grid);
    }
}
