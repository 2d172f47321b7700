package org.orbita.journeys.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.orbita.journeys.JourneyLedger;

/**
 * The journey ledgers' counters as both stores keep them — one number per journey, node and
 * kind — and instances' paths: what the kinds are called, and how they become the figures per
 * node, per link and per version.
 */
final class LedgerCounts {

    /** The kind counting instances that went from a node to another: {@code to:<node>}. */
    static final String TAKEN = "to:";
    /** The kind counting instances that went from a node to another and converted later: {@code conv:<node>}. */
    static final String CONVERTED_AFTER = "conv:";
    /** The kind counting conversions attributed to a node (the last message before a goal). */
    static final String ATTRIBUTED = "attributed";
    /** Steps a path keeps (the latest). */
    static final int PATH_STEPS = 200;

    /** One counter, and the milliseconds summed beside it (links: the time spent in the node they leave). */
    record Count(String node, String kind, long n, long ms) {}

    private LedgerCounts() {}

    /** The pseudo-node a version's counters are kept under ('@' is in no node id). */
    static String version(int v) {
        return "@" + v;
    }

    static String append(String path, String node) {
        List<String> nodes = new ArrayList<>(nodes(path));
        nodes.add(node);
        return String.join(">", nodes.subList(Math.max(0, nodes.size() - PATH_STEPS), nodes.size()));
    }

    static List<String> nodes(String path) {
        return path == null || path.isEmpty() ? List.of() : Arrays.asList(path.split(">"));
    }

    /** The links a path took, each once: {from, to}. */
    static List<String[]> links(String path) {
        List<String> nodes = nodes(path);
        Set<String> seen = new LinkedHashSet<>();
        List<String[]> out = new ArrayList<>();
        for (int k = 1; k < nodes.size(); k++) {
            if (seen.add(nodes.get(k - 1) + ">" + nodes.get(k))) {
                out.add(new String[] {nodes.get(k - 1), nodes.get(k)});
            }
        }
        return out;
    }

    /**
     * Per node: a node's completions are its links' counts (plus what a ledger counted as
     * {@code completed} before links were counted), its time spent their summed milliseconds.
     */
    static Map<String, JourneyLedger.NodeStats> nodeStats(List<Count> counts, Map<String, Long> waiting) {
        List<String> kinds = List.of(JourneyLedger.ENTERED, JourneyLedger.COMPLETED, "waiting", JourneyLedger.EXITED, JourneyLedger.CONVERTED,
                ATTRIBUTED);
        Map<String, long[]> n = new TreeMap<>();
        for (Count c : counts) {
            if (c.node().startsWith("@")) {
                continue;
            }
            long[] v = n.computeIfAbsent(c.node(), x -> new long[7]);
            int k = kinds.indexOf(c.kind());
            if (k >= 0) {
                v[k] += c.n();
            } else if (c.kind().startsWith(TAKEN)) {
                v[1] += c.n();
                v[6] += c.ms();
            }
        }
        waiting.forEach((node, w) -> n.computeIfAbsent(node, x -> new long[7])[2] = w);
        Map<String, JourneyLedger.NodeStats> out = new LinkedHashMap<>();
        n.forEach((node, v) -> out.put(node, new JourneyLedger.NodeStats(v[0], v[1], v[2], v[3], v[4], v[5], v[6])));
        return out;
    }

    static List<JourneyLedger.LinkStats> links(List<Count> counts) {
        Map<String, long[]> n = new TreeMap<>();
        for (Count c : counts) {
            if (c.kind().startsWith(TAKEN)) {
                n.computeIfAbsent(c.node() + ">" + c.kind().substring(TAKEN.length()), x -> new long[2])[0] = c.n();
            } else if (c.kind().startsWith(CONVERTED_AFTER)) {
                n.computeIfAbsent(c.node() + ">" + c.kind().substring(CONVERTED_AFTER.length()), x -> new long[2])[1] = c.n();
            }
        }
        List<JourneyLedger.LinkStats> out = new ArrayList<>();
        n.forEach((link, v) -> {
            int at = link.indexOf('>');
            out.add(new JourneyLedger.LinkStats(link.substring(0, at), link.substring(at + 1), v[0], v[1]));
        });
        return out;
    }

    static List<JourneyLedger.VersionStats> versions(List<Count> counts, Map<Integer, Long> live) {
        List<String> kinds = List.of(JourneyLedger.ENTERED, JourneyLedger.DONE, JourneyLedger.STOPPED, JourneyLedger.CONVERTED);
        Map<Integer, long[]> n = new TreeMap<>();
        for (Count c : counts) {
            int k = kinds.indexOf(c.kind());
            if (k >= 0 && c.node().startsWith("@")) {
                n.computeIfAbsent(Integer.parseInt(c.node().substring(1)), x -> new long[4])[k] = c.n();
            }
        }
        live.keySet().forEach(v -> n.computeIfAbsent(v, x -> new long[4]));
        List<JourneyLedger.VersionStats> out = new ArrayList<>();
        n.forEach((v, c) -> out.add(new JourneyLedger.VersionStats(v, c[0], live.getOrDefault(v, 0L), c[1], c[2], c[3])));
        return out;
    }
}
