package org.orbita.app.config;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.orbita.queues.AmqpSendQueue;
import org.orbita.queues.EmbeddedBroker;
import org.orbita.queues.SendQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The send queue: RabbitMQ in production, or the embedded Qpid broker on loopback with a
 * password made per start. Lazy: the broker starts when something first sends.
 */
@Configuration(proxyBeanMethods = false)
class QueueConfiguration {

    private static final Logger log = LoggerFactory.getLogger(QueueConfiguration.class);

    @Bean(destroyMethod = "close")
    @Lazy
    SendQueue sendQueue(OrbitaProperties props) {
        var q = props.queue();
        return switch (q.kind()) {
            case "rabbitmq" -> {
                var r = props.rabbitmq();
                log.info("Send queue: RabbitMQ at {}:{}", r.host(), r.port());
                yield new AmqpSendQueue(r.host(), r.port(), r.user(), r.password(), r.virtualHost());
            }
            case "embedded" -> {
                byte[] secret = new byte[16];
                new SecureRandom().nextBytes(secret);
                String password = HexFormat.of().formatHex(secret);
                log.info("Send queue: embedded Qpid broker on 127.0.0.1:{}", q.embeddedPort());
                EmbeddedBroker broker = new EmbeddedBroker(props.dataDir().resolve("broker"), q.embeddedPort(), "orbita", password);
                yield new EmbeddedQueue(broker, new AmqpSendQueue("127.0.0.1", q.embeddedPort(), "orbita", password, "default"));
            }
            default -> throw new IllegalStateException("orbita.queue.kind must be 'embedded' or 'rabbitmq', not '" + q.kind() + "'");
        };
    }

    /** The embedded broker and its client, closed together. */
    private record EmbeddedQueue(EmbeddedBroker broker, AmqpSendQueue client) implements SendQueue {
        @Override
        public void publish(String queue, byte[] body, Map<String, String> headers) {
            client.publish(queue, body, headers);
        }

        @Override
        public void publishAll(String queue, List<Message> messages) {
            client.publishAll(queue, messages);
        }

        @Override
        public Consumer consume(String queue, int prefetch, Handler handler) {
            return client.consume(queue, prefetch, handler);
        }

        @Override
        public long depth(String queue) {
            return client.depth(queue);
        }

        @Override
        public long purge(String queue) {
            return client.purge(queue);
        }

        @Override
        public void close() {
            try {
                client.close();
            } finally {
                broker.close();
            }
        }
    }
}
