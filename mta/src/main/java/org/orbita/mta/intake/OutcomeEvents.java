package org.orbita.mta.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.orbita.mta.config.MtaJson;
import org.orbita.mta.delivery.Deliveries;
import org.orbita.mta.delivery.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the platform what became of every recipient: {@code email.delivered},
 * {@code email.deferred} and {@code email.bounced} events (JSON) on a durable RabbitMQ queue,
 * published persistent by one thread in batches confirmed by the broker. Outcomes wait in a
 * bounded buffer (100,000) while the broker is away; past that the oldest are dropped, counted
 * and logged — the MTA keeps sending either way.
 */
public final class OutcomeEvents implements Deliveries.Listener, Closeable {

    private static final Logger log = LoggerFactory.getLogger(OutcomeEvents.class);
    private static final ObjectMapper JSON = MtaJson.MAPPER;

    private final ArrayBlockingQueue<Map<String, Object>> pending = new ArrayBlockingQueue<>(100_000);
    private final Connection connection;
    private final Channel channel;
    private final String queue;
    private final Thread publisher;
    private volatile boolean closing;
    private long dropped;

    public OutcomeEvents(String uri, String queue, String node) throws IOException, TimeoutException {
        this.queue = queue;
        connection = RabbitIntake.connect(uri, "orbita-mta events " + node);
        channel = connection.createChannel();
        channel.queueDeclare(queue, true, false, false, null);
        channel.confirmSelect();
        publisher = Thread.ofPlatform().name("outcome-events").daemon(true).start(this::publishLoop);
    }

    @Override
    public void outcome(Outcome o) {
        Map<String, Object> e = new LinkedHashMap<>();
        switch (o) {
            case Outcome.Delivered d -> {
                e.put("type", "email.delivered");
                e.put("at", d.at());
                e.put("site", d.site());
                e.put("reply", d.reply().toString());
            }
            case Outcome.Deferred d -> {
                e.put("type", "email.deferred");
                e.put("retryAt", d.retryAt());
                e.put("site", d.site());
                e.put("reason", d.reason());
                e.put("reply", d.reply().toString());
            }
            case Outcome.Bounced b -> {
                e.put("type", "complaint".equals(b.bounce().kind()) ? "email.complained" : "email.bounced");
                e.put("at", b.at());
                e.put("site", b.site());
                e.put("kind", b.bounce().kind());
                e.put("reason", b.bounce().reason());
                e.put("status", b.bounce().status());
                e.put("reply", b.reply() == null ? null : b.reply().toString());
            }
        }
        e.put("messageId", o.messageId());
        if (o.key() != null) {
            e.put("key", o.key());
        }
        e.put("recipient", o.recipient());
        while (!pending.offer(e)) {
            if (pending.poll() != null) {
                synchronized (this) {
                    if (dropped++ % 10_000 == 0) {
                        log.warn("outcome events are not reaching RabbitMQ; {} dropped so far", dropped);
                    }
                }
            }
        }
    }

    private void publishLoop() {
        List<Map<String, Object>> batch = new ArrayList<>();
        while (!closing || !pending.isEmpty()) {
            try {
                Map<String, Object> first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, 999);
                for (Map<String, Object> e : batch) {
                    channel.basicPublish("", queue, MessageProperties.PERSISTENT_TEXT_PLAIN, JSON.writeValueAsBytes(e));
                }
                channel.waitForConfirmsOrDie(10_000);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | TimeoutException | RuntimeException e) {
                log.warn("publishing {} outcome events failed, trying again: {}", batch.size(), e.toString());
                batch.forEach(pending::offer); // at least once: a batch not confirmed is sent again
                batch.clear();
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        closing = true;
        try {
            publisher.join(5_000);
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | AlreadyClosedException e) {
            log.debug("closing the events channel: {}", e.toString());
        }
        connection.close();
    }
}
