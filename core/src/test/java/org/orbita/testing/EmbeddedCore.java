package org.orbita.testing;

import java.nio.file.Path;
import java.time.Clock;
import org.orbita.jobs.JobReports;
import org.orbita.jobs.Jobs;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.exports.ProfileExport;
import org.orbita.profiles.imports.ProfileImport;
import org.orbita.storage.duckdb.DuckDbEventLog;
import org.orbita.storage.sqlite.SqliteStore;

/** The core services over the embedded engines in a folder, as tests use them. */
public final class EmbeddedCore implements AutoCloseable {

    public final SqliteStore store;
    public final DuckDbEventLog events;
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
        store = new SqliteStore(folder.resolve("orbita.db"), false);
        events = new DuckDbEventLog(folder.resolve("events.duckdb"));
        databases = new ClientDatabases(store, store, clock);
        writing = new ProfileWriting(store, events, clock);
        jobs = new Jobs(store, clock);
        reports = new JobReports(folder.resolve("jobs"));
        imports = new ProfileImport(databases, store, writing, events, jobs, reports, 512L << 20);
        exports = new ProfileExport(store);
    }

    @Override
    public void close() {
        events.close();
        store.close();
    }
}
