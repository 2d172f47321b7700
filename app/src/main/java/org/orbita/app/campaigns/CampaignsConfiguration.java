package org.orbita.app.campaigns;

import java.time.Clock;
import org.orbita.access.Access;
import org.orbita.app.config.OrbitaProperties;
import org.orbita.audiences.SegmentMembers;
import org.orbita.audiences.Segments;
import org.orbita.campaigns.CampaignRun;
import org.orbita.campaigns.Campaigns;
import org.orbita.campaigns.Conversions;
import org.orbita.campaigns.DueCampaigns;
import org.orbita.campaigns.LaunchCheck;
import org.orbita.campaigns.TriggerCampaigns;
import org.orbita.content.Links;
import org.orbita.content.Messages;
import org.orbita.events.EventLog;
import org.orbita.jobs.JobRunner;
import org.orbita.jobs.Jobs;
import org.orbita.jobs.Schedules;
import org.orbita.outbound.NetworkGuard;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.EventIngest;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileWriting;
import org.orbita.queues.SendQueue;
import org.orbita.sending.DirectSends;
import org.orbita.sending.MessageComposer;
import org.orbita.sending.MessageTests;
import org.orbita.sending.SendLedger;
import org.orbita.sending.SendPipeline;
import org.orbita.sending.SendingLimits;
import org.orbita.settings.SettingsStore;
import org.orbita.settings.WorkspaceDefaults;
import org.orbita.tracking.EmailOutcomes;
import org.orbita.tracking.LinkVisits;
import org.orbita.tracking.SubscriptionMarks;
import org.orbita.tracking.UnreachableAddresses;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * Sending and what comes back: the send pipeline every kind of send goes through, campaigns
 * (runs as jobs, scheduled starts, triggers, conversions), transactional and journey sends, the
 * channel workers, and tracking — email outcomes from the MTA nodes, link visits, addresses
 * gone.
 */
@Configuration(proxyBeanMethods = false)
public class CampaignsConfiguration {

    @Bean(destroyMethod = "close")
    ChannelProviders channelProviders(Access access, OrbitaProperties props, SettingsStore settings, NetworkGuard guard, EventLog events, Clock clock) {
        return new ChannelProviders(access, props, settings, guard, events, clock);
    }

    @Bean(destroyMethod = "close")
    SendPipeline sendPipeline(SendLedger ledger, @Lazy SendQueue queue, Messages messages, Links links, EventLog events, Clock clock,
                              OrbitaProperties props, SendingLimits limits) {
        SendPipeline pipeline = new SendPipeline(ledger, queue, props.queue().emailQueue(), new MessageComposer(messages, links), events, clock);
        pipeline.useLimits(limits);
        return pipeline;
    }

    @Bean
    SendingLimits sendingLimits(SettingsStore settings, Access access, Clock clock) {
        return new SendingLimits(settings, access, clock);
    }

    @Bean
    DirectSends directSends(SendPipeline pipeline) {
        return new DirectSends(pipeline);
    }

    @Bean
    MessageTests messageTests(DirectSends sends, SendLedger ledger, ChannelProviders providers) {
        return new MessageTests(sends, ledger, providers::channels);
    }

    @Bean
    Campaigns campaigns(Access access, SettingsStore settings, ClientDatabases databases, Segments segments, Messages messages, Jobs jobs, Schedules schedules,
                        Clock clock, ChannelProviders providers, SegmentMembers members, OrbitaProperties props, WorkspaceDefaults defaults) {
        Campaigns campaigns = new Campaigns(settings, databases, segments::databaseOf, messages, jobs, schedules, clock, providers::channels, access);
        campaigns.requireApproval(props.campaigns().approvalThreshold(), members::countMembers);
        campaigns.useDefaults(defaults);
        return campaigns;
    }

    /** What a launch would do, asked before it starts; the email queue's readers are counted on the broker. */
    @Bean
    LaunchCheck launchCheck(SegmentMembers members, ProfileStore profiles, Campaigns campaigns, @Lazy SendQueue queue, OrbitaProperties props,
                            Clock clock) {
        return new LaunchCheck(members, profiles, campaigns::channels, () -> queue.consumers(props.queue().emailQueue()), clock);
    }

    @Bean
    CampaignRun campaignRun(Campaigns campaigns, Messages messages, ProfileStore profiles, SegmentMembers members, SendPipeline pipeline,
                            EventLog events, Jobs jobs) {
        return new CampaignRun(campaigns, messages, profiles, members, pipeline, events, jobs);
    }

    /** Live trigger campaigns (they hear the event bus: EventReactions). */
    @Bean
    TriggerCampaigns triggerCampaigns(Campaigns campaigns, Messages messages, SendPipeline pipeline, ProfileStore profiles, SegmentMembers members) {
        return new TriggerCampaigns(campaigns, messages, pipeline, profiles, members);
    }

    /** Conversion attribution (it hears the event bus: EventReactions). */
    @Bean
    Conversions conversions(Campaigns campaigns, EventLog events) {
        return new Conversions(campaigns, events);
    }

    @Bean(destroyMethod = "close")
    DueCampaigns dueCampaigns(Campaigns campaigns, JobRunner runner) {
        return new DueCampaigns(campaigns, runner);
    }

    @Bean
    SubscriptionMarks subscriptionMarks(ClientDatabases databases, ProfileStore profiles, ProfileWriting writing) {
        return new SubscriptionMarks(databases, profiles, writing);
    }

    @Bean
    LinkVisits linkVisits(Links links, Messages messages, ClientDatabases databases, ProfileStore profiles, SubscriptionMarks marks,
                          EventIngest events) {
        return new LinkVisits(links, messages, databases, profiles, marks, events);
    }

    @Bean(destroyMethod = "close")
    ChannelWorkers channelWorkers(@Lazy SendQueue queue, SendLedger ledger, EventLog events, SubscriptionMarks marks, ChannelProviders providers,
                                  OrbitaProperties props) {
        return new ChannelWorkers(queue, providers.all(), ledger, events, new UnreachableAddresses(marks), props.channels().retry(),
                props.channels().rates());
    }

    /** Outcomes from the MTA nodes: on RabbitMQ, or from the node the embedded platform runs in process. */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${orbita.queue.kind:embedded}' == 'rabbitmq' or '${orbita.queue.embedded-mta:true}' == 'true'")
    EmailOutcomes emailOutcomes(SendQueue queue, SendLedger ledger, SubscriptionMarks marks, EventLog events, OrbitaProperties props) {
        return new EmailOutcomes(queue, props.queue().emailEventsQueue(), ledger, marks, events);
    }
}
