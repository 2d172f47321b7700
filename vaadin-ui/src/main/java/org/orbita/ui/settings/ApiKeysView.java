package org.orbita.ui.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import org.orbita.ui.ApiKeyAdmin;
import org.orbita.ui.Confirm;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;
import org.orbita.ui.ProfileText;

/** The workspace's API keys: create one with chosen scopes (shown once), revoke. */
@Route("api-keys")
@PageTitle("Orbita — API keys")
@PermitAll
public class ApiKeysView extends VerticalLayout {

    private final ApiKeyAdmin keys;
    private final CurrentUser user;
    private final Grid<ApiKeyAdmin.KeyView> grid = new Grid<>();

    public ApiKeysView(ApiKeyAdmin keys, CurrentUser user) {
        this.keys = keys;
        this.user = user;
        Button create = new Button(getTranslation("keys.new"), VaadinIcon.PLUS.create(), e -> openCreate());
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setId("new-key");
        HorizontalLayout header = PageHeader.of(getTranslation("keys.title"), create);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(ApiKeyAdmin.KeyView::name).setHeader(getTranslation("keys.name")).setAutoWidth(true);
        grid.addColumn(k -> String.join(", ", k.scopes())).setHeader(getTranslation("keys.scopes")).setFlexGrow(2);
        grid.addColumn(k -> ProfileText.instant(k.created(), getLocale())).setHeader(getTranslation("keys.created")).setAutoWidth(true);
        grid.addComponentColumn(k -> {
            Button revoke = new Button(getTranslation("keys.revoke"), e -> Confirm.destructive("confirm-revoke-key",
                    getTranslation("keys.revoke.confirm.title", k.name()), getTranslation("keys.revoke.confirm.text"), getTranslation("keys.revoke"),
                    getTranslation("common.cancel"), () -> {
                        keys.revoke(user.workspaceId(), k.id());
                        refresh();
                    }));
            revoke.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
            return revoke;
        }).setAutoWidth(true).setFrozenToEnd(true);
        grid.setAllRowsVisible(true);
        add(header, new Paragraph(getTranslation("keys.help")), grid);
        refresh();
    }

    private void refresh() {
        grid.setItems(keys.keys(user.workspaceId()));
    }

    private void openCreate() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation("keys.new"));
        TextField name = new TextField(getTranslation("keys.name"));
        name.setWidthFull();
        CheckboxGroup<String> scopes = new CheckboxGroup<>(getTranslation("keys.scopes"));
        scopes.setItems(keys.scopes());
        Button create = new Button(getTranslation("common.create"), e -> {
            try {
                if (name.getValue().isBlank() || scopes.getValue().isEmpty()) {
                    throw new IllegalArgumentException(getTranslation("keys.needNameAndScope"));
                }
                String key = keys.create(user.workspaceId(), name.getValue().strip(), scopes.getValue().stream().sorted().toList());
                dialog.removeAll();
                dialog.getFooter().removeAll();
                TextArea shown = new TextArea(getTranslation("keys.once"));
                shown.setValue(key);
                shown.setReadOnly(true);
                shown.setWidth("min(32em, 100%)");
                shown.setId("created-key");
                dialog.add(shown);
                Button copy = new Button(getTranslation("keys.copy"), VaadinIcon.COPY.create(), x -> {
                    // the clipboard needs a secure page (https or localhost); elsewhere the key is selected to copy by hand
                    shown.getElement().executeJs("const a = this.inputElement; a.select();"
                            + "if (navigator.clipboard) { navigator.clipboard.writeText($0); } else { document.execCommand('copy'); }", key);
                    Problems.success(getTranslation("keys.copied"));
                });
                copy.setId("copy-key");
                copy.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
                dialog.getFooter().add(copy, new Button(getTranslation("keys.done"), x -> dialog.close()));
                refresh();
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new VerticalLayout(name, scopes));
        dialog.getFooter().add(new Button(getTranslation("common.cancel"), e -> dialog.close()), create);
        dialog.open();
    }
}
