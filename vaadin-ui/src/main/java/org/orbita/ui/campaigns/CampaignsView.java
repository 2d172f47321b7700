package org.orbita.ui.campaigns;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import jakarta.annotation.security.PermitAll;
import java.util.Map;
import org.orbita.campaigns.Campaign;
import org.orbita.campaigns.Campaigns;
import org.orbita.sending.LedgerState;
import org.orbita.sending.SendLedger;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.PageHeader;
import org.orbita.ui.ProfileText;

/** The workspace's campaigns: status, when, and what their run queued; open one to edit, launch or follow it. */
@Route("campaigns")
@PageTitle("Orbita — campaigns")
@PermitAll
public class CampaignsView extends VerticalLayout {

    public CampaignsView(Campaigns campaigns, SendLedger ledger, CurrentUser user) {
        Button create = new Button(getTranslation("campaigns.new"), VaadinIcon.PLUS.create(),
                e -> getUI().ifPresent(ui -> ui.navigate(CampaignEditorView.class, new RouteParameters("id", CampaignEditorView.NEW))));
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setId("new-campaign");
        Button calendar = new Button(getTranslation("calendar.title"), VaadinIcon.CALENDAR.create(),
                e -> getUI().ifPresent(ui -> ui.navigate(SendCalendarView.class)));
        calendar.setId("open-calendar");
        Grid<Campaign> grid = new Grid<>();
        grid.setId("campaigns-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(Campaign::name).setHeader(getTranslation("campaigns.name")).setFlexGrow(3);
        grid.addColumn(c -> getTranslation("campaigns.status." + c.status().id())).setHeader(getTranslation("campaigns.status"));
        grid.addColumn(c -> c.sendAt() == null ? getTranslation("campaigns.now") : ProfileText.instant(c.sendAt(), getLocale()))
                .setHeader(getTranslation("campaigns.when"));
        grid.addColumn(c -> {
            if (c.runId() == null) {
                return "";
            }
            Map<String, Long> counts = ledger.countByState(c.runId());
            return getTranslation("campaigns.counts", counts.getOrDefault(LedgerState.QUEUED.id(), 0L), counts.getOrDefault(LedgerState.SKIPPED.id(), 0L),
                    counts.getOrDefault(LedgerState.FAILED.id(), 0L));
        }).setHeader(getTranslation("campaigns.sent")).setFlexGrow(2);
        grid.addColumn(c -> ProfileText.instant(c.updated(), getLocale())).setHeader(getTranslation("campaigns.updated"));
        grid.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate(CampaignEditorView.class, new RouteParameters("id", e.getItem().id()))));
        grid.setAllRowsVisible(true);
        grid.setItems(campaigns.list(user.workspaceId()));
        add(PageHeader.of(getTranslation("campaigns.title"), calendar, create), PageHeader.help(getTranslation("campaigns.help")), grid);
    }
}
