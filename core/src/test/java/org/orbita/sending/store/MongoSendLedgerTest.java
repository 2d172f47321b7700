package org.orbita.sending.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.orbita.sending.SendLedger;
import org.orbita.storage.mongo.MongoConnection;

/** The MongoDB adapter against mongo-java-server, which speaks MongoDB's wire protocol on loopback. */
class MongoSendLedgerTest extends SendLedgerContract {

    MongoServer server;
    MongoConnection mongo;
    MongoSendLedger store;

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        mongo = new MongoConnection(server.bindAndGetConnectionString(), "orbita_test");
        store = new MongoSendLedger(mongo);
    }

    @AfterEach
    void stop() {
        mongo.close();
        server.shutdown();
    }

    @Override
    protected SendLedger ledger() {
        return store;
    }
}
