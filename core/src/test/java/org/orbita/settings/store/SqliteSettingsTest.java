package org.orbita.settings.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.settings.SettingsStore;
import org.orbita.storage.sqlite.SqliteConnections;

class SqliteSettingsTest extends SettingsStoreContract {

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    SqliteSettings store;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqliteSettings(sqlite);
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    @Override
    protected SettingsStore settings() {
        return store;
    }
}
