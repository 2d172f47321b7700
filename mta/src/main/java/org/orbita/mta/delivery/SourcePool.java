package org.orbita.mta.delivery;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses a node sends from: each with its HELO name, a weight for how much of the
 * traffic it takes, a pool ({@code default} unless named; the shaping rules choose a pool per
 * destination), and an optional
 * warm-up ramp — the most messages it may send on each day from a start date
 * ({@code 2026-11-01:1000,2000,5000,…}; unlimited after the last step), so a new address builds
 * its reputation slowly. A connection picks an address by weight among those under today's
 * volume. Today's counts are kept in a small file (written at most every second), so a restart
 * does not hand a ramping address a fresh day. Without configured addresses the system chooses
 * the source.
 */
public final class SourcePool implements Closeable {

    /** The pool of addresses that name none, and the one sites use unless the rules say otherwise. */
    public static final String DEFAULT_POOL = "default";

    private static final Logger log = LoggerFactory.getLogger(SourcePool.class);

    /** One source address (null: the system's choice) with its HELO name, pool and ramp. */
    public record Source(InetAddress address, String helo, int weight, String pool, LocalDate warmupStart, List<Long> warmup) {

        /** The most this address may send on a day (Long.MAX_VALUE when not ramping). */
        long capOn(LocalDate day) {
            if (warmup.isEmpty()) {
                return Long.MAX_VALUE;
            }
            long index = ChronoUnit.DAYS.between(warmupStart, day);
            return index < 0 ? warmup.get(0) : index >= warmup.size() ? Long.MAX_VALUE : warmup.get((int) index);
        }

        public String name() {
            return address == null ? "default" : address.getHostAddress();
        }
    }

    private final List<Source> sources;
    private final Clock clock;
    private final Map<String, long[]> sentToday = new ConcurrentHashMap<>(); // name → {epoch day, count}
    private final Path counts;
    private volatile boolean dirty;
    private final Thread saver;

