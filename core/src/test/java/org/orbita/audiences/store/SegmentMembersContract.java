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
import org.orbita.audiences.SegmentMembers;

/** What every segment membership store must do alike. */
public abstract class SegmentMembersContract {

    protected abstract SegmentMembers members();

    @Test
    void keepsSegmentMembershipsAndReportsWhatChanged() {
        String db = "members-" + org.orbita.common.Ids.next().substring(24);
        var add = java.util.List.of(new org.orbita.audiences.SegmentMembers.MembershipChange("s1", "p1", true),
                new org.orbita.audiences.SegmentMembers.MembershipChange("s1", "p2", true),
                new org.orbita.audiences.SegmentMembers.MembershipChange("s2", "p2", true));
        assertThat(members().applyMemberships(db, add)).hasSize(3);
        assertThat(members().applyMemberships(db, add)).isEmpty();
        assertThat(members().segmentsOf(db, "p2")).containsExactlyInAnyOrder("s1", "s2");
        assertThat(members().countMembers("s1")).isEqualTo(2);
        assertThat(members().members("s1", null, 10)).containsExactly("p1", "p2");
        assertThat(members().members("s1", "p1", 10)).containsExactly("p2");
        assertThat(members().segmentsOfRange(db, "p1", "p1")).containsOnlyKeys("p1");
        var remove = java.util.List.of(new org.orbita.audiences.SegmentMembers.MembershipChange("s1", "p1", false),
                new org.orbita.audiences.SegmentMembers.MembershipChange("s1", "p9", false));
        assertThat(members().applyMemberships(db, remove)).containsExactly(remove.get(0));
        members().deleteMembers(java.util.List.of("s2"));
        assertThat(members().segmentsOf(db, "p2")).containsExactly("s1");
        members().deleteDatabase(db);
        assertThat(members().countMembers("s1")).isZero();
    }
}
