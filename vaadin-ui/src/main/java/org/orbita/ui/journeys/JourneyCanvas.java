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

/** The journey drawn as BPMN by bpmn-js in the browser, each node with its figures; a click on a node selects it. */
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

    public JourneyCanvas() {
        setWidthFull();
        setHeight("420px");
        getElement().getStyle().set("border", "1px solid var(--lumo-contrast-10pct)").set("border-radius", "var(--lumo-border-radius-m)");
    }

    /** Draws the BPMN with the per-node figures (JSON: {node: {entered, waiting, completed, exited, converted}}), marking the selected node. */
    public void show(String bpmnXml, String statsJson, String selected) {
        getElement().callJsFunction("show", bpmnXml, statsJson, selected == null ? "" : selected);
    }

    public Registration addNodeClickListener(ComponentEventListener<NodeClick> listener) {
        return addListener(NodeClick.class, listener);
    }
}
