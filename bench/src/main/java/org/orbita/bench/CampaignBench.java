package org.orbita.bench;

import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import org.orbita.access.Access;
import org.orbita.campaigns.Campaign;
import org.orbita.campaigns.CampaignRun;
import org.orbita.campaigns.Campaigns;
import org.orbita.common.Ids;
import org.orbita.content.ExternalData;
import org.orbita.content.Links;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.content.Snippets;
import org.orbita.content.Templates;
import org.orbita.events.EventBus;
import org.orbita.events.store.DuckDbEventLog;
import org.orbita.jobs.Job;
import org.orbita.jobs.Jobs;
import org.orbita.jobs.Schedules;
import org.orbita.mta.MtaMain;
import org.orbita.mta.config.MtaConfig;
import org.orbita.outbound.NetworkGuard;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.profiles.Profile;
import org.orbita.profiles.Subscription;
import org.orbita.queues.AmqpSendQueue;
import org.orbita.sending.MessageComposer;
import org.orbita.sending.SendPipeline;
import org.orbita.settings.SettingsStore;

/**
 * A one-time email campaign measured in-process on the embedded stores: N profiles (4 in 5 with
 * an active email subscription) in one segment, a personalized ~20 KB HTML email (TemplateBench's:
 * 20 variables, 3 conditions, a loop), and the run itself — audience read page by page, ledger,
 * render with CSS inlining, click links and pixel, published with confirms to RabbitMQ at
 * 127.0.0.1:5672, where a consumer drains the queue as MTA nodes would — or, with {@code e2e},
 * where an MTA node (in this process) takes it and delivers to Postfix's smtp-sink. With
 * {@code -Dpromo=true} the email also hands each profile a promo code of a pool generated first.
 * Run by {@code bench/run campaign [profiles] [e2e]}.
 */
