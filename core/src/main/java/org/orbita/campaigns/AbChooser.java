package org.orbita.campaigns;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.orbita.content.Message;

/**
 * Which message a profile of a run gets: the campaign's message, or in an A/B test its variant
 * (the test group, by a stable hash of campaign and profile) or the winner (the rest, once it is
 * chosen; until then they wait for it). A send-time variant holds its share back until its time.
 */
final class AbChooser {

    /** A profile's message — its variant's (or the winner's) — or none yet until {@code holdUntil}; with a message, {@code holdUntil} is its variant's send time. */
    record Choice(String variant, Message message, Instant holdUntil) {}

    private final Campaign campaign;
    private final Message single;
    private final Map<String, Message> variants;
    private final Instant testStart;
    private final Instant decideAt;
    private final Supplier<String> winner;

    /**
     * @param single the message of a campaign without a test
     * @param variants the messages of a test's variants, by name
     * @param winner the winner once chosen (null until then)
     */
    AbChooser(Campaign campaign, Message single, Map<String, Message> variants, Instant testStart, Instant decideAt, Supplier<String> winner) {
        this.campaign = campaign;
        this.single = single;
        this.variants = variants;
        this.testStart = testStart;
        this.decideAt = decideAt;
        this.winner = winner;
    }

    Choice choose(String profileId) {
        Campaign.AbTest ab = campaign.abTest();
        if (ab == null) {
            return new Choice(null, single, null);
        }
        int bucket = Math.floorMod((campaign.id() + "/" + profileId).hashCode(), 100);
        if (bucket < ab.testPercent()) {
            Campaign.Variant v = ab.variantOf(campaign.id(), profileId, bucket);
            return new Choice(v.name(), variants.get(v.name()), v.delay() == 0 ? null : testStart.plus(Duration.ofMinutes(v.delay())));
        }
        String won = winner.get();
        return won == null ? new Choice(null, null, decideAt) : new Choice(won, variants.get(won), null);
    }
}
