package org.orbita.mta.intake;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The idempotency keys this node has spooled (for {@code ttl}, 7 days by default), so a
 * message the platform publishes twice — a campaign run resumed after a crash re-publishes
 * what it had not yet marked as queued — is sent once. A key is claimed before spooling (a
 * second copy arriving meanwhile is refused as a duplicate), kept after, released if the
 * spool refused the message. Keys are appended to a log beside the spool, not forced: the
 * spool's own records hold the keys of everything it still keeps, and are read back at start.
 */
public final class SeenKeys implements Closeable {

    private final Path file;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Long> keys = new ConcurrentHashMap<>();
    private final BufferedWriter log;

    public SeenKeys(Path file, Duration ttl, Clock clock, Collection<String> spooled) throws IOException {
        this.file = file;
        this.ttl = ttl;
        this.clock = clock;
        long now = clock.millis();
        long oldest = now - ttl.toMillis();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    try {
                        long at = Long.parseLong(line.substring(0, space));
                        if (at >= oldest) {
                            keys.put(line.substring(space + 1), at);
                        }
                    } catch (NumberFormatException e) {
                        // a line cut short by a crash: the spool still has its key if it matters
                    }
                }
            }
        }
        for (String k : spooled) {
            keys.putIfAbsent(k, now);
        }
        // rewritten without the expired keys, then appended to
        Path next = file.resolveSibling(file.getFileName() + ".new");
        try (BufferedWriter w = Files.newBufferedWriter(next, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, Long> e : keys.entrySet()) {
                w.write(e.getValue() + " " + e.getKey() + "\n");
            }
        }
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        this.log = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Takes a key for a message about to be spooled; false when it was spooled (or is being) already. */
    public boolean claim(String key) {
        long now = clock.millis();
        Long before = keys.putIfAbsent(key, now);
        if (before == null) {
            return true;
        }
        if (before < now - ttl.toMillis()) {
            return keys.replace(key, before, now);
        }
        return false;
    }

    /** Keeps a claimed key once its message is spooled. */
    public synchronized void keep(String key) throws IOException {
        log.write(keys.getOrDefault(key, clock.millis()) + " " + key + "\n");
        log.flush();
    }

    /** Gives a claimed key back (the spool refused the message: a later copy must get through). */
    public void release(String key) {
        keys.remove(key);
    }

    public int size() {
        return keys.size();
    }

    @Override
    public synchronized void close() throws IOException {
        log.close();
    }
}
