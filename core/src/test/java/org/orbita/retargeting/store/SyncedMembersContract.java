package org.orbita.retargeting.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.orbita.retargeting.SyncedMembers;
import org.orbita.retargeting.SyncedMembers.Synced;

/** What the synced-members record does on every engine it runs on. */
public abstract class SyncedMembersContract {

    protected abstract SyncedMembers members();

    @Test
    void membersArePagedInProfileOrderReplacedAndForgottenPerSync() {
        SyncedMembers m = members();
        m.put("ws/a", List.of(new Synced("p3", "e3", null), new Synced("p1", "e1", "t1"), new Synced("p2", null, "t2")));
        m.put("ws/b", List.of(new Synced("p1", "x", null)));
        assertThat(m.page("ws/a", null, 2)).extracting(Synced::profileId).containsExactly("p1", "p2");
        assertThat(m.page("ws/a", "p2", 2)).containsExactly(new Synced("p3", "e3", null));
        m.put("ws/a", List.of(new Synced("p1", "e1-new", "t1")));
        assertThat(m.page("ws/a", null, 1)).containsExactly(new Synced("p1", "e1-new", "t1"));
        m.delete("ws/a", List.of("p2", "p9"));
        assertThat(m.count("ws/a")).isEqualTo(2);
        m.forget("ws/a");
        assertThat(m.count("ws/a")).isZero();
        assertThat(m.count("ws/b")).isEqualTo(1);
    }
}
