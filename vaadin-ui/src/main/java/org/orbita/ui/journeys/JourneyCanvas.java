package org.orbita.ui.journeys;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.DomEvent;
import com.vaadin.flow.component.EventData;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;
import com.vaadin.flow.shared.Registration;

/**
 * The journey's canvas: bpmn-js's Modeler in the browser with Orbita's palette (drag a node in,
 * connect, move, delete, rename, undo), each node with its figures and its problems; a click on
 * a node selects it; after each change the canvas's shapes and connections come back as a
 * {@link DiagramChange} ({@link org.orbita.journeys.JourneyDiagram.Graph} as JSON). A viewer at
 * phone width.
 */
@Tag("orbita-journey-canvas")
@NpmPackage(value = "bpmn-js", version = "18.31.1")
@JsModule("./journey-canvas.js")
public class JourneyCanvas extends Component implements HasSize {

    /** A node clicked on the canvas. */
    @DomEvent("node-click")
    public static class NodeClick extends ComponentEvent<JourneyCanvas> {
        private final String node;

        public NodeClick(JourneyCanvas source, boolean fromClient, @EventData("event.detail.id") String node) {
            super(source, fromClient);
            this.node = node;
        }

        /** The BPMN element clicked: a node's id, or one of its parts ({@code <node>_branch}, {@code <node>_timeout}…). */
        public String node() {
            return node;
        }
    }

    /** The canvas changed by hand: its shapes and connections as JSON ({@link org.orbita.journeys.JourneyDiagram.Graph}). */
    @DomEvent("diagram-change")
    public static class DiagramChange extends ComponentEvent<JourneyCanvas> {
        private final String graph;

        public DiagramChange(JourneyCanvas source, boolean fromClient, @EventData("event.detail.graph") String graph) {
            super(source, fromClient);
            this.graph = graph;
        }

        public String graph() {
            return graph;
        }
    }

    public JourneyCanvas() {
        setWidthFull();
        setHeight("480px");
        getElement().getStyle().set("border", "1px solid var(--lumo-contrast-10pct)").set("border-radius", "var(--lumo-border-radius-m)");
    }

    /** Draws the BPMN with the per-node figures (JSON: {node: {entered, waiting, completed, exited, converted}}), marking the selected node. */
    public void show(String bpmnXml, String statsJson, String selected) {
        getElement().callJsFunction("show", bpmnXml, statsJson, selected == null ? "" : selected);
    }

    /** Marks the selected node (none: empty or null). */
    public void select(String node) {
        getElement().callJsFunction("select", node == null ? "" : node);
    }

    /** The palette's node types, as JSON [{type, label, element, shape}], and the figures' words ({in, now, out, conv, attr}), in the page's language. */
    public void palette(String entriesJson, String wordsJson) {
        getElement().callJsFunction("palette", entriesJson, wordsJson);
    }

    /** Each node's problems drawn on its shape, as JSON [{node, text}]. */
    public void problems(String problemsJson) {
        getElement().callJsFunction("problems", problemsJson);
    }

    /** A profile's path highlighted: the nodes it passed (JSON array of ids) and the one it is at now (or empty). */
    public void path(String nodesJson, String here) {
        getElement().callJsFunction("path", nodesJson, here == null ? "" : here);
    }

    public Registration addDiagramChangeListener(ComponentEventListener<DiagramChange> listener) {
        return addListener(DiagramChange.class, listener);
    }

    public Registration addNodeClickListener(ComponentEventListener<NodeClick> listener) {
        return addListener(NodeClick.class, listener);
    }
}
