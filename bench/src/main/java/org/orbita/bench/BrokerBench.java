package org.orbita.bench;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.orbita.queues.AmqpSendQueue;
import org.orbita.queues.EmbeddedBroker;
import org.orbita.queues.SendQueue;

/**
 * The embedded broker's stores side by side ({@code bench/run broker [messages]}): persistent
 * 3 KB messages published with confirms in batches of 1,000 (a campaign) and one at a time (a
 * trigger), then the broker restarted to count what it kept.
 */
public final class BrokerBench {

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        for (EmbeddedBroker.Store store : EmbeddedBroker.Store.values()) {
            Path dir = Files.createTempDirectory("orbita-broker-bench-");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            byte[] body = new byte[3_000];
            List<SendQueue.Message> batch = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                batch.add(new SendQueue.Message(body, Map.of("n", Integer.toString(i)), false));
            }
            double batched;
            double single;
            try (EmbeddedBroker broker = new EmbeddedBroker(dir, port, "orbita", "bench", store);
                 AmqpSendQueue q = new AmqpSendQueue("127.0.0.1", port, "orbita", "bench", "default")) {
                for (int w = 0; w < 5; w++) {
                    q.publishAll("warm", batch);
                }
                long t0 = System.nanoTime();
                for (int n = 0; n < total; n += batch.size()) {
                    q.publishAll("bench", batch);
                }
                batched = total / ((System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                for (int i = 0; i < 1_000; i++) {
                    q.publish("bench.single", body, Map.of());
                }
                single = 1_000 / ((System.nanoTime() - t0) / 1e9);
            }
            long kept;
            try (EmbeddedBroker broker = new EmbeddedBroker(dir, port, "orbita", "bench", store);
                 AmqpSendQueue q = new AmqpSendQueue("127.0.0.1", port, "orbita", "bench", "default")) {
                kept = q.depth("bench");
            }
            System.out.printf("BROKER %-6s batches of 1,000: %,.0f msgs/s; one at a time: %,.0f msgs/s; kept over a restart: %,d of %,d%n",
                    store, batched, single, kept, total);
        }
        System.exit(0);
    }
}
