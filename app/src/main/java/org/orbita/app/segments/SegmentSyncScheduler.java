package org.orbita.app.segments;

import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.orbita.audiences.SegmentSync;
import org.orbita.audiences.SegmentSyncs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;

/** Runs segment syncs on their cron (UTC), one at a time. */
public class SegmentSyncScheduler implements SegmentSyncs.Schedule, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SegmentSyncScheduler.class);

    private final SegmentSyncs syncs;
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private final Map<String, ScheduledFuture<?>> scheduled = new ConcurrentHashMap<>();

    public SegmentSyncScheduler(SegmentSyncs syncs) {
        this.syncs = syncs;
        syncs.setSchedule(this);
        scheduler.setPoolSize(1);
        scheduler.setThreadNamePrefix("orbita-segment-sync-");
        scheduler.initialize();
    }

    @EventListener(ApplicationReadyEvent.class)
    public void scheduleAll() {
        syncs.list().forEach(this::schedule);
    }

    @Override
    public void schedule(SegmentSync s) {
        unschedule(s.id());
        if (s.enabled() && s.cron() != null) {
            scheduled.put(s.id(), scheduler.schedule(() -> {
                try {
                    syncs.run(s.id());
                } catch (RuntimeException e) {
                    log.error("segment sync {} to table {} failed", s.id(), s.table(), e);
                }
            }, new CronTrigger(s.cron(), ZoneOffset.UTC)));
        }
    }

    @Override
    public void unschedule(String id) {
        ScheduledFuture<?> f = scheduled.remove(id);
        if (f != null) {
            f.cancel(false);
        }
    }

    @Override
    public void close() {
        scheduler.shutdown();
    }
}
