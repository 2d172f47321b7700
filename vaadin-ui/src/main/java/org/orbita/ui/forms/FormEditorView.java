package org.orbita.ui.forms;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.IFrame;
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
import com.vaadin.flow.server.streams.DownloadHandler;
import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.orbita.audiences.ReportSegments;
import org.orbita.common.NotFoundException;
import org.orbita.forms.Form;
import org.orbita.forms.Form.Consent;
import org.orbita.forms.Form.Field;
import org.orbita.forms.FormLinks;
import org.orbita.forms.FormResults;
import org.orbita.forms.Forms;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.FieldDefinition;
import org.orbita.tabular.TableExport;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.ItemEditing;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;

/**
 * One form or survey: its questions, consents, texts and look (each change saved and checked
 * whole), a live preview at desktop and phone widths (the form itself on the public origin,
 * published or not, sending nothing), how to publish it, and its results — the funnel, NPS,
 * the answers (shown as text), exports.
 */
@Route("forms/:id")
@PageTitle("Orbita — form")
@PermitAll
public class FormEditorView extends VerticalLayout implements BeforeEnterObserver {

    private final Forms forms;
    private final FormResults results;
    private final FormLinks links;
    private final ClientDatabases databases;
    private final org.orbita.content.Messages messages;
    private final ReportSegments segments;
    private final CurrentUser user;
    private final boolean writes;
    private Form form;
    private final HorizontalLayout header;
    private final Checkbox published = new Checkbox();
    private final Grid<Field> questions = new Grid<>();
    private final Grid<Consent> consents = new Grid<>();
    private final VerticalLayout look = new VerticalLayout();
    private final VerticalLayout preview = new VerticalLayout();
    private final VerticalLayout publish = new VerticalLayout();
    private final VerticalLayout outcome = new VerticalLayout();

    public FormEditorView(Forms forms, FormResults results, FormLinks links, ClientDatabases databases, org.orbita.content.Messages messages,
                          ReportSegments segments, CurrentUser user) {
        this.messages = messages;
        this.segments = segments;
        this.forms = forms;
        this.results = results;
        this.links = links;
        this.databases = databases;
        this.user = user;
        this.writes = user.may("forms:write");
        Button back = new Button(getTranslation("forms.title"), VaadinIcon.ARROW_LEFT.create(), e -> getUI().ifPresent(ui -> ui.navigate(FormsView.class)));
        published.setLabel(getTranslation("forms.publishedBox"));
        published.setId("form-published");
        published.setEnabled(writes);
        published.addValueChangeListener(e -> {
            if (e.isFromClient()) {
                save(new Forms.FormInput(null, null, null, null, null, null, null, null, e.getValue()));
            }
        });
        header = PageHeader.of(getTranslation("forms.title"), back, published);

        questions.setId("questions-grid");
        questions.addColumn(Field::name).setHeader(getTranslation("forms.q.name")).setAutoWidth(true);
        questions.addColumn(f -> getTranslation("forms.type." + f.type())).setHeader(getTranslation("forms.q.type")).setAutoWidth(true);
        questions.addColumn(f -> label(f.label())).setHeader(getTranslation("forms.q.label")).setFlexGrow(2);
        questions.addColumn(f -> f.profileField() == null ? "—" : f.profileField()).setHeader(getTranslation("forms.q.profileField")).setAutoWidth(true);
        questions.addColumn(f -> f.required() ? "✓" : "").setHeader(getTranslation("forms.q.required")).setAutoWidth(true);
        questions.addColumn(Field::step).setHeader(getTranslation("forms.q.step")).setAutoWidth(true);
        Grid.Column<Field> order = questions.addComponentColumn(f -> {
            Button up = new Button(VaadinIcon.ARROW_UP.create(), e -> move(f, -1));
            up.getElement().setAttribute("aria-label", getTranslation("forms.q.up"));
            up.setId("up-" + f.name());
            Button down = new Button(VaadinIcon.ARROW_DOWN.create(), e -> move(f, 1));
            down.getElement().setAttribute("aria-label", getTranslation("forms.q.down"));
            down.setId("down-" + f.name());
            int at = form.fields().indexOf(f);
            up.setEnabled(writes && at > 0);
            down.setEnabled(writes && at < form.fields().size() - 1);
            for (Button b : List.of(up, down)) {
                b.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_SMALL);
            }
            return new HorizontalLayout(up, down);
        }).setHeader(getTranslation("forms.q.order")).setAutoWidth(true).setFlexGrow(0);
        questions.addItemClickListener(e -> {
            if (e.getColumn() != order) { // the arrows move, they do not open
                editQuestion(e.getItem());
            }
        });
        questions.setAllRowsVisible(true);
        consents.setId("consents-grid");
        consents.addColumn(Consent::name).setHeader(getTranslation("forms.q.name")).setAutoWidth(true);
        consents.addColumn(c -> label(c.label())).setHeader(getTranslation("forms.q.label")).setFlexGrow(2);
        consents.addColumn(c -> c.channel() + " › " + c.resource()).setHeader(getTranslation("forms.c.subscribes")).setAutoWidth(true);
        consents.addItemClickListener(e -> editConsent(e.getItem()));
        consents.setAllRowsVisible(true);
        consents.setEmptyStateText(getTranslation("forms.c.empty"));

