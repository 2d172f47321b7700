package org.orbita.mta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.orbita.mta.admin.HttpApi;
import org.orbita.mta.admin.MtaMetrics;
import org.orbita.mta.bounces.BounceMailbox;
import org.orbita.mta.bounces.BounceReader;
import org.orbita.mta.bounces.Report;
import org.orbita.mta.bounces.Suppressions;
import org.orbita.mta.config.MtaConfig;
import org.orbita.mta.delivery.Bounce;
import org.orbita.mta.delivery.Deliveries;
import org.orbita.mta.delivery.Outcome;
import org.orbita.mta.delivery.Reply;
import org.orbita.mta.delivery.Router;
import org.orbita.mta.delivery.Shaping;
import org.orbita.mta.delivery.SmtpClient;
import org.orbita.mta.delivery.SourcePool;
import org.orbita.mta.dkim.DkimKeys;
import org.orbita.mta.intake.OutcomeEvents;
import org.orbita.mta.intake.RabbitIntake;
import org.orbita.mta.intake.SeenKeys;
import org.orbita.mta.smtp.SmtpServer;
import org.orbita.mta.spool.Spool;
import org.orbita.mta.spool.SpooledMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One mail sender node: spool, SMTP and HTTP injection, delivery, admin. {@code ./orbita mta [config.properties]}. */
public final class MtaMain implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MtaMain.class);

    final Spool spool;
    final Deliveries deliveries;
    final SmtpServer smtp;
    final HttpApi http;
    final RabbitIntake rabbit;
    private volatile OutcomeEvents events;
    private final BounceMailbox bounceMailbox;
    final MtaMetrics metrics = new MtaMetrics();
    final SourcePool sources;
    final DkimKeys signatures;
    final Suppressions suppressions;
    final SeenKeys seen;
    private final String bounceDomain;
    private final Path shapingFile;
    private final boolean autoNodes;
    private final Duration clusterEvery;
    private volatile int nodes;
    private volatile Shaping rules;
    private volatile boolean closed;
    private final ExecutorService submitter = Executors.newVirtualThreadPerTaskExecutor();

    public MtaMain(MtaConfig config) throws IOException {
        String hostname = config.text("mta.hostname", InetAddress.getLocalHost().getCanonicalHostName());
        signatures = DkimKeys.from(config, Path.of(config.text("mta.spool.dir", "data/mta-spool")).resolve("dkim"));
        suppressions = new Suppressions(Path.of(config.text("mta.spool.dir", "data/mta-spool")).resolve("suppressions.log"));
        bounceDomain = config.text("mta.bounce.domain", null);
        String eventsUri = config.text("mta.rabbitmq.uri", null);
        try {
            events = eventsUri == null ? null
                    : new OutcomeEvents(eventsUri, config.text("mta.rabbitmq.events-queue", "orbita.email.events"), hostname);
        } catch (TimeoutException e) {
            throw new IOException("RabbitMQ (mta.rabbitmq.uri) did not answer", e);
        }
        spool = new Spool(Path.of(config.text("mta.spool.dir", "data/mta-spool")), config.bytes("mta.spool.segment-size", 256L << 20),
                config.bytes("mta.spool.min-free", 100L << 20));
        Shaping.Limits defaults = new Shaping.Limits(
                config.number("mta.delivery.max-connections", 32),
                config.number("mta.delivery.messages-per-connection", 100),
                0,
                config.duration("mta.delivery.retry-base", Duration.ofMinutes(1)),
                config.duration("mta.delivery.retry-max", Duration.ofHours(1)),
                config.duration("mta.delivery.max-age", Duration.ofDays(3)),
                SmtpClient.Tls.valueOf(config.text("mta.delivery.tls", "opportunistic").toUpperCase(Locale.ROOT)),
                config.text("mta.delivery.pool", SourcePool.DEFAULT_POOL));
        String rulesFile = config.text("mta.shaping.file", null);
        shapingFile = rulesFile == null ? null : Path.of(rulesFile);
        String clusterNodes = config.text("mta.cluster.nodes", "1");
        clusterEvery = config.duration("mta.cluster.check-every", Duration.ofSeconds(5));
        autoNodes = clusterNodes.equalsIgnoreCase("auto");
        try {
            nodes = autoNodes ? 1 : Integer.parseInt(clusterNodes);
        } catch (NumberFormatException e) {
            nodes = 0;
        }
        if (nodes < 1) {
            throw new IllegalArgumentException("mta.cluster.nodes: a whole number of at least 1, or auto, got '" + clusterNodes + "'");
        }
        if (autoNodes && config.text("mta.rabbitmq.uri", null) == null) {
            throw new IllegalArgumentException("mta.cluster.nodes = auto counts the consumers of mta.rabbitmq.queue: set mta.rabbitmq.uri");
        }
        sources = SourcePool.of(config.prefixed("mta.source."), config.text("mta.delivery.helo", hostname),
                Clock.systemUTC(), Path.of(config.text("mta.spool.dir", "data/mta-spool")).resolve("source-counts"));
        rules = checked(shapingFile == null ? Shaping.of(defaults) : Shaping.read(shapingFile, defaults));
        Deliveries.Settings settings = new Deliveries.Settings(sources,
                (int) config.duration("mta.delivery.timeout", Duration.ofSeconds(60)).toMillis(), bounceDomain);
        deliveries = new Deliveries(spool, new Router(config.routes(), config.list("mta.dns.servers"),
                config.number("mta.delivery.port", 25)), settings, rules.sharedBy(nodes), this::outcome);
        seen = new SeenKeys(Path.of(config.text("mta.spool.dir", "data/mta-spool")).resolve("seen-keys.log"),
                config.duration("mta.intake.dedup-window", Duration.ofDays(7)), Clock.systemUTC(), spool.keys());
        List<Spool.Recovered> left = spool.recovered();
        for (Spool.Recovered r : left) {
            deliveries.submit(r.message(), r.pendingRecipients());
        }
        if (!left.isEmpty()) {
            log.info("spool recovered: {} messages with recipients to deliver", left.size());
        }
        long maxSize = config.bytes("mta.smtp.max-message-size", 50L << 20);
        smtp = new SmtpServer(new InetSocketAddress(config.text("mta.smtp.bind", "0.0.0.0"), config.number("mta.smtp.port", 2525)),
                new SmtpServer.Settings(hostname, maxSize, config.number("mta.smtp.max-recipients", 1000), null, null, false), this::inject);
        http = new HttpApi(new InetSocketAddress(config.text("mta.http.bind", "0.0.0.0"), config.number("mta.http.port", 8025)),
                config.text("mta.http.token", null), hostname, this::inject, deliveries, metrics, suppressions, spool, sources, signatures);
        String mailboxHost = config.text("mta.bounce.mailbox.host", null);
        if (mailboxHost == null) {
            bounceMailbox = null;
        } else {
            String protocol = config.text("mta.bounce.mailbox.protocol", "imap").toUpperCase(Locale.ROOT);
            if (!protocol.equals("IMAP") && !protocol.equals("POP3")) {
                throw new IllegalArgumentException("mta.bounce.mailbox.protocol: imap or pop3, got '" + protocol.toLowerCase(Locale.ROOT) + "'");
            }
            BounceMailbox.Protocol p = BounceMailbox.Protocol.valueOf(protocol);
            boolean tls = Boolean.parseBoolean(config.text("mta.bounce.mailbox.tls", "true"));
            bounceMailbox = new BounceMailbox(p, mailboxHost, config.number("mta.bounce.mailbox.port", p.defaultPort(tls)), tls,
                    config.text("mta.bounce.mailbox.user", ""), config.text("mta.bounce.mailbox.password", ""),
                    config.duration("mta.bounce.mailbox.every", Duration.ofMinutes(1)), m -> returned(m, List.of()));
        }
        String rabbitUri = config.text("mta.rabbitmq.uri", null);
        try {
            rabbit = rabbitUri == null ? null : new RabbitIntake(rabbitUri, config.text("mta.rabbitmq.queue", "orbita.email"),
                    config.number("mta.rabbitmq.prefetch", 256), hostname, this::inject);
        } catch (TimeoutException e) {
            throw new IOException("RabbitMQ (mta.rabbitmq.uri) did not answer", e);
        }
        if (shapingFile != null || autoNodes) {
            Thread.ofPlatform().name("shaping").daemon(true).start(() -> watch(defaults));
        }
        log.info("Orbita MTA {}: SMTP on {}, HTTP on {}, spool {}, {} DKIM key(s){}", hostname, smtp.port(), http.port(),
                config.text("mta.spool.dir", "data/mta-spool"), signatures.size(), signatures.nativeCrypto() ? " signing through OpenSSL" : "");
    }

    /** The SMTP listener's port (the one bound when configured as 0). */
    public int smtpPort() {
        return smtp.port();
    }

    /** The HTTP API's port (the one bound when configured as 0). */
    /** The domains the node signs mail for. */
    public List<String> dkimDomains() {
        return signatures.list().stream().map(DkimKeys.Listed::domain).toList();
    }

    public int httpPort() {
        return http.port();
    }

    CompletableFuture<String> inject(String sender, List<String> given, byte[] message) {
        return inject(null, sender, given, message);
    }

    /** Injection with an idempotency key: a key this node has spooled within a week is answered "duplicate" and not spooled again. */
    CompletableFuture<String> inject(String key, String sender, List<String> given, byte[] message) {
        if (key == null) {
            return injectOnce(null, sender, given, message);
        }
        if (!seen.claim(key)) {
            metrics.duplicate();
            return CompletableFuture.completedFuture("duplicate");
        }
        return injectOnce(key, sender, given, message).whenComplete((id, failure) -> {
            if (failure != null) {
                seen.release(key);
            } else {
                try {
                    seen.keep(key);
                } catch (IOException e) {
                    log.warn("key {} not written to the seen log (the spool keeps it while it holds the message): {}", key, e.toString());
                }
            }
        });
    }

    private CompletableFuture<String> injectOnce(String key, String sender, List<String> given, byte[] message) {
        List<String> recipients = given;
        if (bounceDomain != null && !recipients.isEmpty()
                && recipients.stream().allMatch(r -> r.toLowerCase(Locale.ROOT).endsWith("@" + bounceDomain))) {
            return CompletableFuture.completedFuture(returned(message, recipients));
        }
        List<String> allowed = recipients.stream().filter(r -> !suppressions.contains(r)).toList();
        if (allowed.size() < recipients.size()) {
            for (String r : recipients) {
                if (suppressions.contains(r)) {
                    outcome(new Outcome.Bounced("-", key, r, "none", new Bounce("hard", "suppressed", "5.7.1"),
                            new Reply(550, "5.7.1", "the address is on the suppression list"), Instant.now()));
                }
            }
            if (allowed.isEmpty()) {
                return CompletableFuture.completedFuture("suppressed");
            }
            recipients = allowed;
        }
        try {
            message = signatures.sign(sender, message);
        } catch (GeneralSecurityException e) {
            return CompletableFuture.failedFuture(e);
        }
        // routing may wait on DNS: never on the spool's writer thread, which completes the future
        return spool.accept(key, sender, recipients, message).thenApplyAsync(m -> {
            deliveries.submit(m, range(m));
            return m.id();
        }, submitter);
    }

    /** Rules whose source pools all exist among the node's addresses. */
    private Shaping checked(Shaping r) {
        r.pools().forEach((pool, where) -> {
            if (!sources.hasPool(pool)) {
                throw new IllegalArgumentException(where + ": no source address is in pool '" + pool + "' (mta.source.<address>.pool)");
            }
        });
        return r;
    }

    /**
     * Reads the rules file again whenever it changes (a file that does not parse leaves the rules
     * in force) and, with {@code mta.cluster.nodes = auto}, counts the nodes consuming the
     * platform's email queue every few seconds: each node's share follows the live count.
     */
    private void watch(Shaping.Limits defaults) {
        long seen = shapingFile == null ? 0 : modified();
        long lastCount = 0;
        while (!closed) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            boolean changed = false;
            long now = shapingFile == null ? 0 : modified();
            if (now != seen) {
                seen = now;
                try {
                    rules = checked(Shaping.read(shapingFile, defaults));
                    changed = true;
                    log.info("shaping rules reloaded from {}", shapingFile);
                } catch (IOException | IllegalArgumentException e) {
                    log.error("shaping rules in {} not loaded, the previous ones stay: {}", shapingFile, e.getMessage());
                }
            }
            if (autoNodes && rabbit != null && System.nanoTime() - lastCount > clusterEvery.toNanos()) {
                lastCount = System.nanoTime();
                try {
                    int live = Math.max(1, rabbit.consumers());
                    if (live != nodes) {
                        log.info("{} nodes consume the email queue (were {}): each takes 1/{} of every site's limits", live, nodes, live);
                        nodes = live;
                        changed = true;
                    }
                } catch (IOException | RuntimeException e) {
                    log.warn("counting the nodes on the email queue: {} (shares stay at 1/{})", e.toString(), nodes);
                }
            }
            if (changed) {
                deliveries.reshape(rules.sharedBy(nodes));
            }
        }
    }

    /** How many nodes this one shares every site's limits with now. */
    public int nodes() {
        return nodes;
    }

    private long modified() {
        try {
            return Files.getLastModifiedTime(shapingFile).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }

    /** A message to the bounce domain: its reports suppress hard bounces and complaints. */
    private String returned(byte[] message, List<String> to) {
        List<Report> reports = new ArrayList<>(BounceReader.read(message));
        // a VERP return path names the recipient even when the report does not
        Optional<String> verp = to.stream().map(r -> Deliveries.Settings.recipientOf(r, bounceDomain))
                .flatMap(Optional::stream).findFirst();
        if (verp.isPresent()) {
            reports.replaceAll(r -> r.recipient() != null ? r
                    : new Report(verp.get(), r.kind(), r.reason(), r.status(), r.diagnostic()));
        }
        for (Report r : reports) {
            log.info("returned mail: {} {} {} {}", r.recipient(), r.kind(), r.reason(), r.status());
            if (r.recipient() != null && (r.kind().equals("hard") || r.kind().equals("complaint"))) {
                try {
                    suppressions.add(r.recipient(), r.kind() + ":" + r.reason());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                // told to the platform like a bounce at delivery (a complaint as email.complained), its key naming the message
                OutcomeEvents publisher = events;
                if (publisher != null) {
                    publisher.outcome(new Outcome.Bounced("returned", r.key(), r.recipient(), "none",
                            new Bounce(r.kind(), r.reason(), r.status()), null, Instant.now()));
                }
            }
        }
        return "returned-" + reports.size();
    }

    private static List<Integer> range(SpooledMessage m) {
        return IntStream.range(0, m.recipients().size()).boxed().toList();
    }

    private void outcome(Outcome o) {
        metrics.outcome(o);
        OutcomeEvents publisher = events;
        if (publisher != null) {
            publisher.outcome(o);
        }
        if (o instanceof Outcome.Bounced b) {
            log.info("bounced {} for {}: {} {} ({})", b.messageId(), b.recipient(), b.bounce().kind(), b.bounce().reason(), b.reply());
            if (b.bounce().kind().equals("hard") && !Set.of("expired", "purged", "suppressed").contains(b.bounce().reason())) {
                try {
                    suppressions.add(b.recipient(), "hard:" + b.bounce().reason());
                } catch (IOException e) {
                    log.warn("could not record {} as suppressed: {}", b.recipient(), e.toString());
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (bounceMailbox != null) {
            bounceMailbox.close();
        }
        if (rabbit != null) {
            rabbit.close();
        }
        if (events != null) {
            events.close();
        }
        smtp.close();
        http.close();
        deliveries.close();
        spool.close();
        suppressions.close();
        sources.close();
        seen.close();
    }

    public static void main(String[] args) throws Exception {
        String file = args.length > 0 ? args[0] : System.getenv("ORBITA_MTA_CONFIG");
        MtaMain node = new MtaMain(new MtaConfig(file == null ? null : Path.of(file), System.getenv()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (IOException e) {
                log.warn("closing: {}", e.toString());
            }
        }));
        Thread.currentThread().join();
    }
}
