package org.orbita.journeys.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.orbita.journeys.JourneyLedger;
import org.orbita.storage.mongo.MongoConnection;

/** The MongoDB adapter against mongo-java-server, which speaks MongoDB's wire protocol on loopback. */
class MongoJourneyLedgerTest extends JourneyLedgerContract {

    MongoServer server;
    MongoConnection mongo;
    MongoJourneyLedger store;

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        mongo = new MongoConnection(server.bindAndGetConnectionString(), "orbita_test");
        store = new MongoJourneyLedger(mongo);
    }

    @AfterEach
    void stop() {
        mongo.close();
        server.shutdown();
    }

    @Override
    protected JourneyLedger journeys() {
        return store;
    }
}
