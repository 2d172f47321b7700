package org.orbita.app.campaigns;

import java.time.Clock;
import java.util.Optional;
import org.orbita.campaigns.CampaignSender;
import org.orbita.campaigns.Campaigns;
import org.orbita.campaigns.SendLedger;
import org.orbita.content.Links;
import org.orbita.content.Messages;
import org.orbita.events.EventLog;
import org.orbita.jobs.JobRunner;
import org.orbita.jobs.Jobs;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.SegmentMembers;
import org.orbita.queues.SendQueue;
import org.orbita.segments.Segments;
import org.orbita.settings.SettingsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** Campaigns, their sender (the {@code campaign} job) and the clock that starts scheduled ones. */
@Configuration(proxyBeanMethods = false)
public class CampaignsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CampaignsConfiguration.class);

    @Bean
    Campaigns campaigns(SettingsStore settings, ClientDatabases databases, Segments segments, Messages messages, Jobs jobs, Clock clock) {
        Campaigns.SegmentCatalog catalog = (workspaceId, segmentId) -> {
            Optional<org.orbita.segments.Segment> s = segments.find(segmentId);
            return s.filter(x -> x.workspaceId().equals(workspaceId)).map(org.orbita.segments.Segment::databaseId);
        };
        return new Campaigns(settings, databases, catalog, messages, jobs, clock);
    }

    @Bean
    CampaignSender campaignSender(Campaigns campaigns, Messages messages, ProfileStore profiles, SegmentMembers members, SendLedger ledger,
                                  @Lazy SendQueue queue, EventLog events, Links links, Jobs jobs,
                                  org.orbita.app.config.OrbitaProperties props) {
        return new CampaignSender(campaigns, messages, profiles, members, ledger, queue, props.queue().emailQueue(), events, links, jobs);
    }

    /** Outcomes from the MTA nodes, read when the platform runs on RabbitMQ (the embedded broker has no nodes to hear from). */
    @Bean(destroyMethod = "close")
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "orbita.queue.kind", havingValue = "rabbitmq")
    EmailOutcomes emailOutcomes(SendQueue queue, Jobs jobs, Campaigns campaigns, ClientDatabases databases, ProfileStore profiles,
                                org.orbita.profiles.ProfileWriting writing, EventLog events, org.orbita.app.config.OrbitaProperties props) {
        return new EmailOutcomes(queue, props.queue().emailEventsQueue(), jobs, campaigns, databases, profiles, writing, events);
    }

    /** Starts scheduled campaigns when their time comes (checked every 5 seconds). */
    @Bean(destroyMethod = "close")
    DueCampaigns dueCampaigns(Campaigns campaigns, JobRunner runner) {
        return new DueCampaigns(campaigns, runner);
    }

    /** The thread that starts due campaigns. */
    public static final class DueCampaigns implements AutoCloseable {
        private final Thread thread;

        DueCampaigns(Campaigns campaigns, JobRunner runner) {
            thread = Thread.ofPlatform().name("campaigns-due").daemon(true).start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(5_000);
                        for (Campaigns.Launch l : campaigns.startDue()) {
                            log.info("scheduled campaign {} started as run {}", l.campaign().id(), l.job().id());
                            runner.submit(l.job());
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        log.error("starting due campaigns", e);
                    }
                }
            });
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}
