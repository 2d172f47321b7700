package org.orbita.app.journeys;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.orbita.app.config.OrbitaProperties;
import org.orbita.campaigns.CampaignSender;
import org.orbita.content.Messages;
import org.orbita.content.NetworkGuard;
import org.orbita.content.Templates;
import org.orbita.events.EventLog;
import org.orbita.journeys.JourneyLedger;
import org.orbita.journeys.engine.JourneyEngine;
import org.orbita.journeys.runtime.JourneyDefinition;
import org.orbita.journeys.runtime.JourneyRuntime;
import org.orbita.journeys.runtime.Journeys;
import org.orbita.journeys.runtime.NodeWorkers;
import org.orbita.journeys.runtime.PromoCodes;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileWriting;
import org.orbita.audiences.SegmentMembers;
import org.orbita.audiences.Segments;
import org.orbita.settings.SettingsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.support.CronExpression;

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
    Journeys journeys(SettingsStore settings, ClientDatabases databases, Messages messages, Segments segments, PromoCodes promo, Clock clock) {
        return new Journeys(settings, databases, messages, segments, promo, clock);
    }

    @Bean(destroyMethod = "close")
    JourneyRuntime journeyRuntime(OrbitaProperties props, JourneyLedger ledger, Journeys journeys, EventLog events,
                                  ProfileStore profiles, ClientDatabases databases, ProfileWriting writing, SegmentMembers members,
                                  Segments segments, Messages messages, CampaignSender sender, Templates templates, PromoCodes promo,
                                  NetworkGuard guard, Clock clock) {
        String gateway = props.zeebe().gateway();
        JourneyRuntime runtime = new JourneyRuntime(gateway.isEmpty() ? JourneyEngine::embedded : () -> JourneyEngine.remote(URI.create(gateway)),
                props.zeebe().engines(), ledger, journeys, events, clock);
        runtime.profiles(e -> profiles.find(e.databaseId(), e.profileId()));
        new NodeWorkers(new NodeWorkers.Services(profiles, databases, writing, members, segments, messages, sender, templates, events, ledger, promo,
                guard, clock, props.journeys().defaultHour()), props.journeys().httpTimeout()).install(runtime);
        JourneyRuntime.Restored restored = runtime.start();
        log.info("journeys on {}: {} live instances put back in {} ms",
                gateway.isEmpty() ? props.zeebe().engines() + " in-process Zeebe engines" : gateway,
                restored.instances(), restored.millis());
        return runtime;
    }

    /** Journeys that enter a segment's members on a schedule, and the embedded engine's recycling; checked every 15 seconds. */
    @Bean(destroyMethod = "close")
    JourneyClock journeyClock(JourneyRuntime runtime, Journeys journeys, Segments segments, OrbitaProperties props, Clock clock) {
        return new JourneyClock(runtime, journeys, segments, props.zeebe().gateway().isEmpty() ? props.zeebe().recycleAfter() : 0, clock);
    }

    /** The thread behind scheduled entries and recycling. */
    public static final class JourneyClock implements AutoCloseable {
        private final Thread thread;
        private final Map<String, Instant> checked = new ConcurrentHashMap<>();

        JourneyClock(JourneyRuntime runtime, Journeys journeys, Segments segments, long recycleAfter, Clock clock) {
            thread = Thread.ofPlatform().name("journeys-clock").daemon(true).start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(15_000);
                        Instant now = clock.instant();
                        for (JourneyDefinition d : journeys.live()) {
                            if ("schedule".equals(d.startSetting("entry"))) {
                                scheduled(runtime, segments, d, now);
                            }
                        }
                        if (recycleAfter > 0 && runtime.createdSinceStart() >= recycleAfter) {
                            JourneyRuntime.Restored r = runtime.recycle();
                            log.info("the in-process Zeebe engine was recycled: {} live instances put back in {} ms", r.instances(), r.millis());
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        log.error("journeys' clock", e);
                    }
                }
            });
        }

        private void scheduled(JourneyRuntime runtime, Segments segments, JourneyDefinition d, Instant now) {
            Instant since = checked.computeIfAbsent(d.id() + "@" + d.version(), k -> now);
            Optional<Instant> due = next(d.startSetting("schedule"), since).filter(t -> !t.isAfter(now));
            if (due.isEmpty()) {
                return;
            }
            checked.put(d.id() + "@" + d.version(), due.get());
            long[] entered = {0};
            segments.forEachMember(d.startSetting("segment"), p -> {
                if (runtime.enter(d, p, Map.of("schedule", due.get().toString()), "schedule-" + due.get()).entered()) {
                    entered[0]++;
                }
            });
            log.info("journey {}: {} profiles of segment {} entered on its schedule ({})", d.id(), entered[0], d.startSetting("segment"), due.get());
        }

        private static Optional<Instant> next(String cron, Instant after) {
            try {
                ZonedDateTime t = CronExpression.parse(cron).next(after.atZone(ZoneOffset.UTC));
                return Optional.ofNullable(t).map(ZonedDateTime::toInstant);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}
