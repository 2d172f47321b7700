package org.orbita.queues;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Against Qpid Broker-J in this process, as one-machine installs use it (started once: it takes seconds). */
class EmbeddedBrokerSendQueueTest extends SendQueueContract {

    static EmbeddedBroker broker;

    @BeforeAll
    static void start() throws IOException {
        int port;
        port = org.orbita.testing.FreePorts.next();
        broker = new EmbeddedBroker(Files.createTempDirectory("orbita-qpid-"), port, "orbita", "secret-pass");
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Override
    protected SendQueue open() {
        return new AmqpSendQueue("127.0.0.1", broker.port(), "orbita", "secret-pass", "default");
    }
}
