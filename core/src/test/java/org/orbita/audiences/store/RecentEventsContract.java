package org.orbita.audiences.store;

import static org.assertj.core.api.Assertions.assertThat;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.orbita.audiences.RecentEvents;
import org.orbita.common.Ids;
import org.orbita.events.Event;

/** What every recent-behaviour store must do alike. */
public abstract class RecentEventsContract {

    protected abstract RecentEvents recent();

    @Test
    void keepsRecentEventsByProfile() {
        String db = "recent-" + Ids.next().substring(24);
        Instant t = Instant.parse("2026-05-01T00:00:00Z");
        var e1 = new Event("e1", db, "p1", "buy", null, t.plusSeconds(20), Map.of("amount", 5L));
        var e2 = new Event("e2", db, "p1", "open", "email", t, Map.of());
        var e3 = new Event("e3", db, "p2", "buy", null, t.plusSeconds(5), Map.of());
        var e4 = new Event("e4", db, "p3", "buy", null, t.plusSeconds(5), Map.of());
        var anonymous = new Event("e5", db, null, "visit", null, t, Map.of());
        recent().addRecent(List.of(e1, e2, e3, e4, anonymous));
        recent().addRecent(List.of(e1));
        var range = recent().recentOfRange(db, "p1", "p2", null);
        assertThat(range).containsOnlyKeys("p1", "p2");
        assertThat(range.get("p1")).extracting(Event::id).containsExactly("e2", "e1");
        assertThat(range.get("p1").get(1).properties()).containsEntry("amount", 5L);
        assertThat(recent().recentOfRange(db, "p1", "p1", t.plusSeconds(10)).get("p1")).extracting(Event::id)
                .containsExactly("e1");
        assertThat(recent().pruneRecent(t.plusSeconds(10))).isGreaterThanOrEqualTo(3);
        assertThat(recent().recentOfRange(db, "p1", "p3", null).values().stream().mapToInt(List::size).sum()).isEqualTo(1);
    }
}
