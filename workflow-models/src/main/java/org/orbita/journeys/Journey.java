package org.orbita.journeys;

import java.util.List;
import java.util.Map;

/**
 * A journey as the builder edits it: nodes of the catalog and the links between them; a link
 * from a branching node names its branch ({@code yes}/{@code no}, {@code A}/{@code B}…,
 * {@code event}/{@code timeout}).
 */
public record Journey(String id, String name, List<Node> nodes, List<Link> links) {

    public Journey {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        links = links == null ? List.of() : List.copyOf(links);
    }

    public record Node(String id, String type, String name, Map<String, String> settings) {
        public Node {
            settings = settings == null ? Map.of() : Map.copyOf(settings);
        }
    }

    public record Link(String from, String to, String branch) {}

    /** What is wrong with a journey: the node (or null for the whole), the setting or part, and the rule. */
    public record Problem(String node, String field, String rule) {
        @Override
        public String toString() {
            return (node == null ? "journey" : "node " + node) + (field == null ? "" : " " + field) + ": " + rule;
        }
    }
}
