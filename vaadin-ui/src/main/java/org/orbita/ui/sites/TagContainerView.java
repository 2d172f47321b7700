package org.orbita.ui.sites;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.sites.TagContainer;
import org.orbita.sites.TagContainer.Condition;
import org.orbita.sites.TagContainer.Content;
import org.orbita.sites.TagContainer.Tag;
import org.orbita.sites.TagContainer.Trigger;
import org.orbita.sites.TagContainer.Variable;
import org.orbita.sites.TagContainers;
import org.orbita.ui.Confirm;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.ItemEditing;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;
import org.orbita.ui.ProfileText;

/**
 * One tag container: its tags, triggers and variables (each change saved into the draft at once,
 * checked whole), its versions — publish the draft, roll back to an earlier one — and a preview
 * link that runs the draft on the live site in one browser tab.
 */
@Route("tag-containers/:id")
@PageTitle("Orbita — tag manager")
@PermitAll
public class TagContainerView extends VerticalLayout implements BeforeEnterObserver {

    private static final Pattern CONDITION = Pattern.compile("\\{\\{([^{}]+)}}\\s+(\\S+)\\s*(.*)");
    /** The tag kinds that are third-party templates with an account id. */
    private static final java.util.Set<String> TEMPLATES = java.util.Set.of("ga4", "meta-pixel", "yandex-metrica", "popup");

    private final TagContainers containers;
    private final CurrentUser user;
    private final boolean writes;
    private TagContainer container;
    private final Paragraph state = new Paragraph();
    private final Grid<Tag> tags = new Grid<>();
    private final Grid<Trigger> triggers = new Grid<>();
    private final Grid<Variable> variables = new Grid<>();
    private final Grid<TagContainer.Version> versions = new Grid<>();
    private final HorizontalLayout header;

