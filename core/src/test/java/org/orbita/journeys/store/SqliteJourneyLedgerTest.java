package org.orbita.journeys.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.journeys.JourneyLedger;
import org.orbita.storage.sqlite.SqliteConnections;

class SqliteJourneyLedgerTest extends JourneyLedgerContract {

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    SqliteJourneyLedger store;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqliteJourneyLedger(sqlite);
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    @Override
    protected JourneyLedger journeys() {
        return store;
    }
}
