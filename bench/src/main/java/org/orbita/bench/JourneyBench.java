package org.orbita.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.orbita.access.Access;
import org.orbita.audiences.SegmentExplorer;
import org.orbita.audiences.Segments;
import org.orbita.campaigns.Campaigns;
import org.orbita.common.Ids;
import org.orbita.content.Links;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.content.Templates;
import org.orbita.events.Event;
import org.orbita.events.EventBus;
import org.orbita.events.store.DuckDbEventLog;
import org.orbita.jobs.Jobs;
import org.orbita.journeys.Journey.Link;
import org.orbita.journeys.Journey.Node;
import org.orbita.journeys.Journey;
import org.orbita.journeys.JourneyDefinition;
import org.orbita.journeys.JourneyLedger;
import org.orbita.journeys.Journeys;
import org.orbita.journeys.runtime.JourneyRuntime;
import org.orbita.journeys.operaton.OperatonEngine;
import org.orbita.journeys.runtime.NodeWorkers;
import org.orbita.journeys.zeebe.ZeebeEngine;
import org.orbita.outbound.NetworkGuard;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileWriting;
import org.orbita.queues.AmqpSendQueue;
import org.orbita.sending.DirectSends;
import org.orbita.sending.MessageComposer;
import org.orbita.sending.SendPipeline;

/**
 * Journeys on the embedded engine, the app's own wiring without HTTP: (1) profiles entering a
 * 5-node journey (filter → update profile → goal → send an email → exit) as fast as the API
 * would take them, in rounds, each round's entries per second and node completions per second
 * as the engine's state grows; (2) an event starting a journey whose first node sends: event
 * appended → message queued, percentiles; (3) restore: N live instances in the ledger (each
 * waiting in a 30-day pause) put back on a fresh engine. Emails go to the local RabbitMQ.
 * Run by {@code bench/run journeys [profiles per round] [rounds] [instances to restore]}.
 */
public final class JourneyBench {

