package org.orbita.ui.segments;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.server.streams.DownloadHandler;
import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.orbita.access.Access;
import org.orbita.access.Resource;
import org.orbita.audiences.Condition;
import org.orbita.audiences.Segment;
import org.orbita.audiences.SegmentExplorer;
import org.orbita.audiences.SegmentInput;
import org.orbita.audiences.SegmentSync;
import org.orbita.audiences.SegmentSyncs;
import org.orbita.audiences.Segments;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.events.EventCatalog;
import org.orbita.events.EventLog;
import org.orbita.groups.Groups;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.exports.ProfileExport;
import org.orbita.ui.Background;
import org.orbita.ui.Confirm;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.ExplainTree;
import org.orbita.ui.GroupsSlot;
import org.orbita.ui.Problems;
import org.orbita.ui.ProfileText;
import org.orbita.ui.profiles.ClientCardView;

/**
 * One segment: the condition builder with a live count (dynamic), members and their
 * export, the generated Drools rule, "why is this client here", versions; static lists
 * take members by id or by a unique field.
 *
 * <p>Longer than the ~400 lines we aim for: one page whose tabs (builder, members, why, rule,
 * syncs, versions) share the segment being edited.
 */
@Route("segments/:id")
@PageTitle("Orbita — segment")
@PermitAll
public class SegmentEditorView extends VerticalLayout implements BeforeEnterObserver {

    private final GroupsSlot groupsSlot;

    /** Profiles the live count looks at before it estimates. */
    static final long LIVE_SAMPLE = 100_000;

    private final Segments segments;
    private final SegmentExplorer explorer;
    private final ClientDatabases databases;
    private final ProfileStore profiles;
    private final ProfileExport export;
    private final CurrentUser user;
    private final SegmentSyncs syncs;
    private final EventLog events;
    private Segment segment;
    private ClientDatabase db;
    private ConditionBuilder builder;
    private final Span liveCount = new Span();
    private final HorizontalLayout liveSample = new HorizontalLayout();
    private final AtomicLong countRequest = new AtomicLong();

    private final org.orbita.promo.PromoPools promo;

    public SegmentEditorView(Segments segments, SegmentExplorer explorer, ClientDatabases databases, ProfileStore profiles, ProfileExport export, CurrentUser user,
            SegmentSyncs syncs, EventLog events, Groups groups, Access access, org.orbita.promo.PromoPools promo) {
        this.promo = promo;
        this.groupsSlot = new GroupsSlot(groups, access, user);
        this.events = events;
        this.syncs = syncs;
        this.segments = segments;
        this.explorer = explorer;
        this.databases = databases;
        this.profiles = profiles;
        this.export = export;
        this.user = user;
        setSizeFull();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String id = event.getRouteParameters().get("id").orElse("");
        segment = segments.find(id).filter(s -> s.workspaceId().equals(user.workspaceId())).orElse(null);
        if (segment == null) {
            event.forwardTo(SegmentsView.class);
            return;
        }
        db = databases.get(segment.databaseId());
        build();
    }

    private void build() {
        removeAll();
        H2 title = new H2(segment.name());
        title.setId("segment-title");
        Span meta = new Span(getTranslation("segments.meta", getTranslation("segments.kind." + segment.kind().id()), db.name(),
                segments.count(segment.id()), segment.version()));
        meta.setId("segment-meta");
        meta.getStyle().set("color", "var(--lumo-secondary-text-color)");
        HorizontalLayout actions = new HorizontalLayout(download("csv"), download("xlsx"));
        actions.getStyle().set("flex-wrap", "wrap");
        actions.setAlignItems(Alignment.BASELINE);
        if (segment.dynamic()) {
            actions.add(new Button(getTranslation("segments.freeze"), VaadinIcon.LOCK.create(), e -> {
                Segment frozen = segments.freeze(segment.id(), null);
                getUI().ifPresent(ui -> ui.navigate(SegmentEditorView.class, new RouteParameters("id", frozen.id())));
            }));
            actions.add(new Button(getTranslation("segments.recompute"), VaadinIcon.REFRESH.create(), e -> {
                Segments.Recomputed r = segments.recompute(db.id(), Set.of(segment.id()), true, n -> {});
                Problems.success(getTranslation("segments.recomputedNow", r.profiles(), r.entered(), r.left()));
                segment = segments.get(segment.id());
                build();
            }));
        }
        Button delete = new Button(getTranslation("segments.delete"), VaadinIcon.TRASH.create(), e -> Confirm.destructive("confirm-delete-segment",
                getTranslation("segments.delete.confirm.title", segment.name()), getTranslation("segments.delete.confirm.text"),
                getTranslation("segments.delete"), getTranslation("common.cancel"), () -> {
                    segments.delete(segment.id());
                    getUI().ifPresent(ui -> ui.navigate(SegmentsView.class));
                }));
        delete.setId("delete-segment");
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        actions.add(delete);

        TabSheet tabs = new TabSheet();
        tabs.setWidthFull();
        if (segment.dynamic()) {
            tabs.add(getTranslation("segments.tab.definition"), definition());
        }
        tabs.add(getTranslation("segments.tab.members"), members());
        if (segment.dynamic()) {
            tabs.add(getTranslation("segments.tab.explain"), explain());
            tabs.add(getTranslation("segments.tab.rule"), rule());
        }
        tabs.add(getTranslation("segments.tab.versions"), versions());
        tabs.add(getTranslation("segments.tab.sync"), syncs());
        groupsSlot.show(Resource.SEGMENTS, segment.id());
        add(title, meta, groupsSlot, actions, tabs);
    }

