package org.orbita.ui.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import org.orbita.groups.Groups;
import org.orbita.ui.Confirm;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.Problems;

/** Settings › Groups: the workspace's groups (who sees what); make, rename, delete. */
class GroupsTab extends VerticalLayout {

    private final Groups groups;
    private final CurrentUser user;
    private final Grid<Groups.Group> grid = new Grid<>();

    GroupsTab(Groups groups, CurrentUser user) {
        this.groups = groups;
        this.user = user;
        setPadding(false);
        TextField name = new TextField(getTranslation("groups.name"));
        name.setId("group-name");
        Button add = new Button(getTranslation("groups.add"), VaadinIcon.PLUS.create(), e -> {
            try {
                groups.create(user.workspaceId(), name.getValue());
                name.clear();
                refresh();
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        add.setId("add-group");
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout make = new HorizontalLayout(name, add);
        make.setAlignItems(Alignment.BASELINE);
        make.setVisible(user.may("users:write"));
        grid.setId("groups");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.addColumn(g -> Groups.MAIN.equals(g.id()) ? getTranslation("groups.main") : g.name()).setHeader(getTranslation("groups.name"))
                .setAutoWidth(true).setFlexGrow(1);
        grid.addComponentColumn(this::actions).setWidth("16em").setFlexGrow(0).setFrozenToEnd(true);
        grid.setAllRowsVisible(true);
        add(new Paragraph(getTranslation("groups.help")), make, grid);
        refresh();
    }

    private void refresh() {
        try {
            grid.setItems(groups.list(user.workspaceId()));
        } catch (RuntimeException e) {
            Problems.show(e);
        }
    }

    private com.vaadin.flow.component.Component actions(Groups.Group g) {
        if (Groups.MAIN.equals(g.id()) || !user.may("users:write")) {
            return new HorizontalLayout();
        }
        Button rename = new Button(getTranslation("groups.rename"), e -> {
            Dialog dialog = new Dialog();
            dialog.setHeaderTitle(getTranslation("groups.rename"));
            TextField field = new TextField(getTranslation("groups.name"));
            field.setValue(g.name());
            dialog.add(field);
            Button save = new Button(getTranslation("common.save"), s -> {
                try {
                    groups.rename(user.workspaceId(), g.id(), field.getValue());
                    dialog.close();
                    refresh();
                } catch (RuntimeException ex) {
                    Problems.show(ex);
                }
            });
            save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            dialog.getFooter().add(new Button(getTranslation("common.cancel"), c -> dialog.close()), save);
            dialog.open();
        });
        rename.addThemeVariants(ButtonVariant.LUMO_SMALL);
        Button delete = new Button(VaadinIcon.TRASH.create(), e -> Confirm.destructive("confirm-delete-group", getTranslation("groups.delete"),
                getTranslation("groups.deleteConfirm", g.name()), getTranslation("groups.delete"), getTranslation("common.cancel"), () -> {
                    groups.delete(user.workspaceId(), g.id());
                    refresh();
                }));
        delete.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        delete.setAriaLabel(getTranslation("groups.delete"));
        return new HorizontalLayout(rename, delete);
    }
}
