package org.orbita.ui.popups;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AnchorTarget;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.IFrame;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.orbita.audiences.Segment;
import org.orbita.audiences.Segments;
import org.orbita.common.NotFoundException;
import org.orbita.forms.Forms;
import org.orbita.popups.Popup;
import org.orbita.popups.Popup.Frequency;
import org.orbita.popups.Popup.Trigger;
import org.orbita.popups.Popup.UrlRule;
import org.orbita.popups.Popup.Variant;
import org.orbita.popups.Popups;
import org.orbita.reports.Report;
import org.orbita.reports.ReportKind;
import org.orbita.reports.ReportQuery;
import org.orbita.reports.Reports;
import org.orbita.sites.Sites;
import org.orbita.ui.Confirm;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;
import org.orbita.ui.content.BlockEditor;
import org.orbita.ui.content.CodeEditor;

/**
 * One pop-up: its variants' content, visually (the block editor) and in code (HTML, CSS, script,
 * each run only in the pop-up's sandboxed frame), where and when it shows, how often, the site's
 * budget, a preview at desktop and phone widths and a link that shows it on any page of the site,
 * and its results per variant.
 */
@Route("popups/:id")
@PageTitle("Orbita — pop-up")
@PermitAll
public class PopupEditorView extends VerticalLayout implements BeforeEnterObserver {

    private final Popups popups;
    private final Forms forms;
    private final Segments segments;
    private final Reports reports;
    private final Sites sites;
    private final CurrentUser user;
    private final boolean writes;
    private Popup popup;
    private String variantId = "a";
    private final HorizontalLayout header;
    private final Checkbox published = new Checkbox();
    private final VerticalLayout content = new VerticalLayout();
    private final VerticalLayout display = new VerticalLayout();
    private final VerticalLayout frequency = new VerticalLayout();
    private final VerticalLayout preview = new VerticalLayout();
    private final VerticalLayout outcome = new VerticalLayout();

    public PopupEditorView(Popups popups, Forms forms, Segments segments, Reports reports, Sites sites, CurrentUser user) {
        this.popups = popups;
        this.forms = forms;
        this.segments = segments;
        this.reports = reports;
        this.sites = sites;
        this.user = user;
        this.writes = user.may("forms:write");
        Button back = new Button(getTranslation("popups.title"), VaadinIcon.ARROW_LEFT.create(), e -> getUI().ifPresent(ui -> ui.navigate(PopupsView.class)));
        published.setLabel(getTranslation("popups.publishedBox"));
        published.setId("popup-published");
        published.setEnabled(writes);
        published.addValueChangeListener(e -> {
            if (e.isFromClient()) {
                save(new Popups.PopupInput(null, null, null, null, null, null, null, null, e.getValue()));
            }
        });
        Button delete = new Button(getTranslation("messages.delete"), VaadinIcon.TRASH.create(), e -> Confirm.destructive("confirm-delete-popup",
                getTranslation("popups.deleteTitle"), getTranslation("popups.deleteText"), getTranslation("messages.delete"),
                getTranslation("segments.cancel"), () -> {
                    popups.delete(user.workspaceId(), popup.id());
                    getUI().ifPresent(ui -> ui.navigate(PopupsView.class));
                }).open());
        delete.setEnabled(user.may("forms:delete"));
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        header = PageHeader.of(getTranslation("popups.title"), back, published, delete);
        TabSheet sheet = new TabSheet();
        sheet.setWidthFull();
        sheet.add(getTranslation("popups.tab.content"), content);
        sheet.add(getTranslation("popups.tab.display"), display);
        sheet.add(getTranslation("popups.tab.frequency"), frequency);
        sheet.add(getTranslation("popups.tab.preview"), preview);
        sheet.add(getTranslation("popups.tab.results"), outcome);
        sheet.addSelectedChangeListener(e -> {
            String label = e.getSelectedTab().getLabel();
            if (label.equals(getTranslation("popups.tab.results"))) {
                showResults();
            } else if (label.equals(getTranslation("popups.tab.preview"))) {
                showPreview();
            }
        });
        add(header, PageHeader.help(getTranslation("popups.editorHelp")), sheet);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        try {
            popup = popups.get(user.workspaceId(), event.getRouteParameters().get("id").orElse(""));
        } catch (NotFoundException e) {
            event.forwardTo(PopupsView.class);
            return;
        }
        refresh();
    }

