package org.orbita.ui.sites;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.orbita.common.InvalidInputException;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.sites.Site;
import org.orbita.sites.SiteHits;
import org.orbita.sites.SiteSnippet;
import org.orbita.sites.Sites;
import org.orbita.sites.TagContainer;
import org.orbita.sites.TagContainers;
import org.orbita.ui.Confirm;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;
import org.orbita.ui.ProfileText;

/**
 * The workspace's websites: each with its domains, database, consent and goals; the code to
 * paste into its pages, whether a hit has come in (the install check) and who is on it now.
 */
@Route("sites")
@PageTitle("Orbita — sites")
@PermitAll
public class SitesView extends VerticalLayout {

    private final Sites sites;
    private final SiteHits hits;
    private final SiteSnippet snippet;
    private final ClientDatabases databases;
    private final CurrentUser user;
    private final TagContainers containers;
    private final Grid<Site> grid = new Grid<>();
    private final VerticalLayout detail = new VerticalLayout();

    public SitesView(Sites sites, SiteHits hits, SiteSnippet snippet, ClientDatabases databases, CurrentUser user, TagContainers containers) {
        this.sites = sites;
        this.containers = containers;
        this.hits = hits;
        this.snippet = snippet;
        this.databases = databases;
        this.user = user;
        Button create = new Button(getTranslation("sites.new"), VaadinIcon.PLUS.create(), e -> edit(null));
        create.setId("new-site");
        create.setEnabled(user.may("sites:write"));
        HorizontalLayout header = PageHeader.of(getTranslation("sites.title"), create);
        Paragraph help = PageHeader.help(getTranslation("sites.help"));
        grid.setId("sites-grid");
        grid.addColumn(Site::name).setHeader(getTranslation("sites.name")).setAutoWidth(true);
        grid.addColumn(s -> String.join(", ", s.domains())).setHeader(getTranslation("sites.domains")).setFlexGrow(2);
        grid.addColumn(s -> databases.find(s.database()).map(ClientDatabase::name).orElse(s.database())).setHeader(getTranslation("sites.database"));
        grid.addColumn(s -> getTranslation("sites.consentShort." + s.consent().id())).setHeader(getTranslation("sites.consent")).setAutoWidth(true);
        grid.addColumn(s -> s.goals().size()).setHeader(getTranslation("sites.goals")).setAutoWidth(true);
        grid.addColumn(s -> lastHit(s)).setHeader(getTranslation("sites.lastHit")).setAutoWidth(true);
        grid.addItemClickListener(e -> show(e.getItem()));
        grid.setAllRowsVisible(true);
        detail.setPadding(false);
        add(header, help, grid, detail);
        reload();
    }

    private String lastHit(Site s) {
        Instant at = hits.lastHit(s.id());
        return at == null ? getTranslation("sites.noHit") : ProfileText.instant(at, getLocale());
    }

    private void reload() {
        List<Site> all = sites.list(user.workspaceId());
        grid.setItems(all);
        if (all.size() == 1) {
            show(all.get(0));
        }
    }

    /** A site's code to paste, its install check and who is on it now. */
    private void show(Site s) {
        detail.removeAll();
        TextArea code = new TextArea(getTranslation("sites.code"));
        code.setId("site-code");
        code.setValue(snippet.code(s));
        code.setReadOnly(true);
        code.setWidthFull();
        code.setHelperText(getTranslation("sites.codeHelp"));
        TextField pixel = new TextField(getTranslation("sites.pixel"));
        pixel.setValue(snippet.pixel(s));
        pixel.setReadOnly(true);
        pixel.setWidthFull();
        Paragraph check = new Paragraph(hits.lastHit(s.id()) == null ? getTranslation("sites.install.waiting")
                : getTranslation("sites.install.seen", ProfileText.instant(hits.lastHit(s.id()), getLocale())));
        check.setId("site-install-check");
        Grid<SiteHits.LiveVisitor> live = new Grid<>();
        live.setId("site-live");
        live.addThemeVariants(GridVariant.LUMO_COMPACT);
        live.setEmptyStateText(getTranslation("sites.live.empty"));
        live.addColumn(v -> v.profileId() == null ? getTranslation("sites.live.anonymous") : v.profileId()).setHeader(getTranslation("sites.live.who"));
        live.addColumn(SiteHits.LiveVisitor::url).setHeader(getTranslation("sites.live.page")).setFlexGrow(3);
        live.addColumn(SiteHits.LiveVisitor::device).setHeader(getTranslation("reports.dim.device")).setAutoWidth(true);
        live.addColumn(v -> ProfileText.instant(v.at(), getLocale())).setHeader(getTranslation("sites.live.at")).setAutoWidth(true);
        live.setItems(hits.live(s.id()));
        live.setAllRowsVisible(true);
        Button refresh = new Button(getTranslation("sites.refresh"), VaadinIcon.REFRESH.create(), e -> show(s));
        Button edit = new Button(getTranslation("sites.edit"), VaadinIcon.EDIT.create(), e -> edit(s));
        edit.setId("edit-site");
        edit.setEnabled(user.may("sites:write"));
        detail.add(new H3(s.name()), new HorizontalLayout(edit, refresh), code, pixel, check, new H3(getTranslation("sites.live")), live,
                new H3(getTranslation("tags.title")), PageHeader.help(getTranslation("tags.sitesHelp")), containers(s));
    }

