package org.orbita.storage;

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

/** What every profile-and-settings engine must do alike; each adapter's test extends it. */
public abstract class ProfileEngineContract {

    protected abstract ProfileEngine engine();

    protected static Profile profile(String db, Map<String, ?> fields) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new Profile(Ids.next(), db, new LinkedHashMap<>(fields),
                List.of(new Subscription(Channel.EMAIL, "a@x.io", null, null, now)), List.of(), null, now, now, List.of());
    }

    @Test
    void storesProfilesWithExactValuesAndFindsThemByIdAndKey() {
        Profile p = profile("db1", Map.of("email", "a@x.io", "score", new BigDecimal("12.50"), "age", 41L,
                "tags", List.of("vip"), "items", List.of(Map.of("sku", "A1", "qty", 2L))));
        engine().save(p, Set.of(new ProfileKey("email", "a@x.io")));

        assertThat(engine().find("db1", p.id())).contains(p);
        assertThat(engine().findOwner("db1", new ProfileKey("email", "a@x.io"))).contains(p.id());
        assertThat(engine().findOwner("db2", new ProfileKey("email", "a@x.io"))).isEmpty();
        assertThat(engine().count("db1")).isEqualTo(1);
    }

    @Test
    void aKeyBelongsToOneProfileAndMovesWhenReleased() {
        Profile a = profile("db1", Map.of("email", "a@x.io"));
        Profile b = profile("db1", Map.of("email", "b@x.io"));
        engine().save(a, Set.of(new ProfileKey("email", "a@x.io")));
        engine().save(b, Set.of(new ProfileKey("email", "b@x.io")));

        assertThatThrownBy(() -> engine().save(b, Set.of(new ProfileKey("email", "b@x.io"), new ProfileKey("email", "a@x.io"))))
                .isInstanceOf(KeyTakenException.class)
                .satisfies(e -> assertThat(((KeyTakenException) e).ownerId()).isEqualTo(a.id()));
        assertThat(engine().findOwner("db1", new ProfileKey("email", "b@x.io"))).contains(b.id());

        engine().save(a, Set.of(new ProfileKey("email", "c@x.io")));
        engine().save(b, Set.of(new ProfileKey("email", "a@x.io")));
        assertThat(engine().findOwner("db1", new ProfileKey("email", "a@x.io"))).contains(b.id());
        assertThat(engine().findOwner("db1", new ProfileKey("email", "b@x.io"))).isEmpty();
    }

    @Test
    void pagesInIdOrderSearchesAndDeletes() {
        for (int i = 0; i < 25; i++) {
            Profile p = profile("db1", Map.of("email", "p" + i + "@x.io", "city", i % 5 == 0 ? "Kazan" : "Omsk",
                    "tags", i % 2 == 0 ? List.of("even", "all") : List.of("all"), "age", (long) i));
            engine().save(p, Set.of(new ProfileKey("email", "p" + i + "@x.io")));
        }
        List<Profile> first = engine().page("db1", null, 10);
        List<Profile> second = engine().page("db1", first.get(9).id(), 10);
        assertThat(first).hasSize(10);
        assertThat(second).hasSize(10);
        assertThat(first.get(9).id()).isLessThan(second.get(0).id());
        assertThat(engine().countSearch("db1", "kazan")).isEqualTo(5);
        assertThat(engine().search("db1", "kazan", 2, 10)).hasSize(3);
        assertThat(engine().countSearch("db1", new ProfileFilter("", "city", "Omsk"))).isEqualTo(20);
        assertThat(engine().countSearch("db1", new ProfileFilter("", "tags", "even"))).isEqualTo(13);
        assertThat(engine().countSearch("db1", new ProfileFilter("", "age", 7L))).isEqualTo(1);
        assertThat(engine().search("db1", new ProfileFilter("p1", "city", "Kazan"), 0, 10))
                .extracting(p -> p.field("email")).containsExactly("p10@x.io", "p15@x.io");

        assertThat(engine().delete("db1", first.get(0).id())).isTrue();
        assertThat(engine().findOwner("db1", new ProfileKey("email", "p0@x.io"))).isEmpty();
        engine().deleteDatabase("db1");
        assertThat(engine().count("db1")).isZero();
    }

    @Test
    void keepsSettingsDocuments() {
        engine().put("jobs", "j2", "{\"id\":\"j2\",\"n\":2,\"amount\":1.10}");
        engine().put("jobs", "j1", "{\"id\":\"j1\",\"n\":1}");
        engine().put("jobs", "j1", "{\"id\":\"j1\",\"n\":3}");

        assertThat(engine().get("jobs", "j1")).contains("{\"id\":\"j1\",\"n\":3}");
        assertThat(engine().list("jobs")).containsExactly("{\"id\":\"j1\",\"n\":3}", "{\"id\":\"j2\",\"n\":2,\"amount\":1.10}");
        assertThat(engine().remove("jobs", "j1")).isTrue();
        assertThat(engine().get("jobs", "j1")).isEmpty();
    }

    @Test
    void keepsSegmentMembershipsAndReportsWhatChanged() {
        String db = "members-" + org.orbita.common.Ids.next().substring(24);
        var add = java.util.List.of(new org.orbita.profiles.SegmentMembers.MembershipChange("s1", "p1", true),
                new org.orbita.profiles.SegmentMembers.MembershipChange("s1", "p2", true),
                new org.orbita.profiles.SegmentMembers.MembershipChange("s2", "p2", true));
        assertThat(engine().applyMemberships(db, add)).hasSize(3);
        assertThat(engine().applyMemberships(db, add)).isEmpty();
        assertThat(engine().segmentsOf(db, "p2")).containsExactlyInAnyOrder("s1", "s2");
        assertThat(engine().countMembers("s1")).isEqualTo(2);
        assertThat(engine().members("s1", null, 10)).containsExactly("p1", "p2");
        assertThat(engine().members("s1", "p1", 10)).containsExactly("p2");
        assertThat(engine().segmentsOfRange(db, "p1", "p1")).containsOnlyKeys("p1");
        var remove = java.util.List.of(new org.orbita.profiles.SegmentMembers.MembershipChange("s1", "p1", false),
                new org.orbita.profiles.SegmentMembers.MembershipChange("s1", "p9", false));
        assertThat(engine().applyMemberships(db, remove)).containsExactly(remove.get(0));
        engine().deleteMembers(java.util.List.of("s2"));
        assertThat(engine().segmentsOf(db, "p2")).containsExactly("s1");
        engine().deleteDatabase(db);
        assertThat(engine().countMembers("s1")).isZero();
    }

    @Test
    void keepsRecentEventsByProfile() {
        String db = "recent-" + org.orbita.common.Ids.next().substring(24);
        java.time.Instant t = java.time.Instant.parse("2026-05-01T00:00:00Z");
        var e1 = new org.orbita.events.Event("e1", db, "p1", "buy", null, t.plusSeconds(20), Map.of("amount", 5L));
        var e2 = new org.orbita.events.Event("e2", db, "p1", "open", "email", t, Map.of());
        var e3 = new org.orbita.events.Event("e3", db, "p2", "buy", null, t.plusSeconds(5), Map.of());
        var e4 = new org.orbita.events.Event("e4", db, "p3", "buy", null, t.plusSeconds(5), Map.of());
        var anonymous = new org.orbita.events.Event("e5", db, null, "visit", null, t, Map.of());
        engine().addRecent(java.util.List.of(e1, e2, e3, e4, anonymous));
        engine().addRecent(java.util.List.of(e1));
        var range = engine().recentOfRange(db, "p1", "p2", null);
        assertThat(range).containsOnlyKeys("p1", "p2");
        assertThat(range.get("p1")).extracting(org.orbita.events.Event::id).containsExactly("e2", "e1");
        assertThat(range.get("p1").get(1).properties()).containsEntry("amount", 5L);
        assertThat(engine().recentOfRange(db, "p1", "p1", t.plusSeconds(10)).get("p1")).extracting(org.orbita.events.Event::id)
                .containsExactly("e1");
        assertThat(engine().pruneRecent(t.plusSeconds(10))).isGreaterThanOrEqualTo(3);
        assertThat(engine().recentOfRange(db, "p1", "p3", null).values().stream().mapToInt(java.util.List::size).sum()).isEqualTo(1);
    }

    @Test
    void keepsASendLedgerWhereTheFirstWordOnAnEntryStands() {
        String run = "run-" + org.orbita.common.Ids.next();
        java.util.List<org.orbita.campaigns.SendLedger.Entry> page = java.util.List.of(
                new org.orbita.campaigns.SendLedger.Entry("p1", "email", "pending", null),
                new org.orbita.campaigns.SendLedger.Entry("p2", "email", "skipped", "no active email subscription"),
                new org.orbita.campaigns.SendLedger.Entry("p3", "email", "pending", null));
        var first = engine().reserve(run, page);
        assertThat(first.values()).extracting(org.orbita.campaigns.SendLedger.Entry::state).containsExactly("pending", "skipped", "pending");
        engine().mark(run, java.util.List.of(new org.orbita.campaigns.SendLedger.Entry("p1", "email", "queued", null)));
        // the same page again (a restarted run): what was recorded stands, only the new entry is added
        var again = engine().reserve(run, java.util.List.of(
                new org.orbita.campaigns.SendLedger.Entry("p1", "email", "pending", null),
                new org.orbita.campaigns.SendLedger.Entry("p3", "email", "pending", null),
                new org.orbita.campaigns.SendLedger.Entry("p4", "email", "pending", null)));
        assertThat(again.get("p1/email").state()).isEqualTo("queued");
        assertThat(again.get("p3/email").state()).isEqualTo("pending");
        assertThat(again.get("p4/email").state()).isEqualTo("pending");
        assertThat(engine().countByState(run)).containsEntry("queued", 1L).containsEntry("pending", 2L).containsEntry("skipped", 1L);
        assertThat(engine().entries(run, "p1/email", 2)).extracting(org.orbita.campaigns.SendLedger.Entry::profileId).containsExactly("p2", "p3");
        assertThat(engine().entries(run, null, 10).get(1).detail()).isEqualTo("no active email subscription");
        assertThat(engine().countByState("another-" + run)).isEmpty();
        // one worker takes an entry; a second one given the same message does not
        assertThat(engine().advance(run, "p1/email", "queued", "sending", null)).isTrue();
        assertThat(engine().advance(run, "p1/email", "queued", "sending", null)).isFalse();
        assertThat(engine().advance(run, "p1/email", "sending", "delivered", "id 42")).isTrue();
        assertThat(engine().entries(run, null, 1).get(0).detail()).isEqualTo("id 42");
        // what other runs sent a profile lately (frequency caps), and entries waiting for quiet hours to end
        String other = "other-" + run;
        java.time.Instant t = java.time.Instant.now();
        engine().reserve(other, java.util.List.of(new org.orbita.campaigns.SendLedger.Entry("p1", "email", "pending", null),
                new org.orbita.campaigns.SendLedger.Entry("p9", "email", "skipped", "no"),
                new org.orbita.campaigns.SendLedger.Entry("p3", "email", "waiting", "quiet hours", t.plusSeconds(60)),
                new org.orbita.campaigns.SendLedger.Entry("p4", "email", "waiting", "quiet hours", t.minusSeconds(5))));
        assertThat(engine().sentSince(java.util.List.of("p1", "p2", "p9"), "email", t.minusSeconds(60), other)).containsOnlyKeys("p1")
                .containsEntry("p1", 1L);
        assertThat(engine().sentSince(java.util.List.of("p1"), "email", t.minusSeconds(60), "nobody")).containsEntry("p1", 2L);
        assertThat(engine().sentSince(java.util.List.of("p1"), "sms", t.minusSeconds(60), "nobody")).isEmpty();
        assertThat(engine().due(other, t, 10)).extracting(org.orbita.campaigns.SendLedger.Entry::profileId).containsExactly("p4");
        assertThat(engine().nextDue(other)).contains(java.time.Instant.ofEpochMilli(t.minusSeconds(5).toEpochMilli()));
        assertThat(engine().nextDue(run)).isEmpty();
    }

    @Test
    void findsTheIdAtAPositionForSampling() {
        String db = "sample-" + org.orbita.common.Ids.next().substring(24);
        for (int i = 0; i < 5; i++) {
            engine().save(profile(db, Map.of("email", "s" + i + "@example.com")), java.util.Set.of());
        }
        java.util.List<String> ids = engine().page(db, null, 10).stream().map(org.orbita.profiles.Profile::id).toList();
        assertThat(engine().idAt(db, 0)).contains(ids.get(0));
        assertThat(engine().idAt(db, 3)).contains(ids.get(3));
        assertThat(engine().idAt(db, 5)).isEmpty();
    }

    @Test
    void theJourneyLedgerKeepsOneLiveInstancePerProfileAndCountsEachStep() {
        String journey = "j" + Ids.next();
        Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
        org.orbita.journeys.JourneyLedger ledger = engine();
        var ann = new org.orbita.journeys.JourneyLedger.Instance("i1" + journey, "ws", journey, 1, "db1", "ann", "start",
                org.orbita.journeys.JourneyLedger.LIVE, t0, t0, Map.of("data", Map.of("total", 12)), null);
        assertThat(ledger.enter(ann, true)).isTrue();
        assertThat(ledger.enter(ann, true)).as("the same instance again").isFalse();
        var again = new org.orbita.journeys.JourneyLedger.Instance("i2" + journey, "ws", journey, 1, "db1", "ann", "start",
                org.orbita.journeys.JourneyLedger.LIVE, t0.plusSeconds(5), t0.plusSeconds(5), Map.of(), null);
        assertThat(ledger.enter(again, true)).as("ann is in the journey already").isFalse();
        assertThat(ledger.enter(again, false)).as("unless a second instance is allowed").isTrue();
        ledger.end(again.id(), "start", org.orbita.journeys.JourneyLedger.STOPPED, t0.plusSeconds(6));

        ledger.step(ann.id(), "start", "wait", t0.plusSeconds(60), Map.of("data", Map.of("total", 12), "branch", "yes"));
        ledger.incident(ann.id(), "HTTP 500");
        assertThat(ledger.incidents(journey, 10)).extracting(org.orbita.journeys.JourneyLedger.Instance::incident).containsExactly("HTTP 500");
        var found = ledger.find(ann.id()).orElseThrow();
        assertThat(found.node()).isEqualTo("wait");
        assertThat(found.stepAt()).isEqualTo(t0.plusSeconds(60));
        assertThat(found.variables()).containsEntry("branch", "yes").containsEntry("data", Map.of("total", 12L));
        assertThat(ledger.live(null, 100)).extracting(org.orbita.journeys.JourneyLedger.Instance::id).contains(ann.id()).doesNotContain(again.id());
        assertThat(ledger.live(journey, null, 100)).extracting(org.orbita.journeys.JourneyLedger.Instance::id).containsExactly(ann.id());
        assertThat(ledger.lastEntered(journey, "ann")).contains(t0.plusSeconds(5));

        ledger.step(ann.id(), "wait", "goal", t0.plusSeconds(120), Map.of());
        ledger.converted(journey, "goal");
        ledger.end(ann.id(), "end", org.orbita.journeys.JourneyLedger.DONE, t0.plusSeconds(121));
        ledger.step(ann.id(), "end", "more", t0.plusSeconds(122), Map.of()); // an ended instance does not move
        assertThat(ledger.find(ann.id()).orElseThrow().state()).isEqualTo(org.orbita.journeys.JourneyLedger.DONE);
        var stats = ledger.stats(journey);
        assertThat(stats.get("start")).isEqualTo(new org.orbita.journeys.JourneyLedger.NodeStats(2, 1, 0, 1, 0));
        assertThat(stats.get("wait")).isEqualTo(new org.orbita.journeys.JourneyLedger.NodeStats(1, 1, 0, 0, 0));
        assertThat(stats.get("goal")).isEqualTo(new org.orbita.journeys.JourneyLedger.NodeStats(1, 0, 0, 0, 1));
        assertThat(stats.get("end")).isEqualTo(new org.orbita.journeys.JourneyLedger.NodeStats(0, 0, 0, 1, 0));
        assertThat(ledger.enter(new org.orbita.journeys.JourneyLedger.Instance("i3" + journey, "ws", journey, 1, "db1", "ann", "start",
                org.orbita.journeys.JourneyLedger.LIVE, t0.plusSeconds(200), t0.plusSeconds(200), Map.of(), null), true))
                .as("once the first ended, ann may enter again").isTrue();
        assertThat(ledger.ofProfile("db1", "ann", 10)).extracting(org.orbita.journeys.JourneyLedger.Instance::id)
                .containsExactly("i3" + journey, again.id(), ann.id());
    }
}
