package org.orbita.app.config;

import java.time.Clock;
import org.orbita.access.Access;
import org.orbita.events.EventLog;
import org.orbita.groups.Groups;
import org.orbita.jobs.JobReports;
import org.orbita.jobs.Jobs;
import org.orbita.jobs.Schedules;
import org.orbita.outbound.GuardedJdbc;
import org.orbita.outbound.NetworkGuard;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.EventIngest;
import org.orbita.profiles.ProfileCopy;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.exports.ProfileExport;
import org.orbita.profiles.imports.ProfileImport;
import org.orbita.profiles.imports.SqlImports;
import org.orbita.roles.Roles;
import org.orbita.settings.SettingsStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The core's application services, wired over whichever engines storage chose. */
@Configuration(proxyBeanMethods = false)
class CoreConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The roles of each workspace, asked by who acts now. */
    @Bean
    Roles roles(SettingsStore settings, Access access, Clock clock) {
        return new Roles(settings, access, clock);
    }

    @Bean
    Groups groups(SettingsStore settings, Access access, Clock clock) {
        return new Groups(settings, access, clock);
    }

    @Bean
    Schedules schedules() {
        return new CronSchedules();
    }

    @Bean
    ClientDatabases clientDatabases(Access access, SettingsStore settings, ProfileStore profiles, Clock clock) {
        return new ClientDatabases(settings, profiles, clock, access);
    }

    @Bean
    ProfileWriting profileWriting(Access access, ProfileStore profiles, EventLog events, Clock clock) {
        return new ProfileWriting(profiles, events, clock, access);
    }

    @Bean
    Jobs jobs(SettingsStore settings, Clock clock) {
        return new Jobs(settings, clock);
    }

    @Bean
    JobReports jobReports(OrbitaProperties props) {
        return new JobReports(props.dataDir().resolve("jobs"));
    }

    @Bean
    ProfileImport profileImport(ClientDatabases databases, ProfileStore profiles, ProfileWriting writing, EventLog events,
            Jobs jobs, JobReports reports, OrbitaProperties props, SqlImports sqlImports) {
        return new ProfileImport(databases, profiles, writing, events, jobs, reports, props.imports().maxUnpackedSize().toBytes(),
                sqlImports);
    }

    @Bean
    SqlImports sqlImports(SettingsStore settings, ClientDatabases databases, Schedules schedules, NetworkGuard guard, Clock clock) {
        return new SqlImports(settings, databases, schedules::valid, new GuardedJdbc(guard), clock);
    }

    @Bean
    EventIngest eventIngest(ProfileStore profiles, EventLog events, Clock clock) {
        return new EventIngest(profiles, events, clock);
    }

    @Bean
    ProfileCopy profileCopy(ClientDatabases databases, ProfileStore profiles, ProfileWriting writing, EventLog events, Jobs jobs,
            JobReports reports) {
        return new ProfileCopy(databases, profiles, writing, events, jobs, reports);
    }

    @Bean
    ProfileExport profileExport(ProfileStore profiles, Access access) {
        return new ProfileExport(profiles, access);
    }
}
