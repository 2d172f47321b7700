package org.orbita.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.orbita.mta.spool.Spool;

/**
 * The MTA's spool alone: {@code messages} messages of {@code bytes} bytes with two recipients
 * each accepted with 64 in flight (every acknowledgement after the group commit's fsync), then
 * the spool closed and opened again as after a crash: how long recovery takes and how much heap
 * the queued envelopes hold. Run by {@code bench/run spool [messages] [bytes]}.
 */
public final class SpoolBench {

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int bytes = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/tmp")), "orbita-spool-bench");
        byte[] body = new byte[bytes];
        Arrays.fill(body, (byte) 'x');
        Semaphore window = new Semaphore(64);
        long start = System.nanoTime();
        try (Spool spool = new Spool(dir, 256L << 20)) {
            for (int i = 0; i < messages; i++) {
                window.acquire();
                CompletableFuture<?> f = spool.accept("news@bench.example", List.of("a" + i + "@d" + (i % 10) + ".test", "b" + i + "@d" + (i % 7) + ".test"), body);
                f.whenComplete((m, e) -> window.release());
            }
            window.acquire(64);
        }
        double acceptSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("accepted %,d messages of %,d bytes in %.1f s: %,.0f messages/s (%.0f MB/s to disk, fsync per group commit)%n",
                messages, bytes, acceptSeconds, messages / acceptSeconds, (double) messages * bytes / acceptSeconds / 1e6);
        long before = heapAfterGc();
        start = System.nanoTime();
        try (Spool spool = new Spool(dir, 256L << 20)) {
            double recoverSeconds = (System.nanoTime() - start) / 1e9;
            List<Spool.Recovered> left = spool.recovered();
            long after = heapAfterGc();
            System.out.printf("recovered %,d queued messages (%,d recipients) in %.1f s; heap for them: %,d MB (%.0f bytes per message)%n",
                    left.size(), left.stream().mapToInt(r -> r.pendingRecipients().size()).sum(), recoverSeconds,
                    (after - before) >> 20, (double) (after - before) / Math.max(1, left.size()));
            if (left.size() != messages) {
                throw new IllegalStateException("expected " + messages + " queued messages, found " + left.size());
            }
        }
        try (var files = Files.list(dir)) {
            for (Path p : new ArrayList<>(files.toList())) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
