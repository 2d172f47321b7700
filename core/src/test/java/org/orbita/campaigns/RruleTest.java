package org.orbita.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RruleTest {

    @Test
    void rulesBecomeTheCronsTheyMean() {
        assertThat(Rrule.cronOf("FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9;BYMINUTE=30")).isEqualTo("0 30 9 * * MON,THU");
        assertThat(Rrule.cronOf("RRULE:FREQ=DAILY;BYHOUR=8,20")).isEqualTo("0 0 8,20 * * *");
        assertThat(Rrule.cronOf("freq=monthly;bymonthday=1,15;byhour=10;interval=1")).isEqualTo("0 0 10 1,15 * *");
        assertThat(Rrule.cronOf("FREQ=HOURLY;BYMINUTE=5")).isEqualTo("0 5 * * * *");
        assertThat(Rrule.cronOf("0 0 9 * * MON")).isEqualTo("0 0 9 * * MON");
    }

    @Test
    void whatACronCannotSayIsRefusedByName() {
        assertThatThrownBy(() -> Rrule.cronOf("FREQ=WEEKLY;BYDAY=MO;INTERVAL=2")).hasMessageContaining("INTERVAL");
        assertThatThrownBy(() -> Rrule.cronOf("FREQ=DAILY;COUNT=5")).hasMessageContaining("COUNT");
        assertThatThrownBy(() -> Rrule.cronOf("FREQ=WEEKLY")).hasMessageContaining("BYDAY");
        assertThatThrownBy(() -> Rrule.cronOf("FREQ=WEEKLY;BYDAY=1MO")).hasMessageContaining("1MO");
        assertThatThrownBy(() -> Rrule.cronOf("FREQ=DAILY;BYHOUR=25")).hasMessageContaining("BYHOUR 25");
        assertThatThrownBy(() -> Rrule.cronOf("FREQ=YEARLY")).hasMessageContaining("FREQ");
    }
}
