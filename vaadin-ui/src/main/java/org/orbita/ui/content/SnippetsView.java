package org.orbita.ui.content;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.splitlayout.SplitLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.content.Snippet;
import org.orbita.content.Snippets;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.Narrow;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;
import org.orbita.ui.ProfileText;

/**
 * The snippet library: fragments every message renders with {@code {% render 'name' %}}.
 * Editing one shows which messages a change reaches before it is saved.
 */
@Route("snippets")
@PageTitle("Orbita — snippets")
@PermitAll
public class SnippetsView extends VerticalLayout {

    private final Snippets snippets;
    private final Messages messages;
    private final CurrentUser user;
    private final Grid<Snippet> grid = new Grid<>();
    private final TextField name = new TextField();
    private final CodeEditor text = new CodeEditor("liquid-html", "320px");
    private final Span version = new Span();
    private final Div usedBy = new Div();

    public SnippetsView(Snippets snippets, Messages messages, CurrentUser user) {
        this.snippets = snippets;
        this.messages = messages;
        this.user = user;
        setSizeFull();
        Button create = new Button(getTranslation("snippets.new"), VaadinIcon.PLUS.create(), e -> open(null));
        create.setId("new-snippet");
        HorizontalLayout header = PageHeader.of(getTranslation("snippets.title"), create);
        Paragraph help = PageHeader.help(getTranslation("snippets.help"));

        grid.setId("snippets-grid");
        grid.addColumn(Snippet::name).setHeader(getTranslation("snippets.name")).setFlexGrow(2);
        grid.addColumn(s -> "v" + s.version()).setHeader(getTranslation("messages.version"));
        grid.addColumn(s -> ProfileText.instant(s.updated(), getLocale())).setHeader(getTranslation("messages.updated"));
        grid.addItemClickListener(e -> open(e.getItem()));

        name.setLabel(getTranslation("snippets.name"));
        name.setId("snippet-name");
        text.setId("snippet-text");
        Button save = new Button(getTranslation("messages.save"), VaadinIcon.CHECK.create(), e -> save());
        save.setId("save-snippet");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button delete = new Button(getTranslation("messages.delete"), VaadinIcon.TRASH.create(), e -> {
            if (snippets.delete(user.workspaceId(), name.getValue())) {
                reload();
                open(null);
            }
        });
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        usedBy.setId("snippet-used-by");
        VerticalLayout editor = new VerticalLayout(new HorizontalLayout(name, version), text, new HorizontalLayout(save, delete),
                new Span(getTranslation("snippets.usedBy")), usedBy);
        editor.setDefaultHorizontalComponentAlignment(Alignment.STRETCH);
        SplitLayout split = new SplitLayout(grid, editor);
        Narrow.stack(split, 50);
        split.setSplitterPosition(35);
        split.setSizeFull();
        add(header, help, split);
        expand(split);
        reload();
        open(null);
    }

    private void reload() {
        grid.setItems(snippets.list(user.workspaceId()));
    }

    private void open(Snippet s) {
        name.setValue(s == null ? "" : s.name());
        name.setReadOnly(s != null);
        text.setValue(s == null ? "" : s.text());
        version.setText(s == null ? "" : "v" + s.version());
        showUsers(s == null ? List.of() : messages.usingSnippet(user.workspaceId(), s.name()));
    }

    private void showUsers(List<Message> users) {
        usedBy.removeAll();
        if (users.isEmpty()) {
            usedBy.setText(getTranslation("snippets.unused"));
            return;
        }
        for (Message m : users) {
            Button link = new Button(m.name(), e -> getUI().ifPresent(ui -> ui.navigate(MessageEditorView.class, new RouteParameters("id", m.id()))));
            link.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
            usedBy.add(new Div(link));
        }
    }

    private void save() {
        try {
            Snippet saved = snippets.save(user.workspaceId(), name.getValue(), text.getValue());
            Problems.success(getTranslation("snippets.saved", saved.name(), saved.version(), messages.usingSnippet(user.workspaceId(), saved.name()).size()));
            reload();
            open(saved);
        } catch (RuntimeException ex) {
            Problems.show(ex);
        }
    }
}
