package org.orbita.ui.shell;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Layout;
import jakarta.annotation.security.PermitAll;
import java.util.Locale;
import org.orbita.ui.CurrentUser;
import org.orbita.ui.Narrow;
import org.orbita.ui.OrbitaI18n;
import org.orbita.ui.campaigns.CampaignsView;
import org.orbita.ui.content.DataSourcesView;
import org.orbita.ui.content.MessagesView;
import org.orbita.ui.content.SnippetsView;
import org.orbita.ui.home.HomeView;
import org.orbita.ui.jobs.JobsView;
import org.orbita.ui.journeys.JourneysView;
import org.orbita.ui.profiles.DatabasesView;
import org.orbita.ui.reports.ClickMapView;
import org.orbita.ui.reports.CohortsView;
import org.orbita.ui.reports.FunnelsView;
import org.orbita.ui.reports.ReportsView;
import org.orbita.ui.segments.SegmentsView;
import org.orbita.ui.sending.MailQueuesView;
import org.orbita.ui.settings.ApiKeysView;
import org.orbita.ui.settings.SettingsView;

/** The shell around every signed-in view: navigation, workspace switch, language, sign-out. */
@Layout
@PermitAll
public class MainLayout extends AppLayout {

    private final CurrentUser user;

    public MainLayout(CurrentUser user) {
        this.user = user;
        UI.getCurrent().setLocale(user.locale());
        Span brand = new Span("Orbita");
        brand.addClassName("orbita-brand");
        brand.getStyle().set("font-weight", "700").set("font-size", "var(--lumo-font-size-l)");

        Select<CurrentUser.WorkspaceRef> workspace = new Select<>();
        workspace.setAriaLabel(getTranslation("shell.workspace"));
        workspace.setItems(user.workspaces());
        workspace.setItemLabelGenerator(CurrentUser.WorkspaceRef::name);
        user.workspaces().stream().filter(w -> w.id().equals(user.workspaceId())).findFirst().ifPresent(workspace::setValue);
        workspace.addValueChangeListener(e -> {
            if (e.isFromClient() && e.getValue() != null) {
                user.switchWorkspace(e.getValue().id());
                UI.getCurrent().navigate(DatabasesView.class);
                UI.getCurrent().getPage().reload();
            }
        });

        Select<Locale> language = new Select<>();
        language.setId("language");
        language.setAriaLabel(getTranslation("shell.language"));
        language.setItems(OrbitaI18n.LOCALES);
        language.setItemLabelGenerator(l -> l.getLanguage().toUpperCase(Locale.ROOT));
        language.setValue(OrbitaI18n.LOCALES.stream().filter(l -> l.getLanguage().equals(user.locale().getLanguage()))
                .findFirst().orElse(Locale.ENGLISH));
        language.setWidth("4.75em");
        language.addValueChangeListener(e -> {
            if (e.isFromClient()) {
                user.saveLocale(e.getValue());
                UI.getCurrent().getPage().reload();
            }
        });

        Button logout = new Button(VaadinIcon.SIGN_OUT.create(), e -> user.logout());
        logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ICON);
        logout.setId("logout");
        logout.setAriaLabel(getTranslation("shell.logout"));
        logout.setTooltipText(getTranslation("shell.logout") + " (" + user.email() + ")");

