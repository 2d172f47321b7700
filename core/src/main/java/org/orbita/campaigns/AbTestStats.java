package org.orbita.campaigns;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orbita.content.Message;
import org.orbita.events.EventLog;

/**
 * An A/B test's standing from the event log: per variant the messages sent and the profiles
 * who opened and clicked (machine opens left out: Apple's proxy opens everything), the rate on
 * the test's metric, the leader, and how sure the lead is — a two-proportion z-test of the
 * leader against the runner-up ({@code pValue}: the chance of a lead this large with no real
 * difference; below 0.05 is the usual "significant").
 */
public record AbTestStats(String metric, List<VariantStats> variants, String leader, double pValue, boolean significant) {

    public record VariantStats(String name, String messageId, long sent, long opened, long clicked, double rate) {}

    public static AbTestStats of(EventLog events, Campaign c, Map<String, Message> messages) {
        String metric = c.abTest().metric();
        List<VariantStats> out = new ArrayList<>();
        for (Campaign.Variant v : c.abTest().variants()) {
            Message m = messages.get(v.name());
            String messageId = m == null ? v.messageId() : m.id();
            Map<String, long[]> all = events.tally(c.database(), Map.of("campaign", c.id(), "message_id", messageId),
                    Set.of("message.sent", "message.opened", "message.clicked"));
            Map<String, long[]> people = events.tally(c.database(), Map.of("campaign", c.id(), "message_id", messageId, "machine", false),
                    Set.of("message.opened", "message.clicked"));
            long sent = all.containsKey("message.sent") ? all.get("message.sent")[0] : 0;
            long opened = people.containsKey("message.opened") ? people.get("message.opened")[1] : 0;
            long clicked = people.containsKey("message.clicked") ? people.get("message.clicked")[1] : 0;
            long hits = metric.equals("clicks") ? clicked : opened;
            out.add(new VariantStats(v.name(), messageId, sent, opened, clicked, sent == 0 ? 0 : (double) hits / sent));
        }
        List<VariantStats> ranked = out.stream().sorted(Comparator.comparingDouble(VariantStats::rate).reversed()).toList();
        double p = ranked.size() < 2 ? 1 : pValue(ranked.get(0), ranked.get(1), metric);
        return new AbTestStats(metric, out, ranked.isEmpty() ? null : ranked.get(0).name(), p, p < 0.05);
    }

    /** Two-sided p-value of a two-proportion z-test. */
    static double pValue(VariantStats a, VariantStats b, String metric) {
        long n1 = a.sent();
        long n2 = b.sent();
        if (n1 == 0 || n2 == 0) {
            return 1;
        }
        double x1 = metric.equals("clicks") ? a.clicked() : a.opened();
        double x2 = metric.equals("clicks") ? b.clicked() : b.opened();
        double pooled = (x1 + x2) / (n1 + n2);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        if (se == 0) {
            return 1;
        }
        double z = Math.abs(x1 / n1 - x2 / n2) / se;
        return 2 * (1 - normalCdf(z));
    }

    /** The standard normal distribution function (Abramowitz and Stegun 26.2.17, error below 7.5e-8). */
    static double normalCdf(double z) {
        double t = 1 / (1 + 0.2316419 * Math.abs(z));
        double d = 0.3989422804014327 * Math.exp(-z * z / 2);
        double p = d * t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
        return z >= 0 ? 1 - p : p;
    }
}
