package org.orbita.app.journeys;

import java.net.URI;
import java.time.Clock;
import org.orbita.access.Access;
import org.orbita.app.config.OrbitaProperties;
import org.orbita.audiences.SegmentExplorer;
import org.orbita.audiences.SegmentMembers;
import org.orbita.audiences.Segments;
import org.orbita.content.Messages;
import org.orbita.content.Templates;
import org.orbita.events.EventLog;
import org.orbita.jobs.Schedules;
import org.orbita.journeys.JourneyLedger;
import org.orbita.journeys.Journeys;
import org.orbita.journeys.PromoCodes;
import org.orbita.journeys.runtime.JourneyClock;
import org.orbita.journeys.runtime.JourneyRuntime;
import org.orbita.journeys.runtime.NodeWorkers;
import org.orbita.journeys.zeebe.ZeebeEngine;
import org.orbita.outbound.NetworkGuard;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileWriting;
import org.orbita.sending.DirectSends;
import org.orbita.settings.SettingsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Journeys: their definitions, the engine ({@code orbita.zeebe.gateway}, or Zeebe's in-process
 * engine) with a worker per node, entries by event and segment (told of every appended event)
 * and by schedule, and the engine's recycling. The runtime starts with the application and puts
 * every live instance of the journey ledger back before the API takes requests.
 */
@Configuration(proxyBeanMethods = false)
public class JourneysConfiguration {

    private static final Logger log = LoggerFactory.getLogger(JourneysConfiguration.class);

    @Bean
    PromoCodes promoCodes(SettingsStore settings) {
        return new PromoCodes(settings);
    }

    @Bean
    Journeys journeys(Access access, SettingsStore settings, ClientDatabases databases, Messages messages, Segments segments, PromoCodes promo, Clock clock) {
        return new Journeys(settings, databases, messages, segments, promo, clock, access);
    }

    @Bean(destroyMethod = "close")
    JourneyRuntime journeyRuntime(OrbitaProperties props, JourneyLedger ledger, Journeys journeys, EventLog events,
                                  ProfileStore profiles, ClientDatabases databases, ProfileWriting writing, SegmentMembers members,
                                  Segments segments, SegmentExplorer explorer, Messages messages, DirectSends sender, Templates templates, PromoCodes promo,
                                  NetworkGuard guard, Clock clock) {
        String gateway = props.zeebe().gateway();
        JourneyRuntime runtime = new JourneyRuntime(gateway.isEmpty() ? ZeebeEngine::embedded : () -> ZeebeEngine.remote(URI.create(gateway)),
                props.zeebe().engines(), ledger, journeys, profiles, events, clock);
        new NodeWorkers(new NodeWorkers.Services(profiles, databases, writing, members, segments, explorer, messages, sender, templates, events, ledger, promo,
                guard, clock, props.journeys().defaultHour()), props.journeys().httpTimeout()).install(runtime);
        JourneyRuntime.Restored restored = runtime.start();
        log.info("journeys on {}: {} live instances put back in {} ms",
                gateway.isEmpty() ? props.zeebe().engines() + " in-process Zeebe engines" : gateway,
                restored.instances(), restored.millis());
        return runtime;
    }

    /** Journeys that enter a segment's members on a schedule, and the embedded engine's recycling. */
    @Bean(destroyMethod = "close")
    JourneyClock journeyClock(JourneyRuntime runtime, Journeys journeys, Segments segments, Schedules schedules, OrbitaProperties props, Clock clock) {
        return new JourneyClock(runtime, journeys, segments, schedules, props.zeebe().gateway().isEmpty() ? props.zeebe().recycleAfter() : 0, clock);
    }
}
