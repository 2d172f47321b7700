package org.orbita.ui.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.orbita.groups.Groups;
import org.orbita.ui.Confirm;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.Problems;
import org.orbita.ui.TeamAdmin;
import org.orbita.ui.TeamAdmin.MemberView;
import org.orbita.ui.TeamAdmin.RoleView;

/** Settings › Users: the workspace's members with their roles; invite, change a role, deactivate, remove. */
class UsersTab extends VerticalLayout {

    private final TeamAdmin team;
    private final CurrentUser user;
    private final Grid<MemberView> grid = new Grid<>();
    private Map<String, RoleView> roles = Map.of();

    private final Groups groups;

    UsersTab(TeamAdmin team, CurrentUser user, Groups groups) {
        this.groups = groups;
        this.team = team;
        this.user = user;
        setPadding(false);
        Button invite = new Button(getTranslation("users.invite"), VaadinIcon.ENVELOPE.create(), e -> openInvite());
        invite.setId("invite-user");
        invite.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        grid.setId("users");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.addColumn(MemberView::email).setHeader(getTranslation("users.email")).setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(MemberView::name).setHeader(getTranslation("users.name")).setAutoWidth(true);
        grid.addComponentColumn(this::roleCell).setHeader(getTranslation("users.role")).setAutoWidth(true);
        grid.addComponentColumn(this::groupsCell).setHeader(getTranslation("users.groups")).setAutoWidth(true);
        grid.addColumn(m -> getTranslation(!m.active() ? "users.state.deactivated" : m.passwordSet() ? "users.state.active" : "users.state.invited"))
                .setHeader(getTranslation("users.state")).setAutoWidth(true);
        grid.addComponentColumn(this::actions).setAutoWidth(true).setFlexGrow(0).setFrozenToEnd(true);
        grid.setAllRowsVisible(true);
        add(new Paragraph(getTranslation("users.help")), invite, grid);
        refresh();
    }

    private void refresh() {
        try {
            roles = team.roles(user.workspaceId()).stream().collect(Collectors.toMap(RoleView::id, Function.identity(), (a, b) -> a,
                    java.util.LinkedHashMap::new));
            grid.setItems(team.members(user.workspaceId()));
        } catch (RuntimeException e) {
            Problems.show(e);
        }
    }

    private Select<String> roleSelect() {
        Select<String> role = new Select<>();
        role.setItems(List.copyOf(roles.keySet()));
        role.setItemLabelGenerator(this::roleName);
        return role;
    }

    private String roleName(String id) {
        RoleView r = roles.get(id);
        return r == null ? id : r.builtIn() ? getTranslation("role." + r.id()) : r.name();
    }