    public static void main(String[] args) throws Exception {
        int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int toRestore = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        Path dir = Files.createTempDirectory("orbita-journeybench");
        Clock clock = Clock.systemUTC();
        String queueName = "orbita.email.journey-bench." + System.nanoTime();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        try (EmbeddedStores store = EmbeddedStores.open(dir.resolve("orbita.db"));
             EventBus log = new EventBus(new DuckDbEventLog(dir.resolve("events.duckdb")));
             AmqpSendQueue queue = new AmqpSendQueue("127.0.0.1", 5672, "guest", "guest", "/")) {
            // notes when each profile's journey email was queued (its message.sent)
            log.listen("bench", events -> {
                long now = System.nanoTime();
                for (Event e : events) {
                    if (e.type().equals("message.sent") && e.properties().get("journey") != null) {
                        sentAt.put(e.properties().get("journey") + "/" + e.profileId(), now);
                    }
                }
            });
            ClientDatabases databases = new ClientDatabases(store.settings(), store.profiles(), clock, Access.SYSTEM);
            ClientDatabase db = CampaignBench.database(databases);
            int profiles = Math.max(perRound * rounds, 20_000);
            CampaignBench.seed(store, db, profiles);
            List<Profile> people = new ArrayList<>();
            store.profiles().forEach(db.id(), p -> {
                if (!p.subscriptions().isEmpty()) {
                    people.add(p);
                }
            });
            Messages messages = CampaignBench.messages(store.settings(), clock);
            Message m = messages.create("bench", new Message(null, "bench", "Welcome", null,
                    new Message.Email("{{ profile.f0 }}, welcome", null, "Shop", "news@shop.example", null,
                            BenchEmail.liquid(), null, true, null, null), null, null, null, null, 0, null, null));
            Jobs jobs = new Jobs(store.settings(), clock);
            Campaigns campaigns = new Campaigns(store.settings(), databases, (ws, s) -> Optional.of(db.id()), messages, jobs, CampaignBench.NO_SCHEDULES, clock, Set.of("email"), Access.SYSTEM);
            SendPipeline pipeline = new SendPipeline(store.ledger(), queue, queueName,
                    new MessageComposer(messages, new Links("https://t.example.com", new byte[32])), log, clock);
            ProfileWriting writing = new ProfileWriting(store.profiles(), log, clock, Access.SYSTEM);
            Segments segments = new Segments(store.settings(), databases, store.profiles(), store.members(), log, store.recent(), clock, Access.SYSTEM);
            org.orbita.promo.PromoPools promo = new org.orbita.promo.PromoPools(store.settings(),
                    new org.orbita.promo.store.SqlitePromoStore(store.sqlite()), log, (pool, n) -> List.of(), Access.SYSTEM, clock);
            Journeys journeys = new Journeys(store.settings(), databases, messages, segments, promo, clock, Access.SYSTEM);
            boolean zeebe = ENGINE.equals("zeebe");
            java.util.function.Supplier<JourneyRuntime> runtimes = () -> {
                JourneyRuntime r = zeebe ? new JourneyRuntime(JourneyBench::zeebeInProcess, Integer.getInteger("engines", 4), store.journeyLedger(), journeys,
                        store.profiles(), log, clock)
                        : new JourneyRuntime(() -> OperatonEngine.start(engineUrl(dir), System.getProperty("engineUser", "sa"),
                                System.getProperty("enginePassword", ""), Integer.getInteger("threads", 8)), 1, store.journeyLedger(), journeys,
                                store.profiles(), log, clock);
                new NodeWorkers(new NodeWorkers.Services(store.profiles(), databases, writing, store.members(), segments, new SegmentExplorer(segments, databases, store.profiles(), store.members(), store.recent(), clock), messages, new DirectSends(pipeline), new Templates(), log, store.journeyLedger(), promo,
                        NetworkGuard.open(), clock, 10), Duration.ofSeconds(10)).install(r);
                return r;
            };
            JourneyRuntime runtime = runtimes.get();
            System.out.printf("engine: %s%s%n", ENGINE, zeebe ? " (in-process, " + Integer.getInteger("engines", 4) + " shards)" : " on " + engineUrl(dir)
                    + ", " + Integer.getInteger("threads", 8) + " job threads");
            runtime.start();
            // as the app hears the bus: journeys on threads of their own, each profile's events on one of them
            log.listen("journeys-inbox", runtime::pend); // as the app: kept in the inbox, then queued
            log.listenAsync("journeys", 4, 100_000, 200, runtime::wants, runtime::appended);

            JourneyDefinition five = publish(journeys, db, "Five", new Journey("five", "Five", List.of(
                    new Node("start", "start", null, Map.of("entry", "api", "reentry", "always")),
                    new Node("big", "filter", null, Map.of("condition", "order.total > 10")),
                    new Node("mark", "update-profile", null, Map.of("fields", "{\"f1\": \"journeyed\"}")),
                    new Node("won", "goal", null, Map.of("goal", "bench")),
                    new Node("mail", "send-message", null, Map.of("messageId", m.id(), "channels", "email")),
                    new Node("end", "exit", null, Map.of())),
                    List.of(new Link("start", "big", null), new Link("big", "mark", "yes"), new Link("big", "end", "no"), new Link("mark", "won", null),
                            new Link("won", "mail", null), new Link("mail", "end", null))));
            runtime.published(five);

            // (1) entries and node completions, round by round
            ExecutorService callers = Executors.newFixedThreadPool(8);
            int next = 0;
            for (int r = 1; r <= rounds; r++) {
                long exitedBefore = exited(store, five.id());
                int refusedBefore = store.journeyLedger().incidents(five.id(), 100_000).size();
                long startedBefore = runtime.startedOnEngine();
                long t0 = System.nanoTime();
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < perRound; i++) {
                    Profile p = people.get(next++ % people.size());
                    calls.add(callers.submit(() -> runtime.enter(five, p, Map.of("order", Map.of("total", 50)), null)));
                }
                for (Future<?> f : calls) {
                    f.get();
                }
                // entered: in the ledger, and stored by the engine (or refused by it: counted below)
                while (runtime.startedOnEngine() - startedBefore + store.journeyLedger().incidents(five.id(), 100_000).size() - refusedBefore < perRound) {
                    Thread.sleep(5);
                }
                double enterSeconds = (System.nanoTime() - t0) / 1e9;
                // an instance the engine did not take (a timeout) waits in the ledger with an incident for the next start: counted apart
                while (exited(store, five.id()) - exitedBefore + store.journeyLedger().incidents(five.id(), 100_000).size() - refusedBefore < perRound) {
                    Thread.sleep(20);
                }
                int refused = store.journeyLedger().incidents(five.id(), 100_000).size() - refusedBefore;
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("round %d: %,d profiles entered (and stored by the engine) in %.1f s (%.0f entries/s); all through 4 task nodes and out in %.1f s"
                                + " (%.0f journeys/s, %.0f node completions/s); engine instances so far %,d; refused by the engine (timeout) %d%n",
                        r, perRound, enterSeconds, perRound / enterSeconds, seconds, perRound / seconds, perRound * 4 / seconds,
                        runtime.createdSinceStart(), refused);
            }
            callers.shutdown();

            // (2) event → first message
            JourneyDefinition cart = publish(journeys, db, "Cart", new Journey("cart", "Cart", List.of(
                    new Node("start", "start", null, Map.of("entry", "event", "event", "cart.abandoned", "reentry", "always")),
                    new Node("mail", "send-message", null, Map.of("messageId", m.id(), "channels", "email")),
                    new Node("end", "exit", null, Map.of())),
                    List.of(new Link("start", "mail", null), new Link("mail", "end", null))));
            runtime.published(cart);
            Thread.sleep(2500); // the runtime looks up live journeys every 2 s
            int events = 3000;
            int rate = Integer.getInteger("rate", 50);
            Map<String, Long> appendedAt = new ConcurrentHashMap<>();
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Profile p = people.get(i % people.size());
                Event e = new Event(Ids.next(), db.id(), p.id(), "cart.abandoned", null, Instant.now(), Map.of("item", "Boots " + i));
                appendedAt.put(p.id() + "/" + i, System.nanoTime());
                sentAt.remove(cart.id() + "/" + p.id());
                List<Event> one = List.of(e);
                log.append(one);
                pending.put(p.id(), p.id() + "/" + i);
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (latencies.size() < events && System.nanoTime() < deadline) {
                collect(cart.id(), sentAt, appendedAt);
                Thread.sleep(20);
            }
            collect(cart.id(), sentAt, appendedAt);
            long[] done = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("%,d cart.abandoned events at %d/s → %,d emails queued by the journey; event → message: p50 %.0f ms, p95 %.0f ms,"
                    + " p99 %.0f ms, max %.0f ms%n", events, rate, done.length, TriggerBench.pct(done, 0.5), TriggerBench.pct(done, 0.95),
                    TriggerBench.pct(done, 0.99), done.length == 0 ? 0 : done[done.length - 1] / 1e6);

            // (3) restart with instances waiting in a 30-day pause
            JourneyDefinition wait = publish(journeys, db, "Wait", new Journey("wait", "Wait", List.of(
                    new Node("start", "start", null, Map.of("entry", "api", "reentry", "always")),
                    new Node("month", "pause", null, Map.of("duration", "P30D")),
                    new Node("end", "exit", null, Map.of())),
                    List.of(new Link("start", "month", null), new Link("month", "end", null))));
            if (zeebe) {
                // live instances written to the ledger as a crash leaves them, then fresh engines
                Instant now = clock.instant();
                for (int i = 0; i < toRestore; i++) {
                    Profile p = people.get(i % people.size());
                    String id = "r" + Ids.next();
                    Map<String, Object> vars = Map.of("profileId", p.id(), "databaseId", db.id(), JourneyRuntime.INSTANCE, id);
                    store.journeyLedger().enter(new JourneyLedger.Instance(id, "bench", wait.id(), wait.version(), db.id(), p.id(), "month", JourneyLedger.LIVE,
                            now, now, vars, null), false);
                }
                long heapBefore = usedHeap();
                JourneyRuntime.Restored restored = runtime.recycle();
                System.out.printf("restore: %,d live instances put back on fresh engines in %.1f s (%.0f/s), %,d not (incidents, retried at the next"
                                + " start); heap in use %d MB → %d MB%n", restored.instances(), restored.millis() / 1e3,
                        restored.instances() / (restored.millis() / 1e3), store.journeyLedger().incidents(wait.id(), 1_000_000).size(), heapBefore, usedHeap());
                runtime.close();
            } else {
                // a durable engine: the instances enter through the engine, then the whole runtime stops and a new one starts on the database
                runtime.published(wait);
                ExecutorService enterers = Executors.newFixedThreadPool(8);
                long startedBefore = runtime.startedOnEngine();
                long t0 = System.nanoTime();
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < toRestore; i++) {
                    Profile p = people.get(i % people.size());
                    calls.add(enterers.submit(() -> runtime.enter(wait, p, Map.of(), null)));
                    if (calls.size() == 10_000) {
                        for (Future<?> f : calls) {
                            f.get();
                        }
                        calls.clear();
                    }
                }
                for (Future<?> f : calls) {
                    f.get();
                }
                enterers.shutdown();
                long waiting;
                while ((waiting = store.journeyLedger().stats(wait.id()).getOrDefault("month", new JourneyLedger.NodeStats(0, 0, 0, 0, 0)).waiting())
                        < toRestore) {
                    Thread.sleep(200);
                }
                System.out.printf("waiting: %,d instances entered and in their 30-day pause in %.1f s%n", waiting, (System.nanoTime() - t0) / 1e9);
                runtime.close();
                long heapBefore = usedHeap();
                long t1 = System.nanoTime();
                JourneyRuntime again = runtimes.get();
                again.start();
                double startSeconds = (System.nanoTime() - t1) / 1e9;
                // the first node completed after the restart: a new profile through the five-node journey
                long exitedBefore = exited(store, five.id());
                again.enter(five, people.get(0), Map.of("order", Map.of("total", 50)), null);
                while (exited(store, five.id()) == exitedBefore) {
                    Thread.sleep(10);
                }
                System.out.printf("restart with %,d instances waiting: the runtime started in %.1f s, a new journey done %.1f s after the start;"
                        + " nothing put back (the engine kept them); heap in use %d MB → %d MB%n", waiting, startSeconds,
                        (System.nanoTime() - t1) / 1e9, heapBefore, usedHeap());
                again.close();
            }
        }
        System.exit(0);
    }

    /** Zeebe's in-process engine, as the application ran journeys before Operaton (Camunda's licence: here for the comparison only). */
    static ZeebeEngine zeebeInProcess() {
        io.camunda.zeebe.process.test.api.ZeebeTestEngine engine = io.camunda.zeebe.process.test.engine.EngineFactory.create();
        engine.start();
        return ZeebeEngine.on(java.net.URI.create("http://" + engine.getGatewayAddress()), engine::stop, engine::increaseTime);
    }

    /** Which engine: {@code -Dengine=operaton} (the default) or {@code zeebe} (the in-process engine it replaces). */
    private static final String ENGINE = System.getProperty("engine", "operaton");

    /** Operaton's database: {@code -DengineUrl=jdbc:postgresql://…}, else an H2 file beside the bench's stores. */
    private static String engineUrl(Path dir) {
        return System.getProperty("engineUrl", "jdbc:h2:file:" + dir.resolve("engine"));
    }

    private static final Map<String, String> pending = new ConcurrentHashMap<>();
    private static final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());

    private static void collect(String journey, Map<String, Long> sentAt, Map<String, Long> appendedAt) {
        for (Map.Entry<String, String> e : pending.entrySet()) {
            Long sent = sentAt.get(journey + "/" + e.getKey());
            Long at = appendedAt.get(e.getValue());
            if (sent != null && at != null && pending.remove(e.getKey(), e.getValue())) {
                latencies.add(sent - at);
            }
        }
    }

    private static long usedHeap() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) >> 20;
    }

    private static long exited(EmbeddedStores store, String journey) {
        return store.journeyLedger().stats(journey).values().stream().mapToLong(JourneyLedger.NodeStats::exited).sum();
    }

    private static JourneyDefinition publish(Journeys journeys, ClientDatabase db, String name, Journey j) {
        JourneyDefinition d = journeys.create("bench", name, db.id(), j);
        return journeys.publish("bench", d.id());
    }
}