        TabSheet sheet = new TabSheet();
        sheet.setWidthFull();
        sheet.add(getTranslation("forms.tab.questions"), ItemEditing.section(this, questions, "new-question", writes, () -> editQuestion(null)));
        sheet.add(getTranslation("forms.tab.consents"), ItemEditing.section(this, consents, "new-consent", writes, () -> editConsent(null)));
        sheet.add(getTranslation("forms.tab.look"), look);
        sheet.add(getTranslation("forms.tab.preview"), preview);
        sheet.add(getTranslation("forms.tab.publish"), publish);
        sheet.add(getTranslation("forms.tab.results"), outcome);
        sheet.addSelectedChangeListener(e -> {
            if (e.getSelectedTab().getLabel().equals(getTranslation("forms.tab.results"))) {
                showResults();
            } else if (e.getSelectedTab().getLabel().equals(getTranslation("forms.tab.preview"))) {
                showPreview("100%");
            }
        });
        add(header, PageHeader.help(getTranslation("forms.editorHelp")), sheet);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        try {
            form = forms.get(user.workspaceId(), event.getRouteParameters().get("id").orElse(""));
        } catch (NotFoundException e) {
            event.forwardTo(FormsView.class);
            return;
        }
        refresh();
    }

    private String lang() {
        return getLocale() != null && getLocale().getLanguage().equals("ru") ? "ru" : "en";
    }

    private String label(Map<String, String> labels) {
        String l = labels.get(lang());
        return l == null || l.isBlank() ? labels.values().stream().filter(s -> !s.isBlank()).findFirst().orElse("") : l;
    }

    private void refresh() {
        ((com.vaadin.flow.component.HasText) header.getComponentAt(0)).setText(form.name());
        published.setValue(form.published());
        questions.setItems(form.fields());
        consents.setItems(form.consents());
        showLook();
        showPublish();
    }

    private boolean save(Forms.FormInput input) {
        try {
            form = forms.update(user.workspaceId(), form.id(), input);
            refresh();
            return true;
        } catch (RuntimeException ex) {
            Problems.show(ex);
            refresh();
            return false;
        }
    }

    /** A question one place earlier ({@code by} −1) or later (+1); a move the steps do not allow is refused by name. */
    private void move(Field f, int by) {
        saveFields(all -> {
            List<Field> out = new ArrayList<>(all);
            int at = out.indexOf(f);
            int to = at + by;
            if (at >= 0 && to >= 0 && to < out.size()) {
                out.set(at, out.get(to));
                out.set(to, f);
            }
            return out;
        });
    }

    private boolean saveFields(UnaryOperator<List<Field>> change) {
        return save(new Forms.FormInput(null, null, null, change.apply(form.fields()), null, null, null, null, null));
    }

    private void editQuestion(Field f) {
        TextField name = new TextField(getTranslation("forms.q.name"));
        name.setId("question-name");
        name.setValue(f == null ? "" : f.name());
        Select<String> type = new Select<>();
        type.setId("question-type");
        type.setLabel(getTranslation("forms.q.type"));
        type.setItems("text", "textarea", "email", "phone", "number", "date", "select", "radio", "checkboxes", "checkbox", "rating", "nps", "hidden");
        type.setItemLabelGenerator(t -> getTranslation("forms.type." + t));
        type.setValue(f == null ? "text" : f.type());
        TextField en = new TextField(getTranslation("forms.q.labelEn"));
        en.setId("question-label-en");
        en.setValue(f == null ? "" : f.label().getOrDefault("en", ""));
        TextField ru = new TextField(getTranslation("forms.q.labelRu"));
        ru.setValue(f == null ? "" : f.label().getOrDefault("ru", ""));
        Select<String> field = new Select<>();
        field.setLabel(getTranslation("forms.q.profileField"));
        List<String> fieldNames = new ArrayList<>(List.of(""));
        databases.find(form.database()).ifPresent(db -> db.schema().fields().stream().map(FieldDefinition::name).forEach(fieldNames::add));
        field.setItems(fieldNames);
        field.setItemLabelGenerator(n -> n.isEmpty() ? getTranslation("forms.q.noField") : n);
        field.setValue(f == null || f.profileField() == null ? "" : f.profileField());
        Checkbox required = new Checkbox(getTranslation("forms.q.required"), f != null && f.required());
        IntegerField step = new IntegerField(getTranslation("forms.q.step"));
        step.setValue(f == null || f.step() == null ? form.fields().stream().map(Field::step).filter(java.util.Objects::nonNull).max(Integer::compare).orElse(1)
                : f.step());
        step.setMin(1);
        TextArea options = new TextArea(getTranslation("forms.q.options"));
        options.setValue(f == null ? "" : String.join("\n", f.options().stream().map(o -> o.value() + " | " + o.label().getOrDefault("en", "")
                + " | " + o.label().getOrDefault("ru", "")).toList()));
        options.setHelperText(getTranslation("forms.q.optionsHelp"));
        Select<String> showIf = new Select<>();
        showIf.setLabel(getTranslation("forms.q.showIf"));
        List<String> earlier = new ArrayList<>(List.of(""));
        for (Field other : form.fields()) {
            if (f != null && other.name().equals(f.name())) {
                break;
            }
            earlier.add(other.name());
        }
        showIf.setItems(earlier);
        showIf.setItemLabelGenerator(n -> n.isEmpty() ? getTranslation("forms.q.always") : n);
        showIf.setValue(f == null || f.showIf() == null ? "" : f.showIf().field());
        TextField showValues = new TextField(getTranslation("forms.q.showValues"));
        showValues.setValue(f == null || f.showIf() == null ? "" : String.join(", ", f.showIf().values()));
        TextField pattern = new TextField(getTranslation("forms.q.pattern"));
        pattern.setValue(f == null || f.pattern() == null ? "" : f.pattern());
        IntegerField max = new IntegerField(getTranslation("forms.q.maxLength"));
        max.setValue(f == null ? null : f.maxLength());
        TextField source = new TextField(getTranslation("forms.q.source"));
        source.setValue(f == null || f.source() == null ? "utm_source" : f.source());
        source.setHelperText(getTranslation("forms.q.sourceHelp"));
        Runnable shown = () -> {
            String t = type.getValue();
            options.setVisible(Forms.CHOICES.contains(t));
            source.setVisible(t.equals("hidden"));
            pattern.setVisible(List.of("text", "textarea", "phone").contains(t));
            max.setVisible(List.of("text", "textarea").contains(t));
            showValues.setVisible(!showIf.getValue().isEmpty());
        };
        type.addValueChangeListener(e -> shown.run());
        showIf.addValueChangeListener(e -> shown.run());
        shown.run();
        FormLayout body = new FormLayout(name, type, en, ru, field, required, step, options, showIf, showValues, pattern, max, source);
        body.setColspan(options, 2);
        Dialog[] d = new Dialog[1];
        d[0] = ItemEditing.dialog(this, writes, f == null ? getTranslation("forms.q.new") : f.name(), body, () -> {
            String t = type.getValue();
            List<Form.Option> opts = new ArrayList<>();
            if (Forms.CHOICES.contains(t)) {
                for (String line : options.getValue().split("\n")) {
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] parts = line.split("\\|", -1);
                    Map<String, String> l = new LinkedHashMap<>();
                    if (parts.length > 1 && !parts[1].isBlank()) {
                        l.put("en", parts[1].strip());
                    }
                    if (parts.length > 2 && !parts[2].isBlank()) {
                        l.put("ru", parts[2].strip());
                    }
                    opts.add(new Form.Option(parts[0].strip(), l));
                }
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (!en.getValue().isBlank()) {
                labels.put("en", en.getValue().strip());
            }
            if (!ru.getValue().isBlank()) {
                labels.put("ru", ru.getValue().strip());
            }
            Form.ShowIf rule = showIf.getValue().isEmpty() ? null : new Form.ShowIf(showIf.getValue(),
                    Arrays.stream(showValues.getValue().split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList());
            Field after = new Field(name.getValue(), t, labels, field.getValue().isEmpty() ? null : field.getValue(), required.getValue(),
                    pattern.isVisible() && !pattern.getValue().isBlank() ? pattern.getValue() : null, null, max.isVisible() ? max.getValue() : null, opts,
                    step.getValue(), rule, t.equals("hidden") ? source.getValue() : null);
            if (saveFields(list -> ItemEditing.replaced(list, f, after))) {
                d[0].close();
            }
        }, f == null ? null : () -> {
            if (saveFields(list -> ItemEditing.replaced(list, f, null))) {
                d[0].close();
            }
        });
    }

    private void editConsent(Consent c) {
        TextField name = new TextField(getTranslation("forms.q.name"));
        name.setId("consent-name");
        name.setValue(c == null ? "news" : c.name());
        Select<String> channel = new Select<>();
        channel.setLabel(getTranslation("forms.c.channel"));
        channel.setItems("email", "sms");
        channel.setValue(c == null ? "email" : c.channel());
        TextField resource = new TextField(getTranslation("forms.c.resource"));
        resource.setValue(c == null ? "default" : c.resource());
        TextField en = new TextField(getTranslation("forms.q.labelEn"));
        en.setId("consent-label-en");
        en.setValue(c == null ? "" : c.label().getOrDefault("en", ""));
        TextField ru = new TextField(getTranslation("forms.q.labelRu"));
        ru.setValue(c == null ? "" : c.label().getOrDefault("ru", ""));
        Checkbox required = new Checkbox(getTranslation("forms.q.required"), c != null && c.required());
        Select<String> confirm = new Select<>();
        confirm.setId("consent-confirm");
        confirm.setLabel(getTranslation("forms.c.confirm"));
        Map<String, String> emails = new LinkedHashMap<>();
        emails.put("", getTranslation("forms.c.noConfirm"));
        if (user.may("messages:read")) {
            messages.list(user.workspaceId()).stream().filter(m -> m.email() != null).forEach(m -> emails.put(m.id(), m.name()));
        }
        confirm.setItems(emails.keySet());
        confirm.setItemLabelGenerator(id -> emails.getOrDefault(id, id));
        confirm.setValue(c == null || c.confirm() == null || !emails.containsKey(c.confirm()) ? "" : c.confirm());
        confirm.setHelperText(getTranslation("forms.c.confirmHelp"));
        Dialog[] d = new Dialog[1];
        d[0] = ItemEditing.dialog(this, writes, c == null ? getTranslation("forms.c.new") : c.name(), new FormLayout(name, channel, resource, required,
                confirm, en, ru), () -> {
            Map<String, String> labels = new LinkedHashMap<>();
            if (!en.getValue().isBlank()) {
                labels.put("en", en.getValue().strip());
            }
            if (!ru.getValue().isBlank()) {
                labels.put("ru", ru.getValue().strip());
            }
            Consent after = new Consent(name.getValue(), channel.getValue(), resource.getValue(), labels, required.getValue(),
                    confirm.getValue() == null || confirm.getValue().isEmpty() ? null : confirm.getValue());
            if (save(new Forms.FormInput(null, null, null, null, ItemEditing.replaced(form.consents(), c, after), null, null, null, null))) {
                d[0].close();
            }
        }, c == null ? null : () -> {
            if (save(new Forms.FormInput(null, null, null, null, ItemEditing.replaced(form.consents(), c, null), null, null, null, null))) {
                d[0].close();
            }
        });
    }

    /** Texts per language and the colours, saved together. */
    private void showLook() {
        look.removeAll();
        TextField name = new TextField(getTranslation("forms.name"));
        name.setValue(form.name());
        FormLayout texts = new FormLayout(name);
        Map<String, TextField[]> perLanguage = new LinkedHashMap<>();
        for (String l : List.of("en", "ru")) {
            Form.Texts t = form.texts().get(l);
            TextField title = new TextField(getTranslation("forms.t.title") + " (" + l.toUpperCase() + ")");
            title.setId("form-title-" + l);
            title.setValue(t == null || t.title() == null ? "" : t.title());
            TextField description = new TextField(getTranslation("forms.t.description") + " (" + l.toUpperCase() + ")");
            description.setValue(t == null || t.description() == null ? "" : t.description());
            TextField submit = new TextField(getTranslation("forms.t.submit") + " (" + l.toUpperCase() + ")");
            submit.setValue(t == null || t.submit() == null ? "" : t.submit());
            TextField success = new TextField(getTranslation("forms.t.success") + " (" + l.toUpperCase() + ")");
            success.setValue(t == null || t.success() == null ? "" : t.success());
            perLanguage.put(l, new TextField[] {title, description, submit, success});
            texts.add(title, description, submit, success);
        }
        Form.Theme th = form.theme();
        TextField primary = colour("forms.t.primary", th.primary());
        TextField background = colour("forms.t.background", th.background());
        TextField text = colour("forms.t.text", th.text());
        IntegerField radius = new IntegerField(getTranslation("forms.t.radius"));
        radius.setValue(th.radius());
        Select<String> font = new Select<>();
        font.setLabel(getTranslation("forms.t.font"));
        font.setItems("system", "serif", "mono");
        font.setItemLabelGenerator(f -> getTranslation("forms.font." + f));
        font.setValue(th.font());
        IntegerField minSeconds = new IntegerField(getTranslation("forms.t.minSeconds"));
        minSeconds.setValue(form.spam().minSeconds());
        IntegerField perMinute = new IntegerField(getTranslation("forms.t.perMinute"));
        perMinute.setValue(form.spam().perMinute());
        IntegerField work = new IntegerField(getTranslation("forms.t.work"));
        work.setValue(form.spam().work());
        work.setHelperText(getTranslation("forms.t.workHelp"));
        texts.add(primary, background, text, radius, font, minSeconds, perMinute, work);
        Button save = new Button(getTranslation("messages.save"), e -> {
            Map<String, Form.Texts> all = new LinkedHashMap<>();
            perLanguage.forEach((l, f) -> {
                if (Arrays.stream(f).anyMatch(x -> !x.getValue().isBlank())) {
                    all.put(l, new Form.Texts(blank(f[0]), blank(f[1]), blank(f[2]), blank(f[3]), null, null));
                }
            });
            if (save(new Forms.FormInput(name.getValue(), null, null, null, null, all, new Form.Theme(primary.getValue(), background.getValue(),
                    text.getValue(), radius.getValue(), font.getValue()), new Form.Spam(minSeconds.getValue() == null ? 0 : minSeconds.getValue(),
                    perMinute.getValue() == null ? 0 : perMinute.getValue(), work.getValue() == null ? 0 : work.getValue()), null))) {
                Problems.success(getTranslation("forms.saved"));
            }
        });
        save.setId("save-look");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.setEnabled(writes);
        look.add(texts, save);
    }

    private static String blank(TextField f) {
        return f.getValue().isBlank() ? null : f.getValue().strip();
    }

    private TextField colour(String key, String value) {
        TextField f = new TextField(getTranslation(key));
        f.setValue(value);
        f.setPattern("#[0-9a-fA-F]{6}");
        f.setPrefixComponent(new Html("<span style=\"display:inline-block;width:14px;height:14px;border-radius:3px;background:" + value + "\"></span>"));
        return f;
    }

    /** The form itself, from the public origin, at the width asked for; nothing it sends is kept. */
    private void showPreview(String width) {
        preview.removeAll();
        Select<String> size = new Select<>();
        size.setLabel(getTranslation("forms.p.width"));
        size.setItems("100%", "390px");
        size.setItemLabelGenerator(s -> getTranslation(s.equals("100%") ? "forms.p.desktop" : "forms.p.phone"));
        size.setValue(width);
        size.addValueChangeListener(e -> showPreview(e.getValue()));
        IFrame frame = new IFrame(links.page(form) + "?lang=" + lang() + "&preview=" + forms.previewToken(user.workspaceId(), form.id()));
        frame.setId("form-preview");
        frame.getElement().setAttribute("sandbox", "allow-scripts allow-forms");
        frame.getElement().setAttribute("title", form.name());
        frame.setWidth(width);
        frame.setHeight("560px");
        frame.getStyle().set("border", "1px solid var(--lumo-contrast-20pct)").set("border-radius", "8px").set("max-width", "100%");
        preview.add(new Paragraph(getTranslation("forms.p.help")), size, frame);
    }

    private void showPublish() {
        publish.removeAll();
        TextField link = readOnly("forms.pub.link", links.page(form));
        link.setId("form-link");
        TextArea code = new TextArea(getTranslation("forms.pub.code"));
        code.setId("form-code");
        code.setValue(links.code(form));
        code.setReadOnly(true);
        code.setWidthFull();
        TextArea iframe = new TextArea(getTranslation("forms.pub.iframe"));
        iframe.setValue(links.iframe(form));
        iframe.setReadOnly(true);
        iframe.setWidthFull();
        publish.add(new Paragraph(getTranslation(form.published() ? "forms.pub.live" : "forms.pub.notLive")), link, code, iframe);
    }

    private TextField readOnly(String key, String value) {
        TextField f = new TextField(getTranslation(key));
        f.setValue(value);
        f.setReadOnly(true);
        f.setWidthFull();
        return f;
    }

    private void showResults() {
        outcome.removeAll();
        try {
            FormResults.Summary s = results.summary(user.workspaceId(), form.id());
            Paragraph funnel = new Paragraph(getTranslation("forms.r.summary", s.views(), s.starts(), s.submissions(), s.conversion(), s.rejected()));
            funnel.setId("form-summary");
            outcome.add(funnel);
            for (Field f : form.fields()) {
                if (f.type().equals("nps")) {
                    FormResults.Nps n = results.nps(user.workspaceId(), form.id(), f.name());
                    Paragraph p = new Paragraph(getTranslation("forms.r.nps", label(f.label()), n.score() == null ? "—" : n.score(), n.promoters(),
                            n.passives(), n.detractors()));
                    p.setId("form-nps-" + f.name());
                    Grid<FormResults.Week> weeks = new Grid<>();
                    weeks.addThemeVariants(GridVariant.LUMO_COMPACT);
                    weeks.addColumn(w -> w.from().toString()).setHeader(getTranslation("forms.r.week"));
                    weeks.addColumn(w -> w.score() == null ? "—" : String.valueOf(w.score())).setHeader(getTranslation("forms.r.npsTitle"));
                    weeks.addColumn(FormResults.Week::promoters).setHeader(getTranslation("forms.r.promoters"));
                    weeks.addColumn(FormResults.Week::detractors).setHeader(getTranslation("forms.r.detractors"));
                    weeks.setItems(n.weeks());
                    weeks.setAllRowsVisible(true);
                    Button detractors = new Button(getTranslation("forms.r.detractorsSegment"), VaadinIcon.FILTER.create(), e -> {
                        try {
                            ReportSegments.Made made = segments.fromProfiles(user.workspaceId(), form.database(),
                                    getTranslation("forms.r.detractorsName", form.name()), each -> results.detractors(user.workspaceId(), form.id(),
                                            f.name(), each));
                            Problems.success(getTranslation("cohorts.segment.done", made.segment().name(), made.profiles()));
                        } catch (RuntimeException ex) {
                            Problems.show(ex);
                        }
                    });
                    detractors.setId("detractors-" + f.name());
                    detractors.setVisible(user.may("segments:write") && n.detractors() > 0);
                    outcome.add(new H3(getTranslation("forms.r.npsTitle")), p, detractors, weeks);
                }
            }
            Select<String> field = new Select<>();
            field.setLabel(getTranslation("forms.r.filterBy"));
            List<String> names = new ArrayList<>(List.of(""));
            form.fields().forEach(f -> names.add(f.name()));
            field.setItems(names);
            field.setItemLabelGenerator(n -> n.isEmpty() ? "—" : n);
            field.setValue("");
            TextField value = new TextField(getTranslation("forms.r.contains"));
            Grid<FormResults.Answer> answers = new Grid<>();
            answers.setId("answers-grid");
            answers.addThemeVariants(GridVariant.LUMO_COMPACT);
            answers.addColumn(a -> org.orbita.ui.ProfileText.instant(a.at(), getLocale())).setHeader(getTranslation("forms.r.at")).setAutoWidth(true);
            for (Field f : form.fields()) {
                answers.addColumn(a -> text(a.answers().get(f.name()))).setHeader(f.name()).setAutoWidth(true);
            }
            answers.setEmptyStateText(getTranslation("forms.r.none"));
            Runnable load = () -> answers.setItems(results.answers(user.workspaceId(), form.id(), field.getValue().isEmpty() ? null : field.getValue(),
                    value.getValue().isBlank() ? null : value.getValue(), 200));
            load.run();
            Button apply = new Button(getTranslation("forms.r.apply"), e -> load.run());
            HorizontalLayout filter = new HorizontalLayout(field, value, apply, download("csv"), download("xlsx"));
            filter.setAlignItems(Alignment.BASELINE);
            filter.getStyle().set("flex-wrap", "wrap");
            outcome.add(new H3(getTranslation("forms.r.answers")), filter, answers);
        } catch (RuntimeException ex) {
            Problems.show(ex);
        }
    }

    private static String text(Object v) {
        return v == null ? "" : v instanceof java.util.Collection<?> c ? String.join(", ", c.stream().map(String::valueOf).toList()) : String.valueOf(v);
    }

    private Anchor download(String format) {
        DownloadHandler handler = event -> {
            Form f = results.allowExport(user.workspaceId(), form.id(), format); // the role's export permission, before a byte is sent
            event.setFileName("form-" + f.id() + "." + format);
            event.setContentType(TableExport.mediaType(format));
            results.export(f, format, event.getOutputStream());
        };
        Anchor a = new Anchor(handler, getTranslation("databases.export", format.toUpperCase()));
        a.getElement().setAttribute("download", true);
        a.setVisible(user.may("forms:export"));
        return a;
    }
}
