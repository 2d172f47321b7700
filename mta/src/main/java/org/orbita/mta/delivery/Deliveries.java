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
 */
public final class Deliveries implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

    /** How delivery behaves (the per-destination shaping rules refine these per site). */
    public record Settings(String helo, int maxConnections, int messagesPerConnection, Duration retryBase, Duration retryMax,
                           Duration maxAge, int timeoutMillis, SmtpClient.Tls tls) {}

    /** Receives every outcome: the platform's events, metrics, suppression. */
    @FunctionalInterface
    public interface Listener {
        void outcome(Outcome outcome);
    }

    /** A queue as the admin API shows it. */
    public record QueueInfo(String site, int ready, int deferred, int connections, Instant oldest, boolean paused) {}

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
        final List<InetSocketAddress> hosts;
        final ConcurrentLinkedDeque<Job> ready = new ConcurrentLinkedDeque<>();
        final AtomicInteger readyCount = new AtomicInteger();
        final AtomicInteger deferred = new AtomicInteger();
        final AtomicInteger workers = new AtomicInteger();
        volatile boolean paused;

        SiteQueue(Router.Site site) {
            this.name = site.name();
            this.hosts = site.hosts();
        }

        void add(Job job) {
            ready.add(job);
            readyCount.incrementAndGet();
            startWorkers();
        }

        Job poll() {
            Job j = ready.poll();
            if (j != null) {
                readyCount.decrementAndGet();
            }
            return j;
        }

        void startWorkers() {
            while (!paused && !closing && readyCount.get() > 0) {
                int w = workers.get();
                if (w >= settings.maxConnections() || w >= readyCount.get() || !workers.compareAndSet(w, w + 1)) {
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
    private final Map<String, SiteQueue> sites = new ConcurrentHashMap<>();
    private final DelayQueue<Job> retries = new DelayQueue<>();
    private final Thread scheduler;
    private volatile boolean closing;

    public Deliveries(Spool spool, Router router, Settings settings, Listener listener) {
        this.spool = spool;
        this.router = router;
        this.settings = settings;
        this.listener = listener;
        this.scheduler = Thread.ofPlatform().name("delivery-retries").daemon(true).start(this::retryLoop);
    }

    /** Queues the given recipients (indexes into the message's list) of a spooled message. */
    public void submit(SpooledMessage m, List<Integer> recipients) {
        Map<String, List<Integer>> bySite = new LinkedHashMap<>();
        Map<String, Router.Site> known = new LinkedHashMap<>();
        for (int i : recipients) {
            String rcpt = m.recipients().get(i);
            String domain = rcpt.substring(rcpt.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
            try {
                Router.Site site = router.route(domain);
                known.putIfAbsent(site.name(), site);
                bySite.computeIfAbsent(site.name(), k -> new ArrayList<>()).add(i);
            } catch (Router.NoRoute e) {
                finish(new Outcome.Bounced(m.id(), rcpt, "none", Bounce.noRoute(), new Reply(550, "5.1.2", e.getMessage()), Instant.now()), m, i);
            }
        }
        bySite.forEach((name, idx) -> sites.computeIfAbsent(name, k -> new SiteQueue(known.get(name)))
                .add(new Job(m, List.copyOf(idx), name, 0, Instant.now())));
    }

    private void work(SiteQueue site) {
        SmtpClient client = null;
        int sent = 0;
        try {
            while (!closing && !site.paused) {
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
                if (client == null) {
                    try {
                        client = connect(site);
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
                    deliver(client, job);
                } catch (IOException e) {
                    retryOrBounce(job, job.recipients(), new Reply(421, "4.4.2", "connection lost: " + e.getMessage()));
                    client.close();
                    client = null;
                    sent = 0;
                    continue;
                }
                if (++sent >= settings.messagesPerConnection()) {
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

    private SmtpClient connect(SiteQueue site) throws IOException {
        IOException last = null;
        for (InetSocketAddress host : site.hosts) {
            for (InetAddress address : InetAddress.getAllByName(host.getHostString())) {
                try {
                    return SmtpClient.open(new InetSocketAddress(address, host.getPort()), null, settings.helo(), settings.tls(), settings.timeoutMillis());
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

    private void deliver(SmtpClient client, Job job) throws IOException {
        SpooledMessage m = job.message();
        byte[] body = spool.body(m);
        List<String> to = job.recipients().stream().map(i -> m.recipients().get(i)).toList();
        SmtpClient.Sent sent = client.send(m.sender(), to, body);
        List<Integer> again = new ArrayList<>();
        Reply againReply = null;
        for (int k = 0; k < to.size(); k++) {
            int index = job.recipients().get(k);
            Reply r = !sent.mail().positive() ? sent.mail()
                    : k < sent.recipients().size() && !sent.recipients().get(k).positive() ? sent.recipients().get(k)
                    : sent.data();
            if (r.code() / 100 == 2) {
                finish(new Outcome.Delivered(m.id(), to.get(k), job.site(), r, Instant.now()), m, index);
            } else if (r.permanent()) {
                finish(new Outcome.Bounced(m.id(), to.get(k), job.site(), Bounce.of(r), r, Instant.now()), m, index);
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
        Instant now = Instant.now();
        Duration wait = settings.retryBase().multipliedBy(1L << Math.min(job.attempt(), 20));
        if (wait.compareTo(settings.retryMax()) > 0) {
            wait = settings.retryMax();
        }
        Instant next = now.plus(wait);
        if (next.isAfter(m.accepted().plus(settings.maxAge()))) {
            for (int i : recipients) {
                finish(new Outcome.Bounced(m.id(), m.recipients().get(i), job.site(), Bounce.expired(), reply, now), m, i);
            }
            return;
        }
        for (int i : recipients) {
            listener.outcome(new Outcome.Deferred(m.id(), m.recipients().get(i), job.site(), Bounce.of(reply).reason(), reply, next));
        }
        SiteQueue site = sites.get(job.site());
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
                    SiteQueue site = sites.get(due.site());
                    site.deferred.decrementAndGet();
                    site.add(due);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
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
            out.add(new QueueInfo(s.name, s.readyCount.get(), s.deferred.get(), s.workers.get(), oldest, s.paused));
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
        s.deferred.addAndGet(-due.size());
        due.forEach(s::add);
        return due.size();
    }

    @Override
    public void close() {
        closing = true;
        scheduler.interrupt();
    }
}
