package org.orbita.app.sites;

import org.orbita.common.Signer;
import java.time.Clock;
import org.orbita.access.Access;
import org.orbita.audiences.RecentEvents;
import org.orbita.events.EventLog;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileWriting;
import org.orbita.settings.SettingsStore;
import org.orbita.app.config.OrbitaProperties;
import org.orbita.profiles.EventIngest;
import org.orbita.sites.Geo;
import org.orbita.sites.GoalRegistrations;
import org.orbita.settings.KeptSecrets;
import org.orbita.sites.SiteHits;
import org.orbita.sites.SiteLinks;
import org.orbita.sites.SiteSnippet;

import org.orbita.sites.TagContainers;
import org.orbita.sites.Sites;
import org.orbita.sites.VisitorIdentity;
import org.orbita.sites.Visitors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Website tracking: the sites, who their visitors are, and the collection of their hits. */
@Configuration(proxyBeanMethods = false)
class SitesConfiguration {

    @Bean
    Sites sites(SettingsStore settings, ClientDatabases databases, Access access, Clock clock) {
        return new Sites(settings, databases, access, clock);
    }

    @Bean
    VisitorIdentity visitorIdentity(Visitors visitors, ProfileStore profiles, ProfileWriting writing, EventLog events, RecentEvents recent,
                                    Access access, Clock clock, ClientDatabases databases) {
        databases.onDelete(visitors::deleteDatabase);
        return new VisitorIdentity(visitors, profiles, writing, events, recent, access, clock);
    }

    @Bean
    SiteSnippet siteSnippet(OrbitaProperties props, org.orbita.settings.WorkspaceDefaults defaults) {
        return new SiteSnippet(props.content().publicUrl(), defaults::trackingUrl);
    }

    @Bean
    GoalRegistrations goalRegistrations(Sites sites, EventIngest ingest) {
        return new GoalRegistrations(sites, ingest);
    }

    @Bean
    SiteHits siteHits(Sites sites, ClientDatabases databases, VisitorIdentity identity, SiteLinks links, Geo geo, EventLog events, Clock clock) {
        return new SiteHits(sites, databases, identity, links, geo, events, clock);
    }

    /** Country, region and city of website hits from a MaxMind-format database, when the administrator gives one. */
    @Bean(destroyMethod = "close")
    Geo geo(@org.springframework.beans.factory.annotation.Value("${orbita.sites.geo-database:}") String file) {
        return file.isBlank() ? Geo.none() : Geo.open(java.nio.file.Path.of(file));
    }

    /** Tokens the sites' pages carry (clicks from messages, container previews), signed with a key of their own kept with the settings. */
    @Bean
    Signer siteSigner(SettingsStore settings) {
        String secret = new KeptSecrets(settings).get("site-link-key", null, () -> KeptSecrets.random(32));
        return new Signer(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Bean
    SiteLinks siteLinks(Sites sites, Signer signer, Clock clock) {
        return new SiteLinks(sites, signer, clock);
    }

    @Bean
    TagContainers tagContainers(SettingsStore settings, Sites sites, Signer signer, Access access, Clock clock) {
        return new TagContainers(settings, sites, signer, access, clock);
    }
}
