package org.orbita.ui.journeys;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.BeforeLeaveEvent;
import com.vaadin.flow.router.BeforeLeaveObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.orbita.access.Access;
import org.orbita.access.Resource;
import org.orbita.audiences.Segments;
import org.orbita.common.Json;
import org.orbita.content.Messages;
import org.orbita.events.EventLog;
import org.orbita.groups.Groups;
import org.orbita.journeys.Journey;
import org.orbita.journeys.JourneyAnalytics;
import org.orbita.journeys.JourneyBpmn;
import org.orbita.journeys.JourneyDefinition;
import org.orbita.journeys.JourneyDiagram;
import org.orbita.journeys.JourneyLedger;
import org.orbita.journeys.Journeys;
import org.orbita.journeys.NodeCatalog;
import org.orbita.journeys.NodeType;
import org.orbita.profiles.ClientDatabases;
import org.orbita.sending.SendChannel;
import org.orbita.ui.Confirm;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.GroupsSlot;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;
import org.orbita.ui.ProfileText;

/**
 * The journey builder: the journey drawn as BPMN (bpmn-js) with each node's figures on the
 * canvas — entered, in it now, out, converted; nodes from the catalog's palette, each node's
 * settings in a form made from the catalog, the links between nodes and their branches; save,
 * check, publish as the next version, stop; profiles stuck at a failed node.
 */
@Route("journeys/:id")
@PageTitle("Orbita — journey")
@PermitAll
public class JourneyEditorView extends VerticalLayout implements BeforeEnterObserver, BeforeLeaveObserver {

    private final GroupsSlot groupsSlot;

    private final Journeys journeys;
    private final JourneyLedger ledger;
    private final CurrentUser user;
    private JourneyDefinition definition;
    private Journey draft;
    private String selected;

    private final TextField name = new TextField();
    private final Span status = new Span();
    private final Div problems = new Div();
    private final JourneyCanvas canvas = new JourneyCanvas();
    private final Span autosaved = new Span();
    private final TextField pathProfile = new TextField();
    private final EventLog events;
    private final Grid<Journey.Node> nodes = new Grid<>();
    private final VerticalLayout nodeForm = new VerticalLayout();
    private final Grid<Journey.Link> links = new Grid<>();
    private final ComboBox<String> linkFrom = new ComboBox<>();
    private final ComboBox<String> linkTo = new ComboBox<>();
    private final ComboBox<String> linkBranch = new ComboBox<>();
    private final Grid<JourneyLedger.Instance> incidents = new Grid<>();
    private final Grid<JourneyAnalytics.Version> versions = new Grid<>();

    private final Messages messages;
    private final Segments segments;
    private final ClientDatabases databases;

    public JourneyEditorView(Journeys journeys, JourneyLedger ledger, CurrentUser user, Messages messages, Segments segments,
                             ClientDatabases databases, Groups groups, Access access, EventLog events) {
        this.events = events;
        this.groupsSlot = new GroupsSlot(groups, access, user);
        this.messages = messages;
        this.segments = segments;
        this.databases = databases;
        this.journeys = journeys;
        this.ledger = ledger;
        this.user = user;
        name.setId("journey-title");
        name.setWidth("min(24em, 100%)");
        status.setId("journey-status");
        status.getElement().getThemeList().add("badge");
        Button save = new Button(getTranslation("journeys.save"), VaadinIcon.CHECK.create(), e -> save());
        save.setId("save-journey");
        Button publish = new Button(getTranslation("journeys.publish"), VaadinIcon.PLAY.create(), e -> publish());
        publish.setId("publish-journey");
        publish.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button stop = new Button(getTranslation("journeys.stop"), VaadinIcon.STOP.create(), e -> Confirm.destructive("confirm-stop-journey",
                getTranslation("journeys.stop.confirm.title"), getTranslation("journeys.stop.confirm.text"), getTranslation("journeys.stop"),
                getTranslation("common.cancel"), this::stop));
        stop.setId("stop-journey");
        stop.addThemeVariants(ButtonVariant.LUMO_ERROR);
        problems.setId("journey-problems");
        problems.getStyle().set("color", "var(--lumo-error-text-color)").set("white-space", "pre-line");
        canvas.setId("journey-canvas");
        canvas.addNodeClickListener(e -> select(e.node()));
        canvas.addDiagramChangeListener(e -> drawn(e.graph()));
        canvas.palette(Json.write(NodeCatalog.all().stream().filter(t -> !t.id().equals("start"))
                .map(t -> Map.of("type", t.id(), "label", typeName(t), "element", JourneyDiagram.elementOf(t), "shape", t.shape().name())).toList()),
                Json.write(Map.of("in", getTranslation("journeys.canvas.in"), "now", getTranslation("journeys.canvas.now"),
                        "out", getTranslation("journeys.canvas.out"), "conv", getTranslation("journeys.canvas.conv"),
                        "attr", getTranslation("journeys.canvas.attr"))));
        autosaved.setId("journey-autosaved");
        autosaved.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "var(--lumo-font-size-s)");
        pathProfile.setId("path-profile");
        pathProfile.setPlaceholder(getTranslation("journeys.path.profile"));
        pathProfile.setClearButtonVisible(true);
        pathProfile.setValueChangeMode(com.vaadin.flow.data.value.ValueChangeMode.ON_CHANGE);
        pathProfile.addValueChangeListener(e -> showPath());

