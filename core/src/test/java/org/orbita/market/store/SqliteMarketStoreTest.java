package org.orbita.market.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.market.MarketStore;
import org.orbita.storage.sql.SqliteDatabase;
import org.orbita.storage.sqlite.SqliteConnections;

/** The market on the embedded SQLite file. */
class SqliteMarketStoreTest extends MarketStoreContract {

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    MarketStore store;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqlMarketStore(new SqliteDatabase(sqlite));
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    @Override
    protected MarketStore store() {
        return store;
    }
}
