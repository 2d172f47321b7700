package org.orbita.ui.home;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import jakarta.annotation.security.PermitAll;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orbita.campaigns.Campaign;
import org.orbita.campaigns.CampaignStats;
import org.orbita.campaigns.Campaigns;
import org.orbita.events.EventLog;
import org.orbita.jobs.Job;
import org.orbita.jobs.Jobs;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.ProfileStore;
import org.orbita.reports.Report;
import org.orbita.reports.ReportKind;
import org.orbita.reports.ReportQuery;
import org.orbita.reports.Reports;
import org.orbita.sending.LedgerState;
import org.orbita.sending.SendLedger;
import org.orbita.settings.WorkspaceDefaults;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.Narrow;
import org.orbita.ui.PageHeader;
import org.orbita.ui.ProfileText;
import org.orbita.ui.campaigns.CampaignEditorView;
import org.orbita.ui.content.MessageEditorView;
import org.orbita.ui.jobs.JobsView;
import org.orbita.ui.profiles.DatabasesView;
import org.orbita.ui.profiles.ProfilesView;
import org.orbita.ui.reports.ReportChart;
import org.orbita.ui.segments.SegmentsView;
import org.orbita.ui.settings.SettingsView;

/**
 * Where a signed-in person lands: the next steps one click away; today and the last 30 days at a
 * glance (totals, each channel's rates with bounces and complaints red past their lines, sends by
 * day — from the channel report, so the figures are the reports' own); what is sending now, the
 * last campaigns with their rates, recent jobs, the databases and their sizes.
 */
@Route("")
@PageTitle("Orbita")
@PermitAll
public class HomeView extends VerticalLayout {

    static final int LAST_CAMPAIGNS = 5;
    static final int LAST_JOBS = 5;

    /** Above these shares (%) a bounce or complaint rate turns red: mailbox providers' own lines (Google, Yahoo: complaints under 0.1–0.3 %). */
    static final double BOUNCE_LINE = 2.0;
    static final double COMPLAINT_LINE = 0.1;