        Button account = new Button(VaadinIcon.USER.create(), e -> UI.getCurrent().navigate("account"));
        account.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ICON);
        account.setId("my-account");
        account.setAriaLabel(getTranslation("account.title"));
        account.setTooltipText(getTranslation("account.title") + " (" + user.email() + ")");

        HorizontalLayout bar = new HorizontalLayout(new DrawerToggle(), brand, workspace, language, account, logout);
        bar.setWidthFull();
        bar.setAlignItems(FlexComponent.Alignment.CENTER);
        // Let the workspace switch give way on narrow screens so language and sign-out stay visible.
        workspace.setMaxWidth("18em");
        // on a phone the brand gives its room to the workspace's name
        Narrow.watch(brand, 500, narrow -> brand.setVisible(!narrow));
        workspace.setMinWidth("0");
        workspace.getStyle().set("flex", "1 1 0");
        bar.setSpacing(false);
        bar.getStyle().set("gap", "var(--lumo-space-s)");
        bar.getStyle().set("padding-right", "var(--lumo-space-m)");
        addToNavbar(bar);

        SideNav nav = new SideNav();
        // each page shown to the roles that may read what it shows (the services refuse the rest anyway)
        item(nav, "nav.home", HomeView.class, VaadinIcon.HOME, null);
        item(nav, "nav.databases", DatabasesView.class, VaadinIcon.DATABASE, "databases:read");
        item(nav, "nav.segments", SegmentsView.class, VaadinIcon.FILTER, "segments:read");
        item(nav, "nav.messages", MessagesView.class, VaadinIcon.ENVELOPE_O, "messages:read");
        item(nav, "nav.campaigns", CampaignsView.class, VaadinIcon.MEGAPHONE, "campaigns:read");
        item(nav, "nav.journeys", JourneysView.class, VaadinIcon.SITEMAP, "journeys:read");
        item(nav, "nav.sites", org.orbita.ui.sites.SitesView.class, VaadinIcon.GLOBE, "sites:read");
        item(nav, "nav.forms", org.orbita.ui.forms.FormsView.class, VaadinIcon.FORM, "forms:read");
        item(nav, "nav.popups", org.orbita.ui.popups.PopupsView.class, VaadinIcon.MODAL, "forms:read");
        item(nav, "nav.promo", org.orbita.ui.promo.PromoPoolsView.class, VaadinIcon.TICKET, "promo:read");
        item(nav, "nav.market", org.orbita.ui.market.MarketView.class, VaadinIcon.CART, "market:read");
        item(nav, "nav.reports", ReportsView.class, VaadinIcon.CHART, "reports:read");
        item(nav, "nav.cohorts", CohortsView.class, VaadinIcon.GRID_BIG, "reports:read");
        item(nav, "nav.funnels", FunnelsView.class, VaadinIcon.FUNNEL, "reports:read");
        item(nav, "nav.clickmap", ClickMapView.class, VaadinIcon.CURSOR_O, "reports:read");
        item(nav, "nav.snippets", SnippetsView.class, VaadinIcon.PUZZLE_PIECE, "snippets:read");
        item(nav, "nav.sources", DataSourcesView.class, VaadinIcon.CONNECT, "messages:read");
        item(nav, "nav.mta", MailQueuesView.class, VaadinIcon.PAPERPLANE_O, "mail-queues:read");
        item(nav, "nav.jobs", JobsView.class, VaadinIcon.TASKS, "databases:read");
        item(nav, "nav.settings", SettingsView.class, VaadinIcon.COG, "settings:read");
        item(nav, "nav.webhooks", org.orbita.ui.webhooks.WebhooksView.class, VaadinIcon.EXCHANGE, "integrations:read");
        item(nav, "nav.inbound", org.orbita.ui.inbound.InboundSourcesView.class, VaadinIcon.DOWNLOAD, "integrations:read");
        item(nav, "nav.mobile", org.orbita.ui.mobile.MobileAppsView.class, VaadinIcon.MOBILE, "integrations:read");
        item(nav, "nav.retargeting", org.orbita.ui.retargeting.AudienceSyncsView.class, VaadinIcon.BULLSEYE, "integrations:read");
        item(nav, "nav.keys", ApiKeysView.class, VaadinIcon.KEY, "api-keys:read");
        nav.addItem(new SideNavItem(getTranslation("nav.api"), "/swagger-ui.html", VaadinIcon.CODE.create()));
        addToDrawer(nav);
        setPrimarySection(Section.NAVBAR);
    }


    private void item(SideNav nav, String key, Class<? extends com.vaadin.flow.component.Component> view, VaadinIcon icon, String permission) {
        if (permission == null || user.may(permission)) {
            nav.addItem(new SideNavItem(getTranslation(key), view, icon.create()));
        }
    }
}
