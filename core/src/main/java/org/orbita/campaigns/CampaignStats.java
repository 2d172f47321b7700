package org.orbita.campaigns;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.orbita.events.EventLog;

/**
 * A campaign's figures from the event log (every event its sends and their tracking recorded
 * carries the campaign's id): sent, delivered, bounced (hard / soft), opened and clicked (total,
 * unique, and how many of them machines made), unsubscribed, complained (spam reports), rates
 * over delivered, and — with a conversion goal — the profiles who converted and the revenue.
 */
public record CampaignStats(long sent, long delivered, long bounced, long hardBounced, long opened, long uniqueOpened, long machineOpened,
                            long clicked, long uniqueClicked, long machineClicked, long unsubscribed, long complained, double openRate, double clickRate, long converted,
                            BigDecimal revenue) {

    private static final Set<String> TYPES = Set.of("message.sent", "message.delivered", "message.bounced", "message.opened",
            "message.clicked", "message.unsubscribed", "message.complained");

    public static CampaignStats of(EventLog events, Campaign c) {
        Map<String, long[]> all = events.tally(c.database(), Map.of("campaign", c.id()), TYPES);
        Map<String, long[]> machine = events.tally(c.database(), Map.of("campaign", c.id(), "machine", true),
                Set.of("message.opened", "message.clicked"));
        Map<String, long[]> hard = events.tally(c.database(), Map.of("campaign", c.id(), "kind", "hard"), Set.of("message.bounced"));
        long delivered = n(all, "message.delivered", 0);
        BigDecimal[] revenue = {BigDecimal.ZERO};
        long[] conversions = c.conversion() == null ? new long[2] : Conversions.count(events, c, revenue);
        long uniqueOpened = n(all, "message.opened", 1);
        long uniqueClicked = n(all, "message.clicked", 1);
        return new CampaignStats(n(all, "message.sent", 0), delivered, n(all, "message.bounced", 1), n(hard, "message.bounced", 1),
                n(all, "message.opened", 0), uniqueOpened, n(machine, "message.opened", 0), n(all, "message.clicked", 0), uniqueClicked,
                n(machine, "message.clicked", 0), n(all, "message.unsubscribed", 1), n(all, "message.complained", 1),
                delivered == 0 ? 0 : (double) uniqueOpened / delivered, delivered == 0 ? 0 : (double) uniqueClicked / delivered,
                conversions[1], revenue[0]);
    }

    /**
     * The campaign's figures per channel: {@code sent}, {@code delivered}, {@code failed} (messages),
     * {@code bounced}, {@code opened}, {@code clicked}, {@code unsubscribed}, {@code complained} (profiles).
     */
    public static Map<String, Map<String, Long>> byChannel(EventLog events, Campaign c) {
        Map<String, long[]> t = events.tally(c.database(), Map.of("campaign", c.id()), Set.of("message.sent", "message.delivered", "message.failed",
                "message.bounced", "message.opened", "message.clicked", "message.unsubscribed", "message.complained"), true);
        Map<String, Map<String, Long>> out = new TreeMap<>();
        t.forEach((key, v) -> {
            int slash = key.indexOf('/');
            String channel = slash <= 0 ? "none" : key.substring(0, slash);
            String type = key.substring(slash + 1).substring("message.".length());
            boolean messages = type.equals("sent") || type.equals("delivered") || type.equals("failed");
            out.computeIfAbsent(channel, k -> new TreeMap<>()).put(type, messages ? v[0] : v[1]);
        });
        return out;
    }

    private static long n(Map<String, long[]> t, String type, int which) {
        long[] v = t.get(type);
        return v == null ? 0 : v[which];
    }
}
