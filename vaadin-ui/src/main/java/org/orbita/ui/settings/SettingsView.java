package org.orbita.ui.settings;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.textfield.TextFieldVariant;
import com.vaadin.flow.component.timepicker.TimePicker;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orbita.access.PasswordPolicy;
import org.orbita.audit.AuditLog;
import org.orbita.channels.ChannelProvider;
import org.orbita.channels.ProviderAdmin;
import org.orbita.channels.ProviderSettings;
import org.orbita.groups.Groups;
import org.orbita.sending.MtaNodes;
import org.orbita.sending.SenderDomains;
import org.orbita.sending.SendingLimits;
import org.orbita.settings.WorkspaceDefaults;
import org.orbita.ui.Confirm;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.DirectoryAdmin;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;
import org.orbita.ui.TeamAdmin;

/**
 * Settings an administrator expects in the UI: sender domains with DKIM keys and the DNS records
 * to publish, channel providers with a test send each (secrets write-only), the mail sender
 * nodes with a test mail, and the workspace's defaults.
 */
@Route("settings")
@PageTitle("Orbita — Settings")
@PermitAll
public class SettingsView extends VerticalLayout {

    private final ProviderAdmin providers;
    private final SenderDomains domains;
    private final MtaNodes nodes;
    private final WorkspaceDefaults defaults;
    private final CurrentUser user;
    private final SendingLimits limits;
    private final Clock clock;
    private final Grid<SenderDomains.SenderDomain> domainGrid = new Grid<>();
    private final VerticalLayout domainDetail = new VerticalLayout();

    public SettingsView(ProviderAdmin providers, SenderDomains domains, MtaNodes nodes, WorkspaceDefaults defaults, CurrentUser user, Clock clock,
                        TeamAdmin team, AuditLog audit, Groups groups, DirectoryAdmin directory, SendingLimits limits) {
        this.limits = limits;
        this.providers = providers;
        this.domains = domains;
        this.nodes = nodes;
        this.defaults = defaults;
        this.user = user;
        this.clock = clock;
        setSizeFull();
        TabSheet tabs = new TabSheet();
        tabs.setWidthFull();
        tabs.setId("settings-tabs");
        tabs.add(getTranslation("settings.domains"), domainsTab());
        tabs.add(getTranslation("settings.providers"), providersTab());
        tabs.add(getTranslation("settings.nodes"), nodesTab());
        tabs.add(getTranslation("settings.workspace"), workspaceTab(team));
        tabs.add(getTranslation("settings.security"), securityTab(team));
        tabs.add(getTranslation("settings.directory"), new DirectoryTab(directory, user));
        if (user.may("users:read")) {
            tabs.add(getTranslation("settings.users"), new UsersTab(team, user, groups));
            tabs.add(getTranslation("settings.roles"), new RolesTab(team, user));
            tabs.add(getTranslation("settings.groups"), new GroupsTab(groups, user));
        }
        if (user.may("audit-log:read")) {
            String zone = defaults.get(user.workspaceId()).timeZone();
            tabs.add(getTranslation("settings.audit"), new AuditTab(audit, user, zone == null ? ZoneId.systemDefault() : ZoneId.of(zone)));
        }
        add(PageHeader.of(getTranslation("settings.title")), tabs);
    }

    // --- sender domains

    private Component domainsTab() {
        Button add = new Button(getTranslation("settings.domains.add"), VaadinIcon.PLUS.create(), e -> openAddDomain());
        add.setId("add-sender-domain");
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        domainGrid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        domainGrid.addColumn(SenderDomains.SenderDomain::domain).setHeader(getTranslation("settings.domains.domain")).setAutoWidth(true).setFlexGrow(1);
        domainGrid.addColumn(SenderDomains.SenderDomain::selector).setHeader(getTranslation("settings.domains.selector")).setAutoWidth(true);
        domainGrid.addColumn(d -> d.algorithm().toUpperCase(java.util.Locale.ROOT)).setHeader(getTranslation("settings.domains.algorithm"))
                .setAutoWidth(true);
        domainGrid.setAllRowsVisible(true);
        domainGrid.setId("sender-domains");
        domainGrid.asSingleSelect().addValueChangeListener(e -> showDomain(e.getValue()));
        domainDetail.setPadding(false);
        VerticalLayout tab = new VerticalLayout(new Paragraph(getTranslation("settings.domains.help")), add, domainGrid, domainDetail);
        tab.setPadding(false);
        refreshDomains();
        return tab;
    }

