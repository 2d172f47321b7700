package org.orbita.journeys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A journey's figures as analysts read them (J4), from the ledger's counters: per node (entered,
 * waiting, the mean time spent in it, drop-off, conversions there and those attributed to it as
 * the last message before a goal), per link and branch (how many took it, their share of those
 * who left the node, how many of them converted), per version (entered, in it now, done,
 * stopped, converted and the conversion rate), and the totals.
 */
public record JourneyAnalytics(Map<String, JourneyLedger.NodeStats> nodes, Map<String, Node> figures, List<Link> links, List<Version> versions,
                               long entered, long live, long exited, long converted) {

    /** What a node's counters say: the mean seconds spent in it before going on, and how many left the journey there without reaching an exit. */
    public record Node(double meanSeconds, long dropOff, long attributed) {}

    /** A link as instances took it: its branch, how many took it, their share of the node's completions, how many converted later, the rate. */
    public record Link(String from, String to, String branch, long taken, double share, long converted, double conversionRate) {}

    /** A version's instances and its conversion rate (converted over entered). */
    public record Version(int version, long entered, long live, long done, long stopped, long converted, double conversionRate) {}

    /** The figures of a journey: its draft names the branches (a link no longer in the draft keeps its nodes, without a branch). */
    public static JourneyAnalytics of(JourneyDefinition d, JourneyLedger ledger) {
        Map<String, JourneyLedger.NodeStats> nodes = ledger.stats(d.id());
        Map<String, Node> figures = new TreeMap<>();
        nodes.forEach((id, s) -> {
            boolean exit = d.journey().nodes().stream().anyMatch(n -> n.id().equals(id) && n.type().equals("exit"));
            figures.put(id, new Node(s.completed() == 0 ? 0 : s.dwellMs() / 1000.0 / s.completed(), exit ? 0 : s.exited(), s.attributed()));
        });
        List<Link> links = new ArrayList<>();
        for (JourneyLedger.LinkStats l : ledger.links(d.id())) {
            String branch = d.journey().links().stream().filter(x -> x.from().equals(l.from()) && x.to().equals(l.to())).map(Journey.Link::branch)
                    .filter(b -> b != null).findFirst().orElse(null);
            long completed = nodes.getOrDefault(l.from(), new JourneyLedger.NodeStats(0, 0, 0, 0, 0)).completed();
            links.add(new Link(l.from(), l.to(), branch, l.taken(), rate(l.taken(), completed), l.converted(), rate(l.converted(), l.taken())));
        }
        List<Version> versions = ledger.versions(d.id()).stream()
                .map(v -> new Version(v.version(), v.entered(), v.live(), v.done(), v.stopped(), v.converted(), rate(v.converted(), v.entered()))).toList();
        String start = d.journey().nodes().stream().filter(n -> n.type().equals("start")).map(Journey.Node::id).findFirst().orElse("");
        long entered = nodes.getOrDefault(start, new JourneyLedger.NodeStats(0, 0, 0, 0, 0)).entered();
        return new JourneyAnalytics(nodes, figures, links, versions, entered, nodes.values().stream().mapToLong(JourneyLedger.NodeStats::waiting).sum(),
                nodes.values().stream().mapToLong(JourneyLedger.NodeStats::exited).sum(),
                nodes.values().stream().mapToLong(JourneyLedger.NodeStats::converted).sum());
    }

    private static double rate(long part, long whole) {
        return whole == 0 ? 0 : Math.round(part * 10000.0 / whole) / 10000.0;
    }
}