    private Component definition() {
        TextField name = new TextField(getTranslation("segments.name"));
        name.setValue(segment.name());
        name.setWidth("min(24em, 100%)");
        List<Segment> others = segments.ofDatabase(db.id()).stream().filter(s -> !s.id().equals(segment.id())).toList();
        Map<String, List<String>> seen = new java.util.LinkedHashMap<>();
        EventCatalog.of(events, db.id()).forEach(t -> seen.put(t.type(), t.properties()));
        builder = new ConditionBuilder(db.schema(), others, this::countLive, false).offering(seen)
                .offeringPools(user.may("promo:read") ? promo.list(user.workspaceId()).stream().map(org.orbita.promo.PromoPools.View::id).toList()
                        : List.of());
        builder.setId("condition-builder");
        builder.read(segment.definition());
        liveCount.setId("live-count");
        liveCount.getStyle().set("font-weight", "600");
        TextArea json = new TextArea(getTranslation("segments.json"));
        json.setWidthFull();
        json.getStyle().set("font-family", "monospace");
        json.setValue(Json.write(segment.definition()));
        Button applyJson = new Button(getTranslation("segments.applyJson"), e -> {
            try {
                builder.read(Json.read(json.getValue(), Condition.class));
            } catch (RuntimeException ex) {
                Problems.show(new IllegalArgumentException(getTranslation("segments.badJson") + ": " + ex.getMessage()));
            }
        });
        VerticalLayout jsonContent = new VerticalLayout(json, applyJson);
        jsonContent.setPadding(false);
        jsonContent.setWidthFull();
        Details jsonBox = new Details(getTranslation("segments.json"), jsonContent);
        jsonBox.setWidthFull();
        Button save = new Button(getTranslation("segments.save"), VaadinIcon.CHECK.create(), e -> {
            try {
                segment = segments.update(segment.id(), new SegmentInput(db.id(), name.getValue(), null, builder.value()));
                Problems.success(getTranslation("segments.saved", segments.count(segment.id())));
                build();
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        save.setId("save-segment");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout bar = new HorizontalLayout(save, liveCount);
        bar.setAlignItems(Alignment.BASELINE);
        liveSample.setId("live-sample");
        liveSample.getStyle().set("flex-wrap", "wrap").set("font-size", "var(--lumo-font-size-s)");
        VerticalLayout box = new VerticalLayout(name, builder, bar, liveSample, jsonBox);
        box.setPadding(false);
        box.setWidthFull();
        countLive();
        return box;
    }

    /** Counts the definition being edited in the background; the newest edit wins. */
    private void countLive() {
        if (builder == null) {
            return;
        }
        long request = countRequest.incrementAndGet();
        Condition definition = builder.value();
        liveCount.setText(getTranslation("segments.counting"));
        UI ui = UI.getCurrent();
        if (ui == null) {
            return;
        }
        ui.setPollInterval(300);
        String workspace = user.workspaceId();
        Background.supply(() -> explorer.preview(workspace, db.id(), definition, LIVE_SAMPLE)).whenComplete((p, error) ->
                ui.access(() -> {
                    if (request != countRequest.get()) {
                        return;
                    }
                    ui.setPollInterval(-1);
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                        liveCount.setText(cause instanceof InvalidInputException invalid
                                ? getTranslation("segments.incomplete", invalid.errors().get(0).toString()) : cause.getMessage());
                    } else {
                        liveCount.setText(p.exact() ? getTranslation("segments.liveExact", p.matched(), p.total())
                                : getTranslation("segments.liveEstimate", p.matched(), p.scanned(), p.total()));
                        showSample(p.sample());
                    }
                }));
    }

    /** A few of the profiles the definition being edited matches, each a link to its card. */
    private void showSample(List<String> ids) {
        liveSample.removeAll();
        if (ids.isEmpty()) {
            return;
        }
        liveSample.add(new Span(getTranslation("segments.sample")));
        ids.stream().limit(8).forEach(id -> profiles.find(db.id(), id).ifPresent(p -> liveSample.add(
                new RouterLink(ProfileText.displayName(p), ClientCardView.class,
                        new RouteParameters(Map.of("db", db.publicId(), "id", p.id()))))));
    }

    private Component members() {
        Grid<Profile> grid = new Grid<>();
        grid.setId("members-grid");
        List<FieldDefinition> shown = db.schema().fields().stream().limit(4).toList();
        grid.addColumn(Profile::id).setHeader(getTranslation("segments.members.id")).setAutoWidth(true);
        for (FieldDefinition f : shown) {
            grid.addColumn(p -> ProfileText.value(p.field(f.name()))).setHeader(f.label() == null ? f.name() : f.label());
        }
        grid.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate(ClientCardView.class,
                new RouteParameters(Map.of("db", db.publicId(), "id", e.getItem().id())))));
        grid.setAllRowsVisible(true);
        Runnable load = () -> {
            List<Profile> page = new ArrayList<>();
            segments.members(segment.id(), null, 50).forEach(id -> profiles.find(db.id(), id).ifPresent(page::add));
            grid.setItems(page);
        };
        load.run();
        VerticalLayout box = new VerticalLayout();
        box.setPadding(false);
        box.add(new Span(getTranslation("segments.firstMembers")));
        if (!segment.dynamic()) {
            var unique = db.schema().uniqueFields();
            TextArea keys = new TextArea(getTranslation("segments.addByKey", unique.isEmpty() ? "id" : unique.get(0).name()));
            keys.setId("static-keys");
            keys.setWidth("min(30em, 100%)");
            keys.setHelperText(getTranslation("segments.addByKey.help"));
            Button add = new Button(getTranslation("segments.addMembers"), e -> changeStatic(keys.getValue(), true, load));
            add.setId("add-members");
            Button remove = new Button(getTranslation("segments.removeMembers"), e -> changeStatic(keys.getValue(), false, load));
            box.add(new HorizontalLayout(keys, new VerticalLayout(add, remove)));
        }
        box.add(grid);
        return box;
    }

