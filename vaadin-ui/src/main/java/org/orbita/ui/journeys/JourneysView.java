package org.orbita.ui.journeys;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import java.util.Map;
import org.orbita.journeys.Journey;
import org.orbita.journeys.JourneyLedger;
import org.orbita.journeys.JourneyDefinition;
import org.orbita.journeys.Journeys;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;
import org.orbita.ui.ProfileText;

/** The workspace's journeys: state, version, and how many profiles entered, are in them now, left and converted. */
@Route("journeys")
@PageTitle("Orbita — journeys")
@PermitAll
public class JourneysView extends VerticalLayout {

    public JourneysView(Journeys journeys, JourneyLedger ledger, ClientDatabases databases, CurrentUser user) {
        Button create = new Button(getTranslation("journeys.new"), VaadinIcon.PLUS.create(), e -> create(journeys, databases, user));
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setId("new-journey");
        Grid<JourneyDefinition> grid = new Grid<>();
        grid.setId("journeys-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(JourneyDefinition::name).setHeader(getTranslation("journeys.name")).setFlexGrow(3);
        grid.addColumn(d -> getTranslation("journeys.status." + d.status().id())).setHeader(getTranslation("journeys.status"));
        grid.addColumn(d -> d.version() == 0 ? "—" : "v" + d.version()).setHeader(getTranslation("journeys.version"));
        grid.addColumn(d -> {
            Map<String, JourneyLedger.NodeStats> s = ledger.stats(d.id());
            long entered = s.values().stream().mapToLong(JourneyLedger.NodeStats::entered).max().orElse(0);
            return getTranslation("journeys.figures", d.journey().nodes().stream().filter(n -> n.type().equals("start")).findFirst()
                            .map(n -> s.getOrDefault(n.id(), new JourneyLedger.NodeStats(0, 0, 0, 0, 0)).entered()).orElse(entered),
                    s.values().stream().mapToLong(JourneyLedger.NodeStats::waiting).sum(),
                    s.values().stream().mapToLong(JourneyLedger.NodeStats::exited).sum(),
                    s.values().stream().mapToLong(JourneyLedger.NodeStats::converted).sum());
        }).setHeader(getTranslation("journeys.profiles")).setFlexGrow(3);
        grid.addColumn(d -> ProfileText.instant(d.updated(), getLocale())).setHeader(getTranslation("journeys.updated"));
        grid.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate(JourneyEditorView.class, new RouteParameters("id", e.getItem().id()))));
        grid.setAllRowsVisible(true);
        grid.setItems(journeys.list(user.workspaceId()));
        add(PageHeader.of(getTranslation("journeys.title"), create), PageHeader.help(getTranslation("journeys.help")), grid);
    }

    private void create(Journeys journeys, ClientDatabases databases, CurrentUser user) {
        Dialog d = new Dialog();
        d.setHeaderTitle(getTranslation("journeys.new"));
        TextField name = new TextField(getTranslation("journeys.name"));
        name.setId("journey-name");
        name.setWidthFull();
        ComboBox<ClientDatabase> database = new ComboBox<>(getTranslation("journeys.database"));
        database.setId("journey-database");
        List<ClientDatabase> all = databases.list(user.workspaceId());
        database.setItems(all);
        database.setItemLabelGenerator(ClientDatabase::name);
        database.setWidthFull();
        if (!all.isEmpty()) {
            database.setValue(all.get(0)); // most workspaces have one: it is chosen already
        }
        Button ok = new Button(getTranslation("journeys.create"), e -> {
            try {
                // a first draft to build on: profiles enter by the API and leave
                Journey draft = new Journey("draft", name.getValue(), List.of(new Journey.Node("start", "start", getTranslation("journeys.node.start"),
                        Map.of("entry", "api")), new Journey.Node("end", "exit", getTranslation("journeys.node.exit"), Map.of())),
                        List.of(new Journey.Link("start", "end", null)));
                JourneyDefinition created = journeys.create(user.workspaceId(), name.getValue(),
                        database.getValue() == null ? null : database.getValue().id(), draft);
                d.close();
                getUI().ifPresent(ui -> ui.navigate(JourneyEditorView.class, new RouteParameters("id", created.id())));
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        ok.setId("create-journey");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        d.add(new VerticalLayout(name, database));
        d.getFooter().add(new Button(getTranslation("journeys.cancel"), e -> d.close()), ok);
        d.open();
    }
}
