package org.orbita.testing;

import java.nio.file.Path;
import java.time.Clock;
import org.orbita.access.Access;
import org.orbita.audiences.store.SqliteRecentEvents;
import org.orbita.audiences.store.SqliteSegmentMembers;
import org.orbita.events.EventBus;
import org.orbita.events.store.DuckDbEventLog;
import org.orbita.jobs.JobReports;
import org.orbita.jobs.Jobs;
import org.orbita.journeys.store.SqliteJourneyLedger;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.exports.ProfileExport;
import org.orbita.profiles.imports.ProfileImport;
import org.orbita.profiles.store.SqliteProfiles;
import org.orbita.sending.store.SqliteSendLedger;
import org.orbita.settings.store.SqliteSettings;
import org.orbita.storage.sqlite.SqliteConnections;

/** The core services over the embedded engines in a folder, as tests use them: every store over one SQLite file, events through the bus. */
public final class EmbeddedCore implements AutoCloseable {

    public final SqliteConnections sqlite;
    public final SqliteProfiles profiles;
    public final SqliteSettings settings;
    public final SqliteSegmentMembers members;
    public final SqliteRecentEvents recent;
    public final SqliteSendLedger ledger;
    public final SqliteJourneyLedger journeyLedger;
    public final DuckDbEventLog stored;
    public final EventBus events;
    public final ClientDatabases databases;
    public final ProfileWriting writing;
    public final Jobs jobs;
    public final JobReports reports;
    public final ProfileImport imports;
    public final ProfileExport exports;

    public EmbeddedCore(Path folder) {
        this(folder, Clock.systemUTC());
    }

    public EmbeddedCore(Path folder, Clock clock) {
        sqlite = new SqliteConnections(folder.resolve("orbita.db"), false);
        profiles = new SqliteProfiles(sqlite);
        settings = new SqliteSettings(sqlite);
        members = new SqliteSegmentMembers(sqlite);
        recent = new SqliteRecentEvents(sqlite);
        ledger = new SqliteSendLedger(sqlite);
        journeyLedger = new SqliteJourneyLedger(sqlite);
        stored = new DuckDbEventLog(folder.resolve("events.duckdb"));
        events = new EventBus(stored);
        databases = new ClientDatabases(settings, profiles, clock, Access.SYSTEM);
        writing = new ProfileWriting(profiles, events, clock, Access.SYSTEM);
        jobs = new Jobs(settings, clock);
        reports = new JobReports(folder.resolve("jobs"));
        imports = new ProfileImport(databases, profiles, writing, events, jobs, reports, 512L << 20);
        exports = new ProfileExport(profiles, org.orbita.access.Access.SYSTEM);
    }

    @Override
    public void close() {
        events.close();
        sqlite.close();
    }
}