    public HomeView(Campaigns campaigns, SendLedger ledger, EventLog events, Jobs jobs, ClientDatabases databases, ProfileStore profiles,
                    CurrentUser user, Reports reports, WorkspaceDefaults defaults, org.orbita.journeys.Journeys journeys) {
        String ws = user.workspaceId();
        List<Campaign> all = campaigns.list(ws).stream().sorted(Comparator.comparing(Campaign::updated).reversed()).toList();

        List<Campaign> sending = all.stream().filter(c -> c.status() == Campaign.Status.SENDING).toList();
        Grid<Campaign> now = new Grid<>();
        now.setId("home-sending");
        now.addThemeVariants(GridVariant.LUMO_COMPACT);
        now.addColumn(Campaign::name).setHeader(getTranslation("home.campaign")).setFlexGrow(2);
        now.addColumn(c -> {
            Map<String, Long> n = c.runId() == null ? Map.of() : ledger.countByState(c.runId());
            return getTranslation("campaigns.counts", n.getOrDefault(LedgerState.QUEUED.id(), 0L), n.getOrDefault(LedgerState.SKIPPED.id(), 0L),
                    n.getOrDefault(LedgerState.FAILED.id(), 0L));
        }).setHeader(getTranslation("campaigns.sent")).setFlexGrow(1);
        now.setItems(sending);
        now.setAllRowsVisible(true);
        now.addItemClickListener(e -> open(e.getItem()));

        Grid<Campaign> last = new Grid<>();
        last.setId("home-campaigns");
        last.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        last.addColumn(Campaign::name).setHeader(getTranslation("home.campaign")).setFlexGrow(2);
        last.addColumn(c -> getTranslation("campaigns.status." + c.status().id())).setHeader(getTranslation("campaigns.status")).setAutoWidth(true);
        last.addColumn(c -> rates(c.runId() == null ? null : CampaignStats.of(events, c))).setHeader(getTranslation("home.rates")).setFlexGrow(2);
        last.setItems(all.stream().limit(LAST_CAMPAIGNS).toList());
        last.setAllRowsVisible(true);
        last.addItemClickListener(e -> open(e.getItem()));

        Grid<Job> recent = new Grid<>();
        recent.setId("home-jobs");
        recent.addThemeVariants(GridVariant.LUMO_COMPACT);
        recent.addColumn(j -> getTranslation("jobs.kind." + j.kind())).setHeader(getTranslation("jobs.kind")).setAutoWidth(true);
        recent.addColumn(j -> getTranslation("jobs.status." + j.status().id())).setHeader(getTranslation("jobs.status")).setAutoWidth(true);
        recent.addColumn(j -> String.format(getLocale(), "%,d", j.processed())).setHeader(getTranslation("jobs.processed")).setAutoWidth(true);
        recent.addColumn(j -> ProfileText.instant(j.created(), getLocale())).setHeader(getTranslation("jobs.created")).setFlexGrow(1);
        List<Job> lastJobs = jobs.list(ws, LAST_JOBS);
        recent.setItems(lastJobs);
        recent.setAllRowsVisible(true);
        recent.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate(JobsView.class)));

        Grid<ClientDatabase> sizes = new Grid<>();
        sizes.setId("home-databases");
        sizes.addThemeVariants(GridVariant.LUMO_COMPACT);
        sizes.addColumn(ClientDatabase::name).setHeader(getTranslation("databases.name")).setFlexGrow(2);
        sizes.addColumn(d -> String.format(getLocale(), "%,d", profiles.count(d.id()))).setHeader(getTranslation("databases.profiles")).setAutoWidth(true);
        sizes.setItems(databases.list(ws));
        sizes.setAllRowsVisible(true);
        sizes.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate(ProfilesView.class, new RouteParameters("db", e.getItem().publicId()))));

        List<org.orbita.journeys.JourneyDefinition> live = user.may("journeys:read") ? journeys.list(ws).stream()
                .filter(j -> j.status() == org.orbita.journeys.JourneyDefinition.Status.LIVE).toList() : List.of();
        Grid<org.orbita.journeys.JourneyDefinition> running = new Grid<>();
        running.setId("home-journeys");
        running.addThemeVariants(GridVariant.LUMO_COMPACT);
        running.addColumn(org.orbita.journeys.JourneyDefinition::name).setHeader(getTranslation("home.journey")).setFlexGrow(2);
        running.addColumn(j -> getTranslation("home.journey.version", j.version())).setHeader(getTranslation("home.journey.live")).setAutoWidth(true);
        running.addColumn(j -> ProfileText.instant(j.updated(), getLocale())).setHeader(getTranslation("home.journey.since")).setFlexGrow(1);
        running.setItems(live);
        running.setAllRowsVisible(true);
        running.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate(org.orbita.ui.journeys.JourneyEditorView.class,
                new RouteParameters("id", e.getItem().id()))));

        add(PageHeader.of(getTranslation("home.title")), quickLinks());
        if (user.may("reports:read")) {
            add(section(getTranslation("home.glance"), glance(reports, ws, Optional.ofNullable(defaults.get(ws).zone()).orElse(ZoneOffset.UTC))));
        }
        add(
                section(getTranslation("home.sending"), sending.isEmpty() ? new Paragraph(getTranslation("home.sending.none")) : now),
                section(getTranslation("home.journeys"), live.isEmpty() ? new Paragraph(getTranslation("home.journeys.none")) : running),
                section(getTranslation("home.campaigns"), all.isEmpty() ? new Paragraph(getTranslation("home.campaigns.none")) : last),
                section(getTranslation("home.jobs"), lastJobs.isEmpty() ? new Paragraph(getTranslation("home.jobs.none")) : recent),
                section(getTranslation("home.databases"), sizes));
    }

    /** Today and the last 30 days at a glance: totals, each channel's rates (bounces and complaints red past their line), sends by day. */
    private Component glance(Reports reports, String ws, ZoneId zone) {
        Instant now = Instant.now();
        Instant today = LocalDate.now(zone).atStartOfDay(zone).toInstant();
        Report day = reports.run(ws, ReportKind.CHANNELS, ReportQuery.of(ReportKind.CHANNELS, now, today, now, null, null, null, null, null,
                List.of("channel"), false));
        Report month = reports.run(ws, ReportKind.CHANNELS, ReportQuery.of(ReportKind.CHANNELS, now, today.minus(java.time.Duration.ofDays(29)), now,
                null, null, null, null, null, List.of("day"), false));
        Report byChannel = reports.run(ws, ReportKind.CHANNELS, ReportQuery.of(ReportKind.CHANNELS, now, month.query().from(), now, null, null,
                null, null, null, List.of("channel"), false));
        Span todays = new Span(getTranslation("home.glance.today", whole(day.totals().get("sent")), whole(day.totals().get("delivered")),
                whole(day.totals().get("opened")), whole(day.totals().get("clicked"))));
        todays.setId("home-today");
        Report growth = reports.run(ws, ReportKind.GROWTH, ReportQuery.of(ReportKind.GROWTH, now, month.query().from(), now, null, null, null, null,
                null, List.of("day"), false));
        double newToday = growth.rows().stream().filter(r -> !Instant.parse(r.keys().get(0)).isBefore(today))
                .mapToDouble(r -> r.values().getOrDefault("new_profiles", 0.0)).sum();
        Span grew = new Span(getTranslation("home.glance.growth", whole(newToday), whole(growth.totals().get("new_profiles")),
                (growth.totals().get("net_subscribed") >= 0 ? "+" : "") + whole(growth.totals().get("net_subscribed"))));
        grew.setId("home-growth");
        Grid<Report.Row> channels = new Grid<>();
        channels.setId("home-channels");
        channels.addThemeVariants(GridVariant.LUMO_COMPACT);
        channels.addColumn(r -> r.keys().get(0)).setHeader(getTranslation("reports.dim.channel")).setAutoWidth(true);
        channels.addColumn(r -> whole(r.values().get("sent"))).setHeader(getTranslation("reports.metric.sent")).setAutoWidth(true);
        for (String rate : List.of("delivery_rate", "open_rate", "click_rate")) {
            channels.addColumn(r -> share(r.values().get(rate))).setHeader(getTranslation("reports.rate." + rate)).setAutoWidth(true);
        }
        channels.addComponentColumn(r -> flagged(r.values().get("bounce_rate"), BOUNCE_LINE)).setHeader(getTranslation("reports.rate.bounce_rate"))
                .setAutoWidth(true);
        channels.addComponentColumn(r -> flagged(r.values().get("complaint_rate"), COMPLAINT_LINE))
                .setHeader(getTranslation("reports.rate.complaint_rate")).setAutoWidth(true);
        channels.setItems(byChannel.rows());
        channels.setAllRowsVisible(true);
        ReportChart chart = new ReportChart();
        chart.setHeight("200px");
        List<Report.Row> days = month.rows();
        chart.show("line", days.stream().map(r -> r.keys().get(0).substring(0, 10)).toList(), List.of(
                new ReportChart.Series(getTranslation("reports.metric.sent"), days.stream().map(r -> r.values().get("sent")).toList()),
                new ReportChart.Series(getTranslation("reports.metric.opened"), days.stream().map(r -> r.values().get("opened")).toList())));
        VerticalLayout box = new VerticalLayout(todays, grew);
        box.setPadding(false);
        if (byChannel.rows().isEmpty()) {
            box.add(new Paragraph(getTranslation("home.glance.none")));
        } else {
            box.add(channels, chart);
        }
        return box;
    }

    private String whole(Double v) {
        return String.format(getLocale(), "%,d", v == null ? 0 : v.longValue());
    }

    private String share(Double v) {
        return v == null ? "—" : String.format(getLocale(), "%.1f %%", v);
    }

    /** A rate, red past its line. */
    private Component flagged(Double v, double line) {
        Span s = new Span(share(v));
        if (v != null && v > line) {
            s.getElement().getThemeList().add("badge error");
            s.setTitle(getTranslation("home.glance.over", String.format(getLocale(), "%.1f %%", line)));
        }
        return s;
    }

    private Component quickLinks() {
        Button database = link(getTranslation("home.link.databases"), VaadinIcon.DATABASE, () -> navigate(DatabasesView.class));
        Button segment = link(getTranslation("home.link.segment"), VaadinIcon.FILTER, () -> navigate(SegmentsView.class));
        Button message = link(getTranslation("home.link.message"), VaadinIcon.ENVELOPE_O,
                () -> getUI().ifPresent(ui -> ui.navigate(MessageEditorView.class, new RouteParameters("id", "new"))));
        Button campaign = link(getTranslation("home.link.campaign"), VaadinIcon.MEGAPHONE,
                () -> getUI().ifPresent(ui -> ui.navigate(CampaignEditorView.class, new RouteParameters("id", CampaignEditorView.NEW))));
        Button settings = link(getTranslation("home.link.settings"), VaadinIcon.COG, () -> navigate(SettingsView.class));
        campaign.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        return Narrow.row(database, segment, message, campaign, settings);
    }

    private Button link(String text, VaadinIcon icon, Runnable go) {
        Button b = new Button(text, icon.create(), e -> go.run());
        b.setId("home-" + icon.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        return b;
    }

    private void navigate(Class<? extends Component> view) {
        getUI().ifPresent(ui -> ui.navigate(view));
    }

    private void open(Campaign c) {
        getUI().ifPresent(ui -> ui.navigate(CampaignEditorView.class, new RouteParameters("id", c.id())));
    }

    private String rates(CampaignStats s) {
        if (s == null) {
            return "";
        }
        return getTranslation("home.rates.value", s.sent(), s.delivered(), String.format(getLocale(), "%.1f", s.openRate() * 100),
                String.format(getLocale(), "%.1f", s.clickRate() * 100));
    }

    private static Component section(String title, Component body) {
        VerticalLayout box = new VerticalLayout(new H3(title), body);
        box.setPadding(false);
        box.setSpacing(false);
        return box;
    }
}