        nodes.setId("journey-nodes");
        nodes.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        nodes.addColumn(Journey.Node::id).setHeader(getTranslation("journeys.node.id"));
        nodes.addColumn(n -> NodeCatalog.find(n.type()).map(this::typeName).orElse(n.type())).setHeader(getTranslation("journeys.node.type"));
        nodes.addColumn(Journey.Node::name).setHeader(getTranslation("journeys.name"));
        nodes.setAllRowsVisible(true);
        nodes.addItemClickListener(e -> select(e.getItem().id()));
        ComboBox<NodeType> palette = new ComboBox<>(getTranslation("journeys.palette"));
        palette.setId("journey-palette");
        palette.setItems(NodeCatalog.all().stream().filter(t -> !t.id().equals("start")).toList());
        palette.setItemLabelGenerator(this::typeName);
        Button addNode = new Button(getTranslation("journeys.node.add"), VaadinIcon.PLUS.create(), e -> {
            if (palette.getValue() != null) {
                addNode(palette.getValue());
                palette.clear();
            }
        });
        addNode.setId("add-node");
        HorizontalLayout paletteRow = new HorizontalLayout(palette, addNode);
        paletteRow.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        nodeForm.setId("node-form");
        nodeForm.setPadding(false);

        links.setId("journey-links");
        links.addThemeVariants(GridVariant.LUMO_COMPACT);
        links.addColumn(Journey.Link::from).setHeader(getTranslation("journeys.link.from"));
        links.addColumn(Journey.Link::to).setHeader(getTranslation("journeys.link.to"));
        links.addColumn(l -> l.branch() == null ? "" : l.branch()).setHeader(getTranslation("journeys.link.branch"));
        links.addComponentColumn(l -> new Button(VaadinIcon.TRASH.create(), e -> {
            List<Journey.Link> kept = new ArrayList<>(draft.links());
            kept.remove(l);
            change(draft.with(draft.nodes(), kept));
        })).setFlexGrow(0).setWidth("5em").setFrozenToEnd(true);
        links.setAllRowsVisible(true);
        linkFrom.setPlaceholder(getTranslation("journeys.link.from"));
        linkFrom.setId("link-from");
        linkTo.setPlaceholder(getTranslation("journeys.link.to"));
        linkTo.setId("link-to");
        linkBranch.setPlaceholder(getTranslation("journeys.link.branch"));
        linkBranch.setId("link-branch");
        linkFrom.addValueChangeListener(e -> linkBranch.setItems(e.getValue() == null ? List.of() : branchesOf(e.getValue())));
        Button addLink = new Button(getTranslation("journeys.link.add"), VaadinIcon.CONNECT.create(), e -> addLink());
        addLink.setId("add-link");
        linkFrom.setWidth("9em");
        linkTo.setWidth("9em");
        linkBranch.setWidth("8em");
        HorizontalLayout linkRow = new HorizontalLayout(linkFrom, linkTo, linkBranch, addLink);
        linkRow.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        linkRow.setWrap(true);