    /** The id of the profile a person typed: its id, or a value of any unique field (an email, say). */
    private String resolve(String typed) {
        return segments.ownerOf(db, null, typed).orElse(null);
    }

    private void changeStatic(String text, boolean add, Runnable reload) {
        List<String> ids = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String line : text.split("[\\n,;]")) {
            String v = line.strip();
            if (v.isEmpty()) {
                continue;
            }
            String owner = resolve(v);
            if (owner == null) {
                missing.add(v);
            } else {
                ids.add(owner);
            }
        }
        if (!missing.isEmpty()) {
            Problems.show(new IllegalArgumentException(getTranslation("segments.notFound", String.join(", ", missing))));
            return;
        }
        try {
            int n = segments.changeStatic(segment.id(), ids, add);
            Problems.success(getTranslation(add ? "segments.added" : "segments.removed", n));
            reload.run();
        } catch (RuntimeException e) {
            Problems.show(e);
        }
    }

    private Component explain() {
        TextField who = new TextField(getTranslation("segments.explain.who"));
        who.setId("explain-who");
        who.setWidth("min(24em, 100%)");
        Div result = new Div();
        result.setId("explain-result");
        Button go = new Button(getTranslation("segments.explain.go"), e -> {
            result.removeAll();
            String v = who.getValue().strip();
            String id = resolve(v);
            if (id == null) {
                Problems.show(new IllegalArgumentException(getTranslation("segments.notFound", v)));
                return;
            }
            SegmentExplorer.Explanation x = explorer.explain(segment.id(), id);
            Span verdict = new Span(getTranslation(x.matchesNow() ? "segments.explain.in" : "segments.explain.out"));
            verdict.getStyle().set("font-weight", "600");
            result.add(verdict);
            if (x.conditions() != null) {
                result.add(new ExplainTree(x.conditions()));
            }
        });
        go.setId("explain-go");
        HorizontalLayout bar = new HorizontalLayout(who, go);
        bar.setAlignItems(Alignment.BASELINE);
        VerticalLayout box = new VerticalLayout(bar, result);
        box.setPadding(false);
        return box;
    }

    private Component rule() {
        Pre drl = new Pre(segments.drl(segment.id()));
        drl.setId("segment-rule");
        drl.getStyle().set("font-size", "var(--lumo-font-size-s)").set("white-space", "pre-wrap");
        Span help = new Span(getTranslation("segments.rule.help"));
        help.getStyle().set("color", "var(--lumo-secondary-text-color)");
        return new VerticalLayout(help, drl);
    }

    private Component versions() {
        Grid<Segment> grid = new Grid<>();
        grid.addColumn(s -> "v" + s.version()).setHeader(getTranslation("segments.version")).setAutoWidth(true);
        grid.addColumn(s -> ProfileText.instant(s.updated(), getLocale())).setHeader(getTranslation("segments.updated")).setAutoWidth(true);
        grid.addColumn(Segment::name).setHeader(getTranslation("segments.name"));
        grid.addColumn(s -> s.definition() == null ? "" : Json.write(s.definition())).setHeader(getTranslation("segments.json")).setFlexGrow(4);
        grid.setItems(segments.versions(segment.id()));
        grid.setAllRowsVisible(true);
        return grid;
    }

    /** Copies of the members kept in external SQL tables: the list with "run now", and a form for a new one. */
    private Component syncs() {
        Grid<SegmentSync> grid = new Grid<>();
        grid.setId("syncs-grid");
        grid.addColumn(s -> s.jdbcUrl() + " → " + s.table()).setHeader(getTranslation("segments.sync.target")).setFlexGrow(3);
        grid.addColumn(SegmentSync::mode).setHeader(getTranslation("segments.sync.mode")).setAutoWidth(true);
        grid.addColumn(s -> s.cron() == null ? "" : s.cron()).setHeader(getTranslation("segments.sync.schedule")).setAutoWidth(true);
        grid.addColumn(s -> s.lastRun() == null ? "" : ProfileText.instant(s.lastRun(), getLocale()) + " " + s.lastResult())
                .setHeader(getTranslation("segments.sync.last")).setFlexGrow(3);
        Runnable reload = () -> grid.setItems(syncs.ofSegment(segment.id()));
        grid.addComponentColumn(s -> new HorizontalLayout(
                new Button(getTranslation("segments.sync.run"), e -> {
                    try {
                        var r = syncs.run(s.id());
                        Problems.success(getTranslation("segments.sync.done", r.written(), r.deleted(), r.unchanged()));
                    } catch (RuntimeException ex) {
                        Problems.show(ex);
                    }
                    reload.run();
                }),
                new Button(VaadinIcon.TRASH.create(), e -> {
                    syncs.delete(s.id());
                    reload.run();
                }))).setAutoWidth(true).setFrozenToEnd(true);
        grid.setAllRowsVisible(true);
        reload.run();

        TextField url = new TextField(getTranslation("segments.sync.jdbcUrl"));
        url.setPlaceholder("jdbc:postgresql://host:5432/crm");
        url.setWidth("min(24em, 100%)");
        TextField dbUser = new TextField(getTranslation("segments.sync.user"));
        PasswordField password = new PasswordField(
                getTranslation("segments.sync.password"));
        TextField table = new TextField(getTranslation("segments.sync.table"));
        CheckboxGroup<String> fields = new CheckboxGroup<>(
                getTranslation("segments.sync.fields"));
        fields.setItems(db.schema().fields().stream().map(FieldDefinition::name).toList());
        RadioButtonGroup<String> mode = new RadioButtonGroup<>(
                getTranslation("segments.sync.mode"));
        mode.setItems("delta", "full");
        mode.setValue("delta");
        TextField cron = new TextField(getTranslation("segments.sync.cron"));
        cron.setPlaceholder("0 0 3 * * *");
        Button add = new Button(getTranslation("segments.sync.add"), VaadinIcon.PLUS.create(), e -> {
            try {
                syncs.create(user.workspaceId(), segment.id(), new SegmentSync(null, null, segment.id(),
                        url.getValue(), dbUser.getValue().isBlank() ? null : dbUser.getValue(), password.getValue().isEmpty() ? null : password.getValue(),
                        table.getValue(), List.copyOf(fields.getValue()), mode.getValue(), cron.getValue().isBlank() ? null : cron.getValue(),
                        true, null, null));
                password.clear();
                reload.run();
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        Span help = new Span(getTranslation("segments.sync.help"));
        help.getStyle().set("color", "var(--lumo-secondary-text-color)");
        FormLayout form = new FormLayout(
                url, dbUser, password, table, mode, cron, fields);
        VerticalLayout box = new VerticalLayout(help, grid, form, add);
        box.setPadding(false);
        return box;
    }

    private Anchor download(String format) {
        DownloadHandler handler = event -> {
            event.setFileName("segment-" + segment.id() + "." + format);
            event.setContentType(format.equals("csv") ? "text/csv; charset=utf-8"
                    : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
            export.allowSegment(segment.id(), format); // the role's export permission, before a byte is sent
            export.write(db, format, event.getOutputStream(), action -> segments.forEachMember(segment.id(), action));
        };
        Anchor a = new Anchor(handler, getTranslation("segments.export", format.toUpperCase()));
        a.getElement().setAttribute("download", true);
        return a;
    }
}
