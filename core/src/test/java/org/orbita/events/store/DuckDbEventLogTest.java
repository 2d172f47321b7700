package org.orbita.events.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.events.EventLog;

class DuckDbEventLogTest extends EventLogContract {

    @TempDir
    Path dir;
    DuckDbEventLog log;

    @BeforeEach
    void open() {
        log = new DuckDbEventLog(dir.resolve("events.duckdb"));
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Override
    protected EventLog log() {
        return log;
    }
}
