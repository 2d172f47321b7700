package org.orbita.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.orbita.common.Json;

class SendPaceTest {

    @Test
    void theTightestWindowDecidesAndANewWindowGivesRoomAgain() {
        Instant t = Instant.parse("2026-11-22T10:00:05Z");
        SendPace pace = new SendPace(new Campaign.Rate(100, 250, 0), null, t, null);
        assertThat(pace.allowed(t)).isEqualTo(100);
        pace.sent(t, 100);
        assertThat(pace.allowed(t.plusSeconds(30))).isZero();
        assertThat(pace.allowed(t.plusSeconds(55))).isEqualTo(100); // 10:01
        pace.sent(t.plusSeconds(55), 100);
        assertThat(pace.allowed(t.plusSeconds(120))).isEqualTo(50); // the hour has 50 left
        pace.sent(t.plusSeconds(120), 50);
        assertThat(pace.allowed(t.plusSeconds(3000))).isZero();
        assertThat(pace.allowed(Instant.parse("2026-11-22T11:00:00Z"))).isEqualTo(100);
    }

    @Test
    void aWarmUpGrowsEachDayAndItsCountsSurviveARestart() {
        Instant start = Instant.parse("2026-11-22T10:00:00Z");
        SendPace pace = new SendPace(null, new Campaign.Warmup(1000, 2), start, null);
        assertThat(pace.allowed(start)).isEqualTo(1000);
        pace.sent(start, 600);
        // the run resumes after a restart from what its job kept
        SendPace resumed = new SendPace(null, new Campaign.Warmup(1000, 2), start,
                Json.MAPPER.convertValue(pace.state(), Map.class));
        assertThat(resumed.allowed(start.plusSeconds(3600))).isEqualTo(400);
        assertThat(resumed.allowed(start.plusSeconds(86_400))).isEqualTo(2000);
        assertThat(resumed.allowed(start.plusSeconds(2 * 86_400))).isEqualTo(4000);
        assertThat(new SendPace(null, null, start, null).allowed(start)).isEqualTo(Integer.MAX_VALUE);
    }
}
