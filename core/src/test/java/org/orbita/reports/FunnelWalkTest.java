package org.orbita.reports;

import static org.assertj.core.api.Assertions.assertThat;
import org.junit.jupiter.api.Test;
import org.orbita.events.EventFunnel;

/** The three order modes on paths written by hand: steps reached and, where given, when. */
class FunnelWalkTest {

    static final long H = 3_600_000;

    private static EventFunnel.Path path(int[] masks, long... hours) {
        long[] times = new long[hours.length];
        for (int i = 0; i < hours.length; i++) {
            times[i] = hours[i] * H;
        }
        return new EventFunnel.Path("p", masks, times, "");
    }

    private static String walk(EventFunnel.Path p, FunnelWalk.Mode mode) {
        FunnelWalk.Reached r = FunnelWalk.walk(p, 3, 10 * H, 100 * H, mode);
        StringBuilder out = new StringBuilder().append(r.steps());
        for (long t : r.times()) {
            out.append(' ').append(t < 0 ? -1 : t / H);
        }
        return out.toString();
    }

    @Test
    void orderedAllowsOtherEventsBetweenAndTakesTheTryThatWentFurthest() {
        // A at 0, B at 1, A again at 2, B at 20 (too late for the first A, and for the second), C at 21
        assertThat(walk(path(new int[] {1, 2, 1, 2, 4}, 0, 1, 2, 20, 21), FunnelWalk.Mode.ORDERED)).isEqualTo("2 0 1 -1");
        // A at 0, C at 1 (out of order, skipped), B at 2, C at 3
        assertThat(walk(path(new int[] {1, 4, 2, 4}, 0, 1, 2, 3), FunnelWalk.Mode.ORDERED)).isEqualTo("3 0 2 3");
        // a later A starts a try that finishes within its own window
        assertThat(walk(path(new int[] {1, 2, 1, 2, 4}, 0, 1, 15, 16, 17), FunnelWalk.Mode.ORDERED)).isEqualTo("3 15 16 17");
        // one event matching B and C counts for one of them only
        assertThat(walk(path(new int[] {1, 6}, 0, 1), FunnelWalk.Mode.ORDERED)).isEqualTo("2 0 1 -1");
        // a first step after the period's end does not start a try
        assertThat(FunnelWalk.walk(path(new int[] {1, 2}, 200, 201), 3, 10 * H, 100 * H, FunnelWalk.Mode.ORDERED).steps()).isZero();
    }

    @Test
    void strictBreaksOnAnyOtherFunnelEventBetween() {
        assertThat(walk(path(new int[] {1, 4, 2, 4}, 0, 1, 2, 3), FunnelWalk.Mode.STRICT)).isEqualTo("1 0 -1 -1");
        assertThat(walk(path(new int[] {1, 2, 4}, 0, 1, 2), FunnelWalk.Mode.STRICT)).isEqualTo("3 0 1 2");
        // broken, then started again by a first step
        assertThat(walk(path(new int[] {1, 1, 2, 2, 1, 2, 4}, 0, 1, 2, 3, 4, 5, 6), FunnelWalk.Mode.STRICT)).isEqualTo("3 4 5 6");
    }

    @Test
    void anyOrderCountsDistinctStepsWithinTheWindow() {
        assertThat(walk(path(new int[] {4, 2, 1}, 0, 1, 2), FunnelWalk.Mode.ANY)).isEqualTo("3");
        // C at 0, then B and A 11 and 12 hours later: at most two within 10 hours
        assertThat(walk(path(new int[] {4, 2, 1}, 0, 11, 12), FunnelWalk.Mode.ANY)).isEqualTo("2");
    }
}
