package org.orbita.inbound.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.inbound.InboundLog;
import org.orbita.storage.sql.SqliteDatabase;
import org.orbita.storage.sqlite.SqliteConnections;

/** The inbound log on the embedded SQLite file. */
class SqliteInboundLogTest extends InboundLogContract {

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    InboundLog store;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqlInboundLog(new SqliteDatabase(sqlite));
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    @Override
    protected InboundLog log() {
        return store;
    }
}
