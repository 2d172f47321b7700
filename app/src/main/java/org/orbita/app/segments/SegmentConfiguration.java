package org.orbita.app.segments;

import java.time.Clock;
import org.orbita.app.config.OrbitaProperties;
import org.orbita.events.EventLog;
import org.orbita.profiles.ClientDatabases;
import org.orbita.segments.Segments;
import org.orbita.storage.ProfileEngine;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

@Configuration
class SegmentConfiguration {

    @Bean
    Segments segments(ProfileEngine engine, ClientDatabases databases, @Qualifier("storedEventLog") EventLog stored, Clock clock,
            OrbitaProperties props) {
        Segments segments = new Segments(engine, databases, engine, engine, stored, engine, clock);
        segments.setRetention(props.segments().behaviourRetention());
        return segments;
    }

    @Bean(destroyMethod = "close")
    SegmentReactor segmentReactor(Segments segments, ClientDatabases databases, ProfileEngine engine,
            @Qualifier("storedEventLog") EventLog stored, Clock clock, OrbitaProperties props) {
        return new SegmentReactor(segments, databases, engine, engine, stored, props.segments().realtimeQueue(),
                props.segments().recomputeInterval(), () -> engine.pruneRecent(clock.instant().minus(props.segments().behaviourRetention())));
    }

    @Bean
    org.orbita.segments.SegmentSyncs segmentSyncs(ProfileEngine engine, Segments segments, ClientDatabases databases, Clock clock) {
        return new org.orbita.segments.SegmentSyncs(engine, segments, databases, engine,
                org.springframework.scheduling.support.CronExpression::isValidExpression, clock);
    }

    @Bean(destroyMethod = "close")
    SegmentSyncScheduler segmentSyncScheduler(org.orbita.segments.SegmentSyncs syncs) {
        return new SegmentSyncScheduler(syncs);
    }

    /** The event log everyone else appends to: stored, then real-time segment evaluation. */
    @Bean
    @Primary
    ReactingEventLog eventLog(@Qualifier("storedEventLog") EventLog stored, SegmentReactor reactor) {
        return new ReactingEventLog(stored, reactor);
    }
}
