package org.orbita.app.market;

import java.time.Clock;
import org.orbita.access.Access;
import org.orbita.app.config.OrbitaProperties;
import org.orbita.audiences.RfmSegments;
import org.orbita.audiences.Segments;
import org.orbita.events.EventLog;
import org.orbita.market.MarketStore;
import org.orbita.market.Markets;
import org.orbita.market.ShopActivity;
import org.orbita.events.EventBus;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.orbita.market.store.SqlMarketStore;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileWriting;
import org.orbita.settings.SettingsStore;
import org.orbita.storage.sql.PostgresDatabase;
import org.orbita.storage.sql.SqlDatabase;
import org.orbita.storage.sql.SqliteDatabase;
import org.orbita.storage.sqlite.SqliteConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The market: its tables in the embedded SQLite file (the default) or PostgreSQL
 * ({@code orbita.market.store=postgresql}, {@code orbita.market.url}), one schema for both.
 */
@Configuration(proxyBeanMethods = false)
public class MarketConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MarketConfiguration.class);

    /** Where the tables are (a PostgreSQL pool is closed with the context). */
    @Bean
    SqlDatabase marketDatabase(OrbitaProperties props, ObjectProvider<SqliteConnections> sqlite) {
        OrbitaProperties.Market m = props.market();
        if (m.store().equals("postgresql")) {
            log.info("Market: PostgreSQL at {}", m.url().replaceAll("(?i)password=[^&;]*", "password=***"));
            return new PostgresDatabase(m.url(), m.user(), m.password(), m.connections());
        }
        SqliteConnections file = sqlite.getIfAvailable();
        if (file == null) {
            throw new IllegalStateException("orbita.market.store=embedded needs the embedded store (orbita.storage.profiles=embedded);"
                    + " with MongoDB, set orbita.market.store=postgresql and orbita.market.url");
        }
        return new SqliteDatabase(file);
    }

    @Bean
    MarketStore marketStore(SqlDatabase marketDatabase) {
        return new SqlMarketStore(marketDatabase);
    }

    @Bean
    Markets markets(MarketStore store, SettingsStore settings, ClientDatabases databases, ProfileStore profiles, ProfileWriting writing,
                    EventLog events, Access access, Clock clock, org.orbita.sending.SendPipeline pipeline) {
        Markets markets = new Markets(store, settings, databases, profiles, writing, events, access, clock);
        pipeline.useOrders(markets::templateOrder);
        return markets;
    }

    /** Carts and product views from the sites' e-commerce events (it hears the bus: see EventReactions); abandoned carts, price drops and restocks told. */
    @Bean
    ShopActivity shopActivity(MarketStore store, SettingsStore settings, ClientDatabases databases, ProfileStore profiles, EventBus bus,
                              Access access, Clock clock, Markets markets, org.orbita.sending.SendPipeline pipeline) {
        ShopActivity activity = new ShopActivity(store, settings, databases, profiles, bus, access, clock);
        markets.onProductChanges(activity::productsChanged);
        pipeline.useCarts(activity::templateCart);
        return activity;
    }

    /** The built-in RFM segments, their thresholds from the buyers' orders. */
    @Bean
    RfmSegments rfmSegments(Segments segments, MarketStore store, ClientDatabases databases, SettingsStore settings, Access access, Clock clock) {
        return new RfmSegments(segments, store, databases, settings, access, clock);
    }

    /**
     * Logs the events of order batches stored while the event log did not answer (or before a crash cut the batch
     * short), a few seconds after the start and then every minute; the next batch of a workspace does it too.
     */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService unloggedOrders(Markets markets) {
        ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("market-unlogged").daemon().factory());
        every.scheduleWithFixedDelay(() -> {
            try {
                int batches = markets.logUnlogged(null);
                if (batches > 0) {
                    log.info("Market: the events of {} order batches stored earlier logged", batches);
                }
            } catch (RuntimeException e) {
                log.error("Market: logging the events of order batches stored earlier failed; tried again in a minute", e);
            }
        }, 5, 60, TimeUnit.SECONDS);
        return every;
    }

    /** Tells the carts whose abandonment fell due, every minute. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService abandonedCarts(ShopActivity activity) {
        ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("abandoned-carts").daemon().factory());
        every.scheduleWithFixedDelay(() -> {
            try {
                int told = activity.tellAbandoned();
                if (told > 0) {
                    log.info("Market: {} abandoned carts told", told);
                }
            } catch (RuntimeException e) {
                log.error("Market: telling abandoned carts failed; tried again in a minute", e);
            }
        }, 1, 1, TimeUnit.MINUTES);
        return every;
    }
}
