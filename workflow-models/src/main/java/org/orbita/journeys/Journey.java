package org.orbita.journeys;

import java.util.List;
import java.util.Map;

/**
 * A journey as the builder edits it: nodes of the catalog and the links between them; a link
 * from a branching node names its branch ({@code yes}/{@code no}, {@code A}/{@code B}…,
 * {@code event}/{@code timeout}); where the canvas drew each node ({@code layout}, by node id;
 * a node without a place is laid out by {@link JourneyDiagram}).
 */
public record Journey(String id, String name, List<Node> nodes, List<Link> links, Map<String, Point> layout) {

    public Journey {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        links = links == null ? List.of() : List.copyOf(links);
        layout = layout == null ? Map.of() : Map.copyOf(layout);
    }

    /** A journey not drawn yet. */
    public Journey(String id, String name, List<Node> nodes, List<Link> links) {
        this(id, name, nodes, links, Map.of());
    }

    /** The same journey with other nodes and links; the places of the nodes still there are kept. */
    public Journey with(List<Node> newNodes, List<Link> newLinks) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        if (newNodes != null) {
            newNodes.forEach(n -> ids.add(n.id()));
        }
        Map<String, Point> kept = new java.util.HashMap<>();
        layout.forEach((k, v) -> {
            if (ids.contains(k)) {
                kept.put(k, v);
            }
        });
        return new Journey(id, name, newNodes, newLinks, kept);
    }

    public record Node(String id, String type, String name, Map<String, String> settings) {
        public Node {
            settings = settings == null ? Map.of() : Map.copyOf(settings);
        }
    }

    public record Link(String from, String to, String branch) {}

    /** The top-left corner of a node's shape on the canvas. */
    public record Point(int x, int y) {}

    /** What is wrong with a journey: the node (or null for the whole), the setting or part, and the rule. */
    public record Problem(String node, String field, String rule) {
        @Override
        public String toString() {
            return (node == null ? "journey" : "node " + node) + (field == null ? "" : " " + field) + ": " + rule;
        }
    }
}
