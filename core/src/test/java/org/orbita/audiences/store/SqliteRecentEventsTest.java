package org.orbita.audiences.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.audiences.RecentEvents;
import org.orbita.events.Event;
import org.orbita.storage.sqlite.SqliteConnections;

class SqliteRecentEventsTest extends RecentEventsContract {

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    SqliteRecentEvents store;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = SqliteRecentEvents.inFile(dir.resolve("recent.db"), false);
    }

    @AfterEach
    void close() {
        store.close();
        sqlite.close();
    }

    @Override
    protected RecentEvents recent() {
        return store;
    }

    @Test
    void whatAnEarlierVersionKeptInTheSharedFileIsMovedIntoItsOwnOnce() {
        SqliteRecentEvents old = new SqliteRecentEvents(sqlite); // the earlier layout: a table in orbita.db
        List<Event> events = new ArrayList<>();
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < 25_000; i++) { // more than one page of the move
            events.add(new Event("e" + i, "db1", "p" + (i % 7), "order.item", null, t.plusSeconds(i), Map.of("product", "x" + i)));
        }
        events.add(new Event("other", "db2", "p0", "page.viewed", "web", t, Map.of()));
        old.addRecent(events);
        store.addRecent(List.of(events.get(3))); // already here: kept once

        assertThat(store.adopt(sqlite)).isEqualTo(25_001);

        Map<String, List<Event>> moved = store.recentOfRange("db1", "p0", "p9", null);
        assertThat(moved.values().stream().mapToInt(List::size).sum()).isEqualTo(25_000);
        assertThat(moved.get("p3").get(0).properties()).containsEntry("product", "x3");
        assertThat(store.recentOfRange("db2", "p0", "p0", null).get("p0")).extracting(Event::id).containsExactly("other");
        boolean oldTable = sqlite.read(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT 1 FROM sqlite_master WHERE name = 'recent_events'")) {
                return rs.next();
            }
        });
        assertThat(oldTable).as("the old table is dropped once moved").isFalse();
        assertThat(store.adopt(sqlite)).as("a second start moves nothing").isZero();
    }
}
