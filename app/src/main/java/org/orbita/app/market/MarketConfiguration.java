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
     * The market's minute jobs on one thread: the events of order batches stored while the event log did not answer
     * (or before a crash cut the batch short) logged — 5 s after the start, then every minute; the next batch of a
     * workspace does it too — and the carts whose abandonment fell due told.
     */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService marketMinutely(Markets markets, ShopActivity activity) {
        ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("market-minutely").daemon().factory());
        minutely(every, 5, () -> markets.logUnlogged(null), "the events of {} order batches stored earlier logged",
                "logging the events of order batches stored earlier");
        minutely(every, 60, activity::tellAbandoned, "{} abandoned carts told", "telling abandoned carts");
        return every;
    }

    /** A job every minute (the first after {@code firstSeconds}): what it did logged when it did something, a failure with its cause. */
    private static void minutely(ScheduledExecutorService every, long firstSeconds, java.util.function.IntSupplier job, String did, String doing) {
        every.scheduleWithFixedDelay(() -> {
            try {
                int n = job.getAsInt();
                if (n > 0) {
                    log.info("Market: " + did, n);
                }
            } catch (RuntimeException e) {
                log.error("Market: {} failed; tried again in a minute", doing, e);
            }
        }, firstSeconds, 60, TimeUnit.SECONDS);
    }
}
