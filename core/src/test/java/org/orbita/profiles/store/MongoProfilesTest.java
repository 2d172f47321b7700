package org.orbita.profiles.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.orbita.profiles.ProfileStore;
import org.orbita.storage.mongo.MongoConnection;

/** The MongoDB adapter against mongo-java-server, which speaks MongoDB's wire protocol on loopback. */
class MongoProfilesTest extends ProfileStoreContract {

    MongoServer server;
    MongoConnection mongo;
    MongoProfiles store;

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        mongo = new MongoConnection(server.bindAndGetConnectionString(), "orbita_test");
        store = new MongoProfiles(mongo);
    }

    @AfterEach
    void stop() {
        mongo.close();
        server.shutdown();
    }

    @Override
    protected ProfileStore profiles() {
        return store;
    }
}