public final class CampaignBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        boolean endToEnd = args.length > 1 && args[1].equals("e2e");
        Path dir = Files.createTempDirectory("orbita-campaignbench");
        Clock clock = Clock.systemUTC();
        String queueName = "orbita.email.bench." + System.nanoTime();
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        try (EmbeddedStores store = EmbeddedStores.open(dir.resolve("orbita.db"));
             EventBus log = new EventBus(new DuckDbEventLog(dir.resolve("events.duckdb")));
             AmqpSendQueue queue = new AmqpSendQueue("127.0.0.1", 5672, "guest", "guest", "/");
             Connection drainConnection = f.newConnection("campaign-bench-drain")) {
            ClientDatabases databases = new ClientDatabases(store.settings(), store.profiles(), clock, Access.SYSTEM);
            ClientDatabase db = database(databases);
            long t0 = System.nanoTime();
            seed(store, db, n);
            System.out.printf("seeded %,d profiles in one segment in %.1f s%n", n, secs(t0));

            Messages messages = messages(store.settings(), clock);
            // -Dpromo=true: the email hands each profile a code of a pool generated for the run ({{ promo.code }})
            boolean promo = Boolean.getBoolean("promo");
            org.orbita.promo.PromoPools pools = new org.orbita.promo.PromoPools(store.settings(),
                    new org.orbita.promo.store.SqlitePromoStore(store.sqlite()), log, (pool, count) -> List.of(), Access.SYSTEM, clock);
            if (promo) {
                pools.create("bench", new org.orbita.promo.PromoPools.PoolInput("autumn", "Autumn", null, null, "AUT-####-XXXX", true, null, null,
                        null, null, null, null));
                t0 = System.nanoTime();
                pools.generate("bench", "autumn", n);
                System.out.printf("promo: %,d codes generated in %.1f s%n", n, secs(t0));
            }
            Message m = messages.create("bench", new Message(null, "bench", "Bench", null,
                    new Message.Email("{{ profile.f0 }}, autumn sale", "Up to 40%", "Shop", "news@shop.example", null,
                            promo ? BenchEmail.liquid().replace("</body>", "<p>Your code: {{ promo.code }}</p></body>") : BenchEmail.liquid(), null, true, null, null),
                    null, null, null, null, promo ? "autumn" : null, 0, null, null));
            Jobs jobs = new Jobs(store.settings(), clock);
            Campaigns campaigns = new Campaigns(store.settings(), databases, (ws, s) -> Optional.of(db.id()), messages, jobs, CampaignBench.NO_SCHEDULES, clock, Set.of("email"), Access.SYSTEM);
            SendPipeline pipeline = new SendPipeline(store.ledger(), queue, queueName,
                    new MessageComposer(messages, new Links("https://t.example.com", new byte[32])), log, clock);
            pipeline.usePromo(pools::issue);

            Channel drain = drainConnection.createChannel();
            drain.queueDeclare(queueName, true, false, false, null);
            drain.basicQos(2000);
            AtomicLong drained = new AtomicLong();
            Process sink = null;
            MtaMain mta = null;
            if (endToEnd) {
                // an MTA node takes the queue (as in production) and delivers to Postfix's smtp-sink on loopback
                int sinkPort;
                try (ServerSocket free = new ServerSocket(0)) {
                    sinkPort = free.getLocalPort();
                }
                List<String> command = new ArrayList<>(List.of("/usr/sbin/smtp-sink"));
                if ("root".equals(System.getProperty("user.name"))) {
                    command.addAll(List.of("-u", "nobody"));
                }
                command.addAll(List.of("127.0.0.1:" + sinkPort, "2000"));
                sink = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("sink.log").toFile()).start();
                Files.writeString(dir.resolve("mta.properties"), "mta.route.*=127.0.0.1:" + sinkPort + "\n");
                mta = new MtaMain(new MtaConfig(dir.resolve("mta.properties"), Map.of(
                        "MTA_HOSTNAME", "bench.orbita.test", "MTA_SMTP_PORT", "0", "MTA_HTTP_PORT", "0", "MTA_HTTP_BIND", "127.0.0.1",
                        "MTA_HTTP_TOKEN", "bench", "MTA_SPOOL_DIR", dir.resolve("spool").toString(), "MTA_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672",
                        "MTA_RABBITMQ_QUEUE", queueName, "MTA_RABBITMQ_EVENTS_QUEUE", queueName + ".events")));
            } else {
                drain.basicConsume(queueName, true, new DefaultConsumer(drain) {
                    @Override
                    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                        drained.incrementAndGet();
                    }
                });
            }

            Campaign c = campaigns.create("bench", new Campaign(null, "bench", "Bench", null, db.id(), List.of("seg-all"), List.of(), m.id(),
                    List.of("email"), null, null, null, null, null, null, null, null, null, null, null, null, null));
            Campaigns.Launch launch = campaigns.launch("bench", c.id());
            long heapBefore = usedHeap();
            t0 = System.nanoTime();
            Job done = new CampaignRun(campaigns, messages, store.profiles(), store.members(), pipeline, log, jobs).run(launch.job().id());
            double seconds = secs(t0);
            Map<String, Object> result = done.result();
            System.out.printf("campaign run: %,d profiles, ledger %s in %.1f s = %,.0f messages/s queued with confirms (heap after %d MB, before %d MB)%n",
                    done.processed(), result.get("ledger"), seconds, done.succeeded() / seconds, usedHeap() >> 20, heapBefore >> 20);
            if (promo) {
                System.out.printf("promo: %s codes issued in the run (%,.0f codes/s)%n", pools.store().counts("bench", "autumn"),
                        pools.store().counts("bench", "autumn").getOrDefault(org.orbita.promo.PromoStore.State.ISSUED, 0L) / seconds);
            }
            if (endToEnd) {
                long delivered = 0;
                while (delivered < done.succeeded() && secs(t0) < seconds + 3600) {
                    Thread.sleep(1000);
                    delivered = delivered(mta.httpPort());
                }
                System.out.printf("end to end: %,d delivered to smtp-sink by the MTA node after %.1f s from the run's start = %,.0f messages/s%n",
                        delivered, secs(t0), delivered / secs(t0));
                mta.close();
                sink.destroy();
                drain.queueDelete(queueName + ".events");
            } else {
                while (drained.get() < done.succeeded() && secs(t0) < seconds + 120) {
                    Thread.sleep(100);
                }
                System.out.printf("drained from RabbitMQ: %,d after %.1f s%n", drained.get(), secs(t0));
            }
            drain.queueDelete(queueName);
        }
    }

    /** The benchmark's database: an email, 20 text fields and the fields TemplateBench's email reads. */
    static ClientDatabase database(ClientDatabases databases) {
        List<FieldDefinition> fields = new ArrayList<>();
        fields.add(FieldDefinition.of("email", FieldType.EMAIL));
        for (int i = 0; i < 20; i++) {
            fields.add(FieldDefinition.of("f" + i, FieldType.STRING));
        }
        fields.add(FieldDefinition.of("vip", FieldType.BOOLEAN));
        fields.add(FieldDefinition.of("points", FieldType.INTEGER));
        fields.add(FieldDefinition.of("city", FieldType.STRING));
        return databases.create("bench", "clients", "Clients", new DatabaseSchema(fields));
    }

    /** No cron schedules: the benches' campaigns are one-time. */
    static final Schedules NO_SCHEDULES = new Schedules() {
        @Override
        public boolean valid(String cron) {
            return false;
        }

        @Override
        public Optional<Instant> next(String cron, Instant after) {
            return Optional.empty();
        }
    };

    /** Messages on the embedded store, links to a tracking host that is never called. */
    static Messages messages(SettingsStore store, Clock clock) {
        Templates templates = new Templates();
        return new Messages(store, templates, new Snippets(store, templates, clock, Access.SYSTEM),
                new ExternalData(store, templates, NetworkGuard.open(), clock), new Links("https://t.example.com", new byte[32]), clock, Access.SYSTEM);
    }

    static void seed(EmbeddedStores store, ClientDatabase db, int n) {
        Random rnd = new Random(42);
        for (int start = 0; start < n; start += 5000) {
            List<Profile> batch = new ArrayList<>();
            Instant now = Instant.now();
            for (int i = start; i < Math.min(n, start + 5000); i++) {
                Map<String, Object> fields = new HashMap<>();
                String email = "c" + i + "@example.com";
                fields.put("email", email);
                for (int k = 0; k < 20; k++) {
                    fields.put("f" + k, "value " + k + " of " + i);
                }
                fields.put("vip", rnd.nextInt(10) == 0);
                fields.put("points", (long) rnd.nextInt(300));
                fields.put("city", rnd.nextBoolean() ? "Moscow" : "Kazan");
                List<Subscription> subs = rnd.nextInt(5) > 0 ? List.of(new Subscription(org.orbita.profiles.Channel.EMAIL, email, null, null, now))
                        : List.of();
                Profile p = new Profile(Ids.next(), db.id(), fields, subs, List.of(), null, now, now, List.of());
                batch.add(p);
            }
            store.saveInSegment(db.id(), batch, "seg-all");
        }
    }

    /** Recipients the MTA node delivered, from its Prometheus metrics. */
    static long delivered(int httpPort) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/metrics")).header("Authorization", "Bearer bench").build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long n = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("orbita_mta_recipients_total{outcome=\"delivered\"")) {
                n += Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return n;
    }

    static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
