package org.orbita.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AbTestStatsTest {

    @Test
    void twoProportionZTestAgreesWithTheTextbook() {
        // 200 of 1,000 against 150 of 1,000: z = 2.94, two-sided p = 0.0033
        var a = new AbTestStats.VariantStats("A", "m1", 1000, 200, 0, 0.2);
        var b = new AbTestStats.VariantStats("B", "m2", 1000, 150, 0, 0.15);
        assertThat(AbTestStats.pValue(a, b, "opens")).isCloseTo(0.00326, within(0.0002));
        // the same rates on 100 each are not significant
        assertThat(AbTestStats.pValue(new AbTestStats.VariantStats("A", "m1", 100, 20, 0, 0.2),
                new AbTestStats.VariantStats("B", "m2", 100, 15, 0, 0.15), "opens")).isGreaterThan(0.3);
        assertThat(AbTestStats.normalCdf(1.96)).isCloseTo(0.975, within(0.0001));
        assertThat(AbTestStats.pValue(a, new AbTestStats.VariantStats("B", "m2", 0, 0, 0, 0), "opens")).isEqualTo(1);
    }
}
