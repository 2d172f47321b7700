package org.orbita.inbound.store;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.orbita.inbound.InboundLog;
import org.orbita.testing.PostgresTestDatabase;

/** The inbound log on PostgreSQL, as production runs it (a database of its own per test). */
class PostgresInboundLogTest extends InboundLogContract {

    private PostgresTestDatabase database;
    private InboundLog store;

    @BeforeEach
    void open() throws SQLException {
        database = new PostgresTestDatabase("orbita_inbound_");
        store = new SqlInboundLog(database.db());
    }

    @AfterEach
    void drop() throws SQLException {
        database.close();
    }

    @Override
    protected InboundLog log() {
        return store;
    }
}
