package org.orbita.ui.profiles;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import jakarta.annotation.security.PermitAll;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orbita.audiences.Segment;
import org.orbita.audiences.SegmentExplorer;
import org.orbita.audiences.Segments;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.events.HistoryQuery;
import org.orbita.ui.journeys.JourneyEditorView;
import org.orbita.ui.journeys.JourneyPaths;
import org.orbita.journeys.JourneyDefinition;
import org.orbita.journeys.JourneyLedger;
import org.orbita.journeys.Journeys;
import org.orbita.profiles.Channel;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileKey;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileSource;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.Relation;
import org.orbita.profiles.Subscription;
import org.orbita.profiles.WriteMode;
import org.orbita.sites.VisitorIdentity;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.ExplainTree;
import org.orbita.ui.Problems;
import org.orbita.ui.ProfileText;

/** The client card: fields, subscriptions, relations and activity history of one profile. */
@Route("databases/:db/profiles/:id")
@PageTitle("Orbita — client card")
@PermitAll
public class ClientCardView extends VerticalLayout implements BeforeEnterObserver {

    private final ClientDatabases databases;
    private final ProfileStore store;
    private final ProfileWriting writing;
    private final EventLog events;
    private final CurrentUser user;
    private final Segments segments;
    private final SegmentExplorer explorer;
    private ClientDatabase db;
    private Profile profile;

    private final Journeys journeys;
    private final JourneyLedger journeyLedger;
    private final VisitorIdentity visitors;
    private final org.orbita.promo.PromoPools promo;
    private final org.orbita.market.Markets market;
    private final org.orbita.market.ShopActivity shop;

    public ClientCardView(ClientDatabases databases, ProfileStore store, ProfileWriting writing, EventLog events, CurrentUser user,
            Segments segments, SegmentExplorer explorer, Journeys journeys, JourneyLedger journeyLedger, VisitorIdentity visitors,
            org.orbita.promo.PromoPools promo, org.orbita.market.Markets market, org.orbita.market.ShopActivity shop) {
        this.market = market;
        this.shop = shop;
        this.promo = promo;
        this.visitors = visitors;
        this.journeys = journeys;
        this.journeyLedger = journeyLedger;
        this.segments = segments;
        this.explorer = explorer;
        this.databases = databases;
        this.store = store;
        this.writing = writing;
        this.events = events;
        this.user = user;
        setSizeFull();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String id = event.getRouteParameters().get("id").orElse("");
        db = DatabaseRoute.resolve(event, databases, user).orElse(null);
        if (db == null) {
            return;
        }
        profile = store.find(db.id(), id)
                .or(() -> store.findOwner(db.id(), ProfileKey.mergedId(id)).flatMap(o -> store.find(db.id(), o))).orElse(null);
        if (profile == null) {
            event.forwardTo(DatabasesView.class);
            return;
        }
        build();
    }

