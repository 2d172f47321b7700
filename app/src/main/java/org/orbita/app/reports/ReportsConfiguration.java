package org.orbita.app.reports;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.orbita.access.Access;
import org.orbita.audiences.ReportSegments;
import org.orbita.audiences.SegmentMembers;
import org.orbita.audiences.Segments;
import org.orbita.campaigns.Campaign;
import org.orbita.campaigns.Campaigns;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.events.EventLog;
import org.orbita.journeys.JourneyDefinition;
import org.orbita.journeys.Journeys;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.ProfileStore;
import org.orbita.reports.ClickMaps;
import org.orbita.reports.Reports;
import org.orbita.reports.SavedReports;
import org.orbita.settings.SettingsStore;
import org.orbita.settings.WorkspaceDefaults;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The reports over the event log, their time buckets in each workspace's time zone, objects named as the caller sees them. */
@Configuration(proxyBeanMethods = false)
class ReportsConfiguration {

    @Bean
    SavedReports savedReports(SettingsStore settings, Access access, Clock clock) {
        return new SavedReports(settings, access, clock);
    }

    @Bean
    ClickMaps clickMaps(Reports reports, Messages messages, Access access) {
        return new ClickMaps(reports, messages, access);
    }

    @Bean
    ReportSegments reportSegments(Reports reports, Segments segments, ProfileStore profiles) {
        return new ReportSegments(reports, segments, profiles);
    }

    @Bean
    Reports reports(EventLog events, ClientDatabases databases, Access access, Clock clock, WorkspaceDefaults defaults, Campaigns campaigns,
                    Journeys journeys, Messages messages, Segments segments, SegmentMembers members, org.orbita.sites.Sites sites,
                    org.orbita.forms.Forms forms, org.orbita.popups.Popups popups, org.orbita.promo.PromoPools promo) {
        return new Reports(events, databases, access, clock, ws -> defaults.get(ws).zone(), (dimension, ws, id) -> switch (dimension) {
            case CAMPAIGN -> campaigns.find(ws, id).map(Campaign::name);
            case JOURNEY -> journeys.find(ws, id).map(JourneyDefinition::name);
            case MESSAGE -> messages.find(ws, id).map(Message::name);
            case WEBSITE -> sites.published(id).filter(s -> s.workspaceId().equals(ws)).map(org.orbita.sites.Site::name);
            case FORM -> forms.name(ws, id);
            case POPUP -> popups.name(ws, id);
            case POOL -> promo.find(ws, id).map(org.orbita.promo.PromoPool::name);
            default -> Optional.empty();
        }).filteringBy(new Reports.Audiences() {
            @Override
            public Optional<String> databaseOf(String workspaceId, String segmentId) {
                return segments.databaseOf(workspaceId, segmentId);
            }

            @Override
            public void members(String segmentId, Consumer<String> each) {
                String after = null;
                for (List<String> page; !(page = members.members(segmentId, after, MEMBERS_PAGE)).isEmpty(); after = page.get(page.size() - 1)) {
                    page.forEach(each);
                }
            }
        });
    }

    /** A segment's members read per page when a report is filtered by it. */
    static final int MEMBERS_PAGE = 10_000;
}
