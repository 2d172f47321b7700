package org.orbita.ui.sending;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.orbita.profiles.Profile;
import org.orbita.sending.Eligibility;
import org.orbita.sending.SendChannel;
import org.orbita.sending.SendPolicies;
import org.orbita.ui.OrbitaI18n;

/** The reasons the send rules give, said in Russian on the pages: taken from the rules themselves, so a reworded rule fails here. */
class SkipWordsTest {

    private static final OrbitaI18n I18N = new OrbitaI18n();
    private static final Locale RU = Locale.forLanguageTag("ru");

    private static String russian(String reason) {
        return SkipWords.say(reason, (key, args) -> I18N.getTranslation(key, RU, args));
    }

    @Test
    void everyReasonTheRulesGiveIsSaidInRussian() {
        Instant now = Instant.parse("2026-12-05T12:00:00Z");
        Profile bare = new Profile("p1", "db", null, null, null, null, now, now, null);
        Profile suspended = new Profile("p2", "db", null, null, null, Profile.Status.SUSPENDED, now, now, null);
        List<String> reasons = new ArrayList<>();
        for (Eligibility e : List.of(SendPolicies.subscriptionNeeded(null).check(bare, SendChannel.EMAIL, now),
                SendPolicies.subscriptionNeeded("news").check(bare, SendChannel.SMS, now),
                SendPolicies.reachableAddress().check(bare, SendChannel.PUSH, now),
                SendPolicies.suppression().check(suspended, SendChannel.EMAIL, now),
                SendPolicies.quietHours(LocalTime.of(0, 0), LocalTime.of(23, 59), null, "UTC").check(bare, SendChannel.EMAIL, now))) {
            reasons.add(switch (e) {
                case Eligibility.Skipped s -> s.reason();
                case Eligibility.Held h -> h.reason();
                default -> throw new AssertionError("expected a refusal, got " + e);
            });
        }
        reasons.add("frequency cap: 3 email message(s) in 7 day(s) already");
        for (String reason : reasons) {
            String said = russian(reason);
            assertThat(said).as(reason).doesNotStartWith("!").doesNotContain("subscription", "profile", "frequency", "quiet", "address");
            assertThat(said).as(reason).containsPattern("[а-я]");
        }
        assertThat(russian("no active sms subscription to news")).isEqualTo("нет активной подписки «SMS» на news");
        assertThat(russian("something new")).isEqualTo("something new");
    }
}
