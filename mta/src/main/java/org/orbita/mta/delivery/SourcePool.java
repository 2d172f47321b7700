package org.orbita.mta.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
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

/**
 * The addresses a node sends from: each with its HELO name, a weight for how much of the
 * traffic it takes, and an optional warm-up ramp — the most messages it may send on each day
 * from a start date ({@code 2026-11-01:1000,2000,5000,…}; unlimited after the last step), so a
 * new address builds its reputation slowly. A connection picks an address by weight among those
 * under today's volume. Without configured addresses the system chooses the source.
 */
public final class SourcePool {

    /** One source address (null: the system's choice) with its HELO name and ramp. */
    public record Source(InetAddress address, String helo, int weight, LocalDate warmupStart, List<Long> warmup) {

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

    public SourcePool(List<Source> sources, Clock clock) {
        this.sources = List.copyOf(sources);
        this.clock = clock;
    }

    /** A pool of the system's address alone, saying the node's name. */
    public static SourcePool single(String helo) {
        return new SourcePool(List.of(new Source(null, helo, 1, null, List.of())), Clock.systemUTC());
    }

    /**
     * Reads {@code mta.source.<address>.helo}, {@code .weight} and {@code .warmup} entries.
     *
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    public static SourcePool of(Map<String, String> entries, String defaultHelo, Clock clock) {
        Map<String, Map<String, String>> byAddress = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            int dot = key.lastIndexOf('.');
            if (dot <= 0) {
                throw new IllegalArgumentException("mta.source." + key + ": write mta.source.<address>.helo, .weight or .warmup");
            }
            byAddress.computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<>()).put(key.substring(dot + 1), value);
        });
        if (byAddress.isEmpty()) {
            return single(defaultHelo);
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
            sources.add(new Source(a, settings.getOrDefault("helo", defaultHelo), weight, start, List.copyOf(ramp)));
        });
        return new SourcePool(sources, clock);
    }

    /**
     * An address for the next message, by weight among those under today's volume, with that
     * message counted against it at once (so parallel connections cannot overshoot a warm-up
     * step); empty when every address has reached today's volume.
     */
    public Optional<Source> pick() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        List<Source> open = new ArrayList<>(sources.stream().filter(s -> sent(s, today) < s.capOn(today)).toList());
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
        return taken[0];
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
            m.put("sentToday", sent(s, today));
            long cap = s.capOn(today);
            m.put("capToday", cap == Long.MAX_VALUE ? null : cap);
            out.add(m);
        }
        return out;
    }
}
