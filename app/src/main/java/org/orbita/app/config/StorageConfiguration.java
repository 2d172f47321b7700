package org.orbita.app.config;

import org.orbita.events.EventLog;
import org.orbita.storage.ProfileEngine;
import org.orbita.storage.clickhouse.ClickHouseEventLog;
import org.orbita.storage.duckdb.DuckDbEventLog;
import org.orbita.storage.mongo.MongoStore;
import org.orbita.storage.sqlite.SqliteStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses the storage engines: the embedded SQLite store and DuckDB log by default,
 * MongoDB and ClickHouse when {@code orbita.storage.*} says so.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

    /** Profiles and settings live in one engine, which serves both ports. */
    @Bean(destroyMethod = "close")
    ProfileEngine profileEngine(OrbitaProperties props) {
        return switch (props.storage().profiles()) {
            case "embedded" -> {
                log.info("Profiles and settings: embedded SQLite store in {}", props.dataDir().toAbsolutePath());
                yield new SqliteStore(props.dataDir().resolve("orbita.db"), props.storage().fullSync());
            }
            case "mongodb" -> {
                log.info("Profiles and settings: MongoDB database '{}'", props.mongodb().database());
                yield new MongoStore(props.mongodb().uri(), props.mongodb().database());
            }
            default -> throw new IllegalStateException(
                    "orbita.storage.profiles must be 'embedded' or 'mongodb', not '" + props.storage().profiles() + "'");
        };
    }

    /** The event log as stored; other beans get {@code eventLog}, which also feeds real-time segments. */
    @Bean(destroyMethod = "close")
    EventLog storedEventLog(OrbitaProperties props) {
        return switch (props.storage().events()) {
            case "embedded" -> {
                log.info("Events: embedded DuckDB in {}", props.dataDir().toAbsolutePath());
                yield new DuckDbEventLog(props.dataDir().resolve("events.duckdb"));
            }
            case "clickhouse" -> {
                var c = props.clickhouse();
                log.info("Events: ClickHouse at {} database '{}'", c.url(), c.database());
                yield new ClickHouseEventLog(c.url(), c.user(), c.password(), c.database());
            }
            default -> throw new IllegalStateException(
                    "orbita.storage.events must be 'embedded' or 'clickhouse', not '" + props.storage().events() + "'");
        };
    }
}
