package org.orbita.ui.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.DirectoryAdmin;
import org.orbita.ui.Problems;

/**
 * Settings › Directory: sign-in with the company's LDAP or Active Directory — hosts (a backup
 * after the first), the service account (its password write-only), where people are found, and
 * which directory groups give which role and groups.
 */
class DirectoryTab extends VerticalLayout {

    DirectoryTab(DirectoryAdmin directory, CurrentUser user) {
        setPadding(false);
        DirectoryAdmin.Form now = directory.form(user.workspaceId());
        Checkbox enabled = new Checkbox(getTranslation("directory.enabled"), now.enabled());
        enabled.setId("directory-enabled");
        TextArea urls = new TextArea(getTranslation("directory.urls"));
        urls.setId("directory-urls");
        urls.setPlaceholder("ldaps://dc1.corp.example:636\nldaps://dc2.corp.example:636");
        urls.setHelperText(getTranslation("directory.urlsHelp"));
        urls.setValue(String.join("\n", now.urls()));
        urls.setWidthFull();
        Checkbox startTls = new Checkbox(getTranslation("directory.startTls"), now.startTls());
        TextField bindDn = field("directory-bind-dn", "directory.bindDn", now.bindDn(), "cn=orbita,ou=services,dc=corp,dc=example");
        PasswordField bindPassword = new PasswordField(getTranslation("directory.bindPassword"));
        bindPassword.setId("directory-bind-password");
        bindPassword.setWidth("18em");
        bindPassword.setHelperText(getTranslation(now.bindPasswordSet() ? "directory.bindPasswordSet" : "directory.bindPasswordNotSet"));
        TextField userBase = field("directory-user-base", "directory.userBase", now.userBase(), "ou=people,dc=corp,dc=example");
        TextField userFilter = field("directory-user-filter", "directory.userFilter", now.userFilter(), "(|(uid={0})(mail={0}))");
        TextField email = field("directory-email", "directory.emailAttribute", now.emailAttribute(), "mail");
        TextField name = field("directory-name", "directory.nameAttribute", now.nameAttribute(), "cn");
        TextField group = field("directory-group", "directory.groupAttribute", now.groupAttribute(), "memberOf");
        TextArea roles = new TextArea(getTranslation("directory.roles"));
        roles.setId("directory-roles");
        roles.setPlaceholder("cn=Marketing,ou=groups,dc=corp,dc=example = marketer");
        roles.setHelperText(getTranslation("directory.rolesHelp"));
        roles.setValue(now.roleOfGroup().entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining("\n")));
        roles.setWidthFull();
        TextArea groups = new TextArea(getTranslation("directory.groups"));
        groups.setId("directory-groups");
        groups.setHelperText(getTranslation("directory.groupsHelp"));
        groups.setValue(now.groupsOfGroup().entrySet().stream().map(e -> e.getKey() + " = " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("\n")));
        groups.setWidthFull();
        TextField defaultRole = field("directory-default-role", "directory.defaultRole", now.defaultRole(), "viewer");
        defaultRole.setHelperText(getTranslation("directory.defaultRoleHelp"));
        Span checked = new Span();
        checked.setId("directory-checked");
        Button save = new Button(getTranslation("common.save"), e -> {
            try {
                directory.save(user.workspaceId(), new DirectoryAdmin.Form(enabled.getValue(), lines(urls.getValue()), startTls.getValue(),
                        bindDn.getValue(), bindPassword.getValue().isEmpty() ? null : bindPassword.getValue(), userBase.getValue(),
                        userFilter.getValue(), email.getValue(), name.getValue(), group.getValue(), pairs(roles.getValue()),
                        lists(groups.getValue()),
                        defaultRole.getValue(), false));
                bindPassword.clear();
                bindPassword.setHelperText(getTranslation("directory.bindPasswordSet"));
                Problems.success(getTranslation("directory.saved"));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        save.setId("directory-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button check = new Button(getTranslation("directory.check"), e -> {
            try {
                String problem = directory.check(user.workspaceId());
                checked.setText(problem == null ? getTranslation("directory.checkOk") : problem);
                checked.getElement().getThemeList().set("badge success", problem == null);
                checked.getElement().getThemeList().set("badge error", problem != null);
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        check.setId("directory-check");
        boolean editable = user.may("settings:write");
        save.setVisible(editable);
        check.setVisible(editable);
        FlexLayout where = new FlexLayout(bindDn, bindPassword, userBase, userFilter, email, name, group, defaultRole);
        where.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        where.getStyle().set("gap", "var(--lumo-space-m)");
        HorizontalLayout buttons = new HorizontalLayout(save, check, checked);
        buttons.setAlignItems(Alignment.CENTER);
        add(new Paragraph(getTranslation("directory.help")), enabled, urls, startTls, where, roles, groups, buttons, sso(directory, user));
    }

    /** OpenID Connect: a button on the sign-in page that signs in at the workspace's identity provider. */
    private VerticalLayout sso(DirectoryAdmin directory, CurrentUser user) {
        DirectoryAdmin.SsoForm now = directory.sso(user.workspaceId());
        Checkbox enabled = new Checkbox(getTranslation("sso.enabled"), now.enabled());
        enabled.setId("sso-enabled");
        TextField label = field("sso-label", "sso.label", now.label(), "Keycloak");
        TextField issuer = field("sso-issuer", "sso.issuer", now.issuer(), "https://id.example.com/realms/shop");
        issuer.setHelperText(getTranslation("sso.issuerHelp"));
        TextField clientId = field("sso-client-id", "sso.clientId", now.clientId(), "orbita");
        PasswordField secret = new PasswordField(getTranslation("sso.clientSecret"));
        secret.setId("sso-client-secret");
        secret.setWidth("18em");
        secret.setHelperText(getTranslation(now.clientSecretSet() ? "directory.bindPasswordSet" : "directory.bindPasswordNotSet"));
        TextField claim = field("sso-claim", "sso.roleClaim", now.roleClaim(), "groups");
        TextArea roles = new TextArea(getTranslation("sso.roles"));
        roles.setId("sso-roles");
        roles.setHelperText(getTranslation("sso.rolesHelp"));
        roles.setValue(now.roleOfValue().entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining("\n")));
        roles.setWidthFull();
        TextArea groups = new TextArea(getTranslation("sso.groups"));
        groups.setId("sso-groups");
        groups.setHelperText(getTranslation("directory.groupsHelp"));
        groups.setValue(now.groupsOfValue().entrySet().stream().map(e -> e.getKey() + " = " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("\n")));
        groups.setWidthFull();
        TextField defaultRole = field("sso-default-role", "directory.defaultRole", now.defaultRole(), "viewer");
        defaultRole.setHelperText(getTranslation("directory.defaultRoleHelp"));
        Button save = new Button(getTranslation("common.save"), e -> {
            try {
                directory.saveSso(user.workspaceId(), new DirectoryAdmin.SsoForm(enabled.getValue(), label.getValue(), issuer.getValue(),
                        clientId.getValue(), secret.getValue().isEmpty() ? null : secret.getValue(), claim.getValue(), pairs(roles.getValue()),
                        lists(groups.getValue()), defaultRole.getValue(), false));
                secret.clear();
                secret.setHelperText(getTranslation("directory.bindPasswordSet"));
                Problems.success(getTranslation("sso.saved"));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        save.setId("sso-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.setVisible(user.may("settings:write"));
        FlexLayout fields = new FlexLayout(label, issuer, clientId, secret, claim, defaultRole);
        fields.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        fields.getStyle().set("gap", "var(--lumo-space-m)");
        VerticalLayout box = new VerticalLayout(new H3(getTranslation("sso.title")), new Paragraph(getTranslation("sso.help", user.workspaceId())),
                enabled, fields, roles, groups, save);
        box.setPadding(false);
        return box;
    }

    private static Map<String, List<String>> lists(String text) {
        return pairs(text).entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                p -> Arrays.stream(p.getValue().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList(), (a, b) -> b, LinkedHashMap::new));
    }

    private TextField field(String id, String label, String value, String placeholder) {
        TextField f = new TextField(getTranslation(label));
        f.setId(id);
        f.setPlaceholder(placeholder);
        f.setValue(value == null ? "" : value);
        f.setWidth("18em");
        return f;
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** "left = right" lines, in order (a DN has "=" in it: the separator is " = ", the last one on the line). */
    private static Map<String, String> pairs(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines(text)) {
            int eq = line.lastIndexOf(" = ");
            if (eq > 0) {
                out.put(line.substring(0, eq).strip(), line.substring(eq + 3).strip());
            }
        }
        return out;
    }
}
