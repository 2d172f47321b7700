package org.orbita.ui.inbound;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.Map;
import org.orbita.forms.FormLinks;
import org.orbita.inbound.InboundHooks;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;

/**
 * The workspace's inbound sources: the URL each one's system posts to, what it maps, and the calls
 * it received — a rejected one replayed after the mapping is fixed.
 */
@Route("inbound")
@PageTitle("Orbita — inbound sources")
@PermitAll
public class InboundSourcesView extends VerticalLayout {

    private final InboundHooks hooks;
    private final CurrentUser user;
    private final FormLinks links;
    private final Grid<InboundHooks.View> grid = new Grid<>();
    private final Grid<InboundHooks.ReceivedView> received = new Grid<>();
    private final TextArea body = new TextArea();
    private final Span chosen = new Span();
    private InboundHooks.View source;

    public InboundSourcesView(InboundHooks hooks, CurrentUser user, FormLinks links) {
        this.hooks = hooks;
        this.user = user;
        this.links = links;
        boolean writes = user.may("integrations:write");
        Button create = new Button(getTranslation("inbound.new"), VaadinIcon.PLUS.create(), e -> create());
        create.setId("new-inbound");
        create.setEnabled(writes);
        grid.setId("inbound-grid");
        grid.addColumn(InboundHooks.View::name).setHeader(getTranslation("inbound.name")).setFlexGrow(1);
        grid.addColumn(v -> links.root(user.workspaceId()) + v.path()).setHeader(getTranslation("inbound.url")).setFlexGrow(3);
        grid.addColumn(v -> v.event() == null ? "" : v.event()).setHeader(getTranslation("inbound.event")).setAutoWidth(true);
        grid.addColumn(v -> v.snsTopics().isEmpty() ? "" : "Amazon SNS").setHeader(getTranslation("inbound.kind")).setAutoWidth(true);
        grid.addColumn(v -> v.enabled() ? getTranslation("webhooks.on") : getTranslation("webhooks.off")).setHeader(getTranslation("webhooks.state"))
                .setAutoWidth(true);
        grid.addItemClickListener(e -> show(e.getItem()));
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText(getTranslation("inbound.empty"));
        received.setId("inbound-received");
        received.addColumn(r -> r.at().toString()).setHeader(getTranslation("webhooks.created")).setAutoWidth(true);
        received.addColumn(r -> getTranslation("inbound.state." + r.state())).setHeader(getTranslation("webhooks.state")).setAutoWidth(true);
        received.addColumn(r -> r.error() == null ? "" : r.error()).setHeader(getTranslation("webhooks.lastAnswer")).setFlexGrow(3);
        received.addComponentColumn(r -> {
            Button b = new Button(getTranslation("webhooks.replay"), e -> replay(r.id()));
            b.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
            b.setVisible(writes && r.state().equals("rejected"));
            return b;
        }).setAutoWidth(true);
        received.addItemClickListener(e -> body.setValue(e.getItem().body()));
        received.setAllRowsVisible(true);
        received.setEmptyStateText(getTranslation("webhooks.noDeliveries"));
        body.setLabel(getTranslation("inbound.body"));
        body.setReadOnly(true);
        body.setWidthFull();
        chosen.setId("inbound-chosen");
        add(PageHeader.of(getTranslation("inbound.title"), create), PageHeader.help(getTranslation("inbound.help")), grid, chosen, received, body);
        grid.setItems(hooks.list(user.workspaceId()));
        received.setVisible(false);
        body.setVisible(false);
    }

    private void show(InboundHooks.View v) {
        source = v;
        chosen.setText(getTranslation("inbound.receivedBy", v.name()));
        received.setItems(hooks.received(user.workspaceId(), v.id(), null, null, 100));
        received.setVisible(true);
        body.setVisible(true);
        body.clear();
    }

    private void replay(String id) {
        try {
            hooks.replay(user.workspaceId(), source.id(), id);
            Problems.success(getTranslation("inbound.replayed"));
        } catch (RuntimeException ex) {
            Problems.show(ex);
        }
        show(source);
    }

    /** "name = path" lines as a map; a line without "=" is refused by its number. */
    static Map<String, String> pairs(String field, String text) {
        return org.orbita.ui.Pairs.read(field, text, "path");
    }

    private void create() {
        Dialog d = new Dialog();
        d.setHeaderTitle(getTranslation("inbound.new"));
        TextField id = new TextField(getTranslation("promo.id"));
        id.setId("inbound-id");
        TextField name = new TextField(getTranslation("inbound.name"));
        name.setId("inbound-name");
        TextField database = new TextField(getTranslation("webhooks.databases"));
        database.setId("inbound-database");
        TextField matching = new TextField(getTranslation("inbound.matching"));
        matching.setId("inbound-matching");
        matching.setValue("email");
        TextField matchingPath = new TextField(getTranslation("inbound.matchingPath"));
        matchingPath.setId("inbound-matching-path");
        matchingPath.setPlaceholder(getTranslation("inbound.matchingPathExample"));
        TextArea fields = new TextArea(getTranslation("inbound.fields"));
        fields.setId("inbound-fields");
        fields.setHelperText(getTranslation("inbound.pairsHelp"));
        TextField event = new TextField(getTranslation("inbound.event"));
        event.setId("inbound-event");
        TextArea properties = new TextArea(getTranslation("inbound.properties"));
        properties.setId("inbound-properties");
        properties.setHelperText(getTranslation("inbound.pairsHelp"));
        TextArea topics = new TextArea(getTranslation("inbound.snsTopics"));
        topics.setId("inbound-sns-topics");
        topics.setHelperText(getTranslation("inbound.snsTopicsHelp"));
        d.add(new FormLayout(id, name, database, matching, matchingPath, fields, event, properties, topics));
        Button ok = new Button(getTranslation("forms.create"), e -> {
            try {
                InboundHooks.View made = hooks.create(user.workspaceId(), new InboundHooks.Input(id.getValue(), name.getValue(), database.getValue(),
                        matching.getValue(), matchingPath.getValue(), pairs("fields", fields.getValue()), Map.of(),
                        event.getValue().isBlank() ? null : event.getValue(), pairs("properties", properties.getValue()), null, null,
                        topics.getValue().lines().map(String::strip).filter(t -> !t.isEmpty()).toList()));
                d.close();
                grid.setItems(hooks.list(user.workspaceId()));
                show(made);
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        ok.setId("create-inbound");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        d.getFooter().add(new Button(getTranslation("segments.cancel"), e -> d.close()), ok);
        d.open();
    }
}
