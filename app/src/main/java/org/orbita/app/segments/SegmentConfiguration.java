package org.orbita.app.segments;

import java.time.Clock;
import org.orbita.access.Access;
import org.orbita.app.config.OrbitaProperties;
import org.orbita.audiences.RecentEvents;
import org.orbita.audiences.SegmentExplorer;
import org.orbita.audiences.SegmentJobs;
import org.orbita.audiences.SegmentMembers;
import org.orbita.audiences.SegmentReactor;
import org.orbita.audiences.SegmentSyncs;
import org.orbita.audiences.Segments;
import org.orbita.events.EventBus;
import org.orbita.jobs.Jobs;
import org.orbita.jobs.Schedules;
import org.orbita.outbound.GuardedJdbc;
import org.orbita.outbound.NetworkGuard;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.ProfileStore;
import org.orbita.settings.SettingsStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Audiences: segments, the real-time reactor that keeps them current, recompute jobs and SQL syncs. */
@Configuration(proxyBeanMethods = false)
class SegmentConfiguration {

    @Bean
    Segments segments(Access access, SettingsStore settings, ClientDatabases databases, ProfileStore profiles, SegmentMembers members, EventBus events,
            RecentEvents recent, Clock clock, OrbitaProperties props) {
        Segments segments = new Segments(settings, databases, profiles, members, events, recent, clock, access);
        segments.setRetention(props.segments().behaviourRetention());
        return segments;
    }

    @Bean
    SegmentExplorer segmentExplorer(Segments segments, ClientDatabases databases, ProfileStore profiles, SegmentMembers members,
            RecentEvents recent, Clock clock) {
        return new SegmentExplorer(segments, databases, profiles, members, recent, clock);
    }

    @Bean(destroyMethod = "close")
    SegmentReactor segmentReactor(Segments segments, ClientDatabases databases, RecentEvents recent, SettingsStore settings, EventBus events,
            Clock clock, OrbitaProperties props) {
        return new SegmentReactor(segments, databases, recent, settings, events, props.segments().realtimeQueue(),
                props.segments().recomputeInterval(), () -> recent.pruneRecent(clock.instant().minus(props.segments().behaviourRetention())));
    }

    @Bean
    SegmentJobs segmentJobs(Segments segments, Jobs jobs, SegmentReactor reactor) {
        return new SegmentJobs(segments, jobs, reactor);
    }

    @Bean
    SegmentSyncs segmentSyncs(SettingsStore settings, Segments segments, ClientDatabases databases, ProfileStore profiles, Schedules schedules,
            NetworkGuard guard, Clock clock) {
        return new SegmentSyncs(settings, segments, databases, profiles, schedules::valid, new GuardedJdbc(guard), clock);
    }

    @Bean(destroyMethod = "close")
    SegmentSyncScheduler segmentSyncScheduler(SegmentSyncs syncs) {
        return new SegmentSyncScheduler(syncs);
    }
}
