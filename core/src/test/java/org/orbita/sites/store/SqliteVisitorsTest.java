package org.orbita.sites.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.sites.Visitors;
import org.orbita.storage.sqlite.SqliteConnections;

class SqliteVisitorsTest extends VisitorsContract {

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    SqliteVisitors store;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqliteVisitors(sqlite);
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    @Override
    protected Visitors store() {
        return store;
    }
}
