package org.orbita.mta.bounces;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Addresses the node no longer sends to: hard bounces and complaints put them here, an
 * administrator adds or removes them. Kept in memory and in an append-only file (each change
 * forced to disk), read back at start.
 */
public final class Suppressions implements Closeable {

    /** Why and since when an address is suppressed. */
    public record Entry(String address, String reason, Instant since) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final FileChannel log;

    public Suppressions(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] p = line.split("\t");
                if (p.length >= 1 && p[0].startsWith("+") && p.length >= 3) {
                    entries.put(p[0].substring(1), new Entry(p[0].substring(1), p[1], Instant.parse(p[2])));
                } else if (p[0].startsWith("-")) {
                    entries.remove(p[0].substring(1));
                }
            }
        }
        log = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    public boolean contains(String address) {
        return entries.containsKey(address.toLowerCase(Locale.ROOT));
    }

    public Optional<Entry> get(String address) {
        return Optional.ofNullable(entries.get(address.toLowerCase(Locale.ROOT)));
    }

    public synchronized void add(String address, String reason) throws IOException {
        String a = address.toLowerCase(Locale.ROOT);
        if (entries.containsKey(a)) {
            return;
        }
        Entry e = new Entry(a, reason.replaceAll("[\\t\\r\\n]", " "), Instant.now());
        write("+" + a + "\t" + e.reason() + "\t" + e.since() + "\n");
        entries.put(a, e);
    }

    public synchronized boolean remove(String address) throws IOException {
        String a = address.toLowerCase(Locale.ROOT);
        if (!entries.containsKey(a)) {
            return false;
        }
        write("-" + a + "\n");
        entries.remove(a);
        return true;
    }

    /** Newest first, at most {@code limit}. */
    public List<Entry> list(int limit) {
        return entries.values().stream().sorted(Comparator.comparing(Entry::since).reversed()).limit(limit).toList();
    }

    public int size() {
        return entries.size();
    }

    private void write(String line) throws IOException {
        log.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
        log.force(false);
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
