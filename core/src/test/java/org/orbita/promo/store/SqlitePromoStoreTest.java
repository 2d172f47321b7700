package org.orbita.promo.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.promo.PromoStore;
import org.orbita.storage.sqlite.SqliteConnections;

class SqlitePromoStoreTest extends PromoStoreContract {

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    SqlitePromoStore store;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqlitePromoStore(sqlite);
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    @Override
    protected PromoStore store() {
        return store;
    }
}
