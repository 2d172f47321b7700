package org.orbita.sites;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SeenHitsTest {

    /** A clock the test moves. */
    static final class Moving extends Clock {
        long ms;

        Moving(long ms) {
            this.ms = ms;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(ms);
        }
    }

    @Test
    void aRepeatIsKnownUntilItsGenerationIsDroppedAndTheHorizonSaysWhatToAskTheLogFor() {
        Moving clock = new Moving(1_000_000);
        SeenHits seen = new SeenHits(3, clock);
        long skew = SeenHits.SKEW.toMillis();
        assertThat(seen.beforeHorizon(1_000_000 - 1)).as("older than this process").isTrue();
        assertThat(seen.beforeHorizon(1_000_000 + skew)).isFalse();
        assertThat(seen.claim("a")).isTrue();
        assertThat(seen.claim("a")).isFalse();
        seen.release("a");
        assertThat(seen.claim("a")).as("given back: a retry is taken").isTrue();
        clock.ms = 2_000_000;
        seen.claim("b");
        seen.claim("c"); // the first generation is full: it becomes the older one, still known
        assertThat(seen.claim("a")).isFalse();
        assertThat(seen.beforeHorizon(1_000_000 + skew)).as("everything since start still known").isFalse();
        clock.ms = 3_000_000;
        seen.claim("d");
        seen.claim("e");
        seen.claim("f"); // the second fills: the first generation is dropped
        assertThat(seen.claim("a")).as("forgotten").isTrue();
        assertThat(seen.beforeHorizon(1_500_000)).as("a hit of that time may have been stored and forgotten").isTrue();
        assertThat(seen.beforeHorizon(2_000_000 + skew)).isFalse();
        assertThat(seen.claim("d")).isFalse();
    }
}