    private com.vaadin.flow.component.Component roleCell(MemberView m) {
        if (m.email().equals(user.email())) {
            return new Span(roleName(m.role())); // one's own role is changed by another administrator
        }
        Select<String> role = roleSelect();
        role.setValue(m.role());
        role.setId("role-of-" + m.email());
        role.addValueChangeListener(e -> {
            if (!e.isFromClient()) {
                return;
            }
            try {
                team.setRole(user.workspaceId(), m.id(), e.getValue());
                Problems.success(getTranslation("users.roleChanged", m.email(), roleName(e.getValue())));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
            refresh();
        });
        return role;
    }

    /** The member's groups: who sees what ("main": everything); one's own are changed by another administrator. */
    private com.vaadin.flow.component.Component groupsCell(MemberView m) {
        List<Groups.Group> all = groups.list(user.workspaceId());
        java.util.function.Function<String, String> label = id -> all.stream().filter(g -> g.id().equals(id)).findFirst()
                .map(g -> Groups.MAIN.equals(g.id()) ? getTranslation("groups.main") : g.name()).orElse(id);
        if (m.email().equals(user.email()) || !user.may("users:write")) {
            return new Span(m.groups().stream().map(label).collect(Collectors.joining(", ")));
        }
        MultiSelectComboBox<String> in = new MultiSelectComboBox<>();
        in.setItems(all.stream().map(Groups.Group::id).toList());
        in.setItemLabelGenerator(label::apply);
        in.setValue(new java.util.LinkedHashSet<>(m.groups()));
        in.setId("groups-of-" + m.email());
        in.setWidth("14em");
        in.addValueChangeListener(e -> {
            if (!e.isFromClient()) {
                return;
            }
            try {
                team.setGroups(user.workspaceId(), m.id(), List.copyOf(e.getValue()));
                Problems.success(getTranslation("groups.saved"));
            } catch (RuntimeException ex) {
                Problems.show(ex);
                refresh();
            }
        });
        return in;
    }

    private com.vaadin.flow.component.Component actions(MemberView m) {
        if (m.email().equals(user.email())) {
            return new Span();
        }
        Button active = new Button(getTranslation(m.active() ? "users.deactivate" : "users.activate"), e -> {
            try {
                team.setActive(user.workspaceId(), m.id(), !m.active());
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
            refresh();
        });
        active.addThemeVariants(ButtonVariant.LUMO_SMALL);
        HorizontalLayout out = new HorizontalLayout(active);
        if (!m.passwordSet()) {
            Button again = new Button(getTranslation("users.reinvite"), e -> openReinvite(m));
            again.setId("reinvite-" + m.email());
            again.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
            out.add(again);
        }
        Button remove = new Button(VaadinIcon.TRASH.create(), e -> Confirm.destructive("confirm-remove-user",
                getTranslation("users.remove.title", m.email()), getTranslation("users.remove.text"), getTranslation("users.remove"),
                getTranslation("common.cancel"), () -> {
                    team.remove(user.workspaceId(), m.id());
                    refresh();
                }));
        remove.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        remove.setAriaLabel(getTranslation("users.remove"));
        out.add(remove);
        return out;
    }

    /** The link of an invitation just made, and whether it went by mail (else why not: then the link is given by hand). */
    private com.vaadin.flow.component.Component invitationShown(TeamAdmin.InvitationView made, String email) {
        TextField shown = new TextField(getTranslation("users.invite.link"));
        shown.setId("invite-link");
        shown.setReadOnly(true);
        shown.setWidthFull();
        shown.setValue(made.link());
        shown.setHelperText(made.mailed() ? getTranslation("users.invite.mailed", email)
                : getTranslation("users.invite.notMailed"));
        return shown;
    }

    private void openReinvite(MemberView m) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation("users.reinvite.title", m.email()));
        try {
            dialog.add(invitationShown(team.reinvite(user.workspaceId(), m.id()), m.email()));
        } catch (RuntimeException ex) {
            Problems.show(ex);
            return;
        }
        dialog.getFooter().add(new Button(getTranslation("common.close"), e -> dialog.close()));
        dialog.setMaxWidth("40em");
        dialog.open();
    }

    private void openInvite() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation("users.invite"));
        TextField email = new TextField(getTranslation("users.email"));
        email.setId("invite-email");
        TextField name = new TextField(getTranslation("users.name"));
        Select<String> role = roleSelect();
        role.setLabel(getTranslation("users.role"));
        role.setId("invite-role");
        role.setValue("marketer");
        FormLayout form = new FormLayout(email, name, role);
        VerticalLayout body = new VerticalLayout(form);
        body.setPadding(false);
        Button send = new Button(getTranslation("users.invite.make"));
        send.setId("invite-make");
        send.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        send.addClickListener(e -> {
            try {
                body.add(invitationShown(team.invite(user.workspaceId(), email.getValue(), name.getValue(), role.getValue()),
                        email.getValue()));
                send.setEnabled(false);
                refresh();
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        dialog.add(body);
        dialog.getFooter().add(new Button(getTranslation("common.close"), e -> dialog.close()), send);
        dialog.setMaxWidth("40em");
        dialog.open();
    }
}
