package org.orbita.storage.mongo;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.orbita.storage.ProfileEngine;
import org.orbita.storage.ProfileEngineContract;

/** The MongoDB adapter against mongo-java-server, which speaks MongoDB's wire protocol on loopback. */
class MongoStoreTest extends ProfileEngineContract {

    MongoServer server;
    MongoStore store;

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        String uri = server.bindAndGetConnectionString();
        store = new MongoStore(uri, "orbita_test");
    }

    @AfterEach
    void stop() {
        store.close();
        server.shutdown();
    }

    @Override
    protected ProfileEngine engine() {
        return store;
    }
}
