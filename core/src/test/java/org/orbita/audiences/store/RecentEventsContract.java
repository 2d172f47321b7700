package org.orbita.audiences.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.orbita.common.Ids;
import org.orbita.profiles.Channel;
import org.orbita.profiles.KeyTakenException;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileFilter;
import org.orbita.profiles.ProfileKey;
import org.orbita.profiles.Subscription;
import org.orbita.audiences.RecentEvents;

/** What every recent-behaviour store must do alike. */
public abstract class RecentEventsContract {

    protected abstract RecentEvents recent();

    @Test
    void keepsRecentEventsByProfile() {
        String db = "recent-" + org.orbita.common.Ids.next().substring(24);
        java.time.Instant t = java.time.Instant.parse("2026-05-01T00:00:00Z");
        var e1 = new org.orbita.events.Event("e1", db, "p1", "buy", null, t.plusSeconds(20), Map.of("amount", 5L));
        var e2 = new org.orbita.events.Event("e2", db, "p1", "open", "email", t, Map.of());
        var e3 = new org.orbita.events.Event("e3", db, "p2", "buy", null, t.plusSeconds(5), Map.of());
        var e4 = new org.orbita.events.Event("e4", db, "p3", "buy", null, t.plusSeconds(5), Map.of());
        var anonymous = new org.orbita.events.Event("e5", db, null, "visit", null, t, Map.of());
        recent().addRecent(java.util.List.of(e1, e2, e3, e4, anonymous));
        recent().addRecent(java.util.List.of(e1));
        var range = recent().recentOfRange(db, "p1", "p2", null);
        assertThat(range).containsOnlyKeys("p1", "p2");
        assertThat(range.get("p1")).extracting(org.orbita.events.Event::id).containsExactly("e2", "e1");
        assertThat(range.get("p1").get(1).properties()).containsEntry("amount", 5L);
        assertThat(recent().recentOfRange(db, "p1", "p1", t.plusSeconds(10)).get("p1")).extracting(org.orbita.events.Event::id)
                .containsExactly("e1");
        assertThat(recent().pruneRecent(t.plusSeconds(10))).isGreaterThanOrEqualTo(3);
        assertThat(recent().recentOfRange(db, "p1", "p3", null).values().stream().mapToInt(java.util.List::size).sum()).isEqualTo(1);
    }
}
