package org.orbita.journeys;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.orbita.journeys.Journey.Link;
import org.orbita.journeys.Journey.Node;
import org.orbita.journeys.Journey.Point;

/**
 * The journey as the builder's canvas edits it: one BPMN shape per node (the start a start
 * event, a pause a timer, a wait a message event, a branching node a gateway, a send a send
 * task, any other task a service task, the exit an end event), each marked with its node type
 * ({@code orbita:type}), one flow per link named by its branch, each shape where the journey's
 * layout puts it (or laid out by depth from the start). What the canvas sends back — its shapes
 * and connections after a drag, a connect, a delete, an undo — becomes the journey again by
 * {@link #apply}, which keeps each remaining node's settings. Not the engine's BPMN ({@link
 * JourneyBpmn}): nothing here runs.
 */
public final class JourneyDiagram {

    /** The namespace of the node type marked on each shape. */
    public static final String NAMESPACE = "https://orbita.dev/schema/journey";

    /** A shape on the canvas: the node id, its type, its label and its top-left corner. */
    public record Shape(String id, String type, String name, int x, int y) {}

    /** A connection on the canvas from one shape to another, its label the branch. */
    public record Connection(String from, String to, String name) {}

    /** The canvas as the browser sends it. */
    public record Graph(List<Shape> shapes, List<Connection> connections) {
        public Graph {
            shapes = shapes == null ? List.of() : List.copyOf(shapes);
            connections = connections == null ? List.of() : List.copyOf(connections);
        }
    }

    /**
     * The journey made from the canvas, and whether the canvas must be drawn again because the
     * journey differs from what it shows (a branch named, a connection that cannot be, a start
     * put back).
     */
    public record Applied(Journey journey, boolean redraw) {}

    private static final int COLUMN = 190;
    private static final int ROW = 130;

    private JourneyDiagram() {}

    /** The BPMN element a node type is drawn as. */
    public static String elementOf(NodeType t) {
        return switch (t.shape()) {
            case START -> "startEvent";
            case EXIT -> "endEvent";
            case TIMER, EVENT_WAIT -> "intermediateCatchEvent";
            case BRANCHING_TASK -> "exclusiveGateway";
            case TASK -> t.id().equals("send-message") ? "sendTask" : "serviceTask";
        };
    }

    private static int[] size(NodeType t) {
        return switch (t.shape()) {
            case START, EXIT, TIMER, EVENT_WAIT -> new int[] {36, 36};
            case BRANCHING_TASK -> new int[] {50, 50};
            case TASK -> new int[] {110, 80};
        };
    }

    /** Where each node is drawn: its place in the layout, or a column by its depth from the start and the next free row in it. */
    public static Map<String, Point> places(Journey j) {
        Map<String, Point> out = new LinkedHashMap<>();
        Map<String, Integer> depth = new HashMap<>();
        Map<String, List<Link>> outgoing = new HashMap<>();
        j.links().forEach(l -> outgoing.computeIfAbsent(l.from(), k -> new ArrayList<>()).add(l));
        Deque<String> pending = new ArrayDeque<>();
        j.nodes().stream().filter(n -> n.type().equals("start")).forEach(n -> {
            depth.put(n.id(), 0);
            pending.add(n.id());
        });
        while (!pending.isEmpty()) {
            String id = pending.removeFirst();
            for (Link l : outgoing.getOrDefault(id, List.of())) {
                if (!depth.containsKey(l.to())) {
                    depth.put(l.to(), depth.get(id) + 1);
                    pending.addLast(l.to());
                }
            }
        }
        int unreached = depth.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        Map<Integer, Integer> rows = new HashMap<>();
        for (Node n : j.nodes()) {
            Point p = j.layout().get(n.id());
            if (p == null) {
                int col = depth.getOrDefault(n.id(), unreached);
                int row = rows.merge(col, 1, Integer::sum) - 1;
                p = new Point(60 + col * COLUMN, 60 + row * ROW);
            }
            out.put(n.id(), p);
        }
        return out;
    }

