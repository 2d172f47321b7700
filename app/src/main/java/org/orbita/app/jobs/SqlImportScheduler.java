package org.orbita.app.jobs;

import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.orbita.jobs.Job;
import org.orbita.jobs.JobRunner;
import org.orbita.jobs.Jobs;
import org.orbita.profiles.imports.ProfileImport;
import org.orbita.profiles.imports.SqlImport;
import org.orbita.profiles.imports.SqlImports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.stereotype.Component;

/**
 * Starts scheduled SQL imports on their cron (in UTC). A run is skipped while the previous
 * run of the same schedule is still going.
 */
@Component
public class SqlImportScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SqlImportScheduler.class);

    private final SqlImports sqlImports;
    private final ProfileImport imports;
    private final JobRunner runner;
    private final Jobs jobs;
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private final Map<String, ScheduledFuture<?>> scheduled = new ConcurrentHashMap<>();

    public SqlImportScheduler(SqlImports sqlImports, ProfileImport imports, JobRunner runner, Jobs jobs) {
        this.sqlImports = sqlImports;
        this.imports = imports;
        this.runner = runner;
        this.jobs = jobs;
        scheduler.setPoolSize(1);
        scheduler.setThreadNamePrefix("orbita-sql-import-");
        scheduler.initialize();
    }

    @EventListener(ApplicationReadyEvent.class)
    public void scheduleAll() {
        sqlImports.list().forEach(this::schedule);
    }

    /** (Re)schedules one import by its cron; none when it has no cron or is disabled. */
    public void schedule(SqlImport s) {
        unschedule(s.id());
        if (s.enabled() && s.cron() != null) {
            scheduled.put(s.id(), scheduler.schedule(() -> runScheduled(s.id()), new CronTrigger(s.cron(), ZoneOffset.UTC)));
        }
    }

    public void unschedule(String id) {
        ScheduledFuture<?> f = scheduled.remove(id);
        if (f != null) {
            f.cancel(false);
        }
    }

    private void runScheduled(String id) {
        sqlImports.find(id).ifPresent(s -> {
            boolean busy = s.lastJobId() != null && jobs.find(s.lastJobId()).map(j -> !j.finishedRunning()).orElse(false);
            if (busy) {
                log.info("SQL import {} still running; this turn is skipped", id);
                return;
            }
            start(s);
        });
    }

    /** Starts one run now and returns its job. */
    public Job start(SqlImport s) {
        Job job = imports.submitSql(s);
        runner.submit(job);
        return job;
    }

    @Override
    public void close() {
        scheduler.shutdown();
    }
}
