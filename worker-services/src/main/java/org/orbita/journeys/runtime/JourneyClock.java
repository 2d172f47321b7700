package org.orbita.journeys.runtime;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.orbita.audiences.Segments;
import org.orbita.jobs.Schedules;
import org.orbita.journeys.JourneyDefinition;
import org.orbita.journeys.Journeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread behind journeys that enter a segment's members on a schedule, and behind the
 * embedded engine's recycling (after {@code recycleAfter} instances; 0: never); it looks every
 * 15 seconds.
 */
public final class JourneyClock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JourneyClock.class);

    private final Thread thread;
    private final Map<String, Instant> checked = new ConcurrentHashMap<>();

    public JourneyClock(JourneyRuntime runtime, Journeys journeys, Segments segments, Schedules schedules, long recycleAfter, Clock clock) {
        thread = Thread.ofPlatform().name("journeys-clock").daemon(true).start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(15_000);
                    Instant now = clock.instant();
                    for (JourneyDefinition d : journeys.live()) {
                        if ("schedule".equals(d.startSetting("entry"))) {
                            scheduled(runtime, segments, schedules, d, now);
                        }
                    }
                    if (recycleAfter > 0 && runtime.createdSinceStart() >= recycleAfter) {
                        JourneyRuntime.Restored r = runtime.recycle();
                        log.info("the in-process engine was recycled: {} live instances put back in {} ms", r.instances(), r.millis());
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.error("journeys' clock failed; it looks again in 15 s", e);
                }
            }
        });
    }

    private void scheduled(JourneyRuntime runtime, Segments segments, Schedules schedules, JourneyDefinition d, Instant now) {
        Instant since = checked.computeIfAbsent(d.id() + "@" + d.version(), k -> now);
        Optional<Instant> due = schedules.next(d.startSetting("schedule"), since).filter(t -> !t.isAfter(now));
        if (due.isEmpty()) {
            return;
        }
        checked.put(d.id() + "@" + d.version(), due.get());
        long[] entered = {0};
        segments.forEachMember(d.startSetting("segment"), p -> {
            if (runtime.enter(d, p, Map.of("schedule", due.get().toString()), "schedule-" + due.get()).entered()) {
                entered[0]++;
            }
        });
        log.info("journey {}: {} profiles of segment {} entered on its schedule ({})", d.id(), entered[0], d.startSetting("segment"), due.get());
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