    private void build() {
        removeAll();
        H2 title = new H2(displayName());
        title.setId("card-title");
        Span meta = new Span(getTranslation("card.meta", profile.id(), ProfileText.instant(profile.created(), getLocale())));
        meta.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "var(--lumo-font-size-s)");
        TabSheet tabs = new TabSheet();
        tabs.setSizeFull();
        tabs.add(getTranslation("card.fields"), fields());
        tabs.add(getTranslation("card.subscriptions"), subscriptions());
        tabs.add(getTranslation("card.relations"), relations());
        tabs.add(getTranslation("card.history"), history());
        tabs.add(getTranslation("card.segments"), segmentsTab());
        tabs.add(getTranslation("card.journeys"), journeysTab());
        tabs.add(getTranslation("card.sessions"), sessionsTab());
        if (user.may("promo:read")) {
            tabs.add(getTranslation("profile.promoCodes"), promoTab());
        }
        if (user.may("market:read")) {
            tabs.add(getTranslation("card.orders"), ordersTab());
        }
        add(title, meta, tabs);
    }

    private String displayName() {
        return ProfileText.displayName(profile);
    }

    private Component fields() {
        FormLayout form = new FormLayout();
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("40em", 2),
                new FormLayout.ResponsiveStep("70em", 3));
        Map<String, TextField> inputs = new LinkedHashMap<>();
        for (FieldDefinition f : db.schema().fields()) {
            TextField input = new TextField(f.label() == null ? f.name() : f.label());
            input.setId("field-" + f.name());
            input.setValue(ProfileText.value(profile.field(f.name())));
            input.setHelperText(getTranslation("type." + f.type().id()) + (f.unique() ? " · " + getTranslation("schema.unique") : ""));
            inputs.put(f.name(), input);
            form.add(input);
        }
        Button save = new Button(getTranslation("common.save"), e -> {
            Map<String, Object> changed = new LinkedHashMap<>();
            inputs.forEach((name, input) -> {
                String old = ProfileText.value(profile.field(name));
                if (!old.equals(input.getValue())) {
                    changed.put(name, input.getValue().isBlank() ? null : input.getValue());
                }
            });
            write(new ProfileChange(ProfileKey.MERGED_ID, profile.id(), changed, null, null, null));
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        return new VerticalLayout(form, save);
    }

    private void write(ProfileChange change) {
        try {
            profile = writing.write(db, change, WriteMode.UPDATE, ProfileSource.MANUAL).profile();
            Problems.success(getTranslation("card.saved"));
            build();
        } catch (RuntimeException ex) {
            Problems.show(ex);
        }
    }

    private Component subscriptions() {
        Grid<Subscription> grid = new Grid<>();
        grid.setEmptyStateText(getTranslation("card.empty.subscriptions"));
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.addColumn(s -> s.channel().id()).setHeader(getTranslation("card.channel"));
        grid.addColumn(Subscription::address).setHeader(getTranslation("card.address"));
        grid.addColumn(Subscription::resource).setHeader(getTranslation("card.resource"));
        grid.addComponentColumn(s -> {
            Select<Subscription.Status> status = new Select<>();
            status.setItems(Subscription.Status.values());
            status.setItemLabelGenerator(st -> getTranslation("status." + st.id()));
            status.setValue(s.status());
            status.addValueChangeListener(e -> {
                if (e.isFromClient()) {
                    write(new ProfileChange(ProfileKey.MERGED_ID, profile.id(), Map.of(), List.of(
                            new ProfileChange.SubscriptionInput(s.channel().id(), s.address(), s.resource(), e.getValue().id())),
                            null, null));
                }
            });
            return status;
        }).setHeader(getTranslation("card.status")).setFrozenToEnd(true);
        grid.setItems(profile.subscriptions());
        grid.setAllRowsVisible(true);

        Select<Channel> channel = new Select<>();
        channel.setLabel(getTranslation("card.channel"));
        channel.setItems(Channel.values());
        channel.setItemLabelGenerator(Channel::id);
        channel.setValue(Channel.EMAIL);
        TextField address = new TextField(getTranslation("card.address"));
        TextField resource = new TextField(getTranslation("card.resource"));
        resource.setPlaceholder(Subscription.DEFAULT_RESOURCE);
        Button add = new Button(getTranslation("card.addSubscription"), e -> write(new ProfileChange(ProfileKey.MERGED_ID,
                profile.id(), Map.of(), List.of(new ProfileChange.SubscriptionInput(channel.getValue().id(), address.getValue(),
                        resource.getValue(), null)), null, null)));
        HorizontalLayout form = new HorizontalLayout(channel, address, resource, add);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        form.getStyle().set("flex-wrap", "wrap");
        return new VerticalLayout(grid, form);
    }

    private Component relations() {
        Grid<Relation> grid = new Grid<>();
        grid.setEmptyStateText(getTranslation("card.empty.relations"));
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.addColumn(Relation::type).setHeader(getTranslation("card.relationType"));
        grid.addColumn(r -> store.find(db.id(), r.profileId()).map(p -> p.field("email") != null ? p.field("email").toString() : p.id())
                .orElse(r.profileId())).setHeader(getTranslation("card.relatedProfile"));
        grid.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate(ClientCardView.class,
                new RouteParameters(Map.of("db", db.publicId(), "id", e.getItem().profileId())))));
        grid.setItems(profile.relations());
        grid.setAllRowsVisible(true);
        TextField type = new TextField(getTranslation("card.relationType"));
        type.setPlaceholder(getTranslation("card.relation.example"));
        TextField other = new TextField(getTranslation("card.relatedProfile"));
        other.setHelperText(getTranslation("card.relatedProfile.help"));
        Button add = new Button(getTranslation("card.addRelation"), e -> {
            String target = store.find(db.id(), other.getValue()).map(Profile::id)
                    .or(() -> db.schema().uniqueFields().stream()
                            .map(f -> store.findOwner(db.id(), new ProfileKey(f.name(), other.getValue().strip().toLowerCase())))
                            .flatMap(Optional::stream).findFirst())
                    .orElse(other.getValue());
            write(new ProfileChange(ProfileKey.MERGED_ID, profile.id(), Map.of(), null, List.of(new Relation(type.getValue(), target)),
                    null));
        });
        HorizontalLayout form = new HorizontalLayout(type, other, add);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        form.getStyle().set("flex-wrap", "wrap");
        return new VerticalLayout(grid, form);
    }

    /** The segments the client is in; why (dynamic) and add/remove (static). */
    private Component segmentsTab() {
        VerticalLayout box = new VerticalLayout();
        box.setPadding(false);
        Grid<Segment> grid = new Grid<>();
        grid.setEmptyStateText(getTranslation("card.empty.segments"));
        grid.setId("card-segments");
        grid.addColumn(Segment::name).setHeader(getTranslation("segments.name")).setFlexGrow(3);
        grid.addColumn(s -> getTranslation("segments.kind." + s.kind().id())).setHeader(getTranslation("segments.kind"));
        Div why = new Div();
        Runnable reload = () -> grid.setItems(segments.segmentsOf(db.id(), profile.id()));
        grid.addComponentColumn(s -> s.dynamic()
                ? new Button(getTranslation("card.segments.why"), e -> {
                    why.removeAll();
                    var x = explorer.explain(s.id(), profile.id());
                    why.add(new H4(s.name()));
                    if (x.conditions() != null) {
                        why.add(new ExplainTree(x.conditions()));
                    }
                })
                : new Button(getTranslation("card.segments.removeFrom"), e -> {
                    segments.changeStatic(s.id(), List.of(profile.id()), false);
                    reload.run();
                })).setFrozenToEnd(true);
        grid.setAllRowsVisible(true);
        reload.run();
        Select<Segment> lists = new Select<>();
        lists.setItems(segments.ofDatabase(db.id()).stream().filter(s -> !s.dynamic()).toList());
        lists.setItemLabelGenerator(s -> s == null ? "" : s.name());
        lists.setPlaceholder(getTranslation("card.segments.addTo"));
        Button add = new Button(getTranslation("card.segments.addTo"), e -> {
            if (lists.getValue() != null) {
                segments.changeStatic(lists.getValue().id(), List.of(profile.id()), true);
                reload.run();
            }
        });
        HorizontalLayout bar = new HorizontalLayout(lists, add);
        bar.setAlignItems(Alignment.BASELINE);
        box.add(bar, grid, why);
        return box;
    }

    /** The profile's journeys: each instance, where it is (or ended), and the path it took, node by node. */
    private Component journeysTab() {
        Grid<JourneyLedger.Instance> grid = new Grid<>();
        grid.setEmptyStateText(getTranslation("card.empty.journeys"));
        grid.setId("card-journeys");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        Map<String, List<JourneyPaths.Step>> paths = JourneyPaths.of(events, db.id(), profile.id());
        grid.addColumn(i -> journeys.find(i.journeyId()).map(JourneyDefinition::name).orElse(i.journeyId()) + " v" + i.version())
                .setHeader(getTranslation("journeys.journey"));
        grid.addColumn(JourneyLedger.Instance::node).setHeader(getTranslation("journeys.incident.node"));
        grid.addColumn(i -> i.incident() != null ? "⚠ " + i.incident() : i.state()).setHeader(getTranslation("journeys.status"));
        grid.addColumn(i -> ProfileText.instant(i.stepAt(), getLocale())).setHeader(getTranslation("journeys.incident.since"));
        grid.addColumn(i -> String.join(" → ", paths.getOrDefault(i.id(), List.of()).stream().map(JourneyPaths.Step::name).toList()))
                .setHeader(getTranslation("card.journeys")).setFlexGrow(4);
        // the path drawn on the journey's canvas
        grid.addComponentColumn(i -> {
            RouterLink link = new RouterLink(getTranslation("card.journey.onCanvas"), JourneyEditorView.class, new RouteParameters("id", i.journeyId()));
            link.setQueryParameters(QueryParameters.of("profile", profile.id()));
            return link;
        }).setFlexGrow(0).setAutoWidth(true);
        grid.setItems(journeyLedger.ofProfile(db.id(), profile.id(), 100));
        grid.setAllRowsVisible(true);
        return grid;
    }

    /** The client's orders, newest first: status, total, lines. */
    private Component ordersTab() {
        Grid<org.orbita.market.Market.Order> grid = new Grid<>();
        grid.setId("card-orders");
        grid.setEmptyStateText(getTranslation("card.empty.orders"));
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.addColumn(org.orbita.market.Market.Order::id).setHeader(getTranslation("card.orders.id")).setAutoWidth(true);
        grid.addColumn(o -> ProfileText.instant(o.created(), getLocale())).setHeader(getTranslation("card.orders.created")).setAutoWidth(true);
        grid.addColumn(o -> getTranslation("market.status." + o.status()) + (o.customStatus() == null ? "" : " · " + o.customStatus()))
                .setHeader(getTranslation("card.orders.status")).setAutoWidth(true);
        grid.addColumn(o -> o.total().toPlainString() + " " + o.currency()).setHeader(getTranslation("card.orders.total")).setAutoWidth(true);
        grid.addColumn(o -> String.join(", ", o.lines().stream().map(l -> l.quantity().stripTrailingZeros().toPlainString() + " × "
                + (l.name() == null ? l.productId() : l.name())).toList())).setHeader(getTranslation("card.orders.lines")).setFlexGrow(4);
        grid.setItems(market.ordersOf(user.workspaceId(), db.id(), profile.id()));
        grid.setAllRowsVisible(true);
        Map<String, Object> cart = shop.cart(user.workspaceId(), db.id(), profile.id());
        if (cart.get("lines") instanceof List<?> lines && !lines.isEmpty()) {
            List<String> items = new ArrayList<>();
            for (Object l : lines) {
                if (l instanceof Map<?, ?> m) {
                    items.add(m.get("quantity") + " × " + m.get("name"));
                }
            }
            com.vaadin.flow.component.html.Paragraph inCart = new com.vaadin.flow.component.html.Paragraph(getTranslation("card.cart",
                    String.join(", ", items), cart.get("total") + (cart.get("currency") == null ? "" : " " + cart.get("currency"))));
            inCart.setId("card-cart");
            return new VerticalLayout(inCart, grid);
        }
        return grid;
    }

    /** The client's promo codes in every pool: state, when issued and redeemed, the order that redeemed it. */
    private Component promoTab() {
        Grid<org.orbita.promo.PromoStore.Code> grid = new Grid<>();
        grid.setId("card-promo");
        grid.setEmptyStateText(getTranslation("promo.noCodes"));
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.addColumn(org.orbita.promo.PromoStore.Code::poolId).setHeader(getTranslation("promo.title")).setAutoWidth(true);
        grid.addColumn(org.orbita.promo.PromoStore.Code::code).setHeader(getTranslation("promo.code")).setFlexGrow(2);
        grid.addColumn(c -> getTranslation("promo.state." + c.state().id())).setHeader(getTranslation("promo.state")).setAutoWidth(true);
        grid.addColumn(c -> c.issuedAt() == null ? "" : ProfileText.instant(c.issuedAt(), getLocale())).setHeader(getTranslation("promo.issuedAt"));
        grid.addColumn(c -> c.redeemedAt() == null ? "" : ProfileText.instant(c.redeemedAt(), getLocale()) + (c.order() == null ? "" : " · " + c.order()))
                .setHeader(getTranslation("promo.redeemedAt"));
        grid.setItems(promo.ofProfile(user.workspaceId(), db.id(), profile.id()));
        grid.setAllRowsVisible(true);
        return grid;
    }

    /** A visit to a tracked site: its session, when it began and ended, the pages in order. */
    record SiteSession(String session, Instant first, Instant last, List<String> pages, String device) {}

    /** The client's site sessions, latest first: its page views (and those of the visitors joined to it) by session. */
    private Component sessionsTab() {
        Grid<SiteSession> grid = new Grid<>();
        grid.setId("card-sessions");
        grid.setEmptyStateText(getTranslation("card.empty.sessions"));
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.addColumn(v -> ProfileText.instant(v.first(), getLocale())).setHeader(getTranslation("card.sessions.started")).setAutoWidth(true);
        grid.addColumn(v -> java.time.Duration.between(v.first(), v.last()).toMinutes() + " min").setHeader(getTranslation("card.sessions.length"))
                .setAutoWidth(true);
        grid.addColumn(v -> v.pages().size()).setHeader(getTranslation("card.sessions.pages")).setAutoWidth(true);
        grid.addColumn(SiteSession::device).setHeader(getTranslation("reports.dim.device")).setAutoWidth(true);
        grid.addColumn(v -> String.join(" → ", v.pages())).setHeader(getTranslation("card.sessions.path")).setFlexGrow(4);
        Map<String, SiteSession> sessions = new java.util.LinkedHashMap<>();
        List<Event> views = events.history(new HistoryQuery(db.id(), profile.id(), Set.of("site.page_view"), null, null, null, null, null, 1000)
                .alsoOf(visitors.historyKeys(db.id(), profile.id())));
        for (Event e : views.reversed()) {
            String session = String.valueOf(e.properties().getOrDefault("session", e.properties().getOrDefault("visitor", "")));
            String page = String.valueOf(e.properties().getOrDefault("path", e.properties().getOrDefault("url", "")));
            SiteSession before = sessions.get(session);
            List<String> pages = new ArrayList<>(before == null ? List.of() : before.pages());
            pages.add(page);
            sessions.put(session, new SiteSession(session, before == null ? e.time() : before.first(), e.time(), pages,
                    String.valueOf(e.properties().getOrDefault("device", ""))));
        }
        grid.setItems(sessions.values().stream().sorted(java.util.Comparator.comparing(SiteSession::first).reversed()).toList());
        grid.setAllRowsVisible(true);
        return grid;
    }

    private Component history() {
        TextField types = new TextField(getTranslation("card.eventTypes"));
        types.setPlaceholder("purchase, email.opened");
        ComboBox<String> channel = new ComboBox<>(getTranslation("card.channel"));
        channel.setItems(Arrays.stream(Channel.values()).map(Channel::id).toList());
        channel.setAllowCustomValue(true);
        channel.addCustomValueSetListener(e -> channel.setValue(e.getDetail()));
        channel.setClearButtonVisible(true);
        Grid<Event> grid = new Grid<>();
        grid.setEmptyStateText(getTranslation("card.empty.history"));
        grid.setId("history-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(e -> ProfileText.instant(e.time(), getLocale())).setHeader(getTranslation("card.time")).setAutoWidth(true);
        grid.addColumn(Event::type).setHeader(getTranslation("card.eventType")).setAutoWidth(true);
        grid.addColumn(e -> e.channel() == null ? "" : e.channel()).setHeader(getTranslation("card.channel")).setAutoWidth(true);
        grid.addColumn(e -> ProfileText.value(e.properties())).setHeader(getTranslation("card.properties")).setFlexGrow(1);
        DatePicker from = new DatePicker(getTranslation("card.from"));
        DatePicker to = new DatePicker(getTranslation("card.to"));
        from.setClearButtonVisible(true);
        to.setClearButtonVisible(true);
        Runnable load = () -> {
            Set<String> typeSet = new HashSet<>();
            Arrays.stream(types.getValue().split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(typeSet::add);
            Instant since = from.getValue() == null ? null : from.getValue().atStartOfDay(ZoneId.systemDefault()).toInstant();
            Instant until = to.getValue() == null ? null
                    : to.getValue().plusDays(1).atStartOfDay(ZoneId.systemDefault()).toInstant();
            // with the anonymous visits of the website visitors joined to this client (their pages, by session)
            grid.setItems(events.history(new HistoryQuery(db.id(), profile.id(), typeSet, channel.getValue(), since, until, null,
                    null, 500).alsoOf(visitors.historyKeys(db.id(), profile.id()))));
        };
        types.addValueChangeListener(e -> load.run());
        channel.addValueChangeListener(e -> load.run());
        from.addValueChangeListener(e -> load.run());
        to.addValueChangeListener(e -> load.run());
        load.run();
        HorizontalLayout filters = new HorizontalLayout(types, channel, from, to);
        filters.getStyle().set("flex-wrap", "wrap");
        VerticalLayout layout = new VerticalLayout(filters, grid);
        layout.setSizeFull();
        grid.setHeight("28em");
        return layout;
    }
}
