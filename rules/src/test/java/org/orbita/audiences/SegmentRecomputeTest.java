package org.orbita.audiences;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.access.Access;
import org.orbita.common.Ids;
import org.orbita.events.Event;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileKey;
import org.orbita.testing.EmbeddedCore;

/**
 * A recompute over real embedded stores: segments that read only behaviour walk profile ids alone
 * (no document read), the others read documents — both give the members a reading of the data says.
 */
class SegmentRecomputeTest {

    @TempDir
    Path dir;

    @Test
    void behaviourOnlySegmentsWalkIdsAloneAndAgreeWithSegmentsThatReadFields() {
        Clock clock = Clock.systemUTC();
        try (EmbeddedCore core = new EmbeddedCore(dir, clock)) {
            ClientDatabase db = core.databases.create("ws", "crm", "CRM", new DatabaseSchema(List.of(
                    FieldDefinition.of("email", FieldType.EMAIL).asUnique(), FieldDefinition.of("vip", FieldType.BOOLEAN))));
            Segments segments = new Segments(core.settings, core.databases, core.profiles, core.members, core.events, core.recent, clock, Access.SYSTEM);
            Set<String> twice = new HashSet<>();
            Set<String> vipTwice = new HashSet<>();
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 2_500; i++) {
                boolean vip = i % 3 == 0;
                Profile p = new Profile(Ids.next(), db.id(), Map.of("email", "p" + i + "@example.com", "vip", vip), null, null, null,
                        clock.instant(), clock.instant(), null);
                core.profiles.save(p, Set.of(new ProfileKey("email", "p" + i + "@example.com")), Set.of());
                int bought = i % 4;
                for (int k = 0; k < bought; k++) {
                    events.add(new Event(Ids.next(), db.id(), p.id(), "purchase", null, clock.instant().minusSeconds(60L * k),
                            Map.of("product", k % 2 == 0 ? "p7" : "p70")));
                }
                if (bought >= 2) {
                    twice.add(p.id());
                    if (vip) {
                        vipTwice.add(p.id());
                    }
                }
            }
            Condition boughtTwice = new Condition.Did("purchase", null, List.of(), 2, null, null);
            Segment behaviour = segments.create("ws", new SegmentInput(db.id(), "Bought twice", Segment.Kind.DYNAMIC, boughtTwice));
            core.recent.addRecent(events);
            assertThat(ProfileWalk.readsDocuments(List.of(boughtTwice))).isFalse();
            segments.recompute(db.id(), null, false, n -> { });
            assertThat(members(segments, behaviour)).isEqualTo(twice);

            Condition vipAndTwice = new Condition.Group(Condition.Match.ALL, List.of(
                    new Condition.Field("vip", Condition.Operator.EQ, true, null, null), boughtTwice));
            assertThat(ProfileWalk.readsDocuments(List.of(boughtTwice, vipAndTwice))).isTrue();
            Segment mixed = segments.create("ws", new SegmentInput(db.id(), "VIP bought twice", Segment.Kind.DYNAMIC, vipAndTwice));
            segments.recompute(db.id(), null, false, n -> { });
            assertThat(members(segments, mixed)).isEqualTo(vipTwice);
            assertThat(members(segments, behaviour)).isEqualTo(twice);
            assertThat(ProfileWalk.readsDocuments(List.of(new Condition.Related("spouse", boughtTwice)))).isTrue();
            assertThat(ProfileWalk.readsDocuments(List.of(new Condition.Subscribed("email", null, "active")))).isTrue();
        }
    }

    private static Set<String> members(Segments segments, Segment s) {
        Set<String> out = new HashSet<>();
        String after = null;
        for (List<String> page; !(page = segments.members(s.id(), after, 1000)).isEmpty(); after = page.get(page.size() - 1)) {
            out.addAll(page);
        }
        return out;
    }
}
