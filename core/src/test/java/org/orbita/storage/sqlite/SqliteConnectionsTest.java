package org.orbita.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteConnectionsTest {

    @TempDir
    Path dir;

    @Test
    void theLogIsCopiedIntoTheFileInTheBackgroundNotByTheWritesThatCommit() throws Exception {
        Path file = dir.resolve("orbita.db");
        try (SqliteConnections sqlite = new SqliteConnections(file, false)) {
            sqlite.schema(java.util.List.of("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"));
            long fileBefore = Files.size(file);
            String value = "x".repeat(1000);
            // ~20 MB in 20 commits: far below the writer's own checkpoint (the valve), so only the background copies it
            for (int batch = 0; batch < 20; batch++) {
                int first = batch * 1000;
                sqlite.write(c -> {
                    PreparedStatement ps = sqlite.statement(c, "INSERT INTO t (id, v) VALUES (?, ?)");
                    for (int i = first; i < first + 1000; i++) {
                        ps.setInt(1, i);
                        ps.setString(2, value);
                        ps.executeUpdate();
                    }
                });
            }
            assertThat(20L * 1000 * 1000 / 4096).isLessThan(SqliteConnections.VALVE_PAGES);
            long deadline = System.currentTimeMillis() + 10_000;
            while (Files.size(file) < fileBefore + 20_000_000L && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Files.size(file)).as("the rows reached the file itself, not only its log").isGreaterThan(fileBefore + 20_000_000L);
            String stored = sqlite.read(c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*), sum(length(v)) FROM t")) {
                    rs.next();
                    return rs.getLong(1) + ":" + rs.getLong(2);
                }
            });
            assertThat(stored).isEqualTo("20000:20000000");
        }
        // closed: the checkpoint thread has ended and the file opens again with everything in it
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)).noneMatch(n -> n.equals("sqlite-checkpoints-orbita.db"));
        try (SqliteConnections again = new SqliteConnections(file, false)) {
            long rows = again.read(c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(rows).isEqualTo(20_000L);
        }
    }
}
