package org.orbita.settings.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.orbita.settings.SettingsStore;
import org.orbita.storage.mongo.MongoConnection;

/** The MongoDB adapter against mongo-java-server, which speaks MongoDB's wire protocol on loopback. */
class MongoSettingsTest extends SettingsStoreContract {

    MongoServer server;
    MongoConnection mongo;
    MongoSettings store;

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        mongo = new MongoConnection(server.bindAndGetConnectionString(), "orbita_test");
        store = new MongoSettings(mongo);
    }

    @AfterEach
    void stop() {
        mongo.close();
        server.shutdown();
    }

    @Override
    protected SettingsStore settings() {
        return store;
    }
}
