package org.orbita.sending.store;

import static org.assertj.core.api.Assertions.assertThat;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.sending.LedgerState;
import org.orbita.sending.SendChannel;
import org.orbita.sending.SendKind;
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

    /** A ledger made before entries kept their address gets the column, and its old entries stay as they were. */
    @Test
    void aLedgerFromBeforeAddressesWereKeptGetsTheColumn() {
        Path old = dir.resolve("old.db");
        try (SqliteConnections before = new SqliteConnections(old, false)) {
            before.schema(List.of("CREATE TABLE send_ledger (run TEXT NOT NULL, pkey TEXT NOT NULL, profile_id TEXT NOT NULL, channel TEXT NOT NULL,"
                    + " state TEXT NOT NULL, detail TEXT, at_ms INTEGER NOT NULL, due_ms INTEGER, PRIMARY KEY (run, pkey)) WITHOUT ROWID",
                    "INSERT INTO send_ledger VALUES ('r0', 'p1/email', 'p1', 'email', 'delivered', null, 1, null)"));
        }
        try (SqliteConnections after = new SqliteConnections(old, false)) {
            SqliteSendLedger ledger = new SqliteSendLedger(after);
            ledger.reserve(new SendLedger.Run("r1", SendKind.CAMPAIGN, "ws", "db", null, null),
                    List.of(SendLedger.Entry.pending("p2", SendChannel.EMAIL, "a@x.io")));
            assertThat(ledger.sentToAddressesSince(List.of("a@x.io"), SendChannel.EMAIL, Instant.EPOCH, "r0")).containsEntry("a@x.io", 1L);
            assertThat(ledger.entries("r0", null, 10)).extracting(SendLedger.Entry::state).containsExactly(LedgerState.DELIVERED);
        }
    }

    @Override
    protected SendLedger ledger() {
        return store;
    }
}
