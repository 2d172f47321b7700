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
import org.orbita.journeys.operaton.OperatonEngine;
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
 * Journeys: their definitions, the engine ({@code orbita.journeys.engine}: Operaton embedded, its
 * state in a database, or a Camunda 8 cluster) with a worker per node, entries by event and
 * segment (told of every appended event) and by schedule. Operaton keeps every instance across
 * restarts; on a cluster, the runtime puts live instances back from the journey ledger.
 */
@Configuration(proxyBeanMethods = false)
public class JourneysConfiguration {

    private static final Logger log = LoggerFactory.getLogger(JourneysConfiguration.class);

    @Bean
    Journeys journeys(Access access, SettingsStore settings, ClientDatabases databases, Messages messages, Segments segments, org.orbita.promo.PromoPools promo, Clock clock) {
        return new Journeys(settings, databases, messages, segments, promo, clock, access);
    }

    @Bean(destroyMethod = "close")
    JourneyRuntime journeyRuntime(OrbitaProperties props, JourneyLedger ledger, Journeys journeys, EventLog events,
                                  ProfileStore profiles, ClientDatabases databases, ProfileWriting writing, SegmentMembers members,
                                  Segments segments, SegmentExplorer explorer, Messages messages, DirectSends sender, Templates templates, org.orbita.promo.PromoPools promo,
                                  NetworkGuard guard, Clock clock) {
        OrbitaProperties.Journeys j = props.journeys();
        String where;
        java.util.function.Supplier<org.orbita.journeys.runtime.JourneyEngine> engine;
        if (j.engine().equals("zeebe")) {
            String gateway = props.zeebe().gateway();
            if (gateway.isEmpty()) {
                throw new IllegalStateException("orbita.journeys.engine=zeebe needs orbita.zeebe.gateway: a Camunda 8 cluster's gRPC address");
            }
            where = "Zeebe at " + gateway;
            engine = () -> ZeebeEngine.remote(URI.create(gateway));
        } else {
            String url = operatonUrl(props);
            where = "Operaton on " + url.replaceAll("(?i)password=[^;&]*", "password=***");
            engine = () -> OperatonEngine.start(url, j.operaton().user().isEmpty() && url.startsWith("jdbc:h2:") ? "sa" : j.operaton().user(),
                    j.operaton().password(), j.operaton().threads());
        }
        JourneyRuntime runtime = new JourneyRuntime(engine, 1, ledger, journeys, profiles, events, clock);
        new NodeWorkers(new NodeWorkers.Services(profiles, databases, writing, members, segments, explorer, messages, sender, templates, events, ledger, promo,
                guard, clock, j.defaultHour()), j.httpTimeout()).install(runtime);
        JourneyRuntime.Restored restored = runtime.start();
        log.info("journeys on {}: {} live instances put back in {} ms", where, restored.instances(), restored.millis());
        return runtime;
    }

    /** Operaton's database: the one configured, else an H2 file in the data directory (one process uses it at a time). */
    static String operatonUrl(OrbitaProperties props) {
        String url = props.journeys().operaton().url();
        return url.isEmpty() ? "jdbc:h2:file:" + props.dataDir().resolve("journeys").resolve("engine").toAbsolutePath() : url;
    }

    /** Journeys that enter a segment's members on a schedule. */
    @Bean(destroyMethod = "close")
    JourneyClock journeyClock(JourneyRuntime runtime, Journeys journeys, Segments segments, Schedules schedules, Clock clock) {
        return new JourneyClock(runtime, journeys, segments, schedules, 0, clock);
    }
}
