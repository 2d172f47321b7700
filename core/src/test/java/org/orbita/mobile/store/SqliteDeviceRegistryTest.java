package org.orbita.mobile.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.mobile.DeviceRegistry;
import org.orbita.storage.sql.SqliteDatabase;
import org.orbita.storage.sqlite.SqliteConnections;

/** The device registry on the embedded SQLite file. */
class SqliteDeviceRegistryTest extends DeviceRegistryContract {

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    DeviceRegistry store;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqlDeviceRegistry(new SqliteDatabase(sqlite));
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    @Override
    protected DeviceRegistry registry() {
        return store;
    }
}
