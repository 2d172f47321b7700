package org.orbita.audiences.store;

import static org.assertj.core.api.Assertions.assertThat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.orbita.audiences.SegmentMembers;
import org.orbita.common.Ids;

/** What every segment membership store must do alike. */
public abstract class SegmentMembersContract {

    protected abstract SegmentMembers members();

    @Test
    void keepsSegmentMembershipsAndReportsWhatChanged() {
        String db = "members-" + Ids.next().substring(24);
        var add = List.of(new SegmentMembers.MembershipChange("s1", "p1", true),
                new SegmentMembers.MembershipChange("s1", "p2", true),
                new SegmentMembers.MembershipChange("s2", "p2", true));
        assertThat(members().applyMemberships(db, add)).hasSize(3);
        assertThat(members().applyMemberships(db, add)).isEmpty();
        assertThat(members().segmentsOf(db, "p2")).containsExactlyInAnyOrder("s1", "s2");
        assertThat(members().countMembers("s1")).isEqualTo(2);
        assertThat(members().members("s1", null, 10)).containsExactly("p1", "p2");
        assertThat(members().members("s1", "p1", 10)).containsExactly("p2");
        assertThat(members().segmentsOfRange(db, "p1", "p1")).containsOnlyKeys("p1");
        var remove = List.of(new SegmentMembers.MembershipChange("s1", "p1", false),
                new SegmentMembers.MembershipChange("s1", "p9", false));
        assertThat(members().applyMemberships(db, remove)).containsExactly(remove.get(0));
        members().deleteMembers(List.of("s2"));
        assertThat(members().segmentsOf(db, "p2")).containsExactly("s1");
        members().deleteDatabase(db);
        assertThat(members().countMembers("s1")).isZero();
    }
}