    private void refresh() {
        ((com.vaadin.flow.component.HasText) header.getComponentAt(0)).setText(popup.name());
        published.setValue(popup.published());
        if (popup.variant(variantId).isEmpty()) {
            variantId = popup.variants().get(0).id();
        }
        showContent();
        showDisplay();
        showFrequency();
    }

    private boolean save(Popups.PopupInput input) {
        try {
            popup = popups.update(user.workspaceId(), popup.id(), input);
            refresh();
            Problems.success(getTranslation("forms.saved"));
            return true;
        } catch (RuntimeException ex) {
            Problems.show(ex);
            return false;
        }
    }

    private boolean saveVariants(UnaryOperator<List<Variant>> change) {
        return save(new Popups.PopupInput(null, null, null, null, null, change.apply(new ArrayList<>(popup.variants())), null, null, null));
    }

    private Variant variant() {
        return popup.variant(variantId).orElse(popup.variants().get(0));
    }

    private static Variant with(Variant v, String html, String css, String script, String form, Integer width, Integer weight) {
        return new Variant(v.id(), v.template(), html, css, script, form, width, weight);
    }

    private void replace(List<Variant> all, Variant changed) {
        all.replaceAll(v -> v.id().equals(changed.id()) ? changed : v);
    }

    private void showContent() {
        content.removeAll();
        Variant v = variant();
        Select<String> which = new Select<>();
        which.setId("popup-variant");
        which.setLabel(getTranslation("popups.variant"));
        which.setItems(popup.variants().stream().map(Variant::id).toList());
        which.setValue(v.id());
        which.addValueChangeListener(e -> {
            if (e.isFromClient() && e.getValue() != null) {
                variantId = e.getValue();
                showContent();
            }
        });
        Button add = new Button(getTranslation("popups.addVariant"), VaadinIcon.PLUS.create(), e -> {
            String id = nextId();
            if (saveVariants(all -> {
                all.add(new Variant(id, v.template(), v.html(), v.css(), v.script(), v.form(), v.width(), 1));
                return all;
            })) {
                variantId = id;
                showContent();
            }
        });
        add.setId("add-variant");
        add.setEnabled(writes && popup.variants().size() < 4);
        Button remove = new Button(getTranslation("popups.removeVariant"), VaadinIcon.MINUS.create(), e -> saveVariants(all -> {
            all.removeIf(x -> x.id().equals(v.id()));
            return all;
        }));
        remove.setEnabled(writes && popup.variants().size() > 1);
        Select<String> form = new Select<>();
        form.setLabel(getTranslation("popups.form"));
        List<String> formIds = new ArrayList<>(List.of(""));
        Map<String, String> formNames = new LinkedHashMap<>();
        forms.list(user.workspaceId()).forEach(f -> {
            formIds.add(f.id());
            formNames.put(f.id(), f.name() + (f.published() ? "" : " (" + getTranslation("forms.draft") + ")"));
        });
        form.setItems(formIds);
        form.setItemLabelGenerator(id -> id.isEmpty() ? getTranslation("popups.noForm") : formNames.getOrDefault(id, id));
        form.setValue(v.form() == null || !formIds.contains(v.form()) ? "" : v.form());
        form.setHelperText(getTranslation("popups.formHelp"));
        IntegerField width = new IntegerField(getTranslation("popups.width"));
        width.setValue(v.width());
        width.setVisible(popup.kind().equals("modal") || popup.kind().equals("slide-in"));
        IntegerField weight = new IntegerField(getTranslation("popups.weight"));
        weight.setValue(v.weight());
        weight.setHelperText(getTranslation("popups.weightHelp"));
        Button saveLayout = new Button(getTranslation("popups.save"), e -> saveVariants(all -> {
            replace(all, with(variant(), variant().html(), variant().css(), variant().script(), form.getValue().isEmpty() ? null : form.getValue(),
                    width.getValue(), weight.getValue()));
            return all;
        }));
        saveLayout.setEnabled(writes);
        HorizontalLayout variants = new HorizontalLayout(which, add, remove);
        variants.setAlignItems(Alignment.BASELINE);
        variants.getStyle().set("flex-wrap", "wrap");
        FormLayout settings = new FormLayout(form, width, weight);

        CodeEditor html = new CodeEditor("liquid-html", "320px");
        html.setId("popup-html");
        html.setValue(v.html() == null ? "" : v.html());
        CodeEditor css = new CodeEditor("liquid-text", "200px");
        css.setId("popup-css");
        css.setValue(v.css() == null ? "" : v.css());
        CodeEditor script = new CodeEditor("liquid-text", "160px");
        script.setId("popup-script");
        script.setValue(v.script() == null ? "" : v.script());
        Button saveCode = new Button(getTranslation("popups.saveCode"), e -> saveVariants(all -> {
            replace(all, with(variant(), html.getValue(), css.getValue(), script.getValue().isBlank() ? null : script.getValue(), variant().form(),
                    variant().width(), variant().weight()));
            return all;
        }));
        saveCode.setId("save-popup-code");
        saveCode.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        saveCode.setEnabled(writes);
        VerticalLayout code = new VerticalLayout(new H3(getTranslation("popups.html")), html, new H3(getTranslation("popups.css")), css, new H3(getTranslation("popups.script")),
                PageHeader.help(getTranslation("popups.scriptHelp")), script, saveCode);
        code.setPadding(false);

        VerticalLayout visual = new VerticalLayout();
        visual.setPadding(false);
        BlockEditor blocks = new BlockEditor((h, project) -> {
            if (writes && !h.equals(variant().html())) {
                saveVariants(all -> {
                    replace(all, with(variant(), h, variant().css(), variant().script(), variant().form(), variant().width(), variant().weight()));
                    return all;
                });
            }
        });
        visual.add(PageHeader.help(getTranslation("popups.visualHelp")), blocks);
        TabSheet editors = new TabSheet();
        editors.setWidthFull();
        editors.add(getTranslation("popups.code"), code);
        editors.add(getTranslation("popups.visual"), visual);
        editors.addSelectedChangeListener(e -> {
            if (e.getSelectedTab().getLabel().equals(getTranslation("popups.visual"))) {
                blocks.load(null, variant().html());
            }
        });
        content.add(variants, settings, saveLayout, editors);
    }

