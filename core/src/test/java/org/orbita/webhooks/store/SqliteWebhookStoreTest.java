package org.orbita.webhooks.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.webhooks.WebhookStore;
import org.orbita.storage.sql.SqliteDatabase;
import org.orbita.storage.sqlite.SqliteConnections;

/** The webhooks' outbox on the embedded SQLite file. */
class SqliteWebhookStoreTest extends WebhookStoreContract {

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    WebhookStore store;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqlWebhookStore(new SqliteDatabase(sqlite));
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    @Override
    protected WebhookStore store() {
        return store;
    }
}
