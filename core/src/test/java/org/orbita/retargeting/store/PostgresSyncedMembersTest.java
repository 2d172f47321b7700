package org.orbita.retargeting.store;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.orbita.retargeting.SyncedMembers;
import org.orbita.testing.PostgresTestDatabase;

/** The synced members on PostgreSQL, as production runs it (a database of its own per test). */
class PostgresSyncedMembersTest extends SyncedMembersContract {

    private PostgresTestDatabase database;
    private SyncedMembers store;

    @BeforeEach
    void open() throws SQLException {
        database = new PostgresTestDatabase("orbita_audiences_");
        store = new SqlSyncedMembers(database.db());
    }

    @AfterEach
    void drop() throws SQLException {
        database.close();
    }

    @Override
    protected SyncedMembers members() {
        return store;
    }
}
