package org.orbita.app.campaigns;

import java.time.Clock;
import java.util.Optional;
import org.orbita.campaigns.CampaignSender;
import org.orbita.campaigns.Campaigns;
import org.orbita.sending.SendLedger;
import org.orbita.content.Links;
import org.orbita.content.Messages;
import org.orbita.events.EventLog;
import org.orbita.jobs.JobRunner;
import org.orbita.jobs.Jobs;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.ProfileStore;
import org.orbita.audiences.SegmentMembers;
import org.orbita.queues.SendQueue;
import org.orbita.audiences.Segments;
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

    @Bean(destroyMethod = "close")
    ChannelProviders channelProviders(org.orbita.app.config.OrbitaProperties props, SettingsStore settings, org.orbita.content.NetworkGuard guard,
                                      EventLog events, Clock clock) {
        return new ChannelProviders(props, settings, guard, events, clock);
    }

    @Bean
    Campaigns campaigns(SettingsStore settings, ClientDatabases databases, Segments segments, Messages messages, Jobs jobs, Clock clock,
                        ChannelProviders providers, SegmentMembers members, org.orbita.app.config.OrbitaProperties props) {
        Campaigns.SegmentCatalog catalog = (workspaceId, segmentId) -> {
            Optional<org.orbita.audiences.Segment> s = segments.find(segmentId);
            return s.filter(x -> x.workspaceId().equals(workspaceId)).map(org.orbita.audiences.Segment::databaseId);
        };
        Campaigns campaigns = new Campaigns(settings, databases, catalog, messages, jobs, clock, providers.channels());
        // the included segments' sizes: an upper bound (overlaps and exclusions not taken off), which is what an approval rule wants
        campaigns.requireApproval(props.campaigns().approvalThreshold(),
                c -> c.segments() == null ? 0 : c.segments().stream().mapToLong(members::countMembers).sum());
        campaigns.schedules((cron, after) -> {
            try {
                java.time.ZonedDateTime next = org.springframework.scheduling.support.CronExpression.parse(cron)
                        .next(after.atZone(java.time.ZoneOffset.UTC));
                return java.util.Optional.ofNullable(next).map(java.time.ZonedDateTime::toInstant);
            } catch (IllegalArgumentException e) {
                return java.util.Optional.empty();
            }
        });
        return campaigns;
    }

    /**
     * A channel worker per provider, started once the app is up, off the start-up path: the
     * embedded broker starts with them.
     */
    @Bean(destroyMethod = "close")
    ChannelWorkers channelWorkers(@Lazy SendQueue queue, SendLedger ledger, EventLog events, ClientDatabases databases, ProfileStore profiles,
                                  org.orbita.profiles.ProfileWriting writing, ChannelProviders providers,
                                  org.orbita.app.config.OrbitaProperties props) {
        org.orbita.channels.ChannelWorker.Unreachable unreachable = (databaseId, profileId, channel, address, reason) -> {
            var db = databases.find(databaseId);
            var p = db.flatMap(d -> profiles.find(d.id(), profileId));
            if (p.isEmpty()) {
                return;
            }
            org.orbita.profiles.Channel ch = org.orbita.content.Messages.channelOf(channel);
            // a person who blocked the bot or replied STOP (Twilio 21610) said no; an address that does not exist bounced
            String status = ch == org.orbita.profiles.Channel.TELEGRAM || reason.startsWith("21610") ? "unsubscribed" : "bounced";
            var changed = p.get().subscriptions().stream()
                    .filter(s -> s.channel() == ch && s.address().equals(address) && s.status() == org.orbita.profiles.Subscription.Status.ACTIVE)
                    .map(s -> new org.orbita.profiles.ProfileChange.SubscriptionInput(ch.id(), s.address(), s.resource(), status)).toList();
            if (!changed.isEmpty()) {
                writing.write(db.get(), new org.orbita.profiles.ProfileChange("id", profileId, null, changed, null, null),
                        org.orbita.profiles.WriteMode.UPDATE);
            }
        };
        return new ChannelWorkers(queue, providers.all(), ledger, events, unreachable, props.channels().retry(), props.channels().rates());
    }

    /** Starts a worker per provider once the application is ready. */
    public static final class ChannelWorkers implements AutoCloseable {
        private final java.util.List<org.orbita.channels.ChannelWorker> running = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final SendQueue queue;
        private final java.util.List<org.orbita.channels.ChannelProvider> providers;
        private final SendLedger ledger;
        private final EventLog events;
        private final org.orbita.channels.ChannelWorker.Unreachable unreachable;
        private final org.orbita.app.config.OrbitaProperties.Retry retry;
        private final java.util.Map<String, Double> rates;
        private volatile boolean closed;

        ChannelWorkers(SendQueue queue, java.util.List<org.orbita.channels.ChannelProvider> providers, SendLedger ledger, EventLog events,
                       org.orbita.channels.ChannelWorker.Unreachable unreachable, org.orbita.app.config.OrbitaProperties.Retry retry,
                       java.util.Map<String, Double> rates) {
            this.rates = rates;
            this.queue = queue;
            this.providers = providers;
            this.ledger = ledger;
            this.events = events;
            this.unreachable = unreachable;
            this.retry = retry;
        }

        @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
        public void start() {
            Thread.ofPlatform().name("channel-workers").daemon(true).start(() -> {
                for (org.orbita.channels.ChannelProvider p : providers) {
                    if (closed) {
                        return;
                    }
                    try {
                        running.add(new org.orbita.channels.ChannelWorker(queue, p, ledger, events, unreachable, retry.attempts(), retry.firstWait(),
                                retry.maxWait(), 16, rates.getOrDefault(p.channel(), 0.0)));
                    } catch (RuntimeException e) {
                        log.error("the {} worker did not start", p.channel(), e);
                    }
                }
            });
        }

        @Override
        public void close() {
            closed = true;
            running.forEach(org.orbita.channels.ChannelWorker::close);
        }
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

    /** Live trigger campaigns (they hear the event bus: EventReactions). */
    @Bean
    org.orbita.campaigns.TriggerCampaigns triggerCampaigns(Campaigns campaigns, CampaignSender sender, ProfileStore profiles, SegmentMembers members) {
        return new org.orbita.campaigns.TriggerCampaigns(campaigns, sender, profiles, members);
    }

    /** Conversion attribution (it hears the event bus: EventReactions). */
    @Bean
    org.orbita.campaigns.Conversions conversions(Campaigns campaigns, EventLog events) {
        return new org.orbita.campaigns.Conversions(campaigns, events);
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
