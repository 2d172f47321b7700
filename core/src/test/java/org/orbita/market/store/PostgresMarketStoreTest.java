package org.orbita.market.store;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.orbita.market.MarketStore;
import org.orbita.testing.PostgresTestDatabase;

/** The market on PostgreSQL, as production runs it (a database of its own per test). */
class PostgresMarketStoreTest extends MarketStoreContract {

    private PostgresTestDatabase database;
    private MarketStore store;

    @BeforeEach
    void open() throws SQLException {
        database = new PostgresTestDatabase("orbita_market_");
        store = new SqlMarketStore(database.db());
    }

    @AfterEach
    void drop() throws SQLException {
        database.close();
    }

    @Override
    protected MarketStore store() {
        return store;
    }
}
