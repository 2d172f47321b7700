package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.journeys.ElementTemplates;
import org.orbita.journeys.Journey;
import org.orbita.journeys.JourneyAnalytics;
import org.orbita.journeys.JourneyBpmn;
import org.orbita.journeys.JourneyDefinition;
import org.orbita.journeys.JourneyLedger;
import org.orbita.journeys.Journeys;
import org.orbita.journeys.NodeCatalog;
import org.orbita.journeys.NodeType;
import org.orbita.journeys.runtime.JourneyRuntime;
import org.orbita.profiles.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Journeys as data and as BPMN: the node catalog, Camunda element templates, conversion both ways with every problem named. */
@RestController
@Tag(name = "Journeys", description = "Journeys: BPMN journeys run by Zeebe — the node catalog, drafts, publishing, entries, statistics")
class JourneysController {

    private final Journeys journeys;
    private final JourneyRuntime runtime;
    private final ApiContext context;

    JourneysController(Journeys journeys, JourneyRuntime runtime, ApiContext context) {
        this.journeys = journeys;
        this.runtime = runtime;
        this.context = context;
    }

    /** A journey to create or change: its name, database (on create) and the draft as nodes and links. */
    record JourneyInput(String name, String databaseId, Journey journey) {}

    /** A journey with the problems of its draft (none: it can be published). */
    record JourneyView(JourneyDefinition definition, List<Journey.Problem> problems) {}

    @GetMapping("/api/v1/journeys")
    @PreAuthorize("hasAuthority('SCOPE_journeys:read')")
    @Operation(summary = "The workspace's journeys")
    List<JourneyDefinition> list() {
        return journeys.list(context.workspaceId());
    }

    @PostMapping("/api/v1/journeys")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_journeys:write')")
    @Operation(summary = "Create a journey (a draft) in a database")
    JourneyView create(@RequestBody JourneyInput in) {
        JourneyDefinition d = journeys.create(context.workspaceId(), in.name(), in.databaseId(), in.journey());
        return new JourneyView(d, journeys.problems(d));
    }

    @GetMapping("/api/v1/journeys/{id}")
    @PreAuthorize("hasAuthority('SCOPE_journeys:read')")
    @Operation(summary = "A journey, its draft and the draft's problems")
    JourneyView get(@PathVariable String id) {
        JourneyDefinition d = journeys.get(context.workspaceId(), id);
        return new JourneyView(d, journeys.problems(d));
    }

    @PutMapping("/api/v1/journeys/{id}")
    @PreAuthorize("hasAuthority('SCOPE_journeys:write')")
    @Operation(summary = "Save the draft (a live journey runs its published version until the draft is published)")
    JourneyView update(@PathVariable String id, @RequestBody JourneyInput in) {
        JourneyDefinition d = journeys.update(context.workspaceId(), id, in.name(), in.journey());
        return new JourneyView(d, journeys.problems(d));
    }

    @GetMapping(value = "/api/v1/journeys/{id}/bpmn", produces = MediaType.APPLICATION_XML_VALUE)
    @PreAuthorize("hasAuthority('SCOPE_journeys:read')")
    @Operation(summary = "The draft as BPMN XML (for Camunda Modeler); 400 names its problems")
    String bpmnOf(@PathVariable String id) {
        return toBpmn(journeys.get(context.workspaceId(), id).journey());
    }

    @PutMapping(value = "/api/v1/journeys/{id}/bpmn", consumes = {MediaType.APPLICATION_XML_VALUE, MediaType.TEXT_XML_VALUE, "application/bpmn+xml"})
    @PreAuthorize("hasAuthority('SCOPE_journeys:write')")
    @Operation(summary = "Replace the draft by BPMN XML (edited in Camunda Modeler with Orbita's element templates)")
    JourneyView updateBpmn(@PathVariable String id, @RequestBody String xml) {
        JourneyDefinition d = journeys.update(context.workspaceId(), id, null, parse(xml));
        return new JourneyView(d, journeys.problems(d));
    }

    @PostMapping("/api/v1/journeys/{id}/publish")
    @PreAuthorize("hasAuthority('SCOPE_journeys:write')")
    @Operation(summary = "Publish the draft as the next version and make the journey live; 400 names every problem (nodes.<node>.<setting>)")
    JourneyDefinition publish(@PathVariable String id) {
        try {
            return journeys.publish(context.workspaceId(), id);
        } catch (JourneyBpmn.Invalid e) {
            throw problems(e);
        }
    }

    @PostMapping("/api/v1/journeys/{id}/stop")
    @PreAuthorize("hasAuthority('SCOPE_journeys:write')")
    @Operation(summary = "Stop the journey: no one enters, and every profile in it leaves (counted as stopped)")
    Map<String, Object> stop(@PathVariable String id) {
        Journeys.Stopped s = journeys.stop(context.workspaceId(), id);
        return Map.of("journey", s.journey(), "stoppedInstances", s.stoppedInstances());
    }

    @GetMapping("/api/v1/journeys/{id}/versions")
    @PreAuthorize("hasAuthority('SCOPE_journeys:read')")
    @Operation(summary = "The published versions, newest first")
    List<JourneyDefinition> versions(@PathVariable String id) {
        return journeys.versions(context.workspaceId(), id);
    }

