package org.orbita.ui.webhooks;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import org.orbita.common.Json;
import org.orbita.common.NotFoundException;
import org.orbita.ui.Confirm;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;
import org.orbita.webhooks.Webhooks;

/**
 * One webhook: its settings (URL, events, databases, notice addresses, on or off), a test call,
 * a new secret, and its deliveries by state — the dead letters replayed one by one or all.
 */
@Route("webhooks/:id")
@PageTitle("Orbita — webhook")
@PermitAll
public class WebhookView extends VerticalLayout implements BeforeEnterObserver {

    private final Webhooks webhooks;
    private final CurrentUser user;
    private final boolean writes;
    private Webhooks.View hook;
    private final Span title = new Span();
    private final Span status = new Span();
    private final TextField name = new TextField();
    private final TextField url = new TextField();
    private final TextField events = new TextField();
    private final TextField databases = new TextField();
    private final TextField notice = new TextField();
    private final Checkbox enabled = new Checkbox();
    private final Select<String> state = new Select<>();
    private final Grid<Webhooks.DeliveryView> grid = new Grid<>();
    private final TextArea payload = new TextArea();

    public WebhookView(Webhooks webhooks, CurrentUser user) {
        this.webhooks = webhooks;
        this.user = user;
        this.writes = user.may("integrations:write");
        Button back = new Button(getTranslation("webhooks.title"), VaadinIcon.ARROW_LEFT.create(), e -> getUI().ifPresent(ui -> ui.navigate(WebhooksView.class)));
        Button delete = new Button(getTranslation("messages.delete"), VaadinIcon.TRASH.create(), e -> Confirm.destructive("confirm-delete-webhook",
                getTranslation("webhooks.deleteTitle"), getTranslation("webhooks.deleteText"), getTranslation("messages.delete"),
                getTranslation("segments.cancel"), () -> {
                    webhooks.delete(user.workspaceId(), hook.id());
                    getUI().ifPresent(ui -> ui.navigate(WebhooksView.class));
                }).open());
        delete.setId("delete-webhook");
        delete.setEnabled(user.may("integrations:delete"));
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        Button test = new Button(getTranslation("webhooks.test"), VaadinIcon.PAPERPLANE.create(), e -> test());
        test.setId("test-webhook");
        test.setEnabled(writes);
        Button rotate = new Button(getTranslation("webhooks.rotate"), VaadinIcon.KEY.create(), e -> Confirm.destructive("confirm-rotate",
                getTranslation("webhooks.rotate"), getTranslation("webhooks.rotateText"), getTranslation("webhooks.rotate"),
                getTranslation("segments.cancel"), () -> WebhooksView.showSecret(webhooks.rotateSecret(user.workspaceId(), hook.id()))).open());
        rotate.setId("rotate-webhook-secret");
        rotate.setEnabled(writes);
        title.setId("webhook-title");
        status.setId("webhook-status");

        name.setLabel(getTranslation("webhooks.name"));
        url.setLabel(getTranslation("webhooks.url"));
        url.setId("webhook-url");
        events.setLabel(getTranslation("webhooks.events"));
        events.setHelperText(getTranslation("webhooks.eventsHelp"));
        events.setId("webhook-events");
        databases.setLabel(getTranslation("webhooks.databases"));
        databases.setHelperText(getTranslation("webhooks.databasesHelp"));
        notice.setLabel(getTranslation("webhooks.notice"));
        notice.setHelperText(getTranslation("webhooks.noticeHelp"));
        enabled.setLabel(getTranslation("webhooks.enabled"));
        enabled.setId("webhook-enabled");
        Button save = new Button(getTranslation("webhooks.save"), e -> save());
        save.setId("save-webhook");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.setEnabled(writes);
        FormLayout form = new FormLayout(name, url, events, databases, notice, enabled);

        state.setId("delivery-state");
        state.setLabel(getTranslation("webhooks.deliveries"));
        state.setItems(List.of("dead", "pending", "delivered"));
        state.setItemLabelGenerator(s -> getTranslation("webhooks.state." + s));
        state.setValue("dead");
        state.addValueChangeListener(e -> showDeliveries());
        Button replayAll = new Button(getTranslation("webhooks.replayAll"), VaadinIcon.REFRESH.create(), e -> replay(null));
        replayAll.setId("replay-all");
        replayAll.setEnabled(writes);
        grid.setId("webhook-deliveries");
        grid.addColumn(Webhooks.DeliveryView::eventType).setHeader(getTranslation("webhooks.event")).setFlexGrow(2);
        grid.addColumn(d -> d.created().toString()).setHeader(getTranslation("webhooks.created")).setAutoWidth(true);
        grid.addColumn(Webhooks.DeliveryView::attempts).setHeader(getTranslation("webhooks.attempts")).setAutoWidth(true);
        grid.addColumn(d -> d.lastError() != null ? d.lastError() : d.lastStatus() == null ? "" : "HTTP " + d.lastStatus())
                .setHeader(getTranslation("webhooks.lastAnswer")).setFlexGrow(3);
        grid.addComponentColumn(d -> {
            Button b = new Button(getTranslation("webhooks.replay"), e -> replay(d.id()));
            b.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
            b.setVisible(writes && d.state().equals("dead"));
            return b;
        }).setAutoWidth(true);
        grid.addItemClickListener(e -> payload.setValue(Json.write(e.getItem().payload())));
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText(getTranslation("webhooks.noDeliveries"));
        payload.setLabel(getTranslation("webhooks.payload"));
        payload.setReadOnly(true);
        payload.setWidthFull();
        payload.setId("delivery-payload");
        HorizontalLayout deliveryBar = new HorizontalLayout(state, replayAll);
        deliveryBar.setAlignItems(Alignment.BASELINE);
        deliveryBar.getStyle().set("flex-wrap", "wrap");
        add(PageHeader.of("", back, test, rotate, delete), title, status, form, save, deliveryBar, grid, payload);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        try {
            hook = webhooks.get(user.workspaceId(), event.getRouteParameters().get("id").orElse(""));
        } catch (NotFoundException e) {
            event.forwardTo(WebhooksView.class);
            return;
        }
        show();
    }

