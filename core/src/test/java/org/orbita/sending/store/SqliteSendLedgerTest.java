package org.orbita.sending.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.sending.SendLedger;
import org.orbita.storage.sqlite.SqliteConnections;

class SqliteSendLedgerTest extends SendLedgerContract {

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    SqliteSendLedger store;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqliteSendLedger(sqlite);
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    @Override
    protected SendLedger ledger() {
        return store;
    }
}