        incidents.setId("journey-incidents");
        incidents.addThemeVariants(GridVariant.LUMO_COMPACT);
        incidents.addColumn(JourneyLedger.Instance::profileId).setHeader(getTranslation("journeys.incident.profile"));
        incidents.addColumn(JourneyLedger.Instance::node).setHeader(getTranslation("journeys.incident.node"));
        incidents.addColumn(JourneyLedger.Instance::incident).setHeader(getTranslation("journeys.incident.error")).setFlexGrow(3);
        incidents.addColumn(i -> ProfileText.instant(i.stepAt(), getLocale())).setHeader(getTranslation("journeys.incident.since"));
        incidents.setAllRowsVisible(true);

        versions.setId("journey-versions");
        versions.addThemeVariants(GridVariant.LUMO_COMPACT);
        versions.addColumn(v -> "v" + v.version()).setHeader(getTranslation("journeys.version"));
        versions.addColumn(JourneyAnalytics.Version::entered).setHeader(getTranslation("journeys.figures.entered"));
        versions.addColumn(JourneyAnalytics.Version::live).setHeader(getTranslation("journeys.figures.live"));
        versions.addColumn(JourneyAnalytics.Version::done).setHeader(getTranslation("journeys.figures.done"));
        versions.addColumn(JourneyAnalytics.Version::stopped).setHeader(getTranslation("journeys.figures.stopped"));
        versions.addColumn(JourneyAnalytics.Version::converted).setHeader(getTranslation("journeys.figures.converted"));
        versions.addColumn(v -> String.format(getLocale(), "%.1f %%", v.conversionRate() * 100)).setHeader(getTranslation("journeys.figures.rate"));
        versions.setAllRowsVisible(true);
        VerticalLayout left = new VerticalLayout(new H3(getTranslation("journeys.nodes")), nodes, paletteRow, nodeForm);
        left.setPadding(false);
        VerticalLayout right = new VerticalLayout(new H3(getTranslation("journeys.links")), links, linkRow,
                new H3(getTranslation("journeys.incidents")), incidents, new H3(getTranslation("journeys.figures.versions")), versions);
        right.setPadding(false);
        HorizontalLayout below = new HorizontalLayout(left, right);
        below.setWidthFull();
        below.setWrap(true);
        left.setWidth("50%");
        right.setWidth("50%");
        HorizontalLayout title = new HorizontalLayout(name, status, autosaved, pathProfile);
        title.setWrap(true);
        title.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(PageHeader.of(getTranslation("journeys.journey"), save, publish, stop), title, groupsSlot, PageHeader.help(getTranslation("journeys.builder.help")),
                problems, canvas, below);
    }

    @Override
    public void beforeLeave(BeforeLeaveEvent event) {
        boolean unsaved = definition != null && draft != null
                && (!draft.equals(definition.journey()) || !name.getValue().strip().equals(definition.name()));
        if (!unsaved) {
            return;
        }
        BeforeLeaveEvent.ContinueNavigationAction leave = event.postpone();
        com.vaadin.flow.component.confirmdialog.ConfirmDialog ask = new com.vaadin.flow.component.confirmdialog.ConfirmDialog();
        ask.setId("confirm-leave-journey");
        ask.setHeader(getTranslation("journeys.unsaved.title"));
        ask.setText(getTranslation("journeys.unsaved.text"));
        ask.setCancelable(true);
        ask.setCancelText(getTranslation("journeys.unsaved.stay"));
        ask.setRejectable(true);
        ask.setRejectText(getTranslation("journeys.unsaved.leave"));
        ask.addRejectListener(e -> leave.proceed());
        ask.setConfirmText(getTranslation("journeys.unsaved.save"));
        ask.addConfirmListener(e -> {
            save();
            if (draft.equals(definition.journey())) {
                leave.proceed();
            }
        });
        ask.open();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String id = event.getRouteParameters().get("id").orElse("");
        var found = journeys.find(user.workspaceId(), id);
        if (found.isEmpty()) {
            event.forwardTo(JourneysView.class);
            return;
        }
        definition = found.get();
        groupsSlot.show(Resource.JOURNEYS, definition.id());
        draft = definition.journey();
        name.setValue(definition.name());
        pathProfile.setValue(event.getLocation().getQueryParameters().getSingleParameter("profile").orElse(""));
        refresh(true);
        showPath();
    }

    private List<String> branchesOf(String node) {
        return draft.nodes().stream().filter(n -> n.id().equals(node)).findFirst()
                .flatMap(n -> NodeCatalog.find(n.type())).map(NodeType::branches).orElse(List.of());
    }

    /** A change made in the forms: kept as the draft at once, and drawn. */
    private void change(Journey changed) {
        draft = changed;
        autosave();
        refresh(true);
    }

    /** A change made on the canvas: the journey it now shows, kept as the draft; drawn again only where the journey differs from it. */
    private void drawn(String graphJson) {
        JourneyDiagram.Graph graph;
        try {
            graph = Json.read(graphJson, JourneyDiagram.Graph.class);
        } catch (RuntimeException e) {
            // the canvas sends what its own script made; anything else is redrawn from the draft
            refresh(true);
            return;
        }
        JourneyDiagram.Applied applied = JourneyDiagram.apply(draft, graph);
        draft = applied.journey();
        if (selected != null && !exists(selected)) {
            selected = null;
        }
        autosave();
        refresh(applied.redraw());
    }

    /** Drafts are kept as they are edited: nothing is lost with a closed tab (publishing is still a step of its own). */
    private void autosave() {
        if (draft.equals(definition.journey())) {
            return;
        }
        try {
            definition = journeys.update(user.workspaceId(), definition.id(), name.getValue(), draft);
            autosaved.setText(getTranslation("journeys.autosaved", ProfileText.instant(definition.updated(), getLocale())));
        } catch (RuntimeException e) {
            Problems.show(e);
        }
    }

    /** The path of the profile named in the path field through this journey's latest instance, highlighted on the canvas. */
    private void showPath() {
        String profileId = pathProfile.getValue().strip();
        if (profileId.isEmpty()) {
            canvas.path("[]", "");
            pathProfile.setHelperText(null);
            return;
        }
        JourneyLedger.Instance latest = ledger.ofProfile(definition.databaseId(), profileId, 100).stream()
                .filter(i -> i.journeyId().equals(definition.id())).findFirst().orElse(null);
        if (latest == null) {
            canvas.path("[]", "");
            pathProfile.setHelperText(getTranslation("journeys.path.none"));
            return;
        }
        List<String> nodes = JourneyPaths.of(events, definition.databaseId(), profileId).getOrDefault(latest.id(), List.of()).stream()
                .map(JourneyPaths.Step::node).toList();
        boolean live = JourneyLedger.LIVE.equals(latest.state());
        canvas.path(Json.write(nodes), live ? latest.node() : "");
        pathProfile.setHelperText(getTranslation("journeys.path.shown", nodes.size(), latest.version(), latest.state()));
    }

    private void refresh(boolean redraw) {
        status.setText(getTranslation("journeys.status." + definition.status().id()) + (definition.version() > 0 ? " · v" + definition.version() : ""));
        nodes.setItems(draft.nodes());
        links.setItems(draft.links());
        List<String> ids = draft.nodes().stream().map(Journey.Node::id).toList();
        linkFrom.setItems(ids);
        linkTo.setItems(ids);
        incidents.setItems(ledger.incidents(definition.id(), 100));
        JourneyDefinition current = definition.withDraft(name.getValue(), draft, definition.updated());
        List<Journey.Problem> found = journeys.problems(current);
        problems.setText(found.isEmpty() ? "" : getTranslation("journeys.problems") + "\n" + String.join("\n", found.stream().map(Journey.Problem::toString).toList()));
        if (redraw) {
            // every node, reached from the start or not yet, where it was put; the problems say what is missing
            JourneyAnalytics figures = JourneyAnalytics.of(definition, ledger);
            canvas.show(JourneyDiagram.toXml(current.journey()), Json.write(figures), selected);
            versions.setItems(figures.versions());
        }
        canvas.problems(Json.write(found.stream().filter(p -> p.node() != null)
                .map(p -> Map.of("node", p.node(), "text", (p.field() == null ? "" : p.field() + ": ") + p.rule())).toList()));
        showForm();
    }

    private void select(String node) {
        selected = exists(node) ? node : null;
        canvas.select(selected);
        showForm();
    }

    private void addNode(NodeType t) {
        String base = t.id().replace("-", "_");
        String id = base;
        int k = 1;
        while (exists(id)) {
            id = base + (++k);
        }
        List<Journey.Node> all = new ArrayList<>(draft.nodes());
        all.add(new Journey.Node(id, t.id(), typeName(t), Map.of()));
        // after the selected node when it leads nowhere yet and does not branch: the new node is on the canvas at once
        List<Journey.Link> links = new ArrayList<>(draft.links());
        Journey.Node after = draft.nodes().stream().filter(n -> n.id().equals(selected)).findFirst().orElse(null);
        if (after != null && !after.type().equals("exit") && draft.links().stream().noneMatch(l -> l.from().equals(after.id()))
                && NodeCatalog.find(after.type()).map(x -> x.branches().isEmpty()).orElse(false)) {
            links.add(new Journey.Link(after.id(), id, null));
        }
        selected = id;
        change(draft.with(all, links));
    }

    /** A node type's name in the page's language (the catalog's English in the bundles, checked by {@code BundlesTest}). */
    private String typeName(NodeType t) {
        return getTranslation("journeys.type." + t.id());
    }

    private boolean exists(String id) {
        return draft.nodes().stream().anyMatch(n -> n.id().equals(id));
    }

    private void addLink() {
        if (linkFrom.getValue() == null || linkTo.getValue() == null) {
            return;
        }
        List<Journey.Link> all = new ArrayList<>(draft.links());
        all.add(new Journey.Link(linkFrom.getValue(), linkTo.getValue(), linkBranch.getValue()));
        linkFrom.clear();
        linkTo.clear();
        linkBranch.clear();
        change(draft.with(draft.nodes(), all));
    }

    /** The selected node's form: its name and each setting of its type, as the catalog describes them. */
    private void showForm() {
        nodeForm.removeAll();
        Journey.Node n = draft.nodes().stream().filter(x -> x.id().equals(selected)).findFirst().orElse(null);
        if (n == null) {
            return;
        }
        NodeType t = NodeCatalog.find(n.type()).orElseThrow();
        FormLayout form = new FormLayout();
        TextField label = new TextField(getTranslation("journeys.name"));
        label.setValue(n.name() == null ? "" : n.name());
        label.setId("node-name");
        form.add(label);
        Map<String, Supplier<String>> values = new LinkedHashMap<>();
        for (NodeType.Setting s : t.settings()) {
            Component field;
            String value = n.settings().getOrDefault(s.name(), "");
            String caption = getTranslation("journeys.setting." + t.id() + "." + s.name()) + (s.required() ? " *" : "");
            if (s.choices() != null && !s.choices().isEmpty()) {
                ComboBox<String> c = new ComboBox<>(caption);
                c.setItems(s.choices());
                c.setValue(value.isEmpty() ? null : value);
                values.put(s.name(), () -> c.getValue() == null ? "" : c.getValue());
                field = c;
            } else if (s.type().equals("message") || s.type().equals("segment") || s.type().equals("database")) {
                // people pick by name; the node keeps the id
                Map<String, String> byId = new LinkedHashMap<>();
                switch (s.type()) {
                    case "message" -> messages.list(user.workspaceId()).forEach(m -> byId.put(m.id(), m.name() + " (" + String.join(", ", m.channels()) + ")"));
                    case "segment" -> segments.ofDatabase(definition.databaseId()).forEach(x -> byId.put(x.id(), x.name()));
                    default -> databases.list(user.workspaceId()).forEach(d -> byId.put(d.publicId(), d.name()));
                }
                if (!value.isEmpty() && !byId.containsKey(value)) {
                    byId.put(value, getTranslation("journeys.setting.missing", value));
                }
                ComboBox<String> c = new ComboBox<>(caption);
                c.setItems(byId.keySet());
                c.setItemLabelGenerator(id -> byId.getOrDefault(id, id));
                c.setValue(value.isEmpty() ? null : value);
                c.setHelperText(getTranslation("journeys.setting." + t.id() + "." + s.name() + ".help"));
                c.setClearButtonVisible(true);
                values.put(s.name(), () -> c.getValue() == null ? "" : c.getValue());
                field = c;
            } else if (s.type().equals("channels")) {
                CheckboxGroup<String> c = new CheckboxGroup<>(caption);
                c.setItems(Arrays.stream(SendChannel.values()).map(SendChannel::id).toList());
                c.setItemLabelGenerator(ch -> getTranslation("messages.channel." + ch));
                c.setValue(Arrays.stream(value.split(",")).map(String::strip).filter(x -> !x.isEmpty()).collect(Collectors.toCollection(LinkedHashSet::new)));
                values.put(s.name(), () -> String.join(",", c.getValue().stream().sorted().toList()));
                field = c;
            } else if (s.type().equals("cron")) {
                TextField f = new TextField(caption);
                f.setValue(value);
                f.setPlaceholder("0 0 10 * * MON-FRI");
                f.setValueChangeMode(com.vaadin.flow.data.value.ValueChangeMode.LAZY);
                f.setHelperText(CronWords.nextRuns(value, getLocale(), this::getTranslation));
                f.addValueChangeListener(e -> f.setHelperText(CronWords.nextRuns(e.getValue(), getLocale(), this::getTranslation)));
                values.put(s.name(), f::getValue);
                field = f;
            } else {
                TextField f = new TextField(caption);
                f.setValue(value);
                f.setHelperText(getTranslation("journeys.setting." + t.id() + "." + s.name() + ".help"));
                values.put(s.name(), f::getValue);
                field = f;
            }
            field.setId("setting-" + s.name());
            form.add(field);
        }
        Button apply = new Button(getTranslation("journeys.node.apply"), VaadinIcon.CHECK.create(), e -> {
            Map<String, String> settings = new LinkedHashMap<>();
            values.forEach((k, v) -> {
                String x = v.get();
                if (x != null && !x.isBlank()) {
                    settings.put(k, x.strip());
                }
            });
            List<Journey.Node> all = new ArrayList<>();
            draft.nodes().forEach(x -> all.add(x.id().equals(n.id()) ? new Journey.Node(n.id(), n.type(), label.getValue(), settings) : x));
            change(draft.with(all, draft.links()));
        });
        apply.setId("apply-node");
        apply.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button remove = new Button(getTranslation("journeys.node.remove"), VaadinIcon.TRASH.create(), e -> {
            selected = null;
            change(draft.with(draft.nodes().stream().filter(x -> !x.id().equals(n.id())).toList(),
                    draft.links().stream().filter(l -> !l.from().equals(n.id()) && !l.to().equals(n.id())).toList()));
        });
        remove.setEnabled(!n.type().equals("start"));
        remove.setId("remove-node");
        nodeForm.add(new H3(n.id() + " — " + typeName(t)), new Span(getTranslation("journeys.type." + t.id() + ".help")), form, new HorizontalLayout(apply, remove));
    }

    private void save() {
        try {
            definition = journeys.update(user.workspaceId(), definition.id(), name.getValue(), draft);
            Problems.success(getTranslation("journeys.saved"));
            refresh(true);
        } catch (RuntimeException e) {
            Problems.show(e);
        }
    }

    private void publish() {
        try {
            definition = journeys.update(user.workspaceId(), definition.id(), name.getValue(), draft);
            definition = journeys.publish(user.workspaceId(), definition.id());
            Problems.success(getTranslation("journeys.published", definition.version()));
            refresh(true);
        } catch (JourneyBpmn.Invalid e) {
            Problems.show(Journeys.invalidInput(e));
        } catch (RuntimeException e) {
            Problems.show(e);
        }
    }

    private void stop() {
        try {
            Journeys.Stopped stopped = journeys.stop(user.workspaceId(), definition.id());
            definition = stopped.journey();
            long n = stopped.stoppedInstances();
            Problems.success(getTranslation("journeys.stopped", n));
            refresh(true);
        } catch (RuntimeException e) {
            Problems.show(e);
        }
    }
}
