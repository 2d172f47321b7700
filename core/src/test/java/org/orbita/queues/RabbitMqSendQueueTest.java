package org.orbita.queues;

/** Against the RabbitMQ server at 127.0.0.1:5672 (guest/guest), as production uses it. */
class RabbitMqSendQueueTest extends SendQueueContract {

    @Override
    protected SendQueue open() {
        return new AmqpSendQueue(System.getenv().getOrDefault("ORBITA_TEST_RABBITMQ_HOST", "127.0.0.1"), 5672, "guest", "guest", "/");
    }
}
