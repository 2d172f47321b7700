package org.orbita.ui.webhooks;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.Arrays;
import java.util.List;
import org.orbita.webhooks.Webhooks;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;

/** The workspace's webhooks: where each sends, which events, whether it sends, what it still owes and what it gave up. */
@Route("webhooks")
@PageTitle("Orbita — webhooks")
@PermitAll
public class WebhooksView extends VerticalLayout {

    private final Webhooks webhooks;
    private final CurrentUser user;

    public WebhooksView(Webhooks webhooks, CurrentUser user) {
        this.webhooks = webhooks;
        this.user = user;
        Button create = new Button(getTranslation("webhooks.new"), VaadinIcon.PLUS.create(), e -> create());
        create.setId("new-webhook");
        create.setEnabled(user.may("integrations:write"));
        Grid<Webhooks.View> grid = new Grid<>();
        grid.setId("webhooks-grid");
        grid.addColumn(Webhooks.View::name).setHeader(getTranslation("webhooks.name")).setFlexGrow(2);
        grid.addColumn(Webhooks.View::url).setHeader(getTranslation("webhooks.url")).setFlexGrow(3);
        grid.addColumn(w -> String.join(", ", w.events())).setHeader(getTranslation("webhooks.events")).setFlexGrow(2);
        grid.addColumn(w -> w.enabled() ? getTranslation("webhooks.on") : getTranslation("webhooks.off")).setHeader(getTranslation("webhooks.state"))
                .setAutoWidth(true);
        grid.addColumn(w -> String.valueOf(w.deliveries().getOrDefault("pending", 0L))).setHeader(getTranslation("webhooks.pending")).setAutoWidth(true);
        grid.addColumn(w -> String.valueOf(w.deliveries().getOrDefault("dead", 0L))).setHeader(getTranslation("webhooks.dead")).setAutoWidth(true);
        grid.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate("webhooks/" + e.getItem().id())));
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText(getTranslation("webhooks.empty"));
        add(PageHeader.of(getTranslation("webhooks.title"), create), PageHeader.help(getTranslation("webhooks.help")), grid);
        grid.setItems(webhooks.list(user.workspaceId()));
    }

    static List<String> list(String text) {
        return Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    private void create() {
        Dialog d = new Dialog();
        d.setHeaderTitle(getTranslation("webhooks.new"));
        TextField name = new TextField(getTranslation("webhooks.name"));
        name.setId("webhook-name");
        TextField url = new TextField(getTranslation("webhooks.url"));
        url.setId("webhook-url");
        url.setPlaceholder(getTranslation("webhooks.urlExample"));
        TextField events = new TextField(getTranslation("webhooks.events"));
        events.setId("webhook-events");
        events.setHelperText(getTranslation("webhooks.eventsHelp"));
        events.setValue("*");
        TextField databases = new TextField(getTranslation("webhooks.databases"));
        databases.setId("webhook-databases");
        databases.setHelperText(getTranslation("webhooks.databasesHelp"));
        TextField notice = new TextField(getTranslation("webhooks.notice"));
        notice.setId("webhook-notice");
        notice.setHelperText(getTranslation("webhooks.noticeHelp"));
        d.add(new FormLayout(name, url, events, databases, notice));
        Button ok = new Button(getTranslation("forms.create"), e -> {
            try {
                Webhooks.Made made = webhooks.create(user.workspaceId(), new Webhooks.Input(name.getValue(), url.getValue(), list(events.getValue()),
                        list(databases.getValue()), null, notice.getValue(), null));
                d.close();
                showSecret(made);
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        ok.setId("create-webhook");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        d.getFooter().add(new Button(getTranslation("segments.cancel"), e -> d.close()), ok);
        d.open();
    }

    /** The secret, shown this once; closing goes to the webhook. */
    static void showSecret(Webhooks.Made made) {
        Dialog d = new Dialog();
        d.setHeaderTitle(d.getTranslation("webhooks.secretTitle"));
        TextArea secret = new TextArea();
        secret.setId("webhook-secret");
        secret.setValue(made.secret());
        secret.setReadOnly(true);
        secret.setWidthFull();
        d.add(new Paragraph(d.getTranslation("webhooks.secretHelp")), secret);
        com.vaadin.flow.component.UI ui = com.vaadin.flow.component.UI.getCurrent(); // a closed dialog has none
        Button done = new Button(d.getTranslation("webhooks.secretDone"), e -> {
            d.close();
            ui.navigate("webhooks/" + made.webhook().id());
        });
        done.setId("webhook-secret-done");
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        d.getFooter().add(done);
        d.setMaxWidth("36em");
        d.open();
    }
}
