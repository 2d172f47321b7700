package org.orbita.app.promo;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.orbita.access.Access;
import org.orbita.app.security.TeamMail;
import org.orbita.events.EventLog;
import org.orbita.outbound.NetworkGuard;
import org.orbita.promo.HttpCodeService;
import org.orbita.promo.PromoPools;
import org.orbita.promo.PromoStore;
import org.orbita.sending.SendPipeline;
import org.orbita.settings.SettingsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Promo code pools: their codes in the profiles' store (SQLite embedded, MongoDB in production),
 * services that refill them pulled every minute, a low pool told to its alert addresses by mail;
 * the send pipeline hands out the codes of messages that name a pool.
 */
@Configuration(proxyBeanMethods = false)
public class PromoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PromoConfiguration.class);

    @Bean
    PromoPools promoPools(SettingsStore settings, PromoStore store, EventLog events, NetworkGuard guard, Access access, Clock clock,
                          TeamMail mail, SendPipeline pipeline) {
        PromoPools pools = new PromoPools(settings, store, events, new HttpCodeService(guard, Duration.ofSeconds(20)), access, clock);
        pipeline.usePromo(pools::issue);
        pools.onLow((pool, available) -> {
            log.warn("Promo code pool {} of workspace {} is low: {} codes available, the alert mark is {}", pool.id(), pool.workspaceId(),
                    available, pool.alertBelow());
            if (pool.alertEmails() != null) {
                mail.notice(pool.workspaceId(), pool.alertEmails(), "Promo code pool \"" + pool.name() + "\" is running low",
                        "The promo code pool \"" + pool.name() + "\" (" + pool.id() + ") has " + available + " codes left, fewer than its alert mark of "
                                + pool.alertBelow() + ". Generate, import or pull more codes before messages that need one are skipped.");
            }
        });
        return pools;
    }

    /** Pulls codes for pools whose service refills them, every minute. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService promoRefills(PromoPools pools) {
        ScheduledExecutorService refills = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("promo-refills").daemon().factory());
        refills.scheduleWithFixedDelay(() -> {
            try {
                int pulled = pools.refillDue();
                if (pulled > 0) {
                    log.info("Promo code pools: {} refilled from their services", pulled);
                }
            } catch (RuntimeException e) {
                log.error("Promo code pools: refilling from their services failed; tried again in a minute", e);
            }
        }, 1, 1, TimeUnit.MINUTES);
        return refills;
    }
}
