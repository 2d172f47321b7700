package org.orbita.mta.delivery;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.orbita.mta.spool.Spool;
import org.orbita.mta.spool.SpooledMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers spooled mail: recipients are grouped by receiving site, each site has its own
 * queue and up to {@code maxConnections} connections (virtual threads), each connection is
 * reused for up to {@code messagesPerConnection} messages; a temporary failure is tried again
 * on an exponential schedule until {@code maxAge}, a permanent one bounces. Every final outcome
 * is written to the spool before it is reported, so a restart redelivers only what was in flight.
 *
 * <p>Longer than the ~400 lines we aim for: the per-site queues, their connections and retries are
 * one scheduler.
 */
public final class Deliveries implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
    private static final String DNS_WAIT = "dns:";

    /**
     * The node's name in EHLO and how long to wait on a connection (the shaping rules say the rest
     * per site); with a {@code verpDomain}, each recipient gets its own return path
     * {@code bounces+user=example.com@verpDomain}, so a bounce names its recipient by where it arrives.
     */
    public record Settings(SourcePool sources, int timeoutMillis, String verpDomain) {

        /** The return path for one recipient: VERP when a bounce domain is set, else the envelope sender. */
        public String returnPath(String sender, String recipient) {
            if (verpDomain == null || sender == null || sender.isEmpty()) {
                return sender;
            }
            int at = recipient.lastIndexOf('@');
            return "bounces+" + recipient.substring(0, at) + "=" + recipient.substring(at + 1) + "@" + verpDomain;
        }

        /** The recipient a VERP return path stands for, if it is one of this node's. */
        public static Optional<String> recipientOf(String returnPath, String verpDomain) {
            String p = returnPath.toLowerCase(Locale.ROOT);
            if (verpDomain == null || !p.startsWith("bounces+") || !p.endsWith("@" + verpDomain.toLowerCase(Locale.ROOT))) {
                return Optional.empty();
            }
            String inner = returnPath.substring("bounces+".length(), returnPath.lastIndexOf('@'));
            int eq = inner.lastIndexOf('=');
            return eq <= 0 ? Optional.empty() : Optional.of(inner.substring(0, eq) + "@" + inner.substring(eq + 1));
        }
    }

    /** Receives every outcome: the platform's events, metrics, suppression. */
    @FunctionalInterface
    public interface Listener {
        void outcome(Outcome outcome);
    }

    /** A queue as the admin API shows it. */
    public record QueueInfo(String site, int ready, int deferred, int connections, Instant oldest, boolean paused, Instant suspendedUntil,
                            int maxConnections, double ratePerSecond) {}

    /** Some recipients of one message bound for one site. */
    private record Job(SpooledMessage message, List<Integer> recipients, String site, int attempt, Instant due) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(Instant.now(), due));
        }

        @Override
        public int compareTo(Delayed o) {
            return due.compareTo(((Job) o).due);
        }
    }

    private final class SiteQueue {
        final String name;
        volatile List<InetSocketAddress> hosts;
        /** The relay's login, when the site is a relay that wants one. */
        final Router.Credentials credentials;
        final Set<String> domains = ConcurrentHashMap.newKeySet();
        volatile Instant suspendedUntil = Instant.MIN;
        private long nextSendNanos;
        private Shaping limitsFrom;
        private Shaping.Limits limits;
        final ConcurrentLinkedDeque<Job> ready = new ConcurrentLinkedDeque<>();
        final AtomicInteger readyCount = new AtomicInteger();
        final AtomicInteger deferred = new AtomicInteger();
        final AtomicInteger workers = new AtomicInteger();
        volatile boolean paused;

        SiteQueue(Router.Site site) {
            this.name = site.name();
            this.hosts = site.hosts();
            this.credentials = site.credentials();
        }

        void add(Job job) {
            ready.add(job);
            readyCount.incrementAndGet();
            startWorkers();
        }

        /** This site's limits under the rules in force (looked up again after a reload). */
        synchronized Shaping.Limits limits() {
            Shaping current = shaping;
            if (current != limitsFrom) {
                limits = current.limits(name, domains);
                limitsFrom = current;
            }
            return limits;
        }

        boolean suspended() {
            return Instant.now().isBefore(suspendedUntil);
        }

        /** Waits for the site's rate limit to allow one more message. */
        void pace() throws InterruptedException {
            double rate = limits().ratePerSecond();
            if (rate <= 0) {
                return;
            }
            long wait;
            synchronized (this) {
                long now = System.nanoTime();
                long at = Math.max(now, nextSendNanos);
                nextSendNanos = at + (long) (1e9 / rate);
                wait = at - now;
            }
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }

        Job poll() {
            Job j = ready.poll();
            if (j != null) {
                readyCount.decrementAndGet();
            }
            return j;
        }

        void startWorkers() {
            while (!paused && !closing && readyCount.get() > 0 && !suspended()) {
                int w = workers.get();
                if (w >= limits().maxConnections() || w >= readyCount.get() || !workers.compareAndSet(w, w + 1)) {
                    return;
                }
                Thread.ofVirtual().name("deliver-" + name).start(() -> work(this));
            }
        }
    }

    private final Spool spool;
    private final Router router;
    private final Settings settings;
    private final Listener listener;
    private volatile Shaping shaping;
    private final Map<String, SiteQueue> sites = new ConcurrentHashMap<>();
    private final DelayQueue<Job> retries = new DelayQueue<>();
    private final Thread scheduler;
    private volatile boolean closing;

    public Deliveries(Spool spool, Router router, Settings settings, Shaping shaping, Listener listener) {
        this.shaping = shaping;
        this.spool = spool;
        this.router = router;
        this.settings = settings;
        this.listener = listener;
        this.scheduler = Thread.ofPlatform().name("delivery-retries").daemon(true).start(this::retryLoop);
    }

    /** Puts new rules in force (a reload); sites look their limits up again. */
    public void reshape(Shaping rules) {
        this.shaping = rules;
        sites.values().forEach(SiteQueue::startWorkers);
    }

    /** Queues the given recipients (indexes into the message's list) of a spooled message. */
    public void submit(SpooledMessage m, List<Integer> recipients) {
        place(m, recipients, 0);
    }

    /**
     * Routes recipients to their sites' queues. A domain whose name servers fail for now waits in
     * a {@code dns:<domain>} queue on the retry schedule and is routed again when it is due.
     */
    private void place(SpooledMessage m, List<Integer> recipients, int attempt) {
        Map<String, List<Integer>> bySite = new LinkedHashMap<>();
        Map<String, Router.Site> known = new LinkedHashMap<>();
        Map<String, List<Integer>> unresolved = new LinkedHashMap<>();
        Map<String, String> why = new LinkedHashMap<>();
        for (int i : recipients) {
            String rcpt = m.recipients().get(i);
            String domain = rcpt.substring(rcpt.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
            try {
                Router.Site site = router.route(domain);
                known.putIfAbsent(site.name(), site);
                bySite.computeIfAbsent(site.name(), k -> new ArrayList<>()).add(i);
            } catch (Router.NoRoute e) {
                finish(new Outcome.Bounced(m.id(), m.key(), rcpt, "none", Bounce.noRoute(), new Reply(550, "5.1.2", e.getMessage()), Instant.now()), m, i);
            } catch (Router.TryAgain e) {
                unresolved.computeIfAbsent(DNS_WAIT + domain, k -> new ArrayList<>()).add(i);
                why.put(DNS_WAIT + domain, e.getMessage());
            }
        }
        unresolved.forEach((name, idx) -> {
            SiteQueue wait = sites.computeIfAbsent(name, k -> new SiteQueue(new Router.Site(name, List.of())));
            wait.domains.add(name.substring(DNS_WAIT.length()));
            retryOrBounce(new Job(m, List.copyOf(idx), name, attempt, Instant.now()), idx, new Reply(451, "4.4.3", why.get(name)));
        });
        bySite.forEach((name, idx) -> {
            SiteQueue site = sites.computeIfAbsent(name, k -> new SiteQueue(known.get(name)));
            site.hosts = known.get(name).hosts(); // the addresses may have changed since the site was first seen
            for (int i : idx) {
                String rcpt = m.recipients().get(i);
                if (site.domains.add(rcpt.substring(rcpt.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT))) {
                    synchronized (site) {
                        site.limitsFrom = null; // a new domain may match another destination rule
                    }
                }
            }
            site.add(new Job(m, List.copyOf(idx), name, 0, Instant.now()));
        });
    }

    private void work(SiteQueue site) {
        SmtpClient client = null;
        SourcePool.Source source = null;
        int sent = 0;
        try {
            while (!closing && !site.paused && !site.suspended()) {
                Job job = site.poll();
                if (job == null) {
                    // keep the connection a moment for the next message
                    for (int i = 0; i < 20 && job == null && !closing; i++) {
                        Thread.sleep(25);
                        job = site.poll();
                    }
                    if (job == null) {
                        break;
                    }
                }
                if (client != null && sent > 0 && !settings.sources().take(source)) {
                    client.close(); // this address has sent its volume for today; another may still send
                    client = null;
                    sent = 0;
                }
                if (client == null) {
                    try {
                        String pool = site.limits().pool();
                        source = settings.sources().pick(pool).orElseThrow(() -> new SmtpClient.Refused(new Reply(451, "4.7.0",
                                "every source address" + (pool == null ? "" : " of pool " + pool) + " has sent today's warm-up volume")));
                        client = connect(site, source);
                    } catch (IOException e) {
                        Reply r = e instanceof SmtpClient.Refused refused ? refused.reply : new Reply(421, "4.4.1", "cannot connect: " + e.getMessage());
                        retryOrBounce(job, job.recipients(), r);
                        for (Job other; (other = site.poll()) != null; ) {
                            retryOrBounce(other, other.recipients(), r);
                        }
                        break;
                    }
                }
                try {
                    site.pace();
                    deliver(client, job, site);
                } catch (IOException e) {
                    retryOrBounce(job, job.recipients(), new Reply(421, "4.4.2", "connection lost: " + e.getMessage()));
                    client.close();
                    client = null;
                    sent = 0;
                    continue;
                }
                if (++sent >= site.limits().messagesPerConnection()) {
                    client.close();
                    client = null;
                    sent = 0;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("delivery to {} stopped", site.name, e);
        } finally {
            if (client != null) {
                client.close();
            }
            site.workers.decrementAndGet();
            site.startWorkers();
        }
    }

    private SmtpClient connect(SiteQueue site, SourcePool.Source source) throws IOException {
        IOException last = null;
        for (InetSocketAddress host : site.hosts) {
            InetAddress[] addresses = host.isUnresolved() ? InetAddress.getAllByName(host.getHostString()) : new InetAddress[] {host.getAddress()};
            for (InetAddress address : addresses) {
                try {
                    return SmtpClient.open(new InetSocketAddress(address, host.getPort()), source.address(), source.helo(), site.limits().tls(),
                            settings.timeoutMillis(), site.credentials);
                } catch (SmtpClient.Refused e) {
                    if (e.reply.permanent()) {
                        throw e;
                    }
                    last = e;
                } catch (IOException e) {
                    last = e;
                }
            }
        }
        throw last != null ? last : new IOException("no hosts for " + site.name);
    }

    private void deliver(SmtpClient client, Job job, SiteQueue site) throws IOException {
        SpooledMessage m = job.message();
        byte[] body = spool.body(m);
        List<String> to = job.recipients().stream().map(i -> m.recipients().get(i)).toList();
        SmtpClient.Sent sent;
        if (settings.verpDomain() == null || to.size() == 1) {
            sent = client.send(to.size() == 1 ? settings.returnPath(m.sender(), to.get(0)) : m.sender(), to, body);
        } else {
            // one transaction per recipient, each with its own return path
            List<Reply> rcpts = new ArrayList<>();
            for (String rcpt : to) {
                SmtpClient.Sent one = client.send(settings.returnPath(m.sender(), rcpt), List.of(rcpt), body);
                rcpts.add(!one.mail().positive() ? one.mail() : one.recipients().isEmpty() ? one.data()
                        : one.recipients().get(0).positive() ? one.data() : one.recipients().get(0));
            }
            sent = new SmtpClient.Sent(new Reply(250, "2.1.0", "per recipient"), rcpts, new Reply(250, "2.0.0", "per recipient"));
        }
        List<Integer> again = new ArrayList<>();
        Reply againReply = null;
        for (int k = 0; k < to.size(); k++) {
            int index = job.recipients().get(k);
            Reply r = !sent.mail().positive() ? sent.mail()
                    : k < sent.recipients().size() && !sent.recipients().get(k).positive() ? sent.recipients().get(k)
                    : sent.data();
            String command = !sent.mail().positive() ? "MAIL"
                    : k < sent.recipients().size() && !sent.recipients().get(k).positive() ? "RCPT" : "DATA";
            boolean permanent = r.permanent();
            if (r.code() / 100 != 2) {
                Optional<Shaping.ResponseRule> rule = shaping.response(r);
                if (rule.isPresent()) {
                    switch (rule.get().action()) {
                        case "bounce" -> permanent = true;
                        case "defer" -> permanent = false;
                        default -> {
                            permanent = false;
                            site.suspendedUntil = Instant.now().plus(rule.get().duration());
                            log.warn("{} suspended for {}: {}", site.name, rule.get().duration(), r);
                        }
                    }
                }
            }
            if (r.code() / 100 == 2) {
                finish(new Outcome.Delivered(m.id(), m.key(), to.get(k), job.site(), r, Instant.now()), m, index);
            } else if (permanent) {
                finish(new Outcome.Bounced(m.id(), m.key(), to.get(k), job.site(), Bounce.of(r, command), r, Instant.now()), m, index);
            } else {
                again.add(index);
                againReply = r;
            }
        }
        if (!again.isEmpty()) {
            retryOrBounce(job, again, againReply);
        }
    }

    /** Schedules recipients again, or bounces them as expired when the message is past its maximum age. */
    private void retryOrBounce(Job job, List<Integer> recipients, Reply reply) {
        SpooledMessage m = job.message();
        SiteQueue site = sites.get(job.site());
        Shaping.Limits limits = site.limits();
        Instant now = Instant.now();
        Duration wait = limits.retryBase().multipliedBy(1L << Math.min(job.attempt(), 20));
        if (wait.compareTo(limits.retryMax()) > 0) {
            wait = limits.retryMax();
        }
        if (site.suspendedUntil.isAfter(now.plus(wait))) {
            wait = Duration.between(now, site.suspendedUntil);
        }
        Instant next = now.plus(wait);
        if (next.isAfter(m.accepted().plus(limits.maxAge()))) {
            for (int i : recipients) {
                finish(new Outcome.Bounced(m.id(), m.key(), m.recipients().get(i), job.site(), Bounce.expired(), reply, now), m, i);
            }
            return;
        }
        for (int i : recipients) {
            listener.outcome(new Outcome.Deferred(m.id(), m.key(), m.recipients().get(i), job.site(), Bounce.of(reply).reason(), reply, next));
        }
        site.deferred.incrementAndGet();
        retries.add(new Job(m, List.copyOf(recipients), job.site(), job.attempt() + 1, next));
    }

    private void finish(Outcome o, SpooledMessage m, int recipient) {
        spool.done(m.id(), recipient);
        listener.outcome(o);
    }

    private void retryLoop() {
        while (!closing) {
            try {
                Job due = retries.poll(200, TimeUnit.MILLISECONDS);
                if (due != null) {
                    requeue(due);
                } else {
                    // sites whose suspension ran out start sending again
                    sites.values().forEach(SiteQueue::startWorkers);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A deferred job that is due: back into its site's queue, or routed again if it waited on DNS. */
    private void requeue(Job due) {
        SiteQueue site = sites.get(due.site());
        site.deferred.decrementAndGet();
        if (due.site().startsWith(DNS_WAIT)) {
            Thread.ofVirtual().name("route-again").start(() -> place(due.message(), due.recipients(), due.attempt()));
        } else {
            site.add(due);
        }
    }

    /** The queues by site, busiest first. */
    public List<QueueInfo> queues() {
        List<QueueInfo> out = new ArrayList<>();
        for (SiteQueue s : sites.values()) {
            Instant oldest = null;
            Job head = s.ready.peek();
            if (head != null) {
                oldest = head.message().accepted();
            }
            for (Job j : retries) {
                if (j.site().equals(s.name) && (oldest == null || j.message().accepted().isBefore(oldest))) {
                    oldest = j.message().accepted();
                }
            }
            Shaping.Limits l = s.limits();
            out.add(new QueueInfo(s.name, s.readyCount.get(), s.deferred.get(), s.workers.get(), oldest, s.paused,
                    s.suspended() ? s.suspendedUntil : null, l.maxConnections(), l.ratePerSecond()));
        }
        out.sort(Comparator.comparingInt((QueueInfo q) -> q.ready() + q.deferred()).reversed());
        return out;
    }

    /** Stops (or restarts) delivery to a site; its mail stays queued. */
    public boolean pause(String site, boolean paused) {
        SiteQueue s = sites.get(site);
        if (s == null) {
            return false;
        }
        s.paused = paused;
        if (!paused) {
            s.startWorkers();
        }
        return true;
    }

    /**
     * Drops a site's queued mail, ready and deferred: each recipient is finished as bounced
     * {@code purged} (reported, not suppressed). Returns how many recipients were dropped.
     */
    public int purge(String site) {
        SiteQueue s = sites.get(site);
        if (s == null) {
            return -1;
        }
        List<Job> dropped = new ArrayList<>();
        for (Job j; (j = s.poll()) != null; ) {
            dropped.add(j);
        }
        for (Job j : retries) {
            if (j.site().equals(site) && retries.remove(j)) {
                s.deferred.decrementAndGet();
                dropped.add(j);
            }
        }
        int n = 0;
        Reply reply = new Reply(550, "5.0.0", "purged by an administrator");
        for (Job j : dropped) {
            for (int i : j.recipients()) {
                finish(new Outcome.Bounced(j.message().id(), j.message().key(), j.message().recipients().get(i), site, new Bounce("hard", "purged", "5.0.0"), reply,
                        Instant.now()), j.message(), i);
                n++;
            }
        }
        return n;
    }

    /** Moves a site's deferred mail to the front of its queue now. */
    public int retryNow(String site) {
        SiteQueue s = sites.get(site);
        if (s == null) {
            return 0;
        }
        List<Job> due = new ArrayList<>();
        for (Job j : retries) {
            if (j.site().equals(site) && retries.remove(j)) {
                due.add(j);
            }
        }
        due.forEach(this::requeue);
        return due.size();
    }

    @Override
    public void close() {
        closing = true;
        scheduler.interrupt();
    }
}
