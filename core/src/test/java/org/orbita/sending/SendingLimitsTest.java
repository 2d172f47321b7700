package org.orbita.sending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.access.Access;
import org.orbita.common.InvalidInputException;
import org.orbita.profiles.Channel;
import org.orbita.profiles.Profile;
import org.orbita.profiles.Subscription;
import org.orbita.sending.store.SqliteSendLedger;
import org.orbita.settings.store.SqliteSettings;
import org.orbita.storage.sqlite.SqliteConnections;

/** Sending policies on the real embedded stores: which level's cap applies, and the cap across channels counted from the ledger. */
class SendingLimitsTest {

    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    SendingLimits limits;
    SendLedger ledger;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        limits = new SendingLimits(new SqliteSettings(sqlite), Access.SYSTEM, Clock.fixed(NOW, ZoneOffset.UTC));
        ledger = new SqliteSendLedger(sqlite);
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    static SendingLimits.Cap cap(int max, int days) {
        return new SendingLimits.Cap(max, days);
    }

    @Test
    void theNarrowestLevelThatSetsACapWins() {
        assertThat(limits.effective("w1", "db1", null)).isEqualTo(new SendingLimits.Effective(null, null));
        limits.saveWorkspace("w1", cap(3, 7), cap(10, 30), null);
        assertThat(limits.effective("w1", "db1", null)).isEqualTo(new SendingLimits.Effective(cap(3, 7), cap(10, 30)));
        limits.saveDatabase("w1", "db1", cap(1, 1), null, null);
        // the database's per-channel cap over the workspace's; across channels the database sets nothing, so the workspace's holds
        assertThat(limits.effective("w1", "db1", null)).isEqualTo(new SendingLimits.Effective(cap(1, 1), cap(10, 30)));
        assertThat(limits.effective("w1", "db2", null)).isEqualTo(new SendingLimits.Effective(cap(3, 7), cap(10, 30)));
        assertThat(limits.effective("w1", "db1", cap(5, 2))).isEqualTo(new SendingLimits.Effective(cap(5, 2), cap(10, 30)));
        assertThat(limits.effective("w2", "db9", null)).isEqualTo(new SendingLimits.Effective(null, null));
        limits.saveDatabase("w1", "db1", cap(1, 1), null, cap(4, 7));
        assertThat(limits.effective("w1", "db1", null).perAddress()).isEqualTo(cap(4, 7));
        assertThat(limits.effective("w1", "db2", null).perAddress()).isNull();
    }

    @Test
    void badCapsAreNamed() {
        assertThatThrownBy(() -> limits.saveWorkspace("w1", cap(0, 7), cap(2, 366), cap(10_001, 1)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .containsExactly("perChannel.max", "allChannels.days", "perAddress.max"));
    }

    @Test
    void theCapAcrossChannelsCountsEveryChannelButTheRunBeingSent() {
        SendLedger.Run earlier = new SendLedger.Run("r1", SendKind.CAMPAIGN, "w1", "db1", "c1", null);
        ledger.reserve(earlier, List.of(new SendLedger.Entry("p1", SendChannel.EMAIL, LedgerState.PENDING, null),
                new SendLedger.Entry("p1", SendChannel.SMS, LedgerState.PENDING, null), new SendLedger.Entry("p2", SendChannel.EMAIL, LedgerState.PENDING, null)));
        ledger.mark("r1", List.of(new SendLedger.Entry("p1", SendChannel.EMAIL, LedgerState.QUEUED, null),
                new SendLedger.Entry("p1", SendChannel.SMS, LedgerState.QUEUED, null), new SendLedger.Entry("p2", SendChannel.EMAIL, LedgerState.QUEUED, null)));
        Profile p1 = new Profile("p1", "db1", Map.of(), List.of(), List.of(), null, NOW, NOW, List.of());
        Profile p2 = new Profile("p2", "db1", Map.of(), List.of(), List.of(), null, NOW, NOW, List.of());
        List<SendPolicy> rules = limits.policies(new SendingLimits.Effective(null, cap(2, 7)), ledger, List.of(p1, p2),
                List.of(SendChannel.PUSH), NOW, "r2");
        // p1 had an email and an SMS: at two across channels, even a push is skipped; p2 had one
        assertThat(SendPolicy.decide(rules, p1, SendChannel.PUSH, NOW)).isInstanceOf(Eligibility.Skipped.class);
        assertThat(((Eligibility.Skipped) SendPolicy.decide(rules, p1, SendChannel.PUSH, NOW)).reason()).startsWith("sending policy: 2 message(s)");
        assertThat(SendPolicy.decide(rules, p2, SendChannel.PUSH, NOW)).isEqualTo(Eligibility.ALLOWED);
        // the run being sent is not counted against itself (a resumed run)
        List<SendPolicy> same = limits.policies(new SendingLimits.Effective(null, cap(2, 7)), ledger, List.of(p1), List.of(SendChannel.PUSH), NOW, "r1");
        assertThat(SendPolicy.decide(same, p1, SendChannel.PUSH, NOW)).isEqualTo(Eligibility.ALLOWED);
    }

    /**
     * One inbox shared by profiles (here in two databases): the cap per address counts what other
     * runs sent it whichever profile it went to, and what the page being sent lets through.
     */
    @Test
    void theCapPerAddressCountsEveryProfileThatSharesTheAddress() {
        SendLedger.Run earlier = new SendLedger.Run("r1", SendKind.CAMPAIGN, "w1", "db1", "c1", null);
        ledger.reserve(earlier, List.of(SendLedger.Entry.pending("a1", SendChannel.EMAIL, "same@x.io")));
        SendLedger.Run other = new SendLedger.Run("r2", SendKind.CAMPAIGN, "w1", "db2", "c2", null);
        ledger.reserve(other, List.of(SendLedger.Entry.pending("b1", SendChannel.EMAIL, "same@x.io")));
        Profile inThird = profile("c1", "db3", "same@x.io");
        Profile alsoInThird = profile("c2", "db3", "same@x.io");
        Profile elsewhere = profile("c3", "db3", "other@x.io");
        List<SendPolicy> rules = limits.policies(new SendingLimits.Effective(null, null, cap(3, 7)), ledger,
                List.of(inThird, alsoInThird, elsewhere), List.of(SendChannel.EMAIL, SendChannel.SMS), NOW.plusSeconds(3600), "r3");
        // two went to it from other runs: a third is let through, and then the address is full for the page's next profile
        assertThat(SendPolicy.decide(rules, inThird, SendChannel.EMAIL, NOW)).isEqualTo(Eligibility.ALLOWED);
        assertThat(SendPolicy.decide(rules, alsoInThird, SendChannel.EMAIL, NOW)).isInstanceOfSatisfying(Eligibility.Skipped.class,
                s -> assertThat(s.reason()).isEqualTo("sending policy: 3 message(s) to same@x.io in 7 day(s) already, across profiles"));
        assertThat(SendPolicy.decide(rules, elsewhere, SendChannel.EMAIL, NOW)).isEqualTo(Eligibility.ALLOWED);
        // another channel counts on its own
        assertThat(SendPolicy.decide(rules, alsoInThird, SendChannel.SMS, NOW)).isEqualTo(Eligibility.ALLOWED);
    }

    private static Profile profile(String id, String db, String email) {
        return new Profile(id, db, Map.of(), List.of(new Subscription(Channel.EMAIL, email, null, Subscription.Status.ACTIVE, NOW)), List.of(),
                null, NOW, NOW, List.of());
    }
}