    private void refreshDomains() {
        domainGrid.setItems(domains.list(user.workspaceId()));
    }

    private void openAddDomain() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation("settings.domains.add"));
        TextField domain = new TextField(getTranslation("settings.domains.domain"));
        domain.setPlaceholder("news.shop.example");
        domain.setId("new-domain");
        TextField selector = new TextField(getTranslation("settings.domains.selector"));
        selector.setHelperText(getTranslation("settings.domains.selector.help"));
        Select<String> algorithm = new Select<>();
        algorithm.setLabel(getTranslation("settings.domains.algorithm"));
        algorithm.setItems("rsa", "ed25519");
        algorithm.setValue("rsa");
        algorithm.setItemLabelGenerator(a -> getTranslation("settings.domains.algorithm." + a));
        TextArea pem = new TextArea(getTranslation("settings.domains.pem"));
        pem.setHelperText(getTranslation("settings.domains.pem.help"));
        pem.setWidthFull();
        FormLayout form = new FormLayout(domain, selector, algorithm, pem);
        form.setColspan(pem, 2);
        Button create = new Button(getTranslation("common.create"), e -> {
            try {
                SenderDomains.SenderDomain d = domains.add(user.workspaceId(), domain.getValue(), selector.getValue(), algorithm.getValue(), pem.getValue());
                dialog.close();
                refreshDomains();
                domainGrid.select(d);
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        create.setId("create-domain");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(form);
        dialog.getFooter().add(new Button(getTranslation("common.cancel"), e -> dialog.close()), create);
        dialog.setMaxWidth("40em");
        dialog.open();
    }

    private void showDomain(SenderDomains.SenderDomain d) {
        domainDetail.removeAll();
        if (d == null) {
            return;
        }
        domainDetail.add(new Paragraph(getTranslation("settings.domains.publish", d.domain())));
        for (SenderDomains.DnsRecord r : domains.records(d)) {
            TextField name = new TextField(r.type() + " · " + getTranslation("settings.domains.record." + r.kind()));
            name.setValue(r.name());
            name.setReadOnly(true);
            name.setWidthFull();
            TextArea value = new TextArea();
            value.setValue(r.value());
            value.setReadOnly(true);
            value.setWidthFull();
            value.addThemeVariants(com.vaadin.flow.component.textfield.TextAreaVariant.LUMO_SMALL);
            value.setHelperText(getTranslation("settings.domains.record." + r.kind() + ".help"));
            value.setId("record-" + r.kind());
            VerticalLayout box = new VerticalLayout(name, value);
            box.setPadding(false);
            box.setSpacing(false);
            domainDetail.add(box);
        }
        Grid<SenderDomains.RecordCheck> checks = new Grid<>();
        checks.addColumn(c -> getTranslation("settings.domains.record." + c.kind())).setHeader(getTranslation("settings.domains.record"))
                .setAutoWidth(true);
        checks.addColumn(c -> getTranslation("settings.domains.status." + c.status())).setHeader(getTranslation("settings.domains.status"))
                .setAutoWidth(true);
        checks.addColumn(c -> hint(c)).setHeader(getTranslation("settings.domains.hint")).setFlexGrow(1);
        checks.setAllRowsVisible(true);
        checks.setVisible(false);
        checks.setId("dns-checks");
        Button check = new Button(getTranslation("settings.domains.check"), VaadinIcon.CHECK.create(), e -> {
            checks.setItems(domains.check(d));
            checks.setVisible(true);
        });
        check.setId("check-dns");
        Grid<SenderDomains.NodeKey> keys = new Grid<>();
        keys.addColumn(SenderDomains.NodeKey::node).setHeader(getTranslation("settings.nodes.node")).setAutoWidth(true);
        keys.addColumn(k -> getTranslation("settings.domains.key." + k.status())).setHeader(getTranslation("settings.domains.signing")).setFlexGrow(1);
        keys.setAllRowsVisible(true);
        keys.setItems(domains.nodeKeys(d));
        Button give = new Button(getTranslation("settings.domains.give"), VaadinIcon.REFRESH.create(), e -> {
            domains.giveKeysToNodes();
            keys.setItems(domains.nodeKeys(d));
        });
        Button remove = new Button(getTranslation("settings.domains.remove"), VaadinIcon.TRASH.create(), e -> Confirm.destructive("confirm-remove-domain",
                getTranslation("settings.domains.remove.title", d.domain()), getTranslation("settings.domains.remove.text"),
                getTranslation("settings.domains.remove"), getTranslation("common.cancel"), () -> {
                    domains.remove(user.workspaceId(), d.domain());
                    refreshDomains();
                    domainDetail.removeAll();
                }));
        remove.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        HorizontalLayout actions = new HorizontalLayout(check, give, remove);
        actions.getStyle().set("flex-wrap", "wrap");
        domainDetail.add(actions, checks, keys);
    }

    private String hint(SenderDomains.RecordCheck c) {
        String found = c.found().isEmpty() ? "" : " — " + getTranslation("settings.domains.found") + ": " + String.join(" | ", c.found());
        return c.hint() + found;
    }

    // --- channel providers

    private final VerticalLayout providerCards = new VerticalLayout();

    private Component providersTab() {
        VerticalLayout tab = new VerticalLayout(new Paragraph(getTranslation("settings.providers.help")), providerCards);
        tab.setPadding(false);
        providerCards.setPadding(false);
        refreshProviders(null);
        return tab;
    }

    /** Draws every provider's card again (after a save: sources, secrets set), the one just changed open. */
    private void refreshProviders(ProviderSettings.Kind open) {
        providerCards.removeAll();
        Map<String, String> status = providers.status();
        for (ProviderSettings.Shown shown : providers.settings().list()) {
            Details card = providerCard(shown, status.getOrDefault(shown.channel(), ""));
            card.setOpened(open != null && open.id().equals(shown.kind()));
            providerCards.add(card);
        }
    }

    private Details providerCard(ProviderSettings.Shown shown, String channelStatus) {
        ProviderSettings.Kind kind = ProviderSettings.Kind.fromId(shown.kind());
        Map<String, com.vaadin.flow.component.textfield.TextFieldBase<?, String>> inputs = new LinkedHashMap<>();
        FormLayout form = new FormLayout();
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("40em", 2));
        for (ProviderSettings.ShownField f : shown.fields()) {
            String label = getTranslation("settings.providers.field." + f.name()) + (f.required() ? " *" : "");
            com.vaadin.flow.component.textfield.TextFieldBase<?, String> input;
            if (f.secret()) {
                PasswordField p = new PasswordField(label);
                p.setPlaceholder(f.set() ? getTranslation("settings.providers.secretSet") : "");
                p.setHelperText(getTranslation("settings.providers.secretHelp"));
                p.setRevealButtonVisible(false);
                input = p;
            } else {
                TextField t = new TextField(label);
                t.setValue(f.value() == null ? "" : f.value());
                input = t;
            }
            input.setId("provider-" + shown.kind() + "-" + f.name());
            inputs.put(f.name(), input);
            form.add(input);
        }
        Span source = new Span(getTranslation("settings.providers.source." + shown.source()));
        source.getElement().getThemeList().add("badge" + (shown.source().equals("none") ? " contrast" : " success"));
        Button save = new Button(getTranslation("common.save"), e -> {
            Map<String, String> values = new LinkedHashMap<>();
            inputs.forEach((name, input) -> {
                boolean secret = input instanceof PasswordField;
                if (!secret || !input.getValue().isEmpty()) {
                    values.put(name, input.getValue());
                }
            });
            try {
                providers.settings().save(kind, values, clock.instant());
                Problems.success(getTranslation("settings.providers.saved", getTranslation("settings.providers.kind." + kind.id())));
                refreshProviders(kind);
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        save.setId("save-provider-" + shown.kind());
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button reset = new Button(getTranslation("settings.providers.reset"), e -> {
            providers.settings().remove(kind);
            refreshProviders(kind);
        });
        reset.setEnabled(shown.source().equals("settings"));
        TextField to = new TextField();
        to.setPlaceholder(getTranslation("settings.providers.to." + kind.channel()));
        to.setId("provider-test-to-" + shown.kind());
        to.setWidth("min(18em, 100%)");
        to.addThemeVariants(TextFieldVariant.LUMO_SMALL);
        Span answer = new Span();
        answer.setId("provider-test-answer-" + shown.kind());
        Button test = new Button(getTranslation("settings.providers.test"), VaadinIcon.PAPERPLANE.create(), e -> {
            try {
                ChannelProvider.Result r = providers.test(kind, to.getValue());
                answer.setText(switch (r) {
                    case ChannelProvider.Result.Accepted a -> getTranslation("settings.providers.test.accepted");
                    case ChannelProvider.Result.Retry x -> getTranslation("settings.providers.test.retry", x.reason());
                    case ChannelProvider.Result.Failed x -> getTranslation("settings.providers.test.failed", x.reason());
                });
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        test.setId("provider-test-" + shown.kind());
        test.setEnabled(!shown.source().equals("none"));
        HorizontalLayout testRow = new HorizontalLayout(to, test, answer);
        testRow.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        testRow.getStyle().set("flex-wrap", "wrap");
        HorizontalLayout buttons = new HorizontalLayout(save, reset);
        VerticalLayout body = new VerticalLayout(form, buttons, testRow);
        body.setPadding(false);
        HorizontalLayout summary = new HorizontalLayout(new Span(getTranslation("settings.providers.kind." + kind.id())), source);
        summary.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        Details card = new Details(summary, body);
        card.setId("provider-" + shown.kind());
        card.setWidthFull();
        if (!channelStatus.isEmpty() && !channelStatus.equals("ready") && !channelStatus.equals("not configured") && !shown.source().equals("none")) {
            body.addComponentAsFirst(new Paragraph(channelStatus));
        }
        return card;
    }

    // --- mail sender nodes

    private record NodeRow(String name, String url, String state) {}

    private Component nodesTab() {
        Grid<NodeRow> grid = new Grid<>();
        grid.addColumn(NodeRow::name).setHeader(getTranslation("settings.nodes.node")).setAutoWidth(true);
        grid.addColumn(NodeRow::url).setHeader("URL").setAutoWidth(true);
        grid.addColumn(NodeRow::state).setHeader(getTranslation("settings.nodes.state")).setFlexGrow(1);
        grid.setAllRowsVisible(true);
        grid.setId("mta-nodes");
        grid.setItems(nodes.nodes().stream().map(n -> {
            try {
                return new NodeRow(n.name(), n.url(), getTranslation("settings.nodes.up", nodes.queues(n).size(), nodes.dkimKeys(n).size()));
            } catch (MtaNodes.NodeProblem e) {
                return new NodeRow(n.name(), n.url(), e.getMessage());
            }
        }).toList());
        Select<String> node = new Select<>();
        node.setLabel(getTranslation("settings.nodes.node"));
        node.setItems(nodes.nodes().stream().map(MtaNodes.Node::name).toList());
        if (!nodes.nodes().isEmpty()) {
            node.setValue(nodes.nodes().get(0).name());
        }
        List<SenderDomains.SenderDomain> own = domains.list(user.workspaceId());
        TextField from = new TextField(getTranslation("settings.nodes.from"));
        from.setValue(own.isEmpty() ? "" : "test@" + own.get(0).domain());
        TextField to = new TextField(getTranslation("settings.nodes.to"));
        to.setId("node-test-to");
        Span answer = new Span();
        answer.setId("node-test-answer");
        Button test = new Button(getTranslation("settings.nodes.test"), VaadinIcon.PAPERPLANE.create(), e -> {
            try {
                String id = nodes.sendTest(nodes.node(node.getValue()), from.getValue(), to.getValue(), getTranslation("settings.nodes.test.subject"),
                        getTranslation("settings.nodes.test.text", node.getValue()));
                answer.setText(getTranslation("settings.nodes.test.taken", id));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        test.setId("node-test");
        test.setEnabled(!nodes.nodes().isEmpty());
        HorizontalLayout row = new HorizontalLayout(node, from, to, test);
        row.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        row.getStyle().set("flex-wrap", "wrap");
        VerticalLayout tab = new VerticalLayout(new Paragraph(getTranslation("settings.nodes.help")), grid, row, answer,
                new Anchor("mail-queues", getTranslation("settings.nodes.queues")));
        tab.setPadding(false);
        return tab;
    }

    // --- workspace defaults

    private Component workspaceTab(TeamAdmin team) {
        WorkspaceDefaults.Defaults d = defaults.get(user.workspaceId());
        ComboBox<String> zone = new ComboBox<>(getTranslation("settings.workspace.zone"));
        zone.setItems(ZoneId.getAvailableZoneIds().stream().sorted().toList());
        zone.setValue(d.timeZone());
        zone.setClearButtonVisible(true);
        zone.setId("workspace-zone");
        TimePicker quietFrom = new TimePicker(getTranslation("settings.workspace.quietFrom"));
        quietFrom.setValue(d.quietFrom());
        quietFrom.setId("workspace-quiet-from");
        TimePicker quietTo = new TimePicker(getTranslation("settings.workspace.quietTo"));
        quietTo.setValue(d.quietTo());
        quietTo.setId("workspace-quiet-to");
        TextField tracking = new TextField(getTranslation("settings.workspace.tracking"));
        tracking.setValue(d.trackingUrl() == null ? "" : d.trackingUrl());
        tracking.setPlaceholder("https://click.shop.example");
        tracking.setHelperText(getTranslation("settings.workspace.tracking.help"));
        tracking.setId("workspace-tracking");
        FormLayout form = new FormLayout(zone, quietFrom, quietTo, tracking);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("40em", 2));
        Button save = new Button(getTranslation("common.save"), e -> {
            try {
                defaults.save(user.workspaceId(), zone.getValue(), quietFrom.getValue(), quietTo.getValue(), tracking.getValue(), clock.instant());
                Problems.success(getTranslation("settings.workspace.saved"));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        save.setId("save-workspace");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        VerticalLayout tab = new VerticalLayout(new Paragraph(getTranslation("settings.workspace.help")), form, save, sendingPolicy());
        if (team.superAdmin()) {
            tab.add(newWorkspace(team));
        }
        tab.setPadding(false);
        return tab;
    }

    /** A super-administrator's: a new workspace, of which they become the owner. */
    private Component newWorkspace(TeamAdmin team) {
        TextField id = new TextField(getTranslation("workspaces.id"));
        id.setId("new-workspace-id");
        id.setHelperText(getTranslation("workspaces.idHelp"));
        TextField name = new TextField(getTranslation("workspaces.name"));
        name.setId("new-workspace-name");
        Button make = new Button(getTranslation("workspaces.create"), e -> {
            try {
                team.createWorkspace(id.getValue().strip(), name.getValue());
                Problems.success(getTranslation("workspaces.created", name.getValue().strip()));
                getUI().ifPresent(ui -> ui.getPage().reload()); // the switcher lists it
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        make.setId("new-workspace-create");
        FlexLayout row = new FlexLayout(id, name, make);
        row.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        row.setAlignItems(Alignment.BASELINE);
        row.getStyle().set("gap", "var(--lumo-space-m)");
        VerticalLayout box = new VerticalLayout(new H3(getTranslation("workspaces.title")), new Paragraph(getTranslation("workspaces.help")), row);
        box.setPadding(false);
        return box;
    }

    /** The workspace's sending policy (X6): caps per recipient, which a database's or a campaign's own cap narrows. */
    private Component sendingPolicy() {
        SendingLimits.Limits now = limits.ofWorkspace(user.workspaceId()).orElse(new SendingLimits.Limits(null, null, null, null, null, null));
        IntegerField channelMax = capField("policy-channel-max", "settings.policy.max", now.perChannel() == null ? null : now.perChannel().max());
        IntegerField channelDays = capField("policy-channel-days", "settings.policy.days", now.perChannel() == null ? null : now.perChannel().days());
        IntegerField allMax = capField("policy-all-max", "settings.policy.max", now.allChannels() == null ? null : now.allChannels().max());
        IntegerField allDays = capField("policy-all-days", "settings.policy.days", now.allChannels() == null ? null : now.allChannels().days());
        IntegerField addressMax = capField("policy-address-max", "settings.policy.max", now.perAddress() == null ? null : now.perAddress().max());
        IntegerField addressDays = capField("policy-address-days", "settings.policy.days", now.perAddress() == null ? null : now.perAddress().days());
        Button save = new Button(getTranslation("common.save"), e -> {
            try {
                limits.saveWorkspace(user.workspaceId(), cap(channelMax, channelDays), cap(allMax, allDays), cap(addressMax, addressDays));
                Problems.success(getTranslation("settings.policy.saved"));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        save.setId("policy-save");
        save.setVisible(user.may("settings:write"));
        FlexLayout perChannel = new FlexLayout(new Span(getTranslation("settings.policy.perChannel")), channelMax, channelDays);
        FlexLayout allChannels = new FlexLayout(new Span(getTranslation("settings.policy.allChannels")), allMax, allDays);
        FlexLayout perAddress = new FlexLayout(new Span(getTranslation("settings.policy.perAddress")), addressMax, addressDays);
        for (FlexLayout row : List.of(perChannel, allChannels, perAddress)) {
            row.setFlexWrap(FlexLayout.FlexWrap.WRAP);
            row.setAlignItems(Alignment.BASELINE);
            row.getStyle().set("gap", "var(--lumo-space-m)");
        }
        VerticalLayout box = new VerticalLayout(new H3(getTranslation("settings.policy.title")), new Paragraph(getTranslation("settings.policy.help")),
                perChannel, allChannels, perAddress, save);
        box.setPadding(false);
        return box;
    }

    private IntegerField capField(String id, String label, Integer value) {
        IntegerField f = new IntegerField(getTranslation(label));
        f.setId(id);
        f.setWidth("9em");
        f.setValue(value);
        f.setReadOnly(!user.may("settings:write"));
        return f;
    }

    /** A cap from its two fields; both empty: none at this level. */
    private static SendingLimits.Cap cap(IntegerField max, IntegerField days) {
        return max.getValue() == null && days.getValue() == null ? null
                : new SendingLimits.Cap(max.getValue() == null ? 0 : max.getValue(), days.getValue() == null ? 0 : days.getValue());
    }

    private Component securityTab(TeamAdmin team) {
        com.vaadin.flow.component.checkbox.Checkbox require = new com.vaadin.flow.component.checkbox.Checkbox(
                getTranslation("settings.security.requireTwoFactor"));
        require.setId("require-two-factor");
        require.setHelperText(getTranslation("settings.security.requireTwoFactorHelp"));
        require.setValue(team.requiresTwoFactor(user.workspaceId()));
        require.setReadOnly(!user.may("settings:write"));
        require.addValueChangeListener(e -> {
            if (!e.isFromClient()) {
                return;
            }
            try {
                team.requireTwoFactor(user.workspaceId(), e.getValue());
                Problems.success(getTranslation("settings.security.saved"));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        VerticalLayout tab = new VerticalLayout(new Paragraph(getTranslation("settings.security.help")), require, passwordRules(team));
        tab.setPadding(false);
        return tab;
    }

    /** The workspace's password rules (X2), as Keycloak's administrators set them. */
    private Component passwordRules(TeamAdmin team) {
        PasswordPolicy now = team.passwordPolicy(user.workspaceId());
        IntegerField minLength = rule("password-min-length", "settings.password.minLength", now.minLength(), 8, 64);
        IntegerField classes = rule("password-classes", "settings.password.classes", now.classes(), 1, 4);
        IntegerField history = rule("password-history", "settings.password.history", now.history(), 0, 24);
        IntegerField expiry = rule("password-expiry", "settings.password.expiryDays", now.expiryDays(), 0, 3650);
        com.vaadin.flow.component.checkbox.Checkbox common = new com.vaadin.flow.component.checkbox.Checkbox(
                getTranslation("settings.password.refuseCommon"), now.refuseCommon());
        common.setId("password-refuse-common");
        Button save = new Button(getTranslation("common.save"), e -> {
            try {
                team.savePasswordPolicy(user.workspaceId(), new PasswordPolicy(value(minLength), value(classes), value(history), value(expiry),
                        common.getValue()));
                Problems.success(getTranslation("settings.security.saved"));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        save.setId("password-save");
        save.setVisible(user.may("settings:write"));
        FlexLayout fields = new FlexLayout(minLength, classes, history, expiry);
        fields.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        fields.getStyle().set("gap", "var(--lumo-space-m)");
        VerticalLayout box = new VerticalLayout(new H3(getTranslation("settings.password.title")), new Paragraph(getTranslation("settings.password.help")),
                fields, common, save);
        box.setPadding(false);
        return box;
    }

    private IntegerField rule(String id, String label, int value, int min, int max) {
        IntegerField f = new IntegerField(getTranslation(label));
        f.setId(id);
        f.setMin(min);
        f.setMax(max);
        f.setStepButtonsVisible(true);
        f.setHelperText(getTranslation(label + ".help"));
        f.setWidth("15em");
        f.setValue(value);
        f.setReadOnly(!user.may("settings:write"));
        return f;
    }

    private static int value(IntegerField f) {
        return f.getValue() == null ? -1 : f.getValue();
    }
}
