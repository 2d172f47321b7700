package org.orbita.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Actor;
import org.orbita.access.Resource;
import org.orbita.audit.AuditEntry;
import org.orbita.audit.AuditLog;
import org.orbita.audit.AuditQuery;
import org.orbita.audit.AuditStore;

/** What every audit store does alike; run on SQLite and on MongoDB. */
public abstract class AuditStoreContract {

    protected abstract AuditStore store();

    /** Changes a stored line's field behind the log's back, as someone with the database's password could. */
    protected abstract void tamper(long seq, String field, String value);

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

    AuditLog log(Clock c) {
        return new AuditLog(store(), c, Access.SYSTEM);
    }

    static AuditLog.Who who(String ws, String user) {
        return new AuditLog.Who(ws, "USER", user, user + "@example.com", "192.0.2.7", "Firefox");
    }

    @Test
    void linesAreNumberedAndChainedInOrder() {
        AuditLog log = log(clock);
        AuditEntry a = log.changed(who("w1", "ann"), Resource.CAMPAIGNS, Action.WRITE, "c1", null, new Sample("Spring", 1));
        AuditEntry b = log.changed(who("w1", "ann"), Resource.CAMPAIGNS, Action.WRITE, "c1", new Sample("Spring", 1), new Sample("Summer", 1));
        assertThat(a.seq()).isEqualTo(1);
        assertThat(b.seq()).isEqualTo(2);
        assertThat(b.previous()).isEqualTo(a.hash());
        assertThat(b.detail()).isEqualTo("name");
        assertThat(b.before()).isEqualTo(a.after()).isNotEqualTo(b.after());
        assertThat(log.verify()).isEqualTo(new AuditLog.Verification(2, 0, null));
    }

    record Sample(String name, int version) {}

