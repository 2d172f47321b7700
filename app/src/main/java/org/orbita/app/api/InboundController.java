package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orbita.inbound.InboundHooks;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Inbound sources", description = "A generic inbound webhook per source: a signed URL other systems POST JSON or form fields to,"
        + " mapped by paths onto a profile upsert and/or an event; every call kept with what became of it, rejected ones replayed")
class InboundController {

    private final InboundHooks hooks;
    private final ApiContext context;
    private final org.orbita.forms.FormLinks links;

    InboundController(InboundHooks hooks, ApiContext context, org.orbita.forms.FormLinks links) {
        this.hooks = hooks;
        this.context = context;
        this.links = links;
    }

    /** A source with the full URL to paste into the other system. */
    private Map<String, Object> shown(InboundHooks.View v) {
        Map<String, Object> out = new LinkedHashMap<>(org.orbita.common.Json.MAPPER.convertValue(v, Map.class));
        out.put("url", links.root(context.workspaceId()) + v.path());
        out.remove("path");
        return out;
    }

    @GetMapping("/api/v1/inbound-sources")
    @PreAuthorize("hasAuthority('SCOPE_integrations:read')")
    List<Map<String, Object>> list() {
        return hooks.list(context.workspaceId()).stream().map(this::shown).toList();
    }

    @PostMapping("/api/v1/inbound-sources")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Make a source: id, name, database, matching (a unique field or id) and matchingPath, fields {profile field: path},"
            + " subscriptions {channel: path}, event and properties {name: path}, idPath (a resent call's id; else the webhook-id or"
            + " Idempotency-Key header). Paths: names joined by dots, [n] for an element, an optional $. The answer has the URL to post to")
    Map<String, Object> create(@RequestBody InboundHooks.Input in) {
        return shown(hooks.create(context.workspaceId(), in));
    }

    @GetMapping("/api/v1/inbound-sources/{id}")
    @PreAuthorize("hasAuthority('SCOPE_integrations:read')")
    Map<String, Object> get(@PathVariable String id) {
        return shown(hooks.get(context.workspaceId(), id));
    }

    @PutMapping("/api/v1/inbound-sources/{id}")
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Change a source's mapping; parts left out stay; enabled: false refuses its calls (403)")
    Map<String, Object> update(@PathVariable String id, @RequestBody InboundHooks.Input in) {
        return shown(hooks.update(context.workspaceId(), id, in));
    }

    @DeleteMapping("/api/v1/inbound-sources/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    void delete(@PathVariable String id) {
        hooks.delete(context.workspaceId(), id);
    }

    @GetMapping("/api/v1/inbound-sources/{id}/received")
    @PreAuthorize("hasAuthority('SCOPE_integrations:read')")
    @Operation(summary = "The calls the source received, newest first (state: accepted, rejected, duplicate), each with its body, error,"
            + " profile and event; page with before = the last one's id")
    List<InboundHooks.ReceivedView> received(@PathVariable String id, @RequestParam(required = false) String state,
                                             @RequestParam(required = false) String before, @RequestParam(defaultValue = "50") int limit) {
        return hooks.received(context.workspaceId(), id, state, before, limit);
    }

    @PostMapping("/api/v1/inbound-sources/{id}/received/{received}/replay")
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Make a kept call again with the source's mapping as it is now (an accepted call's event is not recorded twice)")
    InboundHooks.Outcome replay(@PathVariable String id, @PathVariable String received) {
        return hooks.replay(context.workspaceId(), id, received);
    }
}