    /** The canvas's BPMN XML: every node (reached from the start or not), every link, with a diagram. */
    public static String toXml(Journey j) {
        Map<String, Point> at = places(j);
        Map<String, Node> byId = new LinkedHashMap<>();
        j.nodes().forEach(n -> byId.put(n.id(), n));
        StringBuilder process = new StringBuilder();
        StringBuilder di = new StringBuilder();
        for (Node n : j.nodes()) {
            NodeType t = NodeCatalog.find(n.type()).orElse(null);
            if (t == null) {
                continue;
            }
            String element = elementOf(t);
            process.append("    <bpmn:").append(element).append(" id=\"").append(attr(n.id())).append("\" name=\"")
                    .append(attr(n.name() == null || n.name().isBlank() ? t.label() : n.name())).append("\" orbita:type=\"").append(attr(t.id()))
                    .append("\">");
            if (t.shape() == NodeType.Shape.TIMER) {
                process.append("<bpmn:timerEventDefinition/>");
            } else if (t.shape() == NodeType.Shape.EVENT_WAIT) {
                process.append("<bpmn:messageEventDefinition/>");
            }
            process.append("</bpmn:").append(element).append(">\n");
            int[] size = size(t);
            Point p = at.get(n.id());
            di.append("      <bpmndi:BPMNShape id=\"").append(attr(n.id())).append(".di\" bpmnElement=\"").append(attr(n.id()))
                    .append("\"><dc:Bounds x=\"").append(p.x()).append("\" y=\"").append(p.y()).append("\" width=\"").append(size[0])
                    .append("\" height=\"").append(size[1]).append("\"/></bpmndi:BPMNShape>\n");
        }
        int k = 0;
        for (Link l : j.links()) {
            Node from = byId.get(l.from());
            Node to = byId.get(l.to());
            NodeType ft = from == null ? null : NodeCatalog.find(from.type()).orElse(null);
            NodeType tt = to == null ? null : NodeCatalog.find(to.type()).orElse(null);
            if (ft == null || tt == null) {
                continue;
            }
            String id = "flow." + (++k); // a dot: no node id has one
            process.append("    <bpmn:sequenceFlow id=\"").append(id).append("\" sourceRef=\"").append(attr(l.from())).append("\" targetRef=\"")
                    .append(attr(l.to())).append('"').append(l.branch() == null ? "" : " name=\"" + attr(l.branch()) + "\"").append("/>\n");
            int[] fs = size(ft);
            int[] ts = size(tt);
            Point a = at.get(l.from());
            Point b = at.get(l.to());
            di.append("      <bpmndi:BPMNEdge id=\"").append(id).append(".di\" bpmnElement=\"").append(id).append("\"><di:waypoint x=\"")
                    .append(a.x() + fs[0]).append("\" y=\"").append(a.y() + fs[1] / 2).append("\"/><di:waypoint x=\"").append(b.x())
                    .append("\" y=\"").append(b.y() + ts[1] / 2).append("\"/></bpmndi:BPMNEdge>\n");
        }
        String pid = "journey.canvas";
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" xmlns:bpmndi=\"http://www.omg.org/spec/BPMN/20100524/DI\""
                + " xmlns:dc=\"http://www.omg.org/spec/DD/20100524/DC\" xmlns:di=\"http://www.omg.org/spec/DD/20100524/DI\" xmlns:orbita=\"" + NAMESPACE
                + "\" id=\"journey.definitions\" targetNamespace=\"" + NAMESPACE + "\">\n"
                + "  <bpmn:process id=\"" + pid + "\" isExecutable=\"false\">\n" + process + "  </bpmn:process>\n"
                + "  <bpmndi:BPMNDiagram id=\"journey.diagram\"><bpmndi:BPMNPlane id=\"journey.plane\" bpmnElement=\"" + pid + "\">\n" + di
                + "  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>\n</bpmn:definitions>\n";
    }

