package org.orbita.sending;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.orbita.profiles.Channel;
import org.orbita.profiles.Profile;
import org.orbita.profiles.Subscription;

/** The send rules one by one and together, as every kind of send asks them. */
class SendPoliciesTest {

    static final Instant NOON_UTC = Instant.parse("2026-12-04T12:00:00Z");

    static Profile profile(Map<String, Object> fields, Profile.Status status, Subscription... subscriptions) {
        return new Profile("p1", "db", new LinkedHashMap<>(fields), List.of(subscriptions), List.of(), status, NOON_UTC, NOON_UTC, List.of());
    }

    static Subscription email(String address, Subscription.Status status, String resource) {
        return new Subscription(Channel.EMAIL, address, resource, status, NOON_UTC);
    }

    @Test
    void aSubscriptionIsNeededWhereTheChannelHasOneAndTheDefaultResourceComesFirst() {
        Profile p = profile(Map.of(), null, email("news@x.io", Subscription.Status.ACTIVE, "news"), email("a@x.io", Subscription.Status.ACTIVE, null),
                email("gone@x.io", Subscription.Status.BOUNCED, null));
        assertThat(SendPolicies.subscriptionNeeded(null).check(p, SendChannel.EMAIL, NOON_UTC))
                .isEqualTo(new Eligibility.Allowed(p.subscriptions().get(1)));
        assertThat(SendPolicies.subscriptionNeeded("news").check(p, SendChannel.EMAIL, NOON_UTC))
                .isEqualTo(new Eligibility.Allowed(p.subscriptions().get(0)));
        assertThat(SendPolicies.subscriptionNeeded("offers").check(p, SendChannel.EMAIL, NOON_UTC))
                .isEqualTo(new Eligibility.Skipped("no active email subscription to offers"));
        assertThat(SendPolicies.subscriptionNeeded(null).check(p, SendChannel.SMS, NOON_UTC)).isInstanceOf(Eligibility.Skipped.class);
        assertThat(SendPolicies.subscriptionNeeded(null).check(p, SendChannel.WEBHOOK, NOON_UTC)).isEqualTo(Eligibility.ALLOWED);
    }

    @Test
    void transactionalMailReachesAnUnsubscribedAddressButNeverABouncedOne() {
        Profile unsubscribed = profile(Map.of(), null, email("a@x.io", Subscription.Status.UNSUBSCRIBED, null));
        Profile bounced = profile(Map.of(), null, email("a@x.io", Subscription.Status.BOUNCED, null));
        assertThat(SendPolicies.reachableAddress().check(unsubscribed, SendChannel.EMAIL, NOON_UTC)).isInstanceOf(Eligibility.Allowed.class);
        assertThat(SendPolicies.reachableAddress().check(bounced, SendChannel.EMAIL, NOON_UTC))
                .isEqualTo(new Eligibility.Skipped("no email address that can receive"));
        assertThat(SendPolicies.subscriptionNeeded(null).check(unsubscribed, SendChannel.EMAIL, NOON_UTC)).isInstanceOf(Eligibility.Skipped.class);
    }

    @Test
    void quietHoursHoldAProfileInItsOwnTimeZone() {
        SendPolicy quiet = SendPolicies.quietHours(LocalTime.of(21, 0), LocalTime.of(9, 0), null, null);
        // noon in UTC is 21:00 in Tokyo: quiet there until 09:00 local, i.e. 00:00 UTC the next day
        Profile tokyo = profile(Map.of("timezone", "Asia/Tokyo"), null);
        Profile london = profile(Map.of("timezone", "Europe/London"), null);
        assertThat(quiet.check(tokyo, SendChannel.EMAIL, NOON_UTC)).isEqualTo(new Eligibility.Held(Instant.parse("2026-12-05T00:00:00Z"),
                "quiet hours until 2026-12-05T00:00:00Z"));
        assertThat(quiet.check(london, SendChannel.EMAIL, NOON_UTC)).isEqualTo(Eligibility.ALLOWED);
        // a campaign that names another field reads that one first
        Profile both = profile(Map.of("timezone", "Europe/London", "tz", "Asia/Tokyo"), null);
        assertThat(SendPolicies.quietHours(LocalTime.of(21, 0), LocalTime.of(9, 0), "tz", null).check(both, SendChannel.EMAIL, NOON_UTC))
                .isInstanceOf(Eligibility.Held.class);
    }

    @Test
    void rulesTogetherStopAtTheFirstSkipAndHoldFromTheMomentTheRuleBeforeSet() {
        Profile tokyo = profile(Map.of("timezone", "Asia/Tokyo"), null, email("a@x.io", Subscription.Status.ACTIVE, null));
        // 18:00 in Tokyo (09:00 UTC) is not quiet, but the quiet hours start at 21:00 Tokyo time
        List<SendPolicy> rules = List.of(SendPolicies.suppression(), SendPolicies.subscriptionNeeded(null),
                SendPolicies.localTime(LocalDateTime.parse("2026-12-04T22:00"), null, null),
                SendPolicies.quietHours(LocalTime.of(21, 0), LocalTime.of(9, 0), null, null));
        Eligibility e = SendPolicy.decide(rules, tokyo, SendChannel.EMAIL, Instant.parse("2026-12-04T09:00:00Z"));
        // 22:00 local is inside the quiet hours: it waits for their end, 09:00 the next morning in Tokyo
        assertThat(e).isEqualTo(new Eligibility.Held(Instant.parse("2026-12-05T00:00:00Z"), "quiet hours until 2026-12-05T00:00:00Z"));
        Profile suspended = profile(Map.of(), Profile.Status.SUSPENDED, email("a@x.io", Subscription.Status.ACTIVE, null));
        assertThat(SendPolicy.decide(rules, suspended, SendChannel.EMAIL, NOON_UTC)).isEqualTo(new Eligibility.Skipped("the profile is suspended"));
        Profile now = profile(Map.of("timezone", "UTC"), null, email("a@x.io", Subscription.Status.ACTIVE, null));
        assertThat(SendPolicy.decide(List.of(SendPolicies.subscriptionNeeded(null)), now, SendChannel.EMAIL, NOON_UTC))
                .isEqualTo(new Eligibility.Allowed(now.subscriptions().get(0)));
    }
}
