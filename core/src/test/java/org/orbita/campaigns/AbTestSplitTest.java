package org.orbita.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbTestSplitTest {

    static Map<String, Integer> split(Campaign.AbTest ab) {
        Map<String, Integer> n = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            String profile = "p" + i;
            int bucket = Math.floorMod(("c1/" + profile).hashCode(), 100);
            n.merge(ab.variantOf("c1", profile, bucket).name(), 1, Integer::sum);
        }
        return n;
    }

    @Test
    void weightsGiveTheVariantsTheirShares() {
        Map<String, Integer> n = split(new Campaign.AbTest(List.of(new Campaign.Variant("A", "m1", 80, null),
                new Campaign.Variant("B", "m2", 15, 30), new Campaign.Variant("C", "m3", 5, null)), 100, "opens", 60));
        assertThat(n.get("A") / 20_000.0).isBetween(0.78, 0.82);
        assertThat(n.get("B") / 20_000.0).isBetween(0.135, 0.165);
        assertThat(n.get("C") / 20_000.0).isBetween(0.04, 0.06);
    }

    @Test
    void withoutWeightsTheSharesAreEvenAsBeforeAndTheDecisionWaitsForTheLastSendTime() {
        Campaign.AbTest even = new Campaign.AbTest(List.of(new Campaign.Variant("A", "m1"), new Campaign.Variant("B", "m2", null, 120)),
                100, "opens", 60);
        Map<String, Integer> n = split(even);
        assertThat(n.get("A") / 20_000.0).isBetween(0.48, 0.52);
        // the same profile lands in the same variant as the even split always put it
        assertThat(even.variantOf("c1", "p7", 3).name()).isEqualTo("B");
        assertThat(even.variantOf("c1", "p7", 4).name()).isEqualTo("A");
        assertThat(even.longestDelay()).isEqualTo(120);
    }
}
