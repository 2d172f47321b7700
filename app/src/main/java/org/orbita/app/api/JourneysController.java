package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.journeys.ElementTemplates;
import org.orbita.journeys.Journey;
import org.orbita.journeys.JourneyBpmn;
import org.orbita.journeys.NodeCatalog;
import org.orbita.journeys.NodeType;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Journeys as data and as BPMN: the node catalog, Camunda element templates, conversion both ways with every problem named. */
@RestController
@Tag(name = "Journeys", description = "The journey node catalog and journeys ⇄ BPMN XML (the engine and the builder come with issue 7)")
class JourneysController {

    @GetMapping("/api/v1/journeys/nodes")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    @Operation(summary = "Every journey node: its id, BPMN shape, job type, settings (required, typed) and branches")
    List<NodeType> nodes() {
        return NodeCatalog.all();
    }

    @GetMapping(value = "/api/v1/journeys/element-templates", produces = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    @Operation(summary = "The task nodes as Camunda 8 element templates, for Camunda Modeler")
    String elementTemplates() {
        return ElementTemplates.json();
    }

    @PostMapping(value = "/api/v1/journeys/bpmn", produces = MediaType.APPLICATION_XML_VALUE)
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    @Operation(summary = "A journey {id, name, nodes: [{id, type, name, settings}], links: [{from, to, branch}]} as BPMN XML for Zeebe;"
            + " 400 names each problem as nodes.<node>.<setting>")
    String toBpmn(@RequestBody Journey journey) {
        try {
            return JourneyBpmn.toXml(journey);
        } catch (JourneyBpmn.Invalid e) {
            throw problems(e);
        }
    }

    @PostMapping(value = "/api/v1/journeys/parse", consumes = {MediaType.APPLICATION_XML_VALUE, MediaType.TEXT_XML_VALUE, "application/bpmn+xml"})
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    @Operation(summary = "BPMN XML (from here or Camunda Modeler with Orbita's templates) as a journey; 400 names what is not an Orbita node")
    Journey parse(@RequestBody String xml) {
        try {
            return JourneyBpmn.fromXml(xml);
        } catch (JourneyBpmn.Invalid e) {
            throw problems(e);
        }
    }

    private static InvalidInputException problems(JourneyBpmn.Invalid e) {
        return new InvalidInputException(e.problems().stream().map(p -> FieldError.of(
                p.node() == null ? p.field() : "nodes." + p.node() + (p.field() == null ? "" : "." + p.field()), null, p.rule())).toList());
    }
}
