package org.orbita.ui.mobile;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.Arrays;
import java.util.List;
import org.orbita.forms.FormLinks;
import org.orbita.mobile.MobileSdk;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;

/**
 * The workspace's mobile apps: the address each app's SDK calls, how its backend's JWTs are
 * checked, its devices; the app token and the HS256 secret are shown once (made, or rotated).
 */
@Route("mobile-apps")
@PageTitle("Orbita — mobile apps")
@PermitAll
public class MobileAppsView extends VerticalLayout {

    private final MobileSdk sdk;
    private final CurrentUser user;
    private final FormLinks links;
    private final Grid<MobileSdk.View> grid = new Grid<>();

    public MobileAppsView(MobileSdk sdk, CurrentUser user, FormLinks links) {
        this.sdk = sdk;
        this.user = user;
        this.links = links;
        boolean writes = user.may("integrations:write");
        Button create = new Button(getTranslation("mobile.new"), VaadinIcon.PLUS.create(), e -> create());
        create.setId("new-mobile-app");
        create.setEnabled(writes);
        grid.setId("mobile-apps-grid");
        grid.addColumn(MobileSdk.View::name).setHeader(getTranslation("inbound.name")).setFlexGrow(1);
        grid.addColumn(v -> links.root(user.workspaceId()) + v.path()).setHeader(getTranslation("mobile.url")).setFlexGrow(3);
        grid.addColumn(MobileSdk.View::jwtAlgorithm).setHeader(getTranslation("mobile.jwt")).setAutoWidth(true);
        grid.addColumn(MobileSdk.View::devices).setHeader(getTranslation("mobile.devices")).setAutoWidth(true);
        grid.addColumn(v -> v.enabled() ? getTranslation("mobile.on") : getTranslation("mobile.off")).setHeader(getTranslation("webhooks.state"))
                .setAutoWidth(true);
        grid.addComponentColumn(v -> {
            Button token = small(getTranslation("mobile.rotateToken"), () -> shown(sdk.rotateAppToken(user.workspaceId(), v.id())));
            Button secret = small(getTranslation("mobile.rotateSecret"), () -> shown(sdk.rotateJwtSecret(user.workspaceId(), v.id())));
            secret.setVisible(v.jwtAlgorithm().equals("HS256"));
            Button onOff = small(getTranslation(v.enabled() ? "mobile.switchOff" : "mobile.switchOn"), () -> {
                sdk.update(user.workspaceId(), v.id(), new MobileSdk.Input(null, null, null, null, null, null, null, !v.enabled()));
                refresh();
            });
            HorizontalLayout actions = new HorizontalLayout(token, secret, onOff);
            actions.setEnabled(writes);
            actions.setSpacing(false);
            return actions;
        }).setAutoWidth(true);
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText(getTranslation("mobile.empty"));
        add(PageHeader.of(getTranslation("mobile.title"), create), PageHeader.help(getTranslation("mobile.help")), grid);
        refresh();
    }

    private Button small(String text, Runnable action) {
        Button b = new Button(text, e -> {
            try {
                action.run();
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        b.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        return b;
    }

    private void refresh() {
        grid.setItems(sdk.list(user.workspaceId()));
    }

    private void create() {
        Dialog d = new Dialog();
        d.setHeaderTitle(getTranslation("mobile.new"));
        TextField id = new TextField(getTranslation("promo.id"));
        id.setId("mobile-id");
        TextField name = new TextField(getTranslation("inbound.name"));
        name.setId("mobile-name");
        TextField database = new TextField(getTranslation("webhooks.databases"));
        database.setId("mobile-database");
        TextField matching = new TextField(getTranslation("mobile.matching"));
        matching.setId("mobile-matching");
        matching.setHelperText(getTranslation("mobile.matchingHelp"));
        ComboBox<String> algorithm = new ComboBox<>(getTranslation("mobile.jwt"), List.of("HS256", "RS256", "ES256"));
        algorithm.setId("mobile-algorithm");
        algorithm.setValue("HS256");
        TextArea publicKey = new TextArea(getTranslation("mobile.publicKey"));
        publicKey.setId("mobile-public-key");
        publicKey.setHelperText(getTranslation("mobile.publicKeyHelp"));
        publicKey.setVisible(false);
        algorithm.addValueChangeListener(e -> publicKey.setVisible(!"HS256".equals(e.getValue())));
        d.add(new FormLayout(id, name, database, matching, algorithm, publicKey));
        Button ok = new Button(getTranslation("forms.create"), e -> {
            try {
                List<String> keys = matching.getValue().isBlank() ? null
                        : Arrays.stream(matching.getValue().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
                MobileSdk.Made made = sdk.create(user.workspaceId(), new MobileSdk.Input(id.getValue(), name.getValue(), database.getValue(), null,
                        keys, algorithm.getValue(), publicKey.isVisible() ? publicKey.getValue() : null, null));
                d.close();
                refresh();
                shown(made);
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        ok.setId("create-mobile-app");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        d.getFooter().add(new Button(getTranslation("segments.cancel"), x -> d.close()), ok);
        d.open();
    }

    /** The app token and the HS256 secret, shown this once. */
    private void shown(MobileSdk.Made made) {
        Dialog d = new Dialog();
        d.setHeaderTitle(getTranslation("mobile.secretsTitle"));
        d.add(new Paragraph(getTranslation("mobile.secretsHelp")));
        if (made.appToken() != null) {
            d.add(secret("mobile-app-token", getTranslation("mobile.appToken"), made.appToken()));
        }
        if (made.jwtSecret() != null) {
            d.add(secret("mobile-jwt-secret", getTranslation("mobile.jwtSecret"), made.jwtSecret()));
        }
        Button done = new Button(getTranslation("webhooks.secretDone"), e -> d.close());
        done.setId("mobile-secrets-done");
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        d.getFooter().add(done);
        d.open();
    }

    private static TextArea secret(String id, String label, String value) {
        TextArea t = new TextArea(label);
        t.setId(id);
        t.setValue(value);
        t.setReadOnly(true);
        t.setWidthFull();
        return t;
    }
}
