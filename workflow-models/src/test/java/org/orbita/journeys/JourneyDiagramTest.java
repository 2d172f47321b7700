package org.orbita.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.FlowNode;
import io.camunda.zeebe.model.bpmn.instance.SequenceFlow;
import io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnShape;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.orbita.journeys.Journey.Link;
import org.orbita.journeys.Journey.Node;
import org.orbita.journeys.Journey.Point;
import org.orbita.journeys.JourneyDiagram.Connection;
import org.orbita.journeys.JourneyDiagram.Graph;
import org.orbita.journeys.JourneyDiagram.Shape;

class JourneyDiagramTest {

    /** The canvas as bpmn-js reads the XML: each shape's node type, label and corner; each flow's ends and label. */
    static Graph asTheCanvasReadsIt(String xml) {
        BpmnModelInstance model = Bpmn.readModelFromStream(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Map<String, BpmnShape> shapes = new HashMap<>();
        model.getModelElementsByType(BpmnShape.class).forEach(s -> shapes.put(s.getBpmnElement().getId(), s));
        List<Shape> out = new ArrayList<>();
        for (FlowNode f : model.getModelElementsByType(FlowNode.class)) {
            BpmnShape s = shapes.get(f.getId());
            out.add(new Shape(f.getId(), f.getAttributeValueNs(JourneyDiagram.NAMESPACE, "type"), f.getName(), s.getBounds().getX().intValue(),
                    s.getBounds().getY().intValue()));
        }
        List<Connection> flows = new ArrayList<>();
        model.getModelElementsByType(SequenceFlow.class).forEach(f -> flows.add(new Connection(f.getSource().getId(), f.getTarget().getId(), f.getName())));
        return new Graph(out, flows);
    }

    @Test
    void everyNodeIsOneShapeOfItsTypeAndTheCanvasGivesTheSameJourneyBack() {
        Journey j = JourneyBpmnTest.welcome();
        String xml = JourneyDiagram.toXml(j);
        assertThat(xml).contains("<bpmn:startEvent id=\"start\"").contains("<bpmn:sendTask id=\"email\"").contains("orbita:type=\"send-message\"")
                .contains("<bpmn:intermediateCatchEvent id=\"wait1d\" name=\"A day later\" orbita:type=\"pause\"><bpmn:timerEventDefinition/>")
                .contains("<bpmn:serviceTask id=\"goal\"").contains("<bpmn:endEvent id=\"end\"").contains("name=\"timeout\"");
        Graph canvas = asTheCanvasReadsIt(xml);
        assertThat(canvas.shapes()).hasSize(j.nodes().size());
        assertThat(canvas.connections()).hasSize(j.links().size());

        JourneyDiagram.Applied back = JourneyDiagram.apply(j, canvas);
        assertThat(back.redraw()).isFalse();
        assertThat(back.journey().nodes()).isEqualTo(j.nodes());
        assertThat(back.journey().links()).containsExactlyInAnyOrderElementsOf(j.links());
        // each node is kept where it was drawn: the next drawing puts it there again
        assertThat(back.journey().layout()).containsEntry("start", new Point(60, 60)).hasSize(j.nodes().size());
        assertThat(JourneyDiagram.toXml(back.journey())).isEqualTo(xml);
    }

    @Test
    void nodesNotPlacedYetAreLaidOutByDepthFromTheStartAndThoseNotReachedAfterThem() {
        Journey j = new Journey("j", "J", List.of(new Node("s", "start", "S", Map.of()), new Node("c", "check-condition", "C", Map.of()),
                new Node("a", "exit", "A", Map.of()), new Node("b", "exit", "B", Map.of()), new Node("lost", "goal", "G", Map.of())),
                List.of(new Link("s", "c", null), new Link("c", "a", "yes"), new Link("c", "b", "no")), Map.of("a", new Point(500, 400)));
        Map<String, Point> at = JourneyDiagram.places(j);
        assertThat(at.get("s")).isEqualTo(new Point(60, 60));
        assertThat(at.get("c")).isEqualTo(new Point(250, 60));
        assertThat(at.get("a")).isEqualTo(new Point(500, 400));
        assertThat(at.get("b")).isEqualTo(new Point(440, 60));
        assertThat(at.get("lost").x()).isEqualTo(630);
    }

    @Test
    void aShapeDraggedInIsANewNodeADeletedOneTakesItsLinksAndSettingsKeepTheirNode() {
        Journey j = JourneyBpmnTest.welcome();
        Graph canvas = asTheCanvasReadsIt(JourneyDiagram.toXml(j));
        List<Shape> shapes = new ArrayList<>(canvas.shapes().stream().filter(s -> !s.id().equals("push")).toList());
        shapes.add(new Shape("http_request", "http-request", "Call the CRM", 900, 300));
        List<Connection> flows = new ArrayList<>(canvas.connections().stream().filter(c -> !c.from().equals("push") && !c.to().equals("push")).toList());
        flows.add(new Connection("opened", "http_request", null));
        flows.add(new Connection("http_request", "end", null));
        JourneyDiagram.Applied applied = JourneyDiagram.apply(j, new Graph(shapes, flows));
        Journey after = applied.journey();
        assertThat(after.nodes()).extracting(Node::id).doesNotContain("push").contains("http_request");
        assertThat(after.nodes()).filteredOn(n -> n.id().equals("http_request")).singleElement()
                .satisfies(n -> assertThat(n.type()).isEqualTo("http-request")).satisfies(n -> assertThat(n.settings()).isEmpty());
        assertThat(after.nodes()).filteredOn(n -> n.id().equals("email")).singleElement()
                .satisfies(n -> assertThat(n.settings()).containsEntry("messageId", "m-welcome"));
        // the timeout branch was push's; the new link from the wait takes it, and the canvas is told (its flow had no label)
        assertThat(after.links()).contains(new Link("opened", "http_request", "timeout")).noneMatch(l -> l.to().equals("push"));
        assertThat(applied.redraw()).isTrue();
        assertThat(after.layout()).containsEntry("http_request", new Point(900, 300)).doesNotContainKey("push");
    }

    @Test
    void branchesAreTakenByLabelOrInOrderAndAThirdLinkFromAYesNoNodeIsRefused() {
        Journey j = new Journey("j", "J", List.of(new Node("s", "start", "S", Map.of()), new Node("c", "check-condition", "C?", Map.of("segment", "x")),
                new Node("a", "exit", "A", Map.of()), new Node("b", "exit", "B", Map.of())), List.of(new Link("s", "c", null)));
        List<Shape> shapes = asTheCanvasReadsIt(JourneyDiagram.toXml(j)).shapes();
        JourneyDiagram.Applied named = JourneyDiagram.apply(j, new Graph(shapes, List.of(new Connection("s", "c", null),
                new Connection("c", "a", "no"), new Connection("c", "b", null), new Connection("c", "a", null))));
        assertThat(named.journey().links()).containsExactly(new Link("s", "c", null), new Link("c", "a", "no"), new Link("c", "b", "yes"));
        assertThat(named.redraw()).isTrue();
        // a label that is not a branch is replaced by a free one; a repeated link is dropped
        JourneyDiagram.Applied relabelled = JourneyDiagram.apply(j, new Graph(shapes, List.of(new Connection("s", "c", null),
                new Connection("c", "a", "maybe"), new Connection("s", "c", null))));
        assertThat(relabelled.journey().links()).containsExactly(new Link("s", "c", null), new Link("c", "a", "yes"));
        // a wait without a timeout has no branches: its link carries none
        Journey w = new Journey("w", "W", List.of(new Node("s", "start", "S", Map.of()), new Node("w", "wait-event", "W", Map.of("event", "buy")),
                new Node("e", "exit", "E", Map.of())), List.of());
        JourneyDiagram.Applied waited = JourneyDiagram.apply(w, new Graph(asTheCanvasReadsIt(JourneyDiagram.toXml(w)).shapes(),
                List.of(new Connection("s", "w", null), new Connection("w", "e", null))));
        assertThat(waited.journey().links()).containsExactly(new Link("s", "w", null), new Link("w", "e", null));
        assertThat(waited.redraw()).isFalse();
    }

    @Test
    void theStartCannotBeDeletedAndShapesOfNoOrbitaTypeAreLeftOut() {
        Journey j = JourneyBpmnTest.welcome();
        List<Shape> shapes = new ArrayList<>(asTheCanvasReadsIt(JourneyDiagram.toXml(j)).shapes().stream().filter(s -> !s.id().equals("start")).toList());
        shapes.add(new Shape("Activity_0x1", null, "a pasted BPMN task", 10, 10));
        shapes.add(new Shape("Gateway_1", "no-such-node", "?", 10, 10));
        JourneyDiagram.Applied applied = JourneyDiagram.apply(j, new Graph(shapes, List.of(new Connection("Activity_0x1", "email", null))));
        assertThat(applied.redraw()).isTrue();
        assertThat(applied.journey().nodes().get(0)).isEqualTo(j.nodes().get(0));
        assertThat(applied.journey().nodes()).extracting(Node::id).doesNotContain("Activity_0x1", "Gateway_1");
        assertThat(applied.journey().links()).isEmpty();
    }

    @Test
    void labelsAreEscapedAndAnEmptyLabelKeepsTheNodesName() {
        Journey j = new Journey("j", "J", List.of(new Node("s", "start", "Sign-up <\"new\"> & co", Map.of())), List.of());
        String xml = JourneyDiagram.toXml(j);
        assertThat(xml).contains("name=\"Sign-up &lt;&quot;new&quot;&gt; &amp; co\"");
        Graph canvas = asTheCanvasReadsIt(xml);
        assertThat(canvas.shapes().get(0).name()).isEqualTo("Sign-up <\"new\"> & co");
        Journey back = JourneyDiagram.apply(j, new Graph(List.of(new Shape("s", "start", "", 60, 60)), List.of())).journey();
        assertThat(back.nodes().get(0).name()).isEqualTo("Sign-up <\"new\"> & co");
    }
}