    public TagContainerView(TagContainers containers, CurrentUser user) {
        this.containers = containers;
        this.user = user;
        this.writes = user.may("sites:write");
        Button publish = new Button(getTranslation("tags.publish"), VaadinIcon.UPLOAD.create(), e -> publishDialog());
        publish.setId("publish-container");
        publish.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        publish.setEnabled(writes);
        Button preview = new Button(getTranslation("tags.preview"), VaadinIcon.EYE.create(), e -> preview());
        preview.setId("preview-container");
        Button back = new Button(getTranslation("tags.backToSites"), VaadinIcon.ARROW_LEFT.create(), e -> getUI().ifPresent(ui -> ui.navigate(SitesView.class)));
        header = PageHeader.of(getTranslation("tags.title"), back, preview, publish);
        state.setId("container-state");

        tags.setId("tags-grid");
        tags.addColumn(Tag::name).setHeader(getTranslation("tags.name")).setAutoWidth(true);
        tags.addColumn(t -> getTranslation("tags.kind." + t.kind())).setHeader(getTranslation("tags.kind")).setAutoWidth(true);
        tags.addColumn(t -> names(t.firing())).setHeader(getTranslation("tags.firing")).setFlexGrow(2);
        tags.addColumn(t -> t.consent().isEmpty() ? "—" : String.join(", ", t.consent().stream().map(c -> getTranslation("tags.consent." + c)).toList()))
                .setHeader(getTranslation("tags.consent")).setAutoWidth(true);
        tags.addColumn(t -> t.paused() ? getTranslation("tags.paused") : "").setAutoWidth(true);
        tags.addItemClickListener(e -> editTag(e.getItem()));
        tags.setAllRowsVisible(true);
        tags.setEmptyStateText(getTranslation("tags.noTags"));
        triggers.setId("triggers-grid");
        triggers.addColumn(Trigger::name).setHeader(getTranslation("tags.name")).setAutoWidth(true);
        triggers.addColumn(t -> getTranslation("tags.trigger." + t.kind())).setHeader(getTranslation("tags.kind")).setAutoWidth(true);
        triggers.addColumn(TagContainerView::triggerSummary).setHeader(getTranslation("tags.when")).setFlexGrow(2);
        triggers.addItemClickListener(e -> editTrigger(e.getItem()));
        triggers.setAllRowsVisible(true);
        triggers.setEmptyStateText(getTranslation("tags.noTriggers"));
        variables.setId("variables-grid");
        variables.addColumn(v -> "{{" + v.name() + "}}").setHeader(getTranslation("tags.name")).setAutoWidth(true);
        variables.addColumn(v -> getTranslation("tags.variable." + v.kind())).setHeader(getTranslation("tags.kind")).setAutoWidth(true);
        variables.addColumn(v -> v.kind().equals("url") ? v.part() + (v.key() == null ? "" : " " + v.key())
                : v.kind().equals("constant") ? v.value() : v.key()).setHeader(getTranslation("tags.reads")).setFlexGrow(2);
        variables.addItemClickListener(e -> editVariable(e.getItem()));
        variables.setAllRowsVisible(true);
        variables.setEmptyStateText(getTranslation("tags.noVariables"));
        versions.setId("versions-grid");
        versions.addColumn(v -> v.number()).setHeader("#").setAutoWidth(true);
        versions.addColumn(v -> v.note() == null ? "" : v.note()).setHeader(getTranslation("tags.note")).setFlexGrow(2);
        versions.addColumn(v -> ProfileText.instant(v.createdAt(), getLocale())).setHeader(getTranslation("tags.made")).setAutoWidth(true);
        versions.addComponentColumn(v -> {
            if (container.published() != null && container.published() == v.number()) {
                return new com.vaadin.flow.component.html.Span(getTranslation("tags.live"));
            }
            Button b = new Button(getTranslation(container.published() != null && v.number() < container.published() ? "tags.rollback" : "tags.publishThis"),
                    e -> act(() -> containers.publish(user.workspaceId(), container.id(), v.number())));
            b.setId("publish-version-" + v.number());
            b.addThemeVariants(ButtonVariant.LUMO_SMALL);
            b.setEnabled(writes);
            return b;
        }).setAutoWidth(true);
        versions.setAllRowsVisible(true);
        versions.setEmptyStateText(getTranslation("tags.noVersions"));

        TabSheet sheet = new TabSheet();
        sheet.setWidthFull();
        sheet.add(getTranslation("tags.tags"), ItemEditing.section(this, tags, "new-tag", writes, () -> editTag(null)));
        sheet.add(getTranslation("tags.triggers"), ItemEditing.section(this, triggers, "new-trigger", writes, () -> editTrigger(null)));
        sheet.add(getTranslation("tags.variables"), ItemEditing.section(this, variables, "new-variable", writes, () -> editVariable(null)));
        sheet.add(getTranslation("tags.versions"), new VerticalLayout(versions));
        add(header, PageHeader.help(getTranslation("tags.help")), state, sheet);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        try {
            container = containers.get(user.workspaceId(), event.getRouteParameters().get("id").orElse(""));
        } catch (NotFoundException e) {
            event.forwardTo(SitesView.class);
            return;
        }
        refresh();
    }

    private void refresh() {
        ((com.vaadin.flow.component.HasText) header.getComponentAt(0)).setText(getTranslation("tags.title") + ": " + container.name());
        state.setText(container.published() == null ? getTranslation("tags.state.none", container.versions())
                : getTranslation("tags.state.live", container.published(), container.versions()));
        tags.setItems(container.draft().tags());
        triggers.setItems(container.draft().triggers());
        variables.setItems(container.draft().variables());
        versions.setItems(containers.versions(user.workspaceId(), container.id(), 50));
    }

    private void act(java.util.function.Supplier<TagContainer> change) {
        try {
            container = change.get();
            refresh();
        } catch (RuntimeException ex) {
            Problems.show(ex);
        }
    }

    /** Saves the draft with one change made; true when it was taken. */
    private boolean saveDraft(UnaryOperator<Content> change) {
        try {
            container = containers.update(user.workspaceId(), container.id(), new TagContainers.ContainerInput(null, change.apply(container.draft())));
            refresh();
            return true;
        } catch (RuntimeException ex) {
            Problems.show(ex);
            return false;
        }
    }

