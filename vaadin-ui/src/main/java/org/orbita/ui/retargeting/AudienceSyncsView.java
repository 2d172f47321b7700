package org.orbita.ui.retargeting;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import org.orbita.retargeting.AudienceSyncs;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.Problems;

/**
 * The workspace's retargeting syncs: each segment kept in an advertising platform's audience,
 * what its last run did, a run now; a new sync with its platform's settings (secrets write-only).
 */
@Route("audience-syncs")
@PageTitle("Orbita — retargeting audiences")
@PermitAll
public class AudienceSyncsView extends VerticalLayout {

    private final AudienceSyncs syncs;
    private final CurrentUser user;
    private final Grid<AudienceSyncs.View> grid = new Grid<>();

    public AudienceSyncsView(AudienceSyncs syncs, CurrentUser user) {
        this.syncs = syncs;
        this.user = user;
        boolean writes = user.may("integrations:write");
        Button create = new Button(getTranslation("retargeting.new"), VaadinIcon.PLUS.create(), e -> create());
        create.setId("new-audience-sync");
        create.setEnabled(writes);
        grid.setId("audience-syncs-grid");
        grid.addColumn(AudienceSyncs.View::name).setHeader(getTranslation("inbound.name")).setFlexGrow(1);
        grid.addColumn(v -> getTranslation("retargeting.destination." + v.destination())).setHeader(getTranslation("retargeting.destination"))
                .setAutoWidth(true);
        grid.addColumn(AudienceSyncs.View::synced).setHeader(getTranslation("retargeting.synced")).setAutoWidth(true);
        grid.addColumn(v -> v.lastRun() == null ? getTranslation("retargeting.never") : getTranslation("retargeting.run", v.lastRun().state(),
                v.lastRun().added(), v.lastRun().removed())).setHeader(getTranslation("retargeting.lastRun")).setAutoWidth(true);
        grid.addColumn(v -> v.lastRun() == null ? "" : v.lastRun().error() != null ? v.lastRun().error()
                : v.lastRun().warning() == null ? "" : v.lastRun().warning()).setHeader(getTranslation("webhooks.lastAnswer")).setFlexGrow(2);
        grid.addComponentColumn(v -> {
            Button run = new Button(getTranslation("retargeting.runNow"), e -> {
                try {
                    AudienceSyncs.Run r = syncs.run(user.workspaceId(), v.id());
                    Problems.success(getTranslation("retargeting.run", r.state(), r.added(), r.removed()));
                } catch (RuntimeException ex) {
                    Problems.show(ex);
                }
                refresh();
            });
            run.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
            run.setEnabled(writes);
            return run;
        }).setAutoWidth(true);
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText(getTranslation("retargeting.empty"));
        add(PageHeader.of(getTranslation("retargeting.title"), create), PageHeader.help(getTranslation("retargeting.help")), grid);
        refresh();
    }

    private void refresh() {
        grid.setItems(syncs.list(user.workspaceId()));
    }

    private void create() {
        Dialog d = new Dialog();
        d.setHeaderTitle(getTranslation("retargeting.new"));
        TextField id = new TextField(getTranslation("promo.id"));
        id.setId("audience-sync-id");
        TextField name = new TextField(getTranslation("inbound.name"));
        name.setId("audience-sync-name");
        TextField database = new TextField(getTranslation("webhooks.databases"));
        database.setId("audience-sync-database");
        TextField segment = new TextField(getTranslation("retargeting.segment"));
        segment.setId("audience-sync-segment");
        ComboBox<String> destination = new ComboBox<>(getTranslation("retargeting.destination"), List.of("meta", "yandex", "google", "vk"));
        destination.setItemLabelGenerator(k -> getTranslation("retargeting.destination." + k));
        destination.setId("audience-sync-destination");
        TextArea settings = new TextArea(getTranslation("retargeting.settings"));
        settings.setId("audience-sync-settings");
        settings.setHelperText(getTranslation("retargeting.settingsHelp"));
        d.add(new FormLayout(id, name, database, segment, destination, settings));
        Button ok = new Button(getTranslation("forms.create"), e -> {
            try {
                syncs.create(user.workspaceId(), new AudienceSyncs.Input(id.getValue(), name.getValue(), database.getValue(), segment.getValue(),
                        destination.getValue(), org.orbita.ui.Pairs.read("settings", settings.getValue(), "value"), null, null, null, null, null));
                d.close();
                refresh();
            } catch (RuntimeException ex) {
                Problems.show(ex);
            }
        });
        ok.setId("create-audience-sync");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        d.getFooter().add(new Button(getTranslation("segments.cancel"), x -> d.close()), ok);
        d.open();
    }

}
