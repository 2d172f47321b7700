package org.orbita.app.campaigns;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.orbita.app.config.OrbitaProperties;
import org.orbita.channels.ChannelProvider;
import org.orbita.channels.ChannelWorker;
import org.orbita.events.EventLog;
import org.orbita.queues.SendQueue;
import org.orbita.sending.SendLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * A channel worker per provider, started once the application is ready, off the start-up path:
 * the embedded broker starts with them. A worker that cannot start is logged with its channel.
 */
public final class ChannelWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChannelWorkers.class);

    private final List<ChannelWorker> running = new CopyOnWriteArrayList<>();
    private final SendQueue queue;
    private final List<ChannelProvider> providers;
    private final SendLedger ledger;
    private final EventLog events;
    private final ChannelWorker.Unreachable unreachable;
    private final OrbitaProperties.Retry retry;
    private final Map<String, Double> rates;
    private volatile boolean closed;

    ChannelWorkers(SendQueue queue, List<ChannelProvider> providers, SendLedger ledger, EventLog events, ChannelWorker.Unreachable unreachable,
                   OrbitaProperties.Retry retry, Map<String, Double> rates) {
        this.queue = queue;
        this.providers = providers;
        this.ledger = ledger;
        this.events = events;
        this.unreachable = unreachable;
        this.retry = retry;
        this.rates = rates;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        Thread.ofPlatform().name("channel-workers").daemon(true).start(() -> {
            for (ChannelProvider p : providers) {
                if (closed) {
                    return;
                }
                try {
                    running.add(new ChannelWorker(queue, p, ledger, events, unreachable, retry.attempts(), retry.firstWait(), retry.maxWait(), 16,
                            rates.getOrDefault(p.channel(), 0.0)));
                } catch (RuntimeException e) {
                    log.error("the {} worker did not start", p.channel(), e);
                }
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        running.forEach(ChannelWorker::close);
    }
}
