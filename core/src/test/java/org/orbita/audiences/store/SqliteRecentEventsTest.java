package org.orbita.audiences.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.audiences.RecentEvents;
import org.orbita.storage.sqlite.SqliteConnections;

class SqliteRecentEventsTest extends RecentEventsContract {

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    SqliteRecentEvents store;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqliteRecentEvents(sqlite);
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    @Override
    protected RecentEvents recent() {
        return store;
    }
}
