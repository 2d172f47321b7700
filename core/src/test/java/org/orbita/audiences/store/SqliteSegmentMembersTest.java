package org.orbita.audiences.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.audiences.SegmentMembers;
import org.orbita.storage.sqlite.SqliteConnections;

class SqliteSegmentMembersTest extends SegmentMembersContract {

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    SqliteSegmentMembers store;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqliteSegmentMembers(sqlite);
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    @Override
    protected SegmentMembers members() {
        return store;
    }
}