    /** The site's tag containers: which version each runs; a click opens one. */
    private VerticalLayout containers(Site s) {
        Grid<TagContainer> list = new Grid<>();
        list.setId("containers-grid");
        list.addThemeVariants(GridVariant.LUMO_COMPACT);
        list.addColumn(TagContainer::name).setHeader(getTranslation("sites.name")).setFlexGrow(2);
        list.addColumn(c -> c.published() == null ? getTranslation("tags.notLive") : getTranslation("tags.version", c.published()))
                .setHeader(getTranslation("tags.live")).setAutoWidth(true);
        list.addColumn(TagContainer::versions).setHeader(getTranslation("tags.versions")).setAutoWidth(true);
        list.addColumn(c -> c.draft().tags().size()).setHeader(getTranslation("tags.tags")).setAutoWidth(true);
        list.addComponentColumn(c -> {
            Button delete = new Button(VaadinIcon.TRASH.create(), e -> TagContainerView.confirmDelete(this, containers, user, c, () -> show(s)));
            delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
            delete.getElement().setAttribute("aria-label", getTranslation("messages.delete"));
            delete.setVisible(user.may("sites:delete"));
            return delete;
        }).setAutoWidth(true).setFlexGrow(0);
        list.setItems(containers.list(user.workspaceId(), s.id()));
        list.setAllRowsVisible(true);
        list.setEmptyStateText(getTranslation("tags.noContainers"));
        list.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate("tag-containers/" + e.getItem().id())));
        TextField name = new TextField();
        name.setId("container-name");
        name.setPlaceholder(getTranslation("tags.containerName"));
        Button create = new Button(getTranslation("tags.newContainer"), VaadinIcon.PLUS.create(), e -> {
            try {
                TagContainer c = containers.create(user.workspaceId(), s.id(), new TagContainers.ContainerInput(name.getValue(), null));
                getUI().ifPresent(ui -> ui.navigate("tag-containers/" + c.id()));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        create.setId("new-container");
        create.setEnabled(user.may("sites:write"));
        HorizontalLayout add = new HorizontalLayout(name, create);
        add.setAlignItems(Alignment.BASELINE);
        VerticalLayout l = new VerticalLayout(add, list);
        l.setPadding(false);
        return l;
    }

    private void edit(Site s) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(s == null ? getTranslation("sites.new") : s.name());
        TextField name = new TextField(getTranslation("sites.name"));
        name.setId("site-name");
        name.setValue(s == null ? "" : s.name());
        TextArea domains = new TextArea(getTranslation("sites.domains"));
        domains.setId("site-domains");
        domains.setValue(s == null ? "" : String.join("\n", s.domains()));
        domains.setHelperText(getTranslation("sites.domainsHelp"));
        Select<ClientDatabase> database = new Select<>();
        database.setId("site-database");
        database.setLabel(getTranslation("sites.database"));
        database.setItems(databases.list(user.workspaceId()));
        database.setItemLabelGenerator(ClientDatabase::name);
        databases.list(user.workspaceId()).stream().filter(d -> s != null ? d.id().equals(s.database()) : true).findFirst()
                .ifPresent(database::setValue);
        database.setReadOnly(s != null);
        Select<Site.Consent> consent = new Select<>();
        consent.setLabel(getTranslation("sites.consent"));
        consent.setItems(Site.Consent.values());
        consent.setItemLabelGenerator(c -> getTranslation("sites.consent." + c.id()));
        consent.setValue(s == null ? Site.Consent.NONE : s.consent());
        Checkbox bots = new Checkbox(getTranslation("sites.filterBots"), s == null || s.filterBots());
        TextField identifyBy = new TextField(getTranslation("sites.identifyBy"));
        identifyBy.setValue(s == null ? "" : String.join(", ", s.identifyBy()));
        identifyBy.setHelperText(getTranslation("sites.identifyByHelp"));
        TextField traits = new TextField(getTranslation("sites.traits"));
        traits.setValue(s == null ? "" : String.join(", ", s.traits()));
        traits.setHelperText(getTranslation("sites.traitsHelp"));
        TextArea goals = new TextArea(getTranslation("sites.goals"));
        goals.setId("site-goals");
        goals.setValue(s == null ? "" : String.join("\n", s.goals().stream().map(SitesView::goalLine).toList()));
        goals.setHelperText(getTranslation("sites.goalsHelp"));
        FormLayout form = new FormLayout(name, database, domains, consent, bots, identifyBy, traits, goals);
        form.setColspan(domains, 2);
        form.setColspan(goals, 2);
        dialog.add(form);
        Button save = new Button(getTranslation("messages.save"), e -> {
            try {
                Sites.SiteInput input = new Sites.SiteInput(name.getValue(), lines(domains.getValue()),
                        database.getValue() == null ? null : database.getValue().id(), consent.getValue().id(), bots.getValue(),
                        identifyBy.getValue().isBlank() ? null : words(identifyBy.getValue()), words(traits.getValue()), goals(goals.getValue(), s == null ? List.of() : s.goals()));
                Site saved = s == null ? sites.create(user.workspaceId(), input) : sites.update(user.workspaceId(), s.id(), input);
                dialog.close();
                reload();
                show(saved);
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        save.setId("save-site");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button delete = new Button(getTranslation("messages.delete"), e -> Confirm.destructive("confirm-delete-site",
                getTranslation("sites.deleteTitle"), getTranslation("sites.deleteText"), getTranslation("messages.delete"),
                getTranslation("segments.cancel"), () -> {
                    sites.delete(user.workspaceId(), s.id());
                    dialog.close();
                    detail.removeAll();
                    reload();
                }).open());
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        delete.setVisible(s != null && user.may("sites:delete"));
        dialog.getFooter().add(delete, new Button(getTranslation("segments.cancel"), e -> dialog.close()), save);
        dialog.setWidth("min(100%, 760px)");
        dialog.open();
    }

    /** A goal as one line: kind, rule, value, name (a page goal's match after its kind: page~regex). */
    static String goalLine(Site.Goal g) {
        String kind = g.kind().equals("page") && g.match() != null && !g.match().equals("contains") ? "page~" + g.match() : g.kind();
        String value = g.value() == Math.rint(g.value()) ? String.valueOf((long) g.value()) : String.valueOf(g.value());
        return kind + " " + g.rule() + " " + value + " " + g.name();
    }

    /**
     * Goals from lines as {@link #goalLine} writes them (a goal of the same kind and rule keeps its
     * id, so reports and segments keep finding it); a line that does not read names itself.
     */
    static List<Site.Goal> goals(String text, List<Site.Goal> before) {
        List<Site.Goal> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+", 4);
            double value;
            try {
                value = parts.length < 3 ? 0 : Double.parseDouble(parts[2]);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("goals[" + out.size() + "].value", parts[2], "must be a number, as in: page /pricing 5 Saw pricing");
            }
            if (parts.length < 4) {
                throw new InvalidInputException("goals[" + out.size() + "]", line, "must read kind rule value name, as in: click #buy 50 Bought");
            }
            String kind = parts[0];
            String match = null;
            if (kind.startsWith("page~")) {
                match = kind.substring(5);
                kind = "page";
            }
            String k = kind;
            String id = before.stream().filter(g -> g.kind().equals(k) && g.rule().equals(parts[1])).map(Site.Goal::id).findFirst().orElse(null);
            out.add(new Site.Goal(id, parts[3], kind, parts[1], match, value));
        }
        return out;
    }

    private static List<String> lines(String text) {
        return Arrays.stream(text.split("[\\n,]")).map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