    /** Who enters: a profile (its id, or a unique value with matchBy), the data the journey gets, and a key that makes a repeat enter once. */
    record StartRequest(String profile, String matchBy, Map<String, Object> data, String idempotencyKey, List<StartRequest> profiles) {}

    @PostMapping("/api/v1/journeys/{id}/start")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasAuthority('SCOPE_journeys:write')")
    @Operation(summary = "Profiles enter a live journey by the API: one ({profile, matchBy, data, idempotencyKey}) or up to 1,000 ({profiles: [...]});"
            + " each answer says whether it entered, and why not (re-entry rules, already in it, unknown profile)")
    Map<String, Object> start(@PathVariable String id, @RequestBody StartRequest request) {
        JourneyDefinition d = journeys.get(context.workspaceId(), id);
        if (request.profiles() == null) {
            return startOne(d, request, "");
        }
        if (request.profiles().isEmpty() || request.profiles().size() > 1000) {
            throw new InvalidInputException("profiles", request.profiles().size(), "1 to 1,000 profiles per call");
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < request.profiles().size(); i++) {
            try {
                results.add(startOne(d, request.profiles().get(i), "profiles[" + i + "]."));
            } catch (NotFoundException e) {
                results.add(Map.of("index", i, "entered", false, "reason", "profiles[" + i + "].profile: no such profile"));
            } catch (InvalidInputException e) {
                results.add(Map.of("index", i, "entered", false, "reason", e.getMessage()));
            }
        }
        return Map.of("results", results, "entered", results.stream().filter(r -> Boolean.TRUE.equals(r.get("entered"))).count());
    }

    private Map<String, Object> startOne(JourneyDefinition d, StartRequest r, String prefix) {
        ApiContext.requireProfileAndKey(prefix, r.profile(), r.idempotencyKey());
        Profile p = context.profile(context.database(d.databaseId()), r.matchBy(), r.profile());
        JourneyRuntime.Entry e = runtime.enter(d, p, r.data(), r.idempotencyKey() == null ? null : "api-" + r.idempotencyKey());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("profile", p.id());
        out.put("entered", e.entered());
        if (e.instanceId() != null) {
            out.put("instance", e.instanceId());
        }
        if (e.reason() != null) {
            out.put("reason", e.reason());
        }
        return out;
    }

    @GetMapping("/api/v1/journeys/{id}/stats")
    @PreAuthorize("hasAuthority('SCOPE_journeys:read')")
    @Operation(summary = "The journey's figures: per node (entered, completed, waiting now, exited, converted, attributed, time spent), per link and"
            + " branch (taken, share, converted later), per version (entered, live, done, stopped, converted, rate) and the totals")
    JourneyAnalytics stats(@PathVariable String id) {
        return JourneyAnalytics.of(journeys.get(context.workspaceId(), id), runtime.ledger());
    }

    @GetMapping("/api/v1/journeys/{id}/incidents")
    @PreAuthorize("hasAuthority('SCOPE_journeys:read')")
    @Operation(summary = "Profiles stuck at a node that failed after its retries (an HTTP call that timed out, a deleted message…), newest first")
    List<JourneyLedger.Instance> incidents(@PathVariable String id) {
        return runtime.ledger().incidents(journeys.get(context.workspaceId(), id).id(), 200);
    }

    @GetMapping("/api/v1/databases/{db}/profiles/{profileId}/journeys")
    @PreAuthorize("hasAuthority('SCOPE_journeys:read')")
    @Operation(summary = "A profile's journeys: each instance, the node it is at (or ended at), since when, and its state")
    List<JourneyLedger.Instance> ofProfile(@PathVariable String db, @PathVariable String profileId) {
        return runtime.ledger().ofProfile(context.database(db).id(), profileId, 100);
    }

    @GetMapping("/api/v1/journeys/nodes")
    @PreAuthorize("hasAuthority('SCOPE_journeys:read')")
    @Operation(summary = "Every journey node: its id, BPMN shape, job type, settings (required, typed) and branches")
    List<NodeType> nodes() {
        return NodeCatalog.all();
    }

    @GetMapping(value = "/api/v1/journeys/element-templates", produces = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasAuthority('SCOPE_journeys:read')")
    @Operation(summary = "The task nodes as Camunda 8 element templates, for Camunda Modeler")
    String elementTemplates() {
        return ElementTemplates.json();
    }

    @PostMapping(value = "/api/v1/journeys/bpmn", produces = MediaType.APPLICATION_XML_VALUE)
    @PreAuthorize("hasAuthority('SCOPE_journeys:read')")
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
    @PreAuthorize("hasAuthority('SCOPE_journeys:read')")
    @Operation(summary = "BPMN XML (from here or Camunda Modeler with Orbita's templates) as a journey; 400 names what is not an Orbita node")
    Journey parse(@RequestBody String xml) {
        try {
            return JourneyBpmn.fromXml(xml);
        } catch (JourneyBpmn.Invalid e) {
            throw problems(e);
        }
    }

    private static InvalidInputException problems(JourneyBpmn.Invalid e) {
        return Journeys.invalidInput(e);
    }
}