    private String nextId() {
        for (char c = 'a'; c <= 'z'; c++) {
            String id = String.valueOf(c);
            if (popup.variant(id).isEmpty()) {
                return id;
            }
        }
        return "v" + popup.variants().size();
    }

    private void showDisplay() {
        display.removeAll();
        Trigger t = popup.trigger();
        Select<String> kind = new Select<>();
        kind.setId("popup-kind");
        kind.setLabel(getTranslation("popups.kind"));
        kind.setItems("modal", "slide-in", "bar", "full-screen");
        kind.setItemLabelGenerator(k -> getTranslation("popups.kind." + k));
        kind.setValue(popup.kind());
        Select<String> position = new Select<>();
        position.setLabel(getTranslation("popups.position"));
        position.setItemLabelGenerator(p -> getTranslation("popups.position." + p));
        Runnable positions = () -> {
            List<String> allowed = Popups.POSITIONS.get(kind.getValue());
            position.setItems(allowed);
            position.setValue(allowed.contains(popup.position()) ? popup.position() : allowed.get(0));
        };
        positions.run();
        kind.addValueChangeListener(e -> positions.run());
        Select<String> on = new Select<>();
        on.setId("popup-trigger");
        on.setLabel(getTranslation("popups.on"));
        on.setItems("load", "delay", "scroll", "exit", "inactivity", "manual");
        on.setItemLabelGenerator(k -> getTranslation("popups.on." + k));
        on.setValue(t.on());
        IntegerField seconds = new IntegerField(getTranslation("popups.seconds"));
        seconds.setId("popup-seconds");
        seconds.setValue(t.seconds() == null ? 5 : t.seconds());
        IntegerField percent = new IntegerField(getTranslation("popups.percent"));
        percent.setValue(t.percent() == null ? 50 : t.percent());
        Runnable shown = () -> {
            seconds.setVisible(on.getValue().equals("delay") || on.getValue().equals("inactivity"));
            percent.setVisible(on.getValue().equals("scroll"));
        };
        shown.run();
        on.addValueChangeListener(e -> shown.run());
        IntegerField pages = new IntegerField(getTranslation("popups.pages"));
        pages.setValue(t.pages());
        TextArea urls = new TextArea(getTranslation("popups.urls"));
        urls.setId("popup-urls");
        urls.setValue(String.join("\n", t.urls().stream().map(r -> (r.exclude() ? "!" : "") + r.match() + " " + r.value()).toList()));
        urls.setHelperText(getTranslation("popups.urlsHelp"));
        Select<String> device = new Select<>();
        device.setLabel(getTranslation("popups.device"));
        device.setItems("any", "desktop", "mobile");
        device.setItemLabelGenerator(k -> getTranslation("popups.device." + k));
        device.setValue(t.device());
        Select<String> visitor = new Select<>();
        visitor.setLabel(getTranslation("popups.visitor"));
        visitor.setItems("any", "new", "returning");
        visitor.setItemLabelGenerator(k -> getTranslation("popups.visitor." + k));
        visitor.setValue(t.visitor());
        Select<String> segment = new Select<>();
        segment.setId("popup-segment");
        segment.setLabel(getTranslation("popups.segment"));
        Map<String, String> names = new LinkedHashMap<>();
        names.put("", getTranslation("popups.anyone"));
        String db = popupDatabase();
        (user.may("segments:read") ? segments.list(user.workspaceId()) : List.<Segment>of()).stream().filter(s -> s.databaseId().equals(db)).forEach(s -> names.put(s.id(), s.name()));
        segment.setItems(names.keySet());
        segment.setItemLabelGenerator(names::get);
        segment.setValue(t.segment() == null ? "" : t.segment());
        segment.setHelperText(getTranslation("popups.segmentHelp"));
        Button save = new Button(getTranslation("popups.save"), e -> {
            List<UrlRule> rules = new ArrayList<>();
            for (String line : urls.getValue().split("\n")) {
                String l = line.strip();
                if (l.isEmpty()) {
                    continue;
                }
                boolean exclude = l.startsWith("!");
                l = exclude ? l.substring(1).strip() : l;
                int space = l.indexOf(' ');
                String match = space < 0 ? "contains" : l.substring(0, space);
                boolean named = Popups.URL_MATCHES.contains(match);
                rules.add(new UrlRule(named ? match : "contains", named ? l.substring(space + 1).strip() : l, exclude));
            }
            save(new Popups.PopupInput(null, null, null, kind.getValue(), position.getValue(), null, new Trigger(on.getValue(), seconds.getValue(),
                    percent.getValue(), pages.getValue(), rules, device.getValue(), visitor.getValue(), segment.getValue().isEmpty() ? null
                    : segment.getValue()), null, null));
        });
        save.setId("save-popup-display");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.setEnabled(writes);
        FormLayout form = new FormLayout(kind, position, on, seconds, percent, pages, device, visitor, segment, urls);
        form.setColspan(urls, 2);
        display.add(form, save);
    }

