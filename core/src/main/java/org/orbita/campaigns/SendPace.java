package org.orbita.campaigns;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How fast a run may send: at most so many messages in the current UTC minute, hour and day, and
 * under a warm-up ramp at most the quota of the run's day (day 0 starting when the run started).
 * Its counts are kept in the run's job ({@link #state()}), so a run resumed after a restart goes on
 * counting where it stopped.
 */
final class SendPace {

    private static final long[] WINDOW_SECONDS = {60, 3600, 86_400};

    private final Campaign.Rate rate;
    private final Campaign.Warmup warmup;
    private final Instant started;
    /** Per window (minute, hour, day, warm-up day): the window's number and what was sent in it. */
    private final long[][] counts = new long[4][2];

    @SuppressWarnings("unchecked")
    SendPace(Campaign.Rate rate, Campaign.Warmup warmup, Instant started, Object saved) {
        this.rate = rate;
        this.warmup = warmup;
        this.started = started;
        if (saved instanceof Map<?, ?> m && m.get("windows") instanceof List<?> windows) {
            for (int i = 0; i < Math.min(4, windows.size()); i++) {
                List<Number> w = (List<Number>) windows.get(i);
                counts[i][0] = w.get(0).longValue();
                counts[i][1] = w.get(1).longValue();
            }
        }
    }

    private long window(int i, Instant now) {
        return i < 3 ? now.getEpochSecond() / WINDOW_SECONDS[i] : Duration.between(started, now).toDays();
    }

    private long limit(int i) {
        if (i == 3) {
            return warmup == null ? 0 : warmup.quota(counts[3][0]);
        }
        if (rate == null) {
            return 0;
        }
        return i == 0 ? rate.perMinute() : i == 1 ? rate.perHour() : rate.perDay();
    }

    private void roll(Instant now) {
        for (int i = 0; i < 4; i++) {
            long w = window(i, now);
            if (counts[i][0] != w) {
                counts[i][0] = w;
                counts[i][1] = 0;
            }
        }
    }

    /** How many messages may go now (Integer.MAX_VALUE when nothing limits the run). */
    int allowed(Instant now) {
        roll(now);
        long room = Integer.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            long limit = limit(i);
            if (limit > 0) {
                room = Math.min(room, Math.max(0, limit - counts[i][1]));
            }
        }
        return (int) room;
    }

    void sent(Instant now, long messages) {
        roll(now);
        for (int i = 0; i < 4; i++) {
            counts[i][1] += messages;
        }
    }

    /** Sleeps until the first full window ends, at most 2 s (the caller looks for a cancel in between: a cancelled run frees its job thread soon). */
    void waitForRoom(Instant now) {
        long until = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            long limit = limit(i);
            if (limit > 0 && counts[i][1] >= limit) {
                Instant end = i < 3 ? Instant.ofEpochSecond((counts[i][0] + 1) * WINDOW_SECONDS[i]) : started.plus(Duration.ofDays(counts[i][0] + 1));
                until = Math.min(until, Duration.between(now, end).toMillis());
            }
        }
        try {
            Thread.sleep(Math.max(50, Math.min(2_000, until)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for room under the send rate", e);
        }
    }

    Map<String, Object> state() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("windows", List.of(List.of(counts[0][0], counts[0][1]), List.of(counts[1][0], counts[1][1]), List.of(counts[2][0], counts[2][1]),
                List.of(counts[3][0], counts[3][1])));
        return out;
    }
}