    @Test
    void aLineChangedInTheStoreBreaksTheChainThere() {
        AuditLog log = log(clock);
        for (int i = 0; i < 5; i++) {
            log.changed(who("w1", "ann"), Resource.SEGMENTS, Action.DELETE, "s" + i, new Sample("s" + i, 1), null);
        }
        tamper(3, "actorName", "someone-else@example.com");
        AuditLog.Verification v = log.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenAt()).isEqualTo(3);
    }

    @Test
    void aLineRemovedFromTheMiddleShows() {
        AuditLog log = log(clock);
        for (int i = 0; i < 4; i++) {
            log.changed(who("w1", "ann"), Resource.MESSAGES, Action.WRITE, "m" + i, null, new Sample("m", i));
        }
        tamper(2, null, null);
        assertThat(log.verify().brokenAt()).isEqualTo(3);
    }

    @Test
    void filtersByWorkspaceActorActionObjectAndPeriodNewestFirst() {
        AuditLog log = log(clock);
        log.changed(who("w1", "ann"), Resource.CAMPAIGNS, Action.LAUNCH, "c1", null, null);
        log.changed(who("w2", "bob"), Resource.CAMPAIGNS, Action.WRITE, "c2", null, null);
        log.changed(who("w1", "bob"), Resource.SEGMENTS, Action.WRITE, "s1", null, null);
        log.refused(who("w1", "bob"), new org.orbita.access.Permission(Resource.USERS, Action.WRITE), "role marketer");
        assertThat(store().find(AuditQuery.workspace("w1"), 10)).extracting(AuditEntry::seq).containsExactly(4L, 3L, 1L);
        assertThat(store().find(new AuditQuery("w1", null, null, "BOB@", null, null, null, null, 0), 10)).extracting(AuditEntry::seq).containsExactly(4L, 3L);
        assertThat(store().find(new AuditQuery(null, null, null, null, "campaigns", null, null, null, 0), 10)).extracting(AuditEntry::seq).containsExactly(2L, 1L);
        assertThat(store().find(new AuditQuery(null, null, null, null, "campaigns:launch", null, null, null, 0), 10)).extracting(AuditEntry::seq).containsExactly(1L);
        assertThat(store().find(new AuditQuery(null, null, null, null, null, "segments", "s1", null, 0), 10)).extracting(AuditEntry::seq).containsExactly(3L);
        assertThat(store().find(new AuditQuery(null, null, null, null, null, null, null, "refused", 0), 10)).extracting(AuditEntry::seq).containsExactly(4L);
        assertThat(store().find(new AuditQuery(null, T0, T0.plusSeconds(1), null, null, null, null, null, 3), 10)).extracting(AuditEntry::seq).containsExactly(2L, 1L);
        assertThat(store().find(new AuditQuery(null, T0.plusSeconds(1), null, null, null, null, null, null, 0), 10)).isEmpty();
        // the store's query language means what AuditQuery.matches says, for every filter
        List<AuditEntry> all = store().after(0, 100);
        for (AuditQuery q : List.of(AuditQuery.workspace("w2"), new AuditQuery(null, null, null, "bob", "campaigns", null, null, null, 0),
                new AuditQuery("w1", T0, T0.plusSeconds(1), null, "users", "users", null, "refused", 5),
                new AuditQuery(null, null, null, "ann@EXAMPLE", null, null, "c1", null, 0))) {
            List<Long> expected = new ArrayList<>(all.stream().filter(q::matches).map(AuditEntry::seq).toList());
            java.util.Collections.reverse(expected);
            assertThat(store().find(q, 100)).as(q.toString()).extracting(AuditEntry::seq).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void concurrentAppendsNeverTakeTheSameNumberAndTheChainHolds() throws Exception {
        AuditLog log = log(Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<AuditEntry>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                futures.add(pool.submit(() -> log.changed(who("w1", "u" + (n % 4)), Resource.JOURNEYS, Action.WRITE, "j" + n, null, null)));
            }
            Set<Long> seqs = new HashSet<>();
            for (Future<AuditEntry> f : futures) {
                seqs.add(f.get().seq());
            }
            assertThat(seqs).hasSize(200);
        } finally {
            pool.shutdownNow();
        }
        assertThat(log.verify()).isEqualTo(new AuditLog.Verification(200, 0, null));
    }

    @Test
    void pruningKeepsTheRetentionAndTheNewestLineAndTheRestStillVerifies() {
        Instant[] now = {T0.minus(Duration.ofDays(100))};
        Clock moving = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        AuditLog log = log(moving);
        log.changed(who("w1", "ann"), Resource.SNIPPETS, Action.WRITE, "old", null, null);
        log.changed(who("w1", "ann"), Resource.SNIPPETS, Action.WRITE, "old2", null, null);
        now[0] = T0;
        log.changed(who("w1", "ann"), Resource.SNIPPETS, Action.WRITE, "new", null, null);
        assertThat(log.prune(Duration.ofDays(90))).isEqualTo(2);
        assertThat(store().after(0, 10)).extracting(AuditEntry::objectId).containsExactly("new");
        assertThat(log.verify().intact()).isTrue();
        now[0] = T0.plus(Duration.ofDays(200));
        assertThat(log.prune(Duration.ofDays(90))).isZero(); // the newest line stays, so the next one chains on it
        assertThat(log.changed(who("w1", "ann"), Resource.SNIPPETS, Action.WRITE, "later", null, null).seq()).isEqualTo(4);
        assertThat(log.verify().intact()).isTrue();
    }

    @Test
    void exportPagesThroughEveryMatchingLine() {
        AuditLog log = log(clock);
        for (int i = 0; i < 1203; i++) {
            log.changed(who(i % 3 == 0 ? "w2" : "w1", "ann"), Resource.PROFILES, Action.WRITE, "p" + i, null, null);
        }
        List<Long> seen = new ArrayList<>();
        log.export(AuditQuery.workspace("w1")).forEach(e -> seen.add(e.seq()));
        assertThat(seen).hasSize(802).isSortedAccordingTo((x, y) -> Long.compare(y, x));
        assertThat(new HashSet<>(seen)).hasSize(802);
    }

    @Test
    void aMemberReadsOnlyTheirWorkspaceAndNeedsThePermission() {
        log(clock).changed(who("w1", "ann"), Resource.CAMPAIGNS, Action.WRITE, "c1", null, null);
        log(clock).changed(who("w2", "bob"), Resource.CAMPAIGNS, Action.WRITE, "c2", null, null);
        Access reader = () -> new Actor("carol", Actor.Kind.USER, "w2", Set.of("audit-log:read"));
        assertThat(new AuditLog(store(), clock, reader).find(AuditQuery.workspace(null), 10)).extracting(AuditEntry::objectId).containsExactly("c2");
        Access none = () -> new Actor("dan", Actor.Kind.USER, "w2", Set.of("campaigns:read"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AuditLog(store(), clock, none).find(AuditQuery.workspace("w2"), 10))
                .isInstanceOf(org.orbita.access.ForbiddenException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AuditLog(store(), clock, reader).export(AuditQuery.workspace("w2")))
                .isInstanceOf(org.orbita.access.ForbiddenException.class);
    }
}
