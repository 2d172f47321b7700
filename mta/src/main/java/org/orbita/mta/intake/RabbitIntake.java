package org.orbita.mta.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.Closeable;
import java.io.IOException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.orbita.mta.config.MtaJson;
import org.orbita.mta.smtp.Injection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the platform's email queue (RabbitMQ) in: each message is a {@link JsonMessage},
 * acknowledged only once it is in the spool. Several nodes may consume the same durable queue
 * (RabbitMQ hands each message to one of them); a node that dies leaves its unacknowledged
 * messages to be delivered to another. A message that is not a valid JSON message is rejected
 * without requeueing (to the queue's dead-letter exchange, if it has one); one the spool could
 * not take is returned to the queue.
 */
public final class RabbitIntake implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(RabbitIntake.class);
    private static final ObjectMapper JSON = MtaJson.MAPPER;

    private final Connection connection;
    private final Channel channel;
    private final String queue;
    private final ScheduledExecutorService later =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("rabbit-nack").daemon(true).factory());

    public RabbitIntake(String uri, String queue, int prefetch, String hostname, Injection.Keyed injection)
            throws IOException, TimeoutException {
        this.queue = queue;
        connection = connect(uri, "orbita-mta " + hostname);
        channel = connection.createChannel();
        channel.queueDeclare(queue, true, false, false, null);
        channel.basicQos(prefetch);
        channel.basicConsume(queue, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) throws IOException {
                long deliveryTag = envelope.getDeliveryTag();
                JsonMessage m;
                try {
                    m = JsonMessage.read(JsonMessage.parse(JSON, body), hostname);
                } catch (JsonMessage.Invalid | IOException e) {
                    log.warn("refused a message from {}: {}", queue, e.getMessage());
                    channel.basicReject(deliveryTag, false);
                    return;
                }
                injection.inject(m.key(), m.from(), m.to(), m.message()).whenComplete((id, failure) -> {
                    try {
                        if (failure == null) {
                            channel.basicAck(deliveryTag, false);
                        } else {
                            // returned after a pause, so a full disk is not a hot loop of redeliveries
                            log.warn("could not spool a message from {}, returned to the queue: {}", queue, failure.toString());
                            later.schedule(() -> nack(deliveryTag), 1, TimeUnit.SECONDS);
                        }
                    } catch (IOException e) {
                        log.warn("acknowledging to {}: {} (the broker redelivers)", queue, e.toString());
                    }
                });
            }
        });
        log.info("consuming {} (prefetch {})", queue, prefetch);
    }

    /** How many consumers (nodes) the queue has now, this one included. */
    public int consumers() throws IOException {
        return (int) channel.consumerCount(queue);
    }

    private void nack(long deliveryTag) {
        try {
            channel.basicNack(deliveryTag, false, true);
        } catch (IOException | AlreadyClosedException e) {
            log.warn("returning a message: {} (the broker redelivers it when the channel closes)", e.toString());
        }
    }

    /** A connection to the broker that recovers by itself after a network failure. */
    static Connection connect(String uri, String name) throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
        } catch (URISyntaxException | GeneralSecurityException e) {
            throw new IllegalArgumentException("mta.rabbitmq.uri is not an amqp:// URI: " + e.getMessage());
        }
        factory.setAutomaticRecoveryEnabled(true);
        return factory.newConnection(name);
    }

    @Override
    public void close() throws IOException {
        later.shutdownNow();
        try {
            channel.close();
        } catch (TimeoutException | AlreadyClosedException e) {
            log.debug("closing the channel: {}", e.toString());
        }
        connection.close();
    }
}