    private String names(List<String> triggerIds) {
        return String.join(", ", triggerIds.stream().map(id -> container.draft().triggers().stream().filter(t -> t.id().equals(id))
                .map(Trigger::name).findFirst().orElse(id)).toList());
    }

    static String triggerSummary(Trigger t) {
        String what = switch (t.kind()) {
            case "click", "submit", "visibility" -> t.selector() == null ? "" : t.selector() + (t.percent() == null ? "" : " ≥ " + t.percent() + "%");
            case "event" -> (t.match() != null && t.match().equals("regex") ? "~ " : "") + t.event();
            case "scroll" -> String.join(", ", t.thresholds().stream().map(x -> x + "%").toList());
            case "timer" -> t.interval() + " ms" + (t.limit() == null ? "" : " × " + t.limit());
            default -> "";
        };
        List<String> conditions = t.conditions().stream().map(TagContainerView::conditionLine).toList();
        return (what + (conditions.isEmpty() ? "" : (what.isEmpty() ? "" : "; ") + String.join("; ", conditions))).strip();
    }

    static String conditionLine(Condition c) {
        return "{{" + c.variable() + "}} " + c.operator() + " " + c.value();
    }

    /** Conditions from lines as {@link #conditionLine} writes them: {@code {{Page Path}} starts_with /shop}. */
    static List<Condition> conditions(String text) {
        List<Condition> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = CONDITION.matcher(line.strip());
            if (!m.matches()) {
                throw new InvalidInputException("conditions[" + out.size() + "]", line.strip(), "must read {{Variable}} operator value, as in:"
                        + " {{Page Path}} starts_with /shop");
            }
            out.add(new Condition(m.group(1).strip(), m.group(2), m.group(3)));
        }
        return out;
    }

    private void editTag(Tag t) {
        TextField name = new TextField(getTranslation("tags.name"));
        name.setId("tag-name");
        name.setValue(t == null ? "" : t.name());
        Select<String> kind = new Select<>();
        kind.setId("tag-kind");
        kind.setLabel(getTranslation("tags.kind"));
        kind.setItems("html", "image", "event", "ga4", "meta-pixel", "yandex-metrica", "popup");
        kind.setItemLabelGenerator(k -> getTranslation("tags.kind." + k));
        kind.setValue(t == null ? "html" : t.kind());
        TextArea html = new TextArea(getTranslation("tags.html"));
        html.setId("tag-html");
        html.setValue(t == null || t.html() == null ? "" : t.html());
        html.setHelperText(getTranslation("tags.htmlHelp"));
        html.setWidthFull();
        TextField url = new TextField(getTranslation("tags.url"));
        url.setValue(t == null || t.url() == null ? "" : t.url());
        url.setHelperText(getTranslation("tags.urlHelp"));
        TextField event = new TextField(getTranslation("tags.event"));
        event.setValue(t == null || t.event() == null ? "" : t.event());
        TextArea properties = new TextArea(getTranslation("tags.properties"));
        properties.setValue(t == null ? "" : String.join("\n", t.properties().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        properties.setHelperText(getTranslation("tags.propertiesHelp"));
        TextField account = new TextField(getTranslation("tags.account"));
        account.setValue(t == null || t.account() == null ? "" : t.account());
        MultiSelectComboBox<Trigger> firing = triggerPicker("tags.firing", t == null ? List.of() : t.firing());
        firing.setId("tag-firing");
        MultiSelectComboBox<Trigger> blocking = triggerPicker("tags.blocking", t == null ? List.of() : t.blocking());
        CheckboxGroup<String> consent = new CheckboxGroup<>(getTranslation("tags.consent"));
        consent.setItems("analytics", "marketing", "functional", "personalization");
        consent.setItemLabelGenerator(c -> getTranslation("tags.consent." + c));
        consent.setValue(t == null ? java.util.Set.of() : new java.util.HashSet<>(t.consent()));
        consent.setHelperText(getTranslation("tags.consentHelp"));
        Select<String> once = new Select<>();
        once.setLabel(getTranslation("tags.once"));
        once.setItems("event", "page");
        once.setItemLabelGenerator(o -> getTranslation("tags.once." + o));
        once.setValue(t == null || t.once() == null ? "event" : t.once());
        Checkbox paused = new Checkbox(getTranslation("tags.pause"), t != null && t.paused());
        Runnable shown = () -> {
            String k = kind.getValue();
            html.setVisible(k.equals("html"));
            url.setVisible(k.equals("image"));
            event.setVisible(k.equals("event"));
            properties.setVisible(k.equals("event"));
            account.setVisible(TEMPLATES.contains(k));
            account.setHelperText(TEMPLATES.contains(k) ? getTranslation("tags.accountHelp." + k) : null);
        };
        kind.addValueChangeListener(e -> shown.run());
        shown.run();
        FormLayout form = new FormLayout(name, kind, html, url, event, properties, account, firing, blocking, consent, once, paused);
        form.setColspan(html, 2);
        form.setColspan(properties, 2);
        Dialog[] d = new Dialog[1];
        d[0] = ItemEditing.dialog(this, writes, t == null ? getTranslation("tags.newTag") : t.name(), form, () -> {
            Map<String, String> props = new LinkedHashMap<>();
            for (String line : properties.getValue().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    props.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
            String k = kind.getValue();
            Tag after = new Tag(t == null ? null : t.id(), name.getValue(), k, k.equals("html") ? html.getValue() : null,
                    k.equals("image") ? url.getValue() : null, k.equals("event") ? event.getValue() : null, k.equals("event") ? props : Map.of(),
                    TEMPLATES.contains(k) ? account.getValue() : null, firing.getValue().stream().map(Trigger::id).toList(),
                    blocking.getValue().stream().map(Trigger::id).toList(), consent.getValue().stream().sorted().toList(), once.getValue(), paused.getValue());
            if (saveDraft(c -> new Content(c.variables(), c.triggers(), ItemEditing.replaced(c.tags(), t, after)))) {
                d[0].close();
            }
        }, t == null ? null : () -> {
            if (saveDraft(c -> new Content(c.variables(), c.triggers(), ItemEditing.replaced(c.tags(), t, null)))) {
                d[0].close();
            }
        });
    }

    private MultiSelectComboBox<Trigger> triggerPicker(String label, List<String> chosen) {
        MultiSelectComboBox<Trigger> box = new MultiSelectComboBox<>(getTranslation(label));
        box.setItems(container.draft().triggers());
        box.setItemLabelGenerator(Trigger::name);
        box.setValue(container.draft().triggers().stream().filter(tr -> chosen.contains(tr.id())).toList());
        return box;
    }

    private void editTrigger(Trigger t) {
        TextField name = new TextField(getTranslation("tags.name"));
        name.setId("trigger-name");
        name.setValue(t == null ? "" : t.name());
        Select<String> kind = new Select<>();
        kind.setId("trigger-kind");
        kind.setLabel(getTranslation("tags.kind"));
        kind.setItems("page", "click", "submit", "scroll", "timer", "event", "visibility");
        kind.setItemLabelGenerator(k -> getTranslation("tags.trigger." + k));
        kind.setValue(t == null ? "page" : t.kind());
        TextField selector = new TextField(getTranslation("tags.selector"));
        selector.setValue(t == null || t.selector() == null ? "" : t.selector());
        selector.setHelperText(getTranslation("tags.selectorHelp"));
        TextField event = new TextField(getTranslation("tags.eventName"));
        event.setId("trigger-event");
        event.setValue(t == null || t.event() == null ? "" : t.event());
        Checkbox regex = new Checkbox(getTranslation("tags.regex"), t != null && "regex".equals(t.match()));
        TextField thresholds = new TextField(getTranslation("tags.thresholds"));
        thresholds.setValue(t == null || t.thresholds().isEmpty() ? "25, 50, 75, 90" : String.join(", ", t.thresholds().stream().map(String::valueOf).toList()));
        IntegerField interval = new IntegerField(getTranslation("tags.interval"));
        interval.setValue(t == null || t.interval() == null ? 30_000 : t.interval());
        IntegerField limit = new IntegerField(getTranslation("tags.limit"));
        limit.setValue(t == null ? null : t.limit());
        IntegerField percent = new IntegerField(getTranslation("tags.percent"));
        percent.setValue(t == null || t.percent() == null ? 50 : t.percent());
        TextArea conditions = new TextArea(getTranslation("tags.conditions"));
        conditions.setId("trigger-conditions");
        conditions.setValue(t == null ? "" : String.join("\n", t.conditions().stream().map(TagContainerView::conditionLine).toList()));
        conditions.setHelperText(getTranslation("tags.conditionsHelp", String.join(", ", TagContainers.BUILT_IN)));
        conditions.setWidthFull();
        Runnable shown = () -> {
            String k = kind.getValue();
            selector.setVisible(List.of("click", "submit", "visibility").contains(k));
            event.setVisible(k.equals("event"));
            regex.setVisible(k.equals("event"));
            thresholds.setVisible(k.equals("scroll"));
            interval.setVisible(k.equals("timer"));
            limit.setVisible(k.equals("timer"));
            percent.setVisible(k.equals("visibility"));
        };
        kind.addValueChangeListener(e -> shown.run());
        shown.run();
        FormLayout form = new FormLayout(name, kind, selector, event, regex, thresholds, interval, limit, percent, conditions);
        form.setColspan(conditions, 2);
        Dialog[] d = new Dialog[1];
        d[0] = ItemEditing.dialog(this, writes, t == null ? getTranslation("tags.newTrigger") : t.name(), form, () -> {
            String k = kind.getValue();
            List<Integer> marks = new ArrayList<>();
            if (k.equals("scroll")) {
                for (String part : thresholds.getValue().split("[,\\s]+")) {
                    if (!part.isBlank()) {
                        try {
                            marks.add(Integer.parseInt(part.replace("%", "")));
                        } catch (NumberFormatException e) {
                            Problems.show(new InvalidInputException("thresholds", part, "percentages separated by commas, as in 25, 50, 75"));
                            return;
                        }
                    }
                }
            }
            Trigger after;
            try {
                after = new Trigger(t == null ? null : t.id(), name.getValue(), k, selector.getValue(), k.equals("event") ? event.getValue() : null,
                        k.equals("event") ? (regex.getValue() ? "regex" : "equals") : null, marks, k.equals("timer") ? interval.getValue() : null,
                        k.equals("timer") ? limit.getValue() : null, k.equals("visibility") ? percent.getValue() : null, conditions(conditions.getValue()));
            } catch (InvalidInputException e) {
                Problems.show(e);
                return;
            }
            if (saveDraft(c -> new Content(c.variables(), ItemEditing.replaced(c.triggers(), t, after), c.tags()))) {
                d[0].close();
            }
        }, t == null ? null : () -> {
            if (saveDraft(c -> new Content(c.variables(), ItemEditing.replaced(c.triggers(), t, null), c.tags()))) {
                d[0].close();
            }
        });
    }

    private void editVariable(Variable v) {
        TextField name = new TextField(getTranslation("tags.name"));
        name.setId("variable-name");
        name.setValue(v == null ? "" : v.name());
        Select<String> kind = new Select<>();
        kind.setId("variable-kind");
        kind.setLabel(getTranslation("tags.kind"));
        kind.setItems("datalayer", "url", "cookie", "js", "constant");
        kind.setItemLabelGenerator(k -> getTranslation("tags.variable." + k));
        kind.setValue(v == null ? "datalayer" : v.kind());
        Select<String> part = new Select<>();
        part.setLabel(getTranslation("tags.part"));
        part.setItems("href", "host", "path", "query", "fragment", "protocol");
        part.setItemLabelGenerator(p -> getTranslation("tags.part." + p));
        part.setValue(v == null || v.part() == null ? "href" : v.part());
        TextField key = new TextField(getTranslation("tags.key"));
        key.setId("variable-key");
        key.setValue(v == null || v.key() == null ? "" : v.key());
        TextField value = new TextField(getTranslation("tags.value"));
        value.setValue(v == null || v.value() == null ? "" : v.value());
        Runnable shown = () -> {
            String k = kind.getValue();
            part.setVisible(k.equals("url"));
            key.setVisible(!k.equals("constant") && (!k.equals("url") || "query".equals(part.getValue())));
            key.setHelperText(getTranslation("tags.keyHelp." + k));
            value.setLabel(getTranslation(k.equals("constant") ? "tags.value" : "tags.default"));
        };
        kind.addValueChangeListener(e -> shown.run());
        part.addValueChangeListener(e -> shown.run());
        shown.run();
        FormLayout form = new FormLayout(name, kind, part, key, value);
        Dialog[] d = new Dialog[1];
        d[0] = ItemEditing.dialog(this, writes, v == null ? getTranslation("tags.newVariable") : "{{" + v.name() + "}}", form, () -> {
            String k = kind.getValue();
            Variable after = new Variable(name.getValue(), k, k.equals("url") ? part.getValue() : null, key.isVisible() ? key.getValue() : null,
                    value.getValue().isEmpty() ? null : value.getValue());
            if (saveDraft(c -> new Content(ItemEditing.replaced(c.variables(), v, after), c.triggers(), c.tags()))) {
                d[0].close();
            }
        }, v == null ? null : () -> {
            if (saveDraft(c -> new Content(ItemEditing.replaced(c.variables(), v, null), c.triggers(), c.tags()))) {
                d[0].close();
            }
        });
    }

    private void publishDialog() {
        TextField note = new TextField(getTranslation("tags.note"));
        note.setId("version-note");
        note.setWidthFull();
        FormLayout form = new FormLayout(note, new Paragraph(getTranslation("tags.publishHelp")));
        Dialog[] d = new Dialog[1];
        d[0] = ItemEditing.dialog(this, writes, getTranslation("tags.publish"), form, () -> {
            try {
                containers.createVersion(user.workspaceId(), container.id(), note.getValue(), true);
                container = containers.get(user.workspaceId(), container.id());
                refresh();
                d[0].close();
                Problems.success(getTranslation("tags.published", container.published()));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        }, null);
    }

    private void preview() {
        try {
            TagContainers.Preview p = containers.preview(user.workspaceId(), container.id());
            Dialog d = new Dialog();
            d.setHeaderTitle(getTranslation("tags.preview"));
            TextField link = new TextField(getTranslation("tags.previewLink"));
            link.setId("preview-link");
            link.setValue(p.url());
            link.setReadOnly(true);
            link.setWidthFull();
            link.setHelperText(getTranslation("tags.previewHelp", ProfileText.instant(p.expiresAt(), getLocale())));
            Anchor open = new Anchor(p.url(), getTranslation("tags.openPreview"));
            open.setTarget("_blank");
            open.getElement().setAttribute("rel", "noopener noreferrer");
            d.add(new VerticalLayout(link, open));
            d.getFooter().add(new Button(getTranslation("segments.cancel"), e -> d.close()));
            d.setWidth("min(100%, 640px)");
            d.open();
        } catch (RuntimeException ex) {
            Problems.show(ex);
        }
    }

    /** Deletes the container after asking; used from the sites page. */
    static void confirmDelete(Component from, TagContainers containers, CurrentUser user, TagContainer c, Runnable after) {
        Confirm.destructive("confirm-delete-container", from.getTranslation("tags.deleteTitle"), from.getTranslation("tags.deleteText"),
                from.getTranslation("messages.delete"), from.getTranslation("segments.cancel"), () -> {
                    containers.delete(user.workspaceId(), c.id());
                    after.run();
                }).open();
    }
}
