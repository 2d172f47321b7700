package org.orbita.sending.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.sending.LedgerState.DELIVERED;
import static org.orbita.sending.LedgerState.PENDING;
import static org.orbita.sending.LedgerState.QUEUED;
import static org.orbita.sending.LedgerState.SENDING;
import static org.orbita.sending.LedgerState.SKIPPED;
import static org.orbita.sending.LedgerState.WAITING;
import static org.orbita.sending.SendChannel.EMAIL;
import static org.orbita.sending.SendChannel.SMS;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.orbita.common.Ids;
import org.orbita.sending.SendKind;
import org.orbita.sending.SendLedger;
import org.orbita.sending.SendLedger.Entry;
import org.orbita.sending.SendLedger.Run;

/** What every send ledger must do alike. */
public abstract class SendLedgerContract {

    protected abstract SendLedger ledger();

    private static Run run(String id) {
        return new Run(id, SendKind.CAMPAIGN, "ws", "db1", "c1", null);
    }

    @Test
    void keepsASendLedgerWhereTheFirstWordOnAnEntryStands() {
        String run = "run-" + Ids.next();
        List<Entry> page = List.of(new Entry("p1", EMAIL, PENDING, null), new Entry("p2", EMAIL, SKIPPED, "no active email subscription"),
                new Entry("p3", EMAIL, PENDING, null));
        var first = ledger().reserve(run(run), page);
        assertThat(first.values()).extracting(Entry::state).containsExactly(PENDING, SKIPPED, PENDING);
        ledger().mark(run, List.of(new Entry("p1", EMAIL, QUEUED, null)));
        // the same page again (a restarted run): what was recorded stands, only the new entry is added
        var again = ledger().reserve(run(run), List.of(new Entry("p1", EMAIL, PENDING, null), new Entry("p3", EMAIL, PENDING, null),
                new Entry("p4", EMAIL, PENDING, null)));
        assertThat(again.get("p1/email").state()).isEqualTo(QUEUED);
        assertThat(again.get("p3/email").state()).isEqualTo(PENDING);
        assertThat(again.get("p4/email").state()).isEqualTo(PENDING);
        assertThat(ledger().countByState(run)).containsEntry("queued", 1L).containsEntry("pending", 2L).containsEntry("skipped", 1L);
        assertThat(ledger().entries(run, "p1/email", 2)).extracting(Entry::profileId).containsExactly("p2", "p3");
        assertThat(ledger().entries(run, null, 10).get(1).detail()).isEqualTo("no active email subscription");
        assertThat(ledger().countByState("another-" + run)).isEmpty();
        // one worker takes an entry; a second one given the same message does not
        assertThat(ledger().advance(run, "p1/email", QUEUED, SENDING, null)).isTrue();
        assertThat(ledger().advance(run, "p1/email", QUEUED, SENDING, null)).isFalse();
        assertThat(ledger().advance(run, "p1/email", SENDING, DELIVERED, "id 42")).isTrue();
        assertThat(ledger().entries(run, null, 1).get(0).detail()).isEqualTo("id 42");
        // what other runs sent a profile lately (frequency caps), and entries waiting for quiet hours to end
        String other = "other-" + run;
        Instant t = Instant.now();
        ledger().reserve(run(other), List.of(new Entry("p1", EMAIL, PENDING, null), new Entry("p9", EMAIL, SKIPPED, "no"),
                new Entry("p3", EMAIL, WAITING, "quiet hours", t.plusSeconds(60)),
                new Entry("p4", EMAIL, WAITING, "quiet hours", t.minusSeconds(5))));
        assertThat(ledger().sentSince(List.of("p1", "p2", "p9"), EMAIL, t.minusSeconds(60), other)).containsOnlyKeys("p1").containsEntry("p1", 1L);
        assertThat(ledger().sentSince(List.of("p1"), EMAIL, t.minusSeconds(60), "nobody")).containsEntry("p1", 2L);
        assertThat(ledger().sentSince(List.of("p1"), SMS, t.minusSeconds(60), "nobody")).isEmpty();
        // what an address got lately, whichever profile it belonged to (the cap per address across profiles)
        ledger().reserve(run("addr-" + run), List.of(Entry.pending("p1", EMAIL, "same-" + run + "@x.io"),
                Entry.pending("p2", EMAIL, "same-" + run + "@x.io"), new Entry("p5", EMAIL, SKIPPED, "capped", null, "same-" + run + "@x.io"),
                Entry.pending("p6", SMS, "same-" + run + "@x.io")));
        assertThat(ledger().sentToAddressesSince(List.of("same-" + run + "@x.io", "none@x.io"), EMAIL, t.minusSeconds(60), "nobody"))
                .containsOnly(org.assertj.core.api.Assertions.entry("same-" + run + "@x.io", 2L));
        assertThat(ledger().sentToAddressesSince(List.of("same-" + run + "@x.io"), EMAIL, t.minusSeconds(60), "addr-" + run)).isEmpty();
        assertThat(ledger().sentToAddressesSince(List.of("same-" + run + "@x.io"), EMAIL, t.plusSeconds(60), "nobody")).isEmpty();
        assertThat(ledger().due(other, t, 10)).extracting(Entry::profileId).containsExactly("p4");
        assertThat(ledger().nextDue(other)).contains(Instant.ofEpochMilli(t.minusSeconds(5).toEpochMilli()));
        assertThat(ledger().nextDue(run)).isEmpty();
    }

    @Test
    void remembersWhatEachRunIsSoItsOutcomesCanBeAttributed() {
        String id = "jny-" + Ids.next();
        Run journey = new Run(id, SendKind.JOURNEY, "ws", "crm", null, "welcome");
        ledger().reserve(journey, List.of(new Entry("p1", EMAIL, PENDING, null)));
        ledger().reserve(new Run(id, SendKind.TRANSACTIONAL, "other", "other", null, null), List.of(new Entry("p2", EMAIL, PENDING, null)));
        assertThat(ledger().run(id)).as("the first word on a run stands").contains(journey);
        assertThat(ledger().run("tx-" + Ids.next())).isEmpty();
    }
}
