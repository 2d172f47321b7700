package org.orbita.sending.store;

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
import org.orbita.sending.SendLedger;

/** What every send ledger must do alike. */
public abstract class SendLedgerContract {

    protected abstract SendLedger ledger();

    @Test
    void keepsASendLedgerWhereTheFirstWordOnAnEntryStands() {
        String run = "run-" + org.orbita.common.Ids.next();
        java.util.List<org.orbita.sending.SendLedger.Entry> page = java.util.List.of(
                new org.orbita.sending.SendLedger.Entry("p1", "email", "pending", null),
                new org.orbita.sending.SendLedger.Entry("p2", "email", "skipped", "no active email subscription"),
                new org.orbita.sending.SendLedger.Entry("p3", "email", "pending", null));
        var first = ledger().reserve(run, page);
        assertThat(first.values()).extracting(org.orbita.sending.SendLedger.Entry::state).containsExactly("pending", "skipped", "pending");
        ledger().mark(run, java.util.List.of(new org.orbita.sending.SendLedger.Entry("p1", "email", "queued", null)));
        // the same page again (a restarted run): what was recorded stands, only the new entry is added
        var again = ledger().reserve(run, java.util.List.of(
                new org.orbita.sending.SendLedger.Entry("p1", "email", "pending", null),
                new org.orbita.sending.SendLedger.Entry("p3", "email", "pending", null),
                new org.orbita.sending.SendLedger.Entry("p4", "email", "pending", null)));
        assertThat(again.get("p1/email").state()).isEqualTo("queued");
        assertThat(again.get("p3/email").state()).isEqualTo("pending");
        assertThat(again.get("p4/email").state()).isEqualTo("pending");
        assertThat(ledger().countByState(run)).containsEntry("queued", 1L).containsEntry("pending", 2L).containsEntry("skipped", 1L);
        assertThat(ledger().entries(run, "p1/email", 2)).extracting(org.orbita.sending.SendLedger.Entry::profileId).containsExactly("p2", "p3");
        assertThat(ledger().entries(run, null, 10).get(1).detail()).isEqualTo("no active email subscription");
        assertThat(ledger().countByState("another-" + run)).isEmpty();
        // one worker takes an entry; a second one given the same message does not
        assertThat(ledger().advance(run, "p1/email", "queued", "sending", null)).isTrue();
        assertThat(ledger().advance(run, "p1/email", "queued", "sending", null)).isFalse();
        assertThat(ledger().advance(run, "p1/email", "sending", "delivered", "id 42")).isTrue();
        assertThat(ledger().entries(run, null, 1).get(0).detail()).isEqualTo("id 42");
        // what other runs sent a profile lately (frequency caps), and entries waiting for quiet hours to end
        String other = "other-" + run;
        java.time.Instant t = java.time.Instant.now();
        ledger().reserve(other, java.util.List.of(new org.orbita.sending.SendLedger.Entry("p1", "email", "pending", null),
                new org.orbita.sending.SendLedger.Entry("p9", "email", "skipped", "no"),
                new org.orbita.sending.SendLedger.Entry("p3", "email", "waiting", "quiet hours", t.plusSeconds(60)),
                new org.orbita.sending.SendLedger.Entry("p4", "email", "waiting", "quiet hours", t.minusSeconds(5))));
        assertThat(ledger().sentSince(java.util.List.of("p1", "p2", "p9"), "email", t.minusSeconds(60), other)).containsOnlyKeys("p1")
                .containsEntry("p1", 1L);
        assertThat(ledger().sentSince(java.util.List.of("p1"), "email", t.minusSeconds(60), "nobody")).containsEntry("p1", 2L);
        assertThat(ledger().sentSince(java.util.List.of("p1"), "sms", t.minusSeconds(60), "nobody")).isEmpty();
        assertThat(ledger().due(other, t, 10)).extracting(org.orbita.sending.SendLedger.Entry::profileId).containsExactly("p4");
        assertThat(ledger().nextDue(other)).contains(java.time.Instant.ofEpochMilli(t.minusSeconds(5).toEpochMilli()));
        assertThat(ledger().nextDue(run)).isEmpty();
    }
}
