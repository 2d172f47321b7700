package org.orbita.audit.store;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.orbita.audit.AuditStore;
import org.orbita.storage.mongo.MongoConnection;

/** The MongoDB adapter against mongo-java-server, which speaks MongoDB's wire protocol on loopback. */
class MongoAuditStoreTest extends AuditStoreContract {

    MongoServer server;
    MongoConnection mongo;
    MongoAuditStore store;

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        mongo = new MongoConnection(server.bindAndGetConnectionString(), "orbita_test");
        store = new MongoAuditStore(mongo);
    }

    @AfterEach
    void stop() {
        mongo.close();
        server.shutdown();
    }

    @Override
    protected AuditStore store() {
        return store;
    }

    @Override
    protected void tamper(long seq, String field, String value) {
        if (field == null) {
            mongo.collection("audit_log").deleteOne(Filters.eq("_id", seq));
        } else {
            mongo.collection("audit_log").updateOne(Filters.eq("_id", seq), Updates.set(field, value));
        }
    }
}
