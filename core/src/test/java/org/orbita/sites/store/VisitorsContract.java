package org.orbita.sites.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.orbita.sites.Visitors;

/** What every {@link Visitors} adapter must do: one link in force per visitor, reversals kept, conflicts listed, databases apart. */
public abstract class VisitorsContract {

    protected abstract Visitors store();

    private static Visitors.Merge merge(String id, String db, String visitor, String profile, long at) {
        return new Visitors.Merge(id, db, visitor, profile, "site1", "identify", Instant.ofEpochMilli(at), null);
    }

    @Test
    void aVisitorHasOneLinkInForceAndAReversedOneFreesIt() {
        Visitors v = store();
        assertThat(v.link(merge("m1", "db", "v1", "p1", 1000))).isTrue();
        assertThat(v.link(merge("m2", "db", "v1", "p2", 2000))).as("linked already").isFalse();
        assertThat(v.linkOf("db", "v1")).get().extracting(Visitors.Merge::profileId).isEqualTo("p1");
        assertThat(v.linkOf("other", "v1")).as("another database").isEmpty();
        assertThat(v.linksOf("db", "p1")).extracting(Visitors.Merge::visitorId).containsExactly("v1");

        assertThat(v.reverse("db", "m1", Instant.ofEpochMilli(3000))).get().extracting(Visitors.Merge::reversedAt)
                .isEqualTo(Instant.ofEpochMilli(3000));
        assertThat(v.reverse("db", "m1", Instant.ofEpochMilli(4000))).as("reversed before").isEmpty();
        assertThat(v.linkOf("db", "v1")).isEmpty();
        assertThat(v.linksOf("db", "p1")).isEmpty();
        assertThat(v.link(merge("m3", "db", "v1", "p2", 5000))).isTrue();
        assertThat(v.linkOf("db", "v1")).get().extracting(Visitors.Merge::profileId).isEqualTo("p2");
        assertThat(v.merges("db", 10)).extracting(Visitors.Merge::id).containsExactly("m3", "m1");
        assertThat(v.merge("db", "m1")).get().extracting(Visitors.Merge::reversedAt).isNotNull();
        assertThat(v.merge("other", "m1")).isEmpty();
    }

    @Test
    void conflictsAreListedNewestFirstAndADeletedDatabaseIsForgotten() {
        Visitors v = store();
        v.conflict(new Visitors.Conflict("c1", "db", "v1", "site1", "p1", "p2", "identify", Instant.ofEpochMilli(1000)));
        v.conflict(new Visitors.Conflict("c2", "db", "v2", "site1", "p3", "p4", "message", Instant.ofEpochMilli(2000)));
        v.conflict(new Visitors.Conflict("c3", "kept", "v1", "site1", "p1", "p2", "identify", Instant.ofEpochMilli(3000)));
        assertThat(v.conflicts("db", 10)).extracting(Visitors.Conflict::id).containsExactly("c2", "c1");
        assertThat(v.conflicts("db", 1)).hasSize(1);
        v.link(merge("m1", "db", "v1", "p1", 1000));
        v.link(merge("m2", "kept", "v1", "p1", 1000));
        v.deleteDatabase("db");
        assertThat(v.conflicts("db", 10)).isEmpty();
        assertThat(v.linkOf("db", "v1")).isEmpty();
        assertThat(v.merges("db", 10)).isEmpty();
        assertThat(v.conflicts("kept", 10)).hasSize(1);
        assertThat(v.linkOf("kept", "v1")).isPresent();
    }

    @Test
    void twoLinksOfOneVisitorAtOnceLeaveOne() throws Exception {
        Visitors v = store();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tries = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int n = i;
                tries.add(() -> v.link(merge("m" + n, "db", "v1", "p" + n, 1000 + n)));
            }
            long won = 0;
            for (Future<Boolean> f : pool.invokeAll(tries)) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
            assertThat(v.merges("db", 100)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
