package org.orbita.ui.profiles;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import jakarta.annotation.security.PermitAll;
import java.util.LinkedHashMap;
import java.util.Map;
import org.orbita.common.InvalidInputException;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileFilter;
import org.orbita.profiles.ProfileStore;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.ProfileText;

/** The profiles of one database: a lazily loaded grid with text search. */
@Route("databases/:db/profiles")
@PageTitle("Orbita — profiles")
@PermitAll
public class ProfilesView extends VerticalLayout implements BeforeEnterObserver {

    private static final int SHOWN_FIELDS = 6;

    private final ClientDatabases databases;
    private final ProfileStore store;
    private final CurrentUser user;
    private final H2 title = new H2();
    private final Span total = new Span();
    private final TextField search = new TextField();
    private final Select<FieldDefinition> filterField = new Select<>();
    private final TextField filterValue = new TextField();
    private Grid<Profile> grid;
    private ClientDatabase db;

    public ProfilesView(ClientDatabases databases, ProfileStore store, CurrentUser user) {
        this.databases = databases;
        this.store = store;
        this.user = user;
        setSizeFull();
        search.setPlaceholder(getTranslation("profiles.search"));
        search.setId("profile-search");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setClearButtonVisible(true);
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.setWidth("min(22em, 100%)");
        search.addValueChangeListener(e -> grid.getDataProvider().refreshAll());
    }

    /** The search text and field filter as typed; a value the field's type refuses filters nothing out yet. */
    private ProfileFilter filter() {
        filterValue.setInvalid(false);
        FieldDefinition f = filterField.getValue();
        if (f == null || filterValue.getValue().isBlank()) {
            return ProfileFilter.text(search.getValue());
        }
        try {
            return ProfileFilter.of(db, search.getValue(), f.name(), filterValue.getValue());
        } catch (InvalidInputException e) {
            filterValue.setInvalid(true);
            filterValue.setErrorMessage(e.errors().get(0).rule());
            return ProfileFilter.text(search.getValue());
        }
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        db = DatabaseRoute.resolve(event, databases, user).orElse(null);
        if (db == null) {
            return;
        }
        build();
    }

    private void build() {
        removeAll();
        title.setText(db.name());
        Button importButton = new Button(getTranslation("databases.import"), VaadinIcon.UPLOAD.create(),
                e -> getUI().ifPresent(ui -> ui.navigate(ImportView.class, new RouteParameters("db", db.publicId()))));
        filterField.setPlaceholder(getTranslation("profiles.filterField"));
        filterField.setAriaLabel(getTranslation("profiles.filterField"));
        filterField.setItems(db.schema().fields());
        filterField.setItemLabelGenerator(f -> f == null ? "" : f.label() == null ? f.name() : f.label());
        filterField.setEmptySelectionAllowed(true);
        filterField.setEmptySelectionCaption(getTranslation("profiles.anyField"));
        filterField.setWidth("12em");
        filterValue.setPlaceholder(getTranslation("profiles.filterValue"));
        filterValue.setId("filter-value");
        filterValue.setValueChangeMode(ValueChangeMode.LAZY);
        filterValue.setWidth("10em");
        filterField.addValueChangeListener(e -> grid.getDataProvider().refreshAll());
        filterValue.addValueChangeListener(e -> grid.getDataProvider().refreshAll());
        HorizontalLayout header = new HorizontalLayout(title, total, search, filterField, filterValue, importButton);
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        header.setWidthFull();
        header.expand(total);
        header.getStyle().set("flex-wrap", "wrap");

        grid = new Grid<>();
        grid.setId("profiles-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        // every field has a column; the first few are shown, the chooser shows or hides the others
        Map<FieldDefinition, Grid.Column<Profile>> byField = new LinkedHashMap<>();
        for (FieldDefinition f : db.schema().fields()) {
            Grid.Column<Profile> c = grid.addColumn(p -> ProfileText.value(p.field(f.name())))
                    .setHeader(f.label() == null ? f.name() : f.label()).setResizable(true).setAutoWidth(true);
            c.setVisible(byField.size() < SHOWN_FIELDS);
            byField.put(f, c);
        }
        MultiSelectComboBox<FieldDefinition> columns = new MultiSelectComboBox<>();
        columns.setId("profile-columns");
        columns.setPlaceholder(getTranslation("profiles.columns"));
        columns.setLabel(getTranslation("profiles.columns"));
        columns.setItems(byField.keySet());
        columns.setItemLabelGenerator(f -> f.label() == null ? f.name() : f.label());
        columns.setValue(byField.keySet().stream().limit(SHOWN_FIELDS).collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new)));
        columns.addValueChangeListener(e -> byField.forEach((f, c) -> c.setVisible(e.getValue().contains(f))));
        columns.setWidth("min(16em, 100%)");
        header.add(columns);
        grid.addColumn(p -> p.subscriptions().size()).setHeader(getTranslation("profiles.subscriptions")).setAutoWidth(true);
        grid.addColumn(p -> ProfileText.instant(p.updated(), getLocale())).setHeader(getTranslation("profiles.updated"))
                .setAutoWidth(true);
        grid.setItems(query -> store.search(db.id(), filter(), query.getOffset(), query.getLimit()).stream(), query -> {
            ProfileFilter filter = filter();
            long n = filter.text().isEmpty() && !filter.hasField() ? store.count(db.id()) : store.countSearch(db.id(), filter);
            total.setText(getTranslation("profiles.total", n));
            return (int) Math.min(n, Integer.MAX_VALUE);
        });
        grid.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate(ClientCardView.class,
                new RouteParameters(Map.of("db", db.publicId(), "id", e.getItem().id())))));
        grid.setSizeFull();
        add(header, grid);
    }
}
