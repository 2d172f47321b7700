package org.orbita.ui.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orbita.ui.Confirm;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.Problems;
import org.orbita.ui.TeamAdmin;
import org.orbita.ui.TeamAdmin.RoleView;

/**
 * Settings › Roles: the built-in roles (to read) and the workspace's own, each a grid of what
 * may be done (columns) to which kind of thing (rows).
 */
class RolesTab extends VerticalLayout {

    private static final List<String> ACTIONS = List.of("read", "write", "delete", "launch", "approve", "export");

    private final TeamAdmin team;
    private final CurrentUser user;
    private final Grid<RoleView> grid = new Grid<>();

    RolesTab(TeamAdmin team, CurrentUser user) {
        this.team = team;
        this.user = user;
        setPadding(false);
        Button add = new Button(getTranslation("roles.add"), VaadinIcon.PLUS.create(), e -> open(null));
        add.setId("add-role");
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        grid.setId("roles");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.addColumn(this::name).setHeader(getTranslation("roles.name")).setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(r -> getTranslation(r.builtIn() ? "roles.builtIn" : "roles.own")).setHeader(getTranslation("roles.kind")).setAutoWidth(true);
        grid.addColumn(r -> r.permissions().size()).setHeader(getTranslation("roles.count")).setAutoWidth(true);
        grid.addComponentColumn(r -> {
            Button open = new Button(getTranslation(r.builtIn() ? "roles.view" : "roles.edit"), e -> open(r));
            open.addThemeVariants(ButtonVariant.LUMO_SMALL);
            open.setId("open-role-" + r.id());
            return open;
        }).setAutoWidth(true).setFlexGrow(0).setFrozenToEnd(true);
        grid.setAllRowsVisible(true);
        add(new Paragraph(getTranslation("roles.help")), add, grid);
        refresh();
    }

    private String name(RoleView r) {
        return r.builtIn() ? getTranslation("role." + r.id()) : r.name();
    }

    private void refresh() {
        try {
            grid.setItems(team.roles(user.workspaceId()));
        } catch (RuntimeException e) {
            Problems.show(e);
        }
    }

    /** The role's editor ({@code role} null: a new one); a built-in role is shown, not changed. */
    private void open(RoleView role) {
        boolean fixed = role != null && role.builtIn();
        Dialog dialog = new Dialog();
        dialog.setId("role-dialog");
        dialog.setHeaderTitle(role == null ? getTranslation("roles.add") : name(role));
        TextField name = new TextField(getTranslation("roles.name"));
        name.setId("role-name");
        name.setValue(role == null || fixed ? "" : role.name());
        name.setVisible(!fixed);
        // resource → action → box, for the permissions there are
        Map<String, Map<String, Checkbox>> boxes = new LinkedHashMap<>();
        for (String p : team.permissions()) {
            String resource = p.substring(0, p.indexOf(':'));
            String action = p.substring(p.indexOf(':') + 1);
            Checkbox box = new Checkbox();
            box.setId("perm-" + resource + "-" + action);
            box.setAriaLabel(getTranslation("permission." + p));
            box.setValue(role != null && role.permissions().contains(p));
            box.setReadOnly(fixed);
            boxes.computeIfAbsent(resource, r -> new LinkedHashMap<>()).put(action, box);
        }
        Grid<String> matrix = new Grid<>();
        matrix.setId("role-matrix");
        matrix.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_NO_BORDER);
        matrix.addColumn(r -> getTranslation("resource." + r)).setHeader(getTranslation("roles.resource")).setAutoWidth(true).setFrozen(true);
        for (String action : ACTIONS) {
            matrix.addComponentColumn(r -> {
                Checkbox box = boxes.get(r).get(action);
                return box == null ? new Span() : box;
            }).setHeader(getTranslation("action." + action)).setAutoWidth(true);
        }
        matrix.setItems(new ArrayList<>(boxes.keySet()));
        matrix.setAllRowsVisible(true);
        VerticalLayout body = new VerticalLayout(name, matrix);
        body.setPadding(false);
        dialog.add(body);
        dialog.setWidth("min(56em, 100vw)");
        Button close = new Button(getTranslation(fixed ? "common.close" : "common.cancel"), e -> dialog.close());
        if (fixed) {
            dialog.getFooter().add(close);
        } else {
            Button save = new Button(getTranslation("common.save"), e -> {
                Set<String> chosen = new LinkedHashSet<>();
                boxes.forEach((r, byAction) -> byAction.forEach((a, box) -> {
                    if (box.getValue()) {
                        chosen.add(r + ":" + a);
                    }
                }));
                try {
                    if (role == null) {
                        team.createRole(user.workspaceId(), name.getValue(), List.copyOf(chosen));
                    } else {
                        team.updateRole(user.workspaceId(), role.id(), name.getValue(), List.copyOf(chosen));
                    }
                    dialog.close();
                    refresh();
                } catch (RuntimeException ex) {
                    Problems.show(ex);
                }
            });
            save.setId("save-role");
            save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            HorizontalLayout footer = new HorizontalLayout();
            if (role != null) {
                Button delete = new Button(getTranslation("roles.delete"), e -> Confirm.destructive("confirm-delete-role",
                        getTranslation("roles.delete.title", role.name()), getTranslation("roles.delete.text"), getTranslation("roles.delete"),
                        getTranslation("common.cancel"), () -> {
                            team.deleteRole(user.workspaceId(), role.id());
                            dialog.close();
                            refresh();
                        }));
                delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
                footer.add(delete);
            }
            footer.add(close, save);
            dialog.getFooter().add(footer);
        }
        dialog.open();
    }
}
