package org.orbita.sites.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.orbita.sites.Visitors;
import org.orbita.storage.mongo.MongoConnection;

/** The MongoDB adapter against mongo-java-server, which speaks MongoDB's wire protocol on loopback. */
class MongoVisitorsTest extends VisitorsContract {

    MongoServer server;
    MongoConnection mongo;
    MongoVisitors store;

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        mongo = new MongoConnection(server.bindAndGetConnectionString(), "orbita_test");
        store = new MongoVisitors(mongo);
    }

    @AfterEach
    void stop() {
        mongo.close();
        server.shutdown();
    }

    @Override
    protected Visitors store() {
        return store;
    }
}