    private void show() {
        title.setText(hook.name());
        title.getStyle().set("font-size", "var(--lumo-font-size-xl)").set("font-weight", "600");
        status.setText(hook.enabled() ? getTranslation("webhooks.sending", hook.deliveries().get("pending"), hook.deliveries().get("delivered"),
                hook.deliveries().get("dead")) : getTranslation("webhooks.disabled", hook.disabled() == null ? "" : hook.disabled()));
        status.getStyle().set("color", hook.enabled() ? "var(--lumo-secondary-text-color)" : "var(--lumo-error-text-color)");
        name.setValue(hook.name());
        url.setValue(hook.url());
        events.setValue(String.join(", ", hook.events()));
        databases.setValue(String.join(", ", hook.databases()));
        notice.setValue(hook.noticeEmails() == null ? "" : hook.noticeEmails());
        enabled.setValue(hook.enabled());
        showDeliveries();
    }

    private void showDeliveries() {
        grid.setItems(webhooks.deliveries(user.workspaceId(), hook.id(), state.getValue(), null, 100));
        payload.clear();
    }

    private void save() {
        try {
            hook = webhooks.update(user.workspaceId(), hook.id(), new Webhooks.Input(name.getValue(), url.getValue(), WebhooksView.list(events.getValue()),
                    WebhooksView.list(databases.getValue()), null, notice.getValue(), enabled.getValue()));
            Problems.success(getTranslation("webhooks.saved"));
            show();
        } catch (RuntimeException ex) {
            Problems.show(ex);
        }
    }

    private void test() {
        try {
            Webhooks.Tested t = webhooks.test(user.workspaceId(), hook.id());
            if (t.ok()) {
                Problems.success(getTranslation("webhooks.testOk", t.status(), t.millis()));
            } else {
                Problems.show(new IllegalStateException(getTranslation("webhooks.testFailed", t.error())));
            }
        } catch (RuntimeException ex) {
            Problems.show(ex);
        }
    }

    private void replay(String deliveryId) {
        try {
            int n = webhooks.replay(user.workspaceId(), hook.id(), deliveryId);
            Problems.success(getTranslation("webhooks.replayed", n));
            hook = webhooks.get(user.workspaceId(), hook.id());
            show();
        } catch (RuntimeException ex) {
            Problems.show(ex);
        }
    }
}
