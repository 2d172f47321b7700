package org.orbita.journeys;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orbita.journeys.Journey.Link;
import org.orbita.journeys.Journey.Node;
import org.orbita.journeys.Journey.Problem;

/**
 * Checks a journey before it is turned into BPMN and deployed, naming each problem: one start,
 * known node types, required settings given and well formed, links between known nodes, every
 * node reachable from the start, every node but an exit going on, each branch of a branching
 * node linked once, no loop without a pause or a wait in it, no wait longer than five years.
 */
public final class JourneyValidation {

    private JourneyValidation() {}

    public static List<Problem> check(Journey j) {
        List<Problem> out = new ArrayList<>();
        if (j.id() == null || !j.id().matches("[A-Za-z_][A-Za-z0-9_-]{0,63}")) {
            out.add(new Problem(null, "id", "a letter or _, then letters, digits, '-' or '_' (at most 64): it names the BPMN process"));
        }
        Map<String, Node> byId = new HashMap<>();
        List<Node> starts = new ArrayList<>();
        for (Node n : j.nodes()) {
            if (n.id() == null || !n.id().matches("[A-Za-z_][A-Za-z0-9_-]{0,63}")) {
                out.add(new Problem(n.id(), "id", "a letter or _, then letters, digits, '-' or '_' (at most 64)"));
                continue;
            }
            if (byId.put(n.id(), n) != null) {
                out.add(new Problem(n.id(), "id", "two nodes have this id"));
            }
            NodeType t = NodeCatalog.find(n.type()).orElse(null);
            if (t == null) {
                out.add(new Problem(n.id(), "type", "'" + n.type() + "' is not a node of the catalog"));
                continue;
            }
            if (t.shape() == NodeType.Shape.START) {
                starts.add(n);
            }
            settings(n, t, out);
        }
        if (starts.size() != 1) {
            out.add(new Problem(null, "nodes", "a journey has exactly one start node, this one has " + starts.size()));
        }
        Map<String, List<Link>> outgoing = new HashMap<>();
        for (Link l : j.links()) {
            if (!byId.containsKey(l.from()) || !byId.containsKey(l.to())) {
                out.add(new Problem(l.from(), "links", "a link from " + l.from() + " to " + l.to() + " names a node that is not in the journey"));
                continue;
            }
            outgoing.computeIfAbsent(l.from(), k -> new ArrayList<>()).add(l);
        }
        for (Node n : byId.values()) {
            NodeType t = NodeCatalog.find(n.type()).orElse(null);
            if (t == null) {
                continue;
            }
            List<Link> from = outgoing.getOrDefault(n.id(), List.of());
            branches(n, t, from, out);
        }
        if (starts.size() == 1) {
            Set<String> reached = new HashSet<>();
            Deque<String> pending = new ArrayDeque<>(List.of(starts.get(0).id()));
            while (!pending.isEmpty()) {
                String id = pending.pop();
                if (reached.add(id)) {
                    outgoing.getOrDefault(id, List.of()).forEach(l -> pending.push(l.to()));
                }
            }
            for (Node n : j.nodes()) {
                if (n.id() != null && byId.containsKey(n.id()) && !reached.contains(n.id())) {
                    out.add(new Problem(n.id(), null, "no path from the start reaches this node"));
                }
            }
        }
        loops(byId, outgoing, out);
        return out;
    }

    /** The longest a pause or a wait's timeout may be. */
    public static final Duration LONGEST_WAIT = Duration.ofDays(1825);

    /**
     * A loop in which no node waits (a pause, a wait for an event) would be run round by the
     * engine without end: each such loop is named at the node where the way from the start enters it.
     */
    private static void loops(Map<String, Node> byId, Map<String, List<Link>> outgoing, List<Problem> out) {
        Map<String, Integer> state = new HashMap<>(); // 1: on the current path, 2: done
        Set<String> named = new HashSet<>();
        // from the start first: a loop is named where the way from the start enters it
        List<String> order = new ArrayList<>(byId.values().stream().filter(n -> "start".equals(n.type())).map(Node::id).toList());
        byId.keySet().stream().sorted().forEach(order::add);
        for (String id : order) {
            spin(id, byId, outgoing, state, new ArrayDeque<>(), named, out);
        }
    }

    private static void spin(String id, Map<String, Node> byId, Map<String, List<Link>> outgoing, Map<String, Integer> state, Deque<String> path,
                             Set<String> named, List<Problem> out) {
        if (state.getOrDefault(id, 0) == 2) {
            return;
        }
        state.put(id, 1);
        path.addLast(id);
        NodeType t = NodeCatalog.find(byId.get(id).type()).orElse(null);
        boolean waits = t != null && (t.shape() == NodeType.Shape.TIMER || t.shape() == NodeType.Shape.EVENT_WAIT);
        if (!waits) {
            for (Link l : outgoing.getOrDefault(id, List.of())) {
                if (state.getOrDefault(l.to(), 0) == 1) {
                    if (named.add(l.to())) {
                        out.add(new Problem(l.to(), "links", "a loop back here with no pause or wait for an event in it would run without end"));
                    }
                } else {
                    spin(l.to(), byId, outgoing, state, path, named, out);
                }
            }
        }
        path.removeLast();
        state.put(id, 2);
    }

