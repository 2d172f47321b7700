package org.orbita.retargeting.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.retargeting.SyncedMembers;
import org.orbita.storage.sql.SqliteDatabase;
import org.orbita.storage.sqlite.SqliteConnections;

/** The synced members on the embedded SQLite file. */
class SqliteSyncedMembersTest extends SyncedMembersContract {

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    SyncedMembers store;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqlSyncedMembers(new SqliteDatabase(sqlite));
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    @Override
    protected SyncedMembers members() {
        return store;
    }
}
