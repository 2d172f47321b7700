package org.orbita.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import org.orbita.access.Access;
import org.orbita.campaigns.Campaign;
import org.orbita.campaigns.Campaigns;
import org.orbita.campaigns.TriggerCampaigns;
import org.orbita.common.Ids;
import org.orbita.content.Links;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.events.Event;
import org.orbita.events.EventBus;
import org.orbita.events.store.DuckDbEventLog;
import org.orbita.jobs.Jobs;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.queues.AmqpSendQueue;
import org.orbita.sending.MessageComposer;
import org.orbita.sending.SendPipeline;

/**
 * Trigger latency: events appended at a steady rate (default 500/s) for profiles of a live
 * trigger campaign; each is rendered (TemplateBench's ~20 KB email) and published with confirms
 * to the local RabbitMQ; a consumer notes when each arrives. Latency = event appended → message
 * on the queue, reported as percentiles. Run by {@code bench/run trigger [events] [per second]}.
 */
public final class TriggerBench {

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 15_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        Path dir = Files.createTempDirectory("orbita-triggerbench");
        Clock clock = Clock.systemUTC();
        String queueName = "orbita.email.trigger-bench." + System.nanoTime();
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        try (EmbeddedStores store = EmbeddedStores.open(dir.resolve("orbita.db"));
             EventBus log = new EventBus(new DuckDbEventLog(dir.resolve("events.duckdb")));
             AmqpSendQueue queue = new AmqpSendQueue("127.0.0.1", 5672, "guest", "guest", "/");
             Connection drainConnection = f.newConnection("trigger-bench-drain")) {
            ClientDatabases databases = new ClientDatabases(store.settings(), store.profiles(), clock, Access.SYSTEM);
            ClientDatabase db = CampaignBench.database(databases);
            int profiles = 50_000;
            CampaignBench.seed(store, db, profiles);
            List<String> ids = new ArrayList<>();
            store.profiles().forEach(db.id(), p -> {
                if (!p.subscriptions().isEmpty()) {
                    ids.add(p.id());
                }
            });
            Messages messages = CampaignBench.messages(store.settings(), clock);
            Message m = messages.create("bench", new Message(null, "bench", "Cart", null,
                    new Message.Email("{{ profile.f0 }}, you left {{ event.item }}", null, "Shop", "news@shop.example", null,
                            BenchEmail.liquid(), null, true, null, null), null, null, null, null, 0, null, null));
            Jobs jobs = new Jobs(store.settings(), clock);
            Campaigns campaigns = new Campaigns(store.settings(), databases, (ws, s) -> Optional.of(db.id()), messages, jobs, CampaignBench.NO_SCHEDULES, clock, Set.of("email"), Access.SYSTEM);
            SendPipeline pipeline = new SendPipeline(store.ledger(), queue, queueName,
                    new MessageComposer(messages, new Links("https://t.example.com", new byte[32])), log, clock);
            Campaign c = campaigns.create("bench", new Campaign(null, "bench", "Abandoned cart", Campaign.Kind.TRIGGER, db.id(), List.of(), List.of(),
                    m.id(), List.of("email"), null, null, null, null, null, null, null, null, null, new Campaign.Trigger("cart.abandoned", null), null, null, null));
            campaigns.launch("bench", c.id());

            Map<String, Long> appendedAt = new ConcurrentHashMap<>();
            // the first ten seconds warm the JIT up: reported apart
            Set<String> warm = ConcurrentHashMap.newKeySet();
            List<Long> warmLatencies = new ArrayList<>();
            long[] latencies = new long[total];
            CountDownLatch arrived = new CountDownLatch(total);
            int[] n = {0};
            Channel drain = drainConnection.createChannel();
            drain.queueDeclare(queueName, true, false, false, null);
            drain.basicConsume(queueName, true, new DefaultConsumer(drain) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    String key = new String(body, 0, Math.min(200, body.length), StandardCharsets.UTF_8);
                    String eventId = key.substring(key.indexOf("trg-") + 4, key.indexOf('/', key.indexOf("trg-")));
                    Long at = appendedAt.remove(eventId);
                    if (at != null) {
                        synchronized (latencies) {
                            latencies[n[0]++] = System.nanoTime() - at;
                            if (warm.contains(eventId)) {
                                warmLatencies.add(System.nanoTime() - at);
                            }
                        }
                        arrived.countDown();
                    }
                }
            });
            TriggerCampaigns triggers = new TriggerCampaigns(campaigns, messages, pipeline, store.profiles(), store.members());
            // as the app hears the bus: trigger campaigns on a thread of their own
            log.listenAsync("trigger-campaigns", 1, 100_000, 500, triggers::wants, triggers::appended);
            {
                long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    Event e = new Event(Ids.next(), db.id(), ids.get(i % ids.size()), "cart.abandoned", null, Instant.now(), Map.of("item", "Boots " + i));
                    if (i >= rate * 10) {
                        warm.add(e.id());
                    }
                    appendedAt.put(e.id(), System.nanoTime());
                    List<Event> one = List.of(e);
                    log.append(one);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                boolean all = arrived.await(120, TimeUnit.SECONDS);
                long[] done = Arrays.copyOf(latencies, n[0]);
                Arrays.sort(done);
                System.out.printf("%,d trigger events at %d/s (offered over %.1f s), %,d messages on the queue%s; latency event → queue: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                        total, rate, seconds, done.length, all ? "" : " (not all within 120 s)", pct(done, 0.50), pct(done, 0.95), pct(done, 0.99),
                        done.length == 0 ? 0 : done[done.length - 1] / 1e6);
                long[] steady = warmLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
                System.out.printf("after the first 10 s (%,d events): p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms%n", steady.length,
                        pct(steady, 0.50), pct(steady, 0.95), pct(steady, 0.99), steady.length == 0 ? 0 : steady[steady.length - 1] / 1e6);
            }
            drain.queueDelete(queueName);
        }
    }

    static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
