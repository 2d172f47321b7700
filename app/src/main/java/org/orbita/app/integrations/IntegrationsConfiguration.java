package org.orbita.app.integrations;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.orbita.access.Access;
import org.orbita.app.config.OrbitaProperties;
import org.orbita.app.security.TeamMail;
import org.orbita.outbound.NetworkGuard;
import org.orbita.profiles.ClientDatabases;
import org.orbita.settings.SettingsStore;
import org.orbita.storage.sql.SqlDatabase;
import org.orbita.webhooks.WebhookSender;
import org.orbita.webhooks.WebhookStore;
import org.orbita.webhooks.Webhooks;
import org.orbita.webhooks.store.SqlWebhookStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The integrations: webhooks for any event (the outbox in the platform's relational database —
 * the embedded SQLite file, or PostgreSQL with {@code orbita.market.store=postgresql}, the same
 * database as the market — filled by an event-bus listener (see EventReactions), sent every second
 * by {@code webhook-*} threads, a disabled webhook told to its notice addresses by mail), inbound
 * sources (their calls kept in the same database), the mobile SDK's server side (its device registry
 * there too) and AppMetrica pulls (run every minute when due).
 */
@Configuration(proxyBeanMethods = false)
public class IntegrationsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IntegrationsConfiguration.class);

    @Bean
    WebhookStore webhookStore(SqlDatabase marketDatabase) {
        return new SqlWebhookStore(marketDatabase);
    }

    @Bean
    Webhooks webhooks(OrbitaProperties props, SettingsStore settings, WebhookStore store, ClientDatabases databases, NetworkGuard guard,
                      Access access, Clock clock, TeamMail mail) {
        OrbitaProperties.Webhooks p = props.webhooks();
        Webhooks webhooks = new Webhooks(settings, store, databases, new WebhookSender(guard, p.timeout()), access, clock, p.policy());
        webhooks.onDisabled(w -> {
            log.warn("Webhook {} ({}) of workspace {} was disabled: {}", w.id(), w.name(), w.workspaceId(), w.disabled());
            if (w.noticeEmails() != null) {
                mail.notice(w.workspaceId(), w.noticeEmails(), "Webhook \"" + w.name() + "\" was disabled",
                        "The webhook \"" + w.name() + "\" to " + w.url() + " was disabled: " + w.disabled() + ". Its undelivered calls are"
                                + " kept as dead letters. Fix the receiver, enable the webhook again and replay them (Settings → Webhooks).");
            }
        });
        return webhooks;
    }

    /**
     * Amazon SNS's messages checked: certificates and confirmations fetched over HTTPS from the
     * configured hosts, with the JDK's trust (and {@code orbita.sns.trust-store}'s, when given).
     */
    @Bean
    org.orbita.inbound.SnsMessages snsMessages(OrbitaProperties props, NetworkGuard guard, Clock clock) throws Exception {
        OrbitaProperties.Sns p = props.sns();
        java.net.http.HttpClient.Builder http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10));
        if (p.trustStore() != null) {
            http.sslContext(TrustStores.withDefaults(p.trustStore(), p.trustStorePassword()));
        }
        return new org.orbita.inbound.SnsMessages(p.certificateHosts(), http.build(), guard, clock);
    }

    /** Inbound sources: their calls kept in the same database as the webhooks' outbox, answered on the public origin. */
    @Bean
    org.orbita.inbound.InboundHooks inboundHooks(SettingsStore settings, SqlDatabase marketDatabase, ClientDatabases databases,
                                                 org.orbita.profiles.ProfileWriting writing, org.orbita.profiles.EventIngest ingest,
                                                 org.orbita.common.Signer signer, org.orbita.inbound.SnsMessages sns, Access access, Clock clock) {
        return new org.orbita.inbound.InboundHooks(settings, new org.orbita.inbound.store.SqlInboundLog(marketDatabase), databases, writing, ingest,
                signer, sns, access, clock);
    }

    /** The mobile SDK's server side: its device registry in the same database as the webhooks' outbox, its calls on the public origin. */
    @Bean
    org.orbita.mobile.MobileSdk mobileSdk(SettingsStore settings, SqlDatabase marketDatabase, ClientDatabases databases,
                                          org.orbita.profiles.ProfileStore profiles, org.orbita.profiles.ProfileWriting writing,
                                          org.orbita.tracking.SubscriptionMarks marks, org.orbita.profiles.EventIngest ingest,
                                          org.orbita.sending.SendLedger ledger, Access access, Clock clock) {
        return new org.orbita.mobile.MobileSdk(settings, new org.orbita.mobile.store.SqlDeviceRegistry(marketDatabase), databases, profiles,
                writing, marks, ingest, ledger, access, clock);
    }

    /**
     * Retargeting audiences: segments kept in Meta, Yandex Audiences and Google Customer Match by
     * their differences (what was sent kept in the same database as the webhooks' outbox), the
     * syncs that are due run every minute on the {@code audience-syncs} thread.
     */
    @Bean
    org.orbita.retargeting.AudienceSyncs audienceSyncs(SettingsStore settings, SqlDatabase marketDatabase, ClientDatabases databases,
                                                       org.orbita.profiles.ProfileStore profiles, org.orbita.audiences.Segments segments,
                                                       NetworkGuard guard, Access access, Clock clock) {
        org.orbita.retargeting.AudienceSyncs.SegmentSource source = new org.orbita.retargeting.AudienceSyncs.SegmentSource() {
            @Override
            public java.util.Optional<String> databaseOf(String segmentId) {
                return segments.find(segmentId).map(org.orbita.audiences.Segment::databaseId);
            }

            @Override
            public java.util.List<String> members(String segmentId, String after, int limit) {
                return segments.members(segmentId, after, limit);
            }
        };
        return new org.orbita.retargeting.AudienceSyncs(settings, new org.orbita.retargeting.store.SqlSyncedMembers(marketDatabase), databases,
                profiles, source, org.orbita.retargeting.AudienceSyncs.platforms(guard), access, clock);
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService audienceSyncSchedule(org.orbita.retargeting.AudienceSyncs syncs) {
        ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("audience-syncs").daemon().factory());
        every.scheduleWithFixedDelay(() -> {
            try {
                syncs.runDue();
            } catch (RuntimeException e) {
                log.error("Audience syncs: running the due syncs failed; tried again in a minute", e);
            }
        }, 1, 1, TimeUnit.MINUTES);
        return every;
    }

    /** SMS gateways that report by polling (SMS Traffic) asked for the statuses they owe, every minute ({@code sms-receipts} thread). */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService smsReceiptPolls(org.orbita.app.campaigns.ChannelProviders providers) {
        ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("sms-receipts").daemon().factory());
        every.scheduleWithFixedDelay(() -> {
            try {
                providers.pollSmsReceipts();
            } catch (RuntimeException e) {
                log.error("SMS receipts: polling the gateway failed; tried again in a minute", e);
            }
        }, 1, 1, TimeUnit.MINUTES);
        return every;
    }

    /** AppMetrica pulls, run every minute when due ({@code appmetrica-pulls} thread). */
    @Bean
    org.orbita.inbound.AppMetricaPulls appMetricaPulls(SettingsStore settings, ClientDatabases databases, org.orbita.profiles.EventIngest ingest,
                                                       NetworkGuard guard, Access access, Clock clock) {
        return new org.orbita.inbound.AppMetricaPulls(settings, databases, ingest, guard, access, clock);
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService appMetricaSchedule(org.orbita.inbound.AppMetricaPulls pulls) {
        ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("appmetrica-pulls").daemon().factory());
        every.scheduleWithFixedDelay(() -> {
            try {
                pulls.pullDue();
            } catch (RuntimeException e) {
                log.error("AppMetrica: running the due pulls failed; tried again in a minute", e);
            }
        }, 1, 1, TimeUnit.MINUTES);
        return every;
    }

    /** The calls themselves, {@code orbita.webhooks.workers} at once. */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService webhookCalls(OrbitaProperties props) {
        return Executors.newFixedThreadPool(props.webhooks().workers(), Thread.ofPlatform().name("webhook-call-", 0).daemon().factory());
    }

    /** Sends what is due every second (as long as there is more), and forgets old deliveries (and inbound calls past 30 days) hourly. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService webhookDeliveries(Webhooks webhooks, ExecutorService webhookCalls, org.orbita.inbound.InboundHooks inbound) {
        ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("webhook-deliveries").daemon().factory());
        every.scheduleWithFixedDelay(() -> {
            try {
                while (webhooks.deliverDue(webhookCalls) > 0) {
                    // a full batch: more may be due at once
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.error("Webhooks: sending due calls failed; tried again in a second", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        every.scheduleWithFixedDelay(() -> {
            try {
                int purged = webhooks.purge() + inbound.purge(30);
                if (purged > 0) {
                    log.info("Webhooks: {} old deliveries and inbound calls forgotten", purged);
                }
            } catch (RuntimeException e) {
                log.error("Webhooks: forgetting old deliveries failed; tried again in an hour", e);
            }
        }, 1, 60, TimeUnit.MINUTES);
        return every;
    }
}
