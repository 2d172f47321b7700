package org.orbita.app.config;

import org.orbita.audiences.RecentEvents;
import org.orbita.sites.Visitors;
import org.orbita.sites.store.MongoVisitors;
import org.orbita.sites.store.SqliteVisitors;
import org.orbita.audiences.SegmentMembers;
import org.orbita.audiences.store.MongoRecentEvents;
import org.orbita.audiences.store.MongoSegmentMembers;
import org.orbita.audiences.store.SqliteRecentEvents;
import org.orbita.audiences.store.SqliteSegmentMembers;
import org.orbita.audit.AuditStore;
import org.orbita.audit.store.MongoAuditStore;
import org.orbita.audit.store.SqliteAuditStore;
import org.orbita.events.EventBus;
import org.orbita.events.EventLog;
import org.orbita.events.store.ClickHouseEventLog;
import org.orbita.events.store.DuckDbEventLog;
import org.orbita.journeys.JourneyLedger;
import org.orbita.journeys.store.MongoJourneyLedger;
import org.orbita.journeys.store.SqliteJourneyLedger;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.store.MongoProfiles;
import org.orbita.profiles.store.SqliteProfiles;
import org.orbita.sending.SendLedger;
import org.orbita.sending.store.MongoSendLedger;
import org.orbita.sending.store.SqliteSendLedger;
import org.orbita.settings.SettingsStore;
import org.orbita.settings.store.MongoSettings;
import org.orbita.settings.store.SqliteSettings;
import org.orbita.storage.mongo.MongoConnection;
import org.orbita.storage.sqlite.SqliteConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The stores of every capability over the engine {@code orbita.storage.*} chooses: one SQLite
 * file (embedded, the default) or one MongoDB database for profiles, settings, memberships,
 * recent behaviour and the ledgers; DuckDB (embedded) or ClickHouse for events, which the rest
 * of the platform reaches only through the event bus.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

    /** The event log as stored, behind the bus: every append goes through the bus to the listeners. */
    @Bean(destroyMethod = "close")
    EventBus eventBus(OrbitaProperties props) {
        EventLog stored = switch (props.storage().events()) {
            case "embedded" -> {
                log.info("Events: embedded DuckDB in {}", props.dataDir().toAbsolutePath());
                yield new DuckDbEventLog(props.dataDir().resolve("events.duckdb"));
            }
            case "clickhouse" -> {
                var c = props.clickhouse();
                log.info("Events: ClickHouse at {} database '{}'", c.url(), c.database());
                yield new ClickHouseEventLog(c.url(), c.user(), c.password(), c.database());
            }
            default -> throw new IllegalStateException("orbita.storage.events: " + props.storage().events());
        };
        return new EventBus(stored);
    }

    /**
     * Every store in one SQLite file, so a transaction spans them (an import batch and its job checkpoint commit together) —
     * but the segments' recent behaviour, derived and the largest writer, in {@code recent.db} beside it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "orbita.storage.profiles", havingValue = "embedded", matchIfMissing = true)
    static class Embedded {

        @Bean(destroyMethod = "close")
        SqliteConnections sqlite(OrbitaProperties props) {
            log.info("Profiles and settings: embedded SQLite store in {}", props.dataDir().toAbsolutePath());
            return new SqliteConnections(props.dataDir().resolve("orbita.db"), props.storage().fullSync());
        }

        @Bean
        ProfileStore profileStore(SqliteConnections sqlite) {
            return new SqliteProfiles(sqlite);
        }

        @Bean
        SettingsStore settingsStore(SqliteConnections sqlite) {
            return new SqliteSettings(sqlite);
        }

        @Bean
        SegmentMembers segmentMembers(SqliteConnections sqlite) {
            return new SqliteSegmentMembers(sqlite);
        }

        /** In a file of its own ({@code recent.db}): see {@link SqliteRecentEvents}. */
        @Bean(destroyMethod = "close")
        SqliteRecentEvents recentEvents(OrbitaProperties props, SqliteConnections sqlite) {
            SqliteRecentEvents recent = SqliteRecentEvents.inFile(props.dataDir().resolve("recent.db"), props.storage().fullSync());
            long moved = recent.adopt(sqlite);
            if (moved > 0) {
                log.info("Recent behaviour moved from orbita.db into recent.db: {} events", moved);
            }
            return recent;
        }

        @Bean
        SendLedger sendLedger(SqliteConnections sqlite) {
            return new SqliteSendLedger(sqlite);
        }

        @Bean
        JourneyLedger journeyLedger(SqliteConnections sqlite) {
            return new SqliteJourneyLedger(sqlite);
        }

        @Bean
        AuditStore auditStore(SqliteConnections sqlite) {
            return new SqliteAuditStore(sqlite);
        }

        @Bean
        Visitors visitors(SqliteConnections sqlite) {
            return new SqliteVisitors(sqlite);
        }

        @Bean
        org.orbita.promo.PromoStore promoStore(SqliteConnections sqlite) {
            return new org.orbita.promo.store.SqlitePromoStore(sqlite);
        }
    }

    /** Every store in one MongoDB database. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "orbita.storage.profiles", havingValue = "mongodb")
    static class Mongo {

        @Bean(destroyMethod = "close")
        MongoConnection mongo(OrbitaProperties props) {
            log.info("Profiles and settings: MongoDB database '{}'", props.mongodb().database());
            return new MongoConnection(props.mongodb().uri(), props.mongodb().database());
        }

        @Bean
        ProfileStore profileStore(MongoConnection mongo) {
            return new MongoProfiles(mongo);
        }

        @Bean
        SettingsStore settingsStore(MongoConnection mongo) {
            return new MongoSettings(mongo);
        }

        @Bean
        SegmentMembers segmentMembers(MongoConnection mongo) {
            return new MongoSegmentMembers(mongo);
        }

        @Bean
        RecentEvents recentEvents(MongoConnection mongo) {
            return new MongoRecentEvents(mongo);
        }

        @Bean
        SendLedger sendLedger(MongoConnection mongo) {
            return new MongoSendLedger(mongo);
        }

        @Bean
        JourneyLedger journeyLedger(MongoConnection mongo) {
            return new MongoJourneyLedger(mongo);
        }

        @Bean
        AuditStore auditStore(MongoConnection mongo) {
            return new MongoAuditStore(mongo);
        }

        @Bean
        Visitors visitors(MongoConnection mongo) {
            return new MongoVisitors(mongo);
        }

        @Bean
        org.orbita.promo.PromoStore promoStore(MongoConnection mongo) {
            return new org.orbita.promo.store.MongoPromoStore(mongo);
        }
    }
}