    /**
     * The journey as the canvas now shows it. Nodes still on the canvas keep their settings and
     * take the shape's label as their name; a new shape is a new node of its type with no
     * settings yet; a shape of no known type is left out. The start cannot be removed (it comes
     * back). A connection's branch is its label when that names a free branch of its node, else
     * the node's first free branch; a connection from a node whose branches are all taken, or
     * that repeats a link, is left out. Each node's place is kept as the layout.
     */
    public static Applied apply(Journey draft, Graph graph) {
        Map<String, Node> before = new HashMap<>();
        draft.nodes().forEach(n -> before.put(n.id(), n));
        boolean redraw = false;
        Map<String, Node> shown = new LinkedHashMap<>();
        Map<String, Point> layout = new HashMap<>();
        Map<String, NodeType> typeOf = new HashMap<>();
        for (Shape s : graph.shapes()) {
            NodeType t = s.type() == null ? null : NodeCatalog.find(s.type()).orElse(null);
            if (t == null || s.id() == null || typeOf.containsKey(s.id())) {
                redraw = true;
                continue;
            }
            Node old = before.get(s.id());
            String name = s.name() == null || s.name().isBlank() ? (old != null ? old.name() : t.label()) : s.name().strip();
            shown.put(s.id(), old != null && old.type().equals(t.id()) ? new Node(old.id(), old.type(), name, old.settings())
                    : new Node(s.id(), t.id(), name, Map.of()));
            typeOf.put(s.id(), t);
            layout.put(s.id(), new Point(s.x(), s.y()));
        }
        if (shown.values().stream().noneMatch(n -> n.type().equals("start"))) {
            Node start = draft.nodes().stream().filter(n -> n.type().equals("start")).findFirst()
                    .orElse(new Node("start", "start", NodeCatalog.find("start").orElseThrow().label(), Map.of()));
            shown.put(start.id(), start);
            typeOf.put(start.id(), NodeCatalog.find("start").orElseThrow());
            if (draft.layout().containsKey(start.id())) {
                layout.put(start.id(), draft.layout().get(start.id()));
            }
            redraw = true;
        }
        // the draft's order first (the lists beside the canvas do not jump), then what is new
        List<Node> nodes = new ArrayList<>();
        draft.nodes().stream().filter(n -> shown.containsKey(n.id())).forEach(n -> nodes.add(shown.remove(n.id())));
        nodes.addAll(shown.values());
        Map<String, Node> byId = new HashMap<>();
        nodes.forEach(n -> byId.put(n.id(), n));
        List<Link> links = new ArrayList<>();
        List<Connection> named = new ArrayList<>();
        List<Connection> unnamed = new ArrayList<>();
        for (Connection c : graph.connections()) {
            NodeType from = typeOf.get(c.from());
            if (from == null || !typeOf.containsKey(c.to())) {
                redraw = true;
            } else if (c.name() != null && branchesOf(byId.get(c.from()), from).contains(c.name().strip())) {
                named.add(c);
            } else {
                unnamed.add(c);
            }
        }
        // links already named by a branch keep it; the others take what is left, in order
        for (List<Connection> pass : List.of(named, unnamed)) {
            for (Connection c : pass) {
                List<String> branches = branchesOf(byId.get(c.from()), typeOf.get(c.from()));
                String branch = null;
                if (!branches.isEmpty()) {
                    List<String> taken = links.stream().filter(l -> l.from().equals(c.from())).map(Link::branch).toList();
                    String label = c.name() == null ? null : c.name().strip();
                    branch = label != null && branches.contains(label) && !taken.contains(label) ? label
                            : branches.stream().filter(b -> !taken.contains(b)).findFirst().orElse(null);
                    if (branch == null) {
                        redraw = true;
                        continue;
                    }
                }
                Link link = new Link(c.from(), c.to(), branch);
                if (links.contains(link)) {
                    redraw = true;
                    continue;
                }
                links.add(link);
                redraw |= !Objects.equals(branch, c.name() == null || c.name().isBlank() ? null : c.name().strip());
            }
        }
        links.sort(java.util.Comparator.comparingInt(l -> {
            int at = draft.links().indexOf(l);
            return at < 0 ? Integer.MAX_VALUE : at;
        }));
        return new Applied(new Journey(draft.id(), draft.name(), nodes, links, layout), redraw);
    }

    /** A split may take any of its branches on the canvas (its shares are checked by validation); a wait has branches with a timeout only. */
    private static List<String> branchesOf(Node n, NodeType t) {
        return t.id().equals("split") ? t.branches() : JourneyValidation.branchesOf(n, t);
    }

    private static String attr(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
