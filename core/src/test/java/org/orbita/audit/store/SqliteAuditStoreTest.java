package org.orbita.audit.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.audit.AuditStore;
import org.orbita.storage.sqlite.SqliteConnections;

class SqliteAuditStoreTest extends AuditStoreContract {

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    SqliteAuditStore store;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqliteAuditStore(sqlite);
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    @Override
    protected AuditStore store() {
        return store;
    }

    @Override
    protected void tamper(long seq, String field, String value) {
        sqlite.write(c -> {
            var ps = field == null ? sqlite.statement(c, "DELETE FROM audit_log WHERE seq = ?")
                    : sqlite.statement(c, "UPDATE audit_log SET actor_name = ? WHERE seq = ?");
            if (field == null) {
                ps.setLong(1, seq);
            } else {
                ps.setString(1, value);
                ps.setLong(2, seq);
            }
            ps.executeUpdate();
        });
    }
}
