package org.orbita.queues;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SendQueue} over AMQP 0-9-1 with the RabbitMQ Java client: durable queues,
 * persistent messages, publisher confirms and manual acks. Speaks to RabbitMQ in
 * production and to the embedded Qpid broker on one machine.
 */
public final class AmqpSendQueue implements SendQueue {

    private static final Logger log = LoggerFactory.getLogger(AmqpSendQueue.class);
    private static final long CONFIRM_TIMEOUT_MS = 30_000;

    private final Connection connection;
    private final Channel publisher;
    private final Set<String> declared = ConcurrentHashMap.newKeySet();

    public AmqpSendQueue(String host, int port, String user, String password, String virtualHost) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(user);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        factory.setAutomaticRecoveryEnabled(true);
        try {
            this.connection = factory.newConnection("orbita");
            this.publisher = connection.createChannel();
            publisher.confirmSelect();
        } catch (IOException | TimeoutException e) {
            throw new QueueException("cannot connect to the AMQP broker at " + host + ":" + port, e);
        }
    }

    private void declare(Channel channel, String queue) throws IOException {
        if (declared.add(queue)) {
            channel.queueDeclare(queue, true, false, false, null);
        }
    }

    private static AMQP.BasicProperties properties(Map<String, String> headers) {
        return new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("application/octet-stream")
                .headers(new HashMap<>(headers)).build();
    }

    @Override
    public void publish(String queue, byte[] body, Map<String, String> headers) {
        publishAll(queue, List.of(new Message(body, headers, false)));
    }

    @Override
    public synchronized void publishAll(String queue, List<Message> messages) {
        try {
            declare(publisher, queue);
            for (Message m : messages) {
                publisher.basicPublish("", queue, true, properties(m.headers()), m.body());
            }
            publisher.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
        } catch (IOException | InterruptedException | TimeoutException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new QueueException("the broker did not confirm " + messages.size() + " messages to " + queue, e);
        }
    }

    @Override
    public Consumer consume(String queue, int prefetch, Handler handler) {
        try {
            Channel channel = connection.createChannel();
            channel.queueDeclare(queue, true, false, false, null);
            channel.basicQos(prefetch);
            Object lock = new Object();
            int[] inFlight = {0};
            String tag = channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                        throws IOException {
                    synchronized (lock) {
                        inFlight[0]++;
                    }
                    try {
                        deliver(envelope, props, body);
                    } finally {
                        synchronized (lock) {
                            inFlight[0]--;
                            lock.notifyAll();
                        }
                    }
                }

                private void deliver(Envelope envelope, AMQP.BasicProperties props, byte[] body) throws IOException {
                    Map<String, String> headers = new HashMap<>();
                    if (props.getHeaders() != null) {
                        props.getHeaders().forEach((k, v) -> headers.put(k, String.valueOf(v)));
                    }
                    try {
                        handler.handle(new Message(body, headers, envelope.isRedeliver()));
                        settle(() -> channel.basicAck(envelope.getDeliveryTag(), false));
                    } catch (Exception e) {
                        log.warn("Message from {} not handled, returned to the queue: {}", queue, e.toString());
                        settle(() -> channel.basicNack(envelope.getDeliveryTag(), false, true));
                    }
                }

                /**
                 * Acknowledges or returns a delivery. A delivery already dispatched when its consumer was closed finds
                 * the channel gone: the broker has put it back on the queue with the channel (unacknowledged messages
                 * return), so there is nothing to settle — thrown on, it would make the client close the channel under
                 * whoever is closing it.
                 */
                private void settle(Settle settle) throws IOException {
                    try {
                        settle.run();
                    } catch (AlreadyClosedException e) {
                        log.info("A message from {} was back on the queue with its closed consumer's channel: {}", queue, e.getMessage());
                    }
                }
            });
            return () -> {
                try {
                    channel.basicCancel(tag);
                    // Let a delivery being handled finish and be acknowledged before the channel goes.
                    synchronized (lock) {
                        long deadline = System.currentTimeMillis() + 30_000;
                        while (inFlight[0] > 0 && System.currentTimeMillis() < deadline) {
                            lock.wait(deadline - System.currentTimeMillis());
                        }
                    }
                    channel.close();
                } catch (IOException | TimeoutException | ShutdownSignalException e) {
                    log.debug("consumer of {} already closed: {}", queue, e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
        } catch (IOException e) {
            throw new QueueException("cannot consume from " + queue, e);
        }
    }

    /** An acknowledgement or a return of a delivery. */
    @FunctionalInterface
    private interface Settle {
        void run() throws IOException;
    }

    @Override
    public long consumers(String queue) {
        try (Channel channel = connection.createChannel()) {
            return channel.queueDeclare(queue, true, false, false, null).getConsumerCount();
        } catch (IOException | TimeoutException e) {
            throw new QueueException("cannot read the consumers of " + queue, e);
        }
    }

    @Override
    public long depth(String queue) {
        try (Channel channel = connection.createChannel()) {
            return channel.queueDeclare(queue, true, false, false, null).getMessageCount();
        } catch (IOException | TimeoutException e) {
            throw new QueueException("cannot read the depth of " + queue, e);
        }
    }

    @Override
    public long purge(String queue) {
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, true, false, false, null);
            return channel.queuePurge(queue).getMessageCount();
        } catch (IOException | TimeoutException e) {
            throw new QueueException("cannot purge " + queue, e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException e) {
            throw new QueueException("cannot close the AMQP connection", e);
        }
    }
}
