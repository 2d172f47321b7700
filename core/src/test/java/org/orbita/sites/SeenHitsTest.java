package org.orbita.sites;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenHitsTest {

    @Test
    void nothingIsKnownUntilTheLogsLatestIdsAreTakenThenOnlyWhatWasDroppedIsAskedOfTheLog() {
        SeenHits seen = new SeenHits(3);
        assertThat(seen.mayBeForgotten(5_000)).as("nothing taken from the log yet").isTrue();
        seen.preload(1_000, each -> {
            each.accept("old", 1_200L);
            each.accept("older", 1_100L);
        });
        assertThat(seen.mayBeForgotten(999)).as("before the stretch taken: the log may hold it").isTrue();
        assertThat(seen.mayBeForgotten(1_000)).isFalse();
        assertThat(seen.claim("old", 1_200, 3_000)).as("stored before this process: a repeat").isFalse();
        assertThat(seen.claim("a", 2_000, 3_000)).isTrue(); // the third id: the generation is full, the older one is empty
        assertThat(seen.claim("a", 2_000, 3_000)).isFalse();
        seen.release("a");
        assertThat(seen.claim("a", 2_000, 3_000)).as("given back: a retry is taken").isTrue();
        assertThat(seen.mayBeForgotten(1_500)).as("nothing dropped yet").isFalse();
        seen.claim("b", 3_000, 3_000);
        seen.claim("c", 3_100, 3_000); // full: {old, older, a} is dropped, the latest time it held being 2,000
        assertThat(seen.claim("old", 1_200, 3_000)).as("forgotten").isTrue();
        assertThat(seen.mayBeForgotten(2_000)).isTrue();
        assertThat(seen.mayBeForgotten(2_001)).isFalse();
        seen.claim("d", 20_000, 3_000); // a clock 17 s ahead
        seen.claim("e", 3_200, 3_000); // full: {a, b, c} dropped
        assertThat(seen.mayBeForgotten(3_100)).isTrue();
        assertThat(seen.mayBeForgotten(3_101)).isFalse();
        seen.claim("f", 3_300, 3_000);
        seen.claim("g", 3_400, 3_000);
        seen.claim("h", 3_500, 3_000); // {old, d, e} dropped: the clock ahead counts as 10 s past the server's
        assertThat(seen.mayBeForgotten(13_000)).isTrue();
        assertThat(seen.mayBeForgotten(13_001)).isFalse();
        assertThat(seen.claim("g", 3_400, 3_000)).isFalse();
    }

    @Test
    void preloadingMoreThanAGenerationKeepsTheNewestAndSaysUntilWhenItForgot() {
        SeenHits seen = new SeenHits(2);
        seen.preload(100, each -> {
            each.accept("x", 300L);
            each.accept("y", 100L);
            each.accept("z", 200L);
        });
        assertThat(seen.mayBeForgotten(100)).isTrue();
        assertThat(seen.mayBeForgotten(101)).isFalse();
        assertThat(seen.claim("x", 300, 3_000)).isFalse();
        assertThat(seen.claim("z", 200, 3_000)).isFalse();
    }
}
