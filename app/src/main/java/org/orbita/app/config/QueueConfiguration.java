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

    /** The embedded broker's login and the embedded mail sender's admin token, made per start. */
    record EmbeddedSecrets(String brokerPassword, String mtaToken) {
        static String random() {
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            return HexFormat.of().formatHex(secret);
        }
    }

    @Bean
    EmbeddedSecrets embeddedSecrets() {
        return new EmbeddedSecrets(EmbeddedSecrets.random(), EmbeddedSecrets.random());
    }

    @Bean(destroyMethod = "close")
    @Lazy
    SendQueue sendQueue(OrbitaProperties props, EmbeddedSecrets secrets) {
        var q = props.queue();
        return switch (q.kind()) {
            case "rabbitmq" -> {
                var r = props.rabbitmq();
                log.info("Send queue: RabbitMQ at {}:{}", r.host(), r.port());
                yield new AmqpSendQueue(r.host(), r.port(), r.user(), r.password(), r.virtualHost());
            }
            case "embedded" -> {
                String password = secrets.brokerPassword();
                EmbeddedBroker.Store store = switch (q.embeddedStore().toLowerCase(java.util.Locale.ROOT)) {
                    case "bdb" -> EmbeddedBroker.Store.BDB;
                    case "derby" -> EmbeddedBroker.Store.DERBY;
                    case "memory" -> EmbeddedBroker.Store.MEMORY;
                    default -> throw new IllegalStateException("orbita.queue.embedded-store must be bdb, derby or memory, not '"
                            + q.embeddedStore() + "'");
                };
                log.info("Send queue: embedded Qpid broker on 127.0.0.1:{}, messages kept in {}", q.embeddedPort(), store);
                EmbeddedBroker broker = new EmbeddedBroker(props.dataDir().resolve("broker"), q.embeddedPort(), "orbita", password, store);
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
        public long consumers(String queue) {
            return client.consumers(queue);
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