    /**
     * @param counts where today's counts are kept across restarts (null: in memory only)
     */
    public SourcePool(List<Source> sources, Clock clock, Path counts) {
        this.sources = List.copyOf(sources);
        this.clock = clock;
        this.counts = counts;
        if (counts != null && Files.exists(counts)) {
            load();
        }
        this.saver = counts == null ? null : Thread.ofPlatform().name("source-counts").daemon(true).start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
                save();
            }
        });
    }

    /** A pool of the system's address alone, saying the node's name. */
    public static SourcePool single(String helo) {
        return new SourcePool(List.of(new Source(null, helo, 1, DEFAULT_POOL, null, List.of())), Clock.systemUTC(), null);
    }

    /**
     * Reads {@code mta.source.<address>.helo}, {@code .weight}, {@code .pool} and {@code .warmup} entries.
     *
     * @param counts the file today's counts are kept in (null: memory only)
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    public static SourcePool of(Map<String, String> entries, String defaultHelo, Clock clock, Path counts) {
        Map<String, Map<String, String>> byAddress = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            int dot = key.lastIndexOf('.');
            if (dot <= 0) {
                throw new IllegalArgumentException("mta.source." + key + ": write mta.source.<address>.helo, .weight, .pool or .warmup");
            }
            byAddress.computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<>()).put(key.substring(dot + 1), value);
        });
        if (byAddress.isEmpty()) {
            return new SourcePool(List.of(new Source(null, defaultHelo, 1, DEFAULT_POOL, null, List.of())), clock, null);
        }
        List<Source> sources = new ArrayList<>();
        byAddress.forEach((address, settings) -> {
            String where = "mta.source." + address;
            InetAddress a;
            try {
                a = InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(where + ": not an IP address");
            }
            int weight;
            try {
                weight = Integer.parseInt(settings.getOrDefault("weight", "1"));
            } catch (NumberFormatException e) {
                weight = 0;
            }
            if (weight < 1) {
                throw new IllegalArgumentException(where + ".weight: a whole number of at least 1");
            }
            LocalDate start = null;
            List<Long> ramp = new ArrayList<>();
            String warmup = settings.get("warmup");
            if (warmup != null) {
                try {
                    int colon = warmup.indexOf(':');
                    start = LocalDate.parse(warmup.substring(0, colon).strip());
                    for (String step : warmup.substring(colon + 1).split(",")) {
                        ramp.add(Long.parseLong(step.strip()));
                    }
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(where + ".warmup: a start date and daily volumes, e.g. 2026-11-01:1000,2000,5000");
                }
            }
            String pool = settings.getOrDefault("pool", DEFAULT_POOL);
            if (!pool.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException(where + ".pool: a name of letters, digits, '.', '-' or '_'");
            }
            sources.add(new Source(a, settings.getOrDefault("helo", defaultHelo), weight, pool, start, List.copyOf(ramp)));
        });
        return new SourcePool(sources, clock, counts);
    }

    /** Whether some address belongs to the pool (any pool name when null). */
    public boolean hasPool(String pool) {
        return pool == null || sources.stream().anyMatch(s -> pool.equals(s.pool()));
    }

    /**
     * An address for the next message, by weight among those of the pool (null: all) under
     * today's volume, with that message counted against it at once (so parallel connections
     * cannot overshoot a warm-up step); empty when every such address has reached today's volume.
     */
    public Optional<Source> pick(String pool) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        List<Source> open = new ArrayList<>(sources.stream()
                .filter(s -> (pool == null || pool.equals(s.pool())) && sent(s, today) < s.capOn(today)).toList());
        while (!open.isEmpty()) {
            int total = open.stream().mapToInt(Source::weight).sum();
            int r = ThreadLocalRandom.current().nextInt(total);
            Source chosen = open.get(open.size() - 1);
            for (Source s : open) {
                r -= s.weight();
                if (r < 0) {
                    chosen = s;
                    break;
                }
            }
            if (take(chosen)) {
                return Optional.of(chosen);
            }
            open.remove(chosen);
        }
        return Optional.empty();
    }

    /** Counts one more message from an address if today's volume allows it. */
    public boolean take(Source s) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        long day = today.toEpochDay();
        long cap = s.capOn(today);
        boolean[] taken = {false};
        sentToday.compute(s.name(), (k, v) -> {
            long n = v == null || v[0] != day ? 0 : v[1];
            if (n >= cap) {
                return v;
            }
            taken[0] = true;
            return new long[] {day, n + 1};
        });
        if (taken[0] && counts != null) {
            dirty = true;
        }
        return taken[0];
    }

    /** Reads the counts a previous run kept: lines of {@code address epochDay count}. */
    private void load() {
        try {
            for (String line : Files.readAllLines(counts)) {
                String[] f = line.strip().split(" ");
                if (f.length == 3) {
                    sentToday.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.warn("today's source counts in {} not read, counting from zero: {}", counts, e.toString());
        }
    }

    /** Writes the counts if they changed (a new file moved over the old, so a crash leaves one or the other). */
    private void save() {
        if (!dirty) {
            return;
        }
        dirty = false;
        StringBuilder out = new StringBuilder();
        sentToday.forEach((name, v) -> out.append(name).append(' ').append(v[0]).append(' ').append(v[1]).append('\n'));
        Path next = counts.resolveSibling(counts.getFileName() + ".new");
        try {
            Files.writeString(next, out);
            Files.move(next, counts, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            dirty = true;
            log.warn("today's source counts not saved to {}: {}", counts, e.toString());
        }
    }

    @Override
    public void close() {
        if (saver != null) {
            saver.interrupt();
            save();
        }
    }

    private long sent(Source s, LocalDate today) {
        long[] v = sentToday.get(s.name());
        return v == null || v[0] != today.toEpochDay() ? 0 : v[1];
    }

    /** Each address with today's count and cap, for the admin API. */
    public List<Map<String, Object>> status() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Source s : sources) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", s.name());
            m.put("helo", s.helo());
            m.put("weight", s.weight());
            m.put("pool", s.pool());
            m.put("sentToday", sent(s, today));
            long cap = s.capOn(today);
            m.put("capToday", cap == Long.MAX_VALUE ? null : cap);
            out.add(m);
        }
        return out;
    }
}