    /** The database of the pop-up's site: its segments are the ones it may target, its events are where its results are. */
    private String popupDatabase() {
        return sites.published(popup.site()).map(org.orbita.sites.Site::database).orElse(null);
    }

    private void showFrequency() {
        frequency.removeAll();
        Frequency f = popup.frequency();
        Select<String> mode = new Select<>();
        mode.setId("popup-frequency");
        mode.setLabel(getTranslation("popups.frequency"));
        mode.setItems("always", "once", "session", "interval");
        mode.setItemLabelGenerator(k -> getTranslation("popups.frequency." + k));
        mode.setValue(f.mode());
        IntegerField minutes = new IntegerField(getTranslation("popups.minutes"));
        minutes.setValue(f.minutes() == null ? 1440 : f.minutes());
        minutes.setVisible(f.mode().equals("interval"));
        mode.addValueChangeListener(e -> minutes.setVisible("interval".equals(e.getValue())));
        Checkbox stop = new Checkbox(getTranslation("popups.stopAfterConversion"), f.stopAfterConversion());
        Button save = new Button(getTranslation("popups.save"), e -> save(new Popups.PopupInput(null, null, null, null, null, null, null,
                new Frequency(mode.getValue(), minutes.getValue(), stop.getValue()), null)));
        save.setId("save-popup-frequency");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.setEnabled(writes);
        Popup.Budget b = popups.budget(user.workspaceId(), popup.site());
        IntegerField perSession = new IntegerField(getTranslation("popups.perSession"));
        perSession.setId("popup-per-session");
        perSession.setValue(b.perSession());
        perSession.setHelperText(getTranslation("popups.perSessionHelp"));
        IntegerField gap = new IntegerField(getTranslation("popups.gap"));
        gap.setValue(b.gapSeconds());
        Button saveBudget = new Button(getTranslation("popups.saveBudget"), e -> {
            try {
                popups.setBudget(user.workspaceId(), popup.site(), perSession.getValue(), gap.getValue());
                Problems.success(getTranslation("forms.saved"));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        saveBudget.setEnabled(writes);
        frequency.add(new FormLayout(mode, minutes, stop), save, new H3(getTranslation("popups.budget")),
                PageHeader.help(getTranslation("popups.budgetHelp")), new FormLayout(perSession, gap), saveBudget);
    }

    private void showPreview() {
        preview.removeAll();
        Variant v = variant();
        String doc = popups.document(popup, v);
        int width = v.width() != null ? v.width() : popup.kind().equals("slide-in") ? 360 : 480;
        IFrame desktop = frame(doc, popup.kind().equals("bar") || popup.kind().equals("full-screen") ? "100%" : width + "px", "popup-preview-desktop");
        IFrame phone = frame(doc, "390px", "popup-preview-phone");
        Div wide = new Div(new H3(getTranslation("popups.desktop")), desktop);
        wide.getStyle().set("flex", "1 1 480px").set("min-width", "0");
        Div narrow = new Div(new H3(getTranslation("popups.phone")), phone);
        narrow.getStyle().set("flex", "0 0 auto").set("max-width", "100%");
        FlexLayout frames = new FlexLayout(wide, narrow);
        frames.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        frames.getStyle().set("gap", "16px");
        frames.setWidthFull();
        TextField page = new TextField(getTranslation("popups.previewUrl"));
        page.setId("popup-preview-url");
        page.setWidthFull();
        Anchor link = new Anchor("", getTranslation("popups.openPreview"));
        link.setId("popup-preview-link");
        link.setTarget(AnchorTarget.BLANK);
        link.getElement().setAttribute("rel", "noopener");
        Runnable linked = () -> {
            try {
                link.setHref(popups.previewLink(user.workspaceId(), popup.id(), page.getValue()));
                page.setInvalid(false);
            } catch (RuntimeException ex) {
                page.setInvalid(true);
                page.setErrorMessage(ex.getMessage());
            }
        };
        page.addValueChangeListener(e -> linked.run());
        linked.run();
        preview.add(PageHeader.help(getTranslation("popups.previewHelp")), frames, page, link);
    }

    private static IFrame frame(String doc, String width, String id) {
        IFrame f = new IFrame();
        f.setId(id);
        // the pop-up's own script runs, but in an opaque origin: never with the app's session
        f.setSandbox(IFrame.SandboxType.ALLOW_SCRIPTS, IFrame.SandboxType.ALLOW_FORMS);
        f.setSrcdoc(doc);
        f.setWidth(width);
        f.setMaxWidth("100%");
        f.setHeight("420px");
        f.getStyle().set("border", "1px solid var(--lumo-contrast-20pct)").set("border-radius", "8px").set("background", "#fff");
        return f;
    }

    private void showResults() {
        outcome.removeAll();
        if (!user.may("reports:read")) {
            outcome.add(PageHeader.help(getTranslation("popups.noReports")));
            return;
        }
        Report r = reports.run(user.workspaceId(), ReportKind.POPUPS, ReportQuery.of(ReportKind.POPUPS, Instant.now(), null, null, popupDatabase(),
                null, null, null, null, List.of("popup", "variant"), false));
        record Line(String variant, long shown, long closed, long converted) {}
        List<Line> lines = new ArrayList<>();
        for (Report.Row row : r.rows()) {
            if (row.keys().get(0).equals(popup.id())) {
                lines.add(new Line(row.keys().get(1), Math.round(row.values().getOrDefault("popup_views", 0.0)),
                        Math.round(row.values().getOrDefault("popup_closes", 0.0)), Math.round(row.values().getOrDefault("popup_conversions", 0.0))));
            }
        }
        Grid<Line> grid = new Grid<>();
        grid.setId("popup-results");
        grid.addColumn(Line::variant).setHeader(getTranslation("popups.variant"));
        grid.addColumn(Line::shown).setHeader(getTranslation("reports.metric.popup_views"));
        grid.addColumn(Line::closed).setHeader(getTranslation("reports.metric.popup_closes"));
        grid.addColumn(Line::converted).setHeader(getTranslation("reports.metric.popup_conversions"));
        grid.addColumn(l -> l.shown() == 0 ? "—" : String.format(getLocale(), "%.1f%%", 100.0 * l.converted() / l.shown()))
                .setHeader(getTranslation("reports.rate.popup_conversion"));
        grid.setAllRowsVisible(true);
        grid.setItems(lines);
        grid.setEmptyStateText(getTranslation("popups.noResults"));
        outcome.add(PageHeader.help(getTranslation("popups.resultsHelp")), grid);
    }
}