    private static void settings(Node n, NodeType t, List<Problem> out) {
        for (NodeType.Setting s : t.settings()) {
            String v = n.settings().get(s.name());
            boolean given = v != null && !v.isBlank();
            if (s.required() && !given) {
                out.add(new Problem(n.id(), s.name(), "is required (" + s.label() + ": " + s.description() + ")"));
                continue;
            }
            if (!given) {
                continue;
            }
            switch (s.type()) {
                case "duration" -> {
                    try {
                        Duration d = Duration.parse(v.strip());
                        if (d.isNegative() || d.isZero()) {
                            out.add(new Problem(n.id(), s.name(), "a duration above zero"));
                        } else if (d.compareTo(LONGEST_WAIT) > 0) {
                            out.add(new Problem(n.id(), s.name(), "at most " + LONGEST_WAIT.toDays() + " days (five years), not " + d.toDays()));
                        }
                    } catch (DateTimeParseException e) {
                        out.add(new Problem(n.id(), s.name(), "an ISO-8601 duration such as P1D or PT2H, not '" + v + "'"));
                    }
                }
                case "datetime" -> {
                    try {
                        Instant.parse(v.strip());
                    } catch (DateTimeParseException e) {
                        out.add(new Problem(n.id(), s.name(), "an ISO-8601 instant such as 2026-12-01T10:00:00Z, not '" + v + "'"));
                    }
                }
                case "number" -> {
                    if (!v.strip().matches("-?\\d+(\\.\\d+)?")) {
                        out.add(new Problem(n.id(), s.name(), "a number, not '" + v + "'"));
                    }
                }
                case "choice" -> {
                    if (!s.choices().contains(v.strip())) {
                        out.add(new Problem(n.id(), s.name(), "one of " + s.choices() + ", not '" + v + "'"));
                    }
                }
                default -> {
                    // text, templates and references are checked where they are used (the message or segment must exist when deployed)
                }
            }
        }
        switch (t.id()) {
            case "pause" -> {
                boolean duration = present(n, "duration");
                if (duration == present(n, "until")) {
                    out.add(new Problem(n.id(), "duration", "give a duration or a date to wait until (one of the two)"));
                }
            }
            case "check-condition" -> {
                if (present(n, "segment") == present(n, "condition")) {
                    out.add(new Problem(n.id(), "segment", "give a segment or a condition (one of the two)"));
                }
            }
            case "start" -> {
                String entry = n.settings().get("entry");
                if ("event".equals(entry) && !present(n, "event")) {
                    out.add(new Problem(n.id(), "event", "entry by event needs the event type"));
                }
                if (("segment".equals(entry) || "schedule".equals(entry)) && !present(n, "segment")) {
                    out.add(new Problem(n.id(), "segment", "entry by " + entry + " needs the segment"));
                }
                if ("schedule".equals(entry) && !present(n, "schedule")) {
                    out.add(new Problem(n.id(), "schedule", "entry on a schedule needs its cron"));
                }
            }
            case "split" -> {
                String shares = n.settings().getOrDefault("shares", "");
                if (!shares.isBlank()) {
                    String[] parts = shares.split(",");
                    int sum = 0;
                    boolean numbers = parts.length >= 2 && parts.length <= 5;
                    for (String p : parts) {
                        numbers &= p.strip().matches("\\d{1,3}");
                        sum += numbers ? Integer.parseInt(p.strip()) : 0;
                    }
                    if (!numbers || sum != 100) {
                        out.add(new Problem(n.id(), "shares", "2 to 5 whole percentages adding up to 100, e.g. 50,50"));
                    }
                }
            }
            default -> {
            }
        }
    }

    /** The branches a node's links name: exactly its branches (those a split's shares use), each once; plain nodes one link. */
    private static void branches(Node n, NodeType t, List<Link> from, List<Problem> out) {
        List<String> wanted = branchesOf(n, t);
        if (t.shape() == NodeType.Shape.EXIT) {
            if (!from.isEmpty()) {
                out.add(new Problem(n.id(), "links", "an exit ends the journey: no links go on from it"));
            }
            return;
        }
        if (wanted.isEmpty()) {
            if (from.size() != 1 || from.get(0).branch() != null && !from.get(0).branch().isBlank()) {
                out.add(new Problem(n.id(), "links", "goes on by exactly one link (without a branch), it has " + from.size()));
            }
            return;
        }
        Set<String> seen = new HashSet<>();
        for (Link l : from) {
            if (!wanted.contains(l.branch())) {
                out.add(new Problem(n.id(), "links", "branch '" + l.branch() + "' is not one of " + wanted));
            } else if (!seen.add(l.branch())) {
                out.add(new Problem(n.id(), "links", "branch '" + l.branch() + "' is linked twice"));
            }
        }
        for (String b : wanted) {
            if (!seen.contains(b)) {
                out.add(new Problem(n.id(), "links", "branch '" + b + "' goes nowhere"));
            }
        }
    }

    /** The branches a node has: a split as many as its shares, a wait without timeout none. */
    static List<String> branchesOf(Node n, NodeType t) {
        if (t.id().equals("split")) {
            int count = n.settings().getOrDefault("shares", "").split(",").length;
            return t.branches().subList(0, Math.max(2, Math.min(count, t.branches().size())));
        }
        if (t.id().equals("wait-event") && !present(n, "timeout")) {
            return List.of();
        }
        return t.branches();
    }

    private static boolean present(Node n, String setting) {
        String v = n.settings().get(setting);
        return v != null && !v.isBlank();
    }
}
