package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.orbita.webhooks.Webhooks;
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
@Tag(name = "Webhooks", description = "Webhooks for any event: the workspace's events (profile changes, segment entries, messages and their outcomes,"
        + " orders, forms…) POSTed as JSON to a URL, signed as Standard Webhooks has it (webhook-id, webhook-timestamp, webhook-signature),"
        + " at least once, each profile's in order, retried, then kept as dead letters to replay")
class WebhooksController {

    private final Webhooks webhooks;
    private final ApiContext context;

    WebhooksController(Webhooks webhooks, ApiContext context) {
        this.webhooks = webhooks;
        this.context = context;
    }

    @GetMapping("/api/v1/webhooks")
    @PreAuthorize("hasAuthority('SCOPE_integrations:read')")
    @Operation(summary = "The workspace's webhooks, with their deliveries counted by state (pending, delivered, dead)")
    List<Webhooks.View> list() {
        return webhooks.list(context.workspaceId());
    }

    @PostMapping("/api/v1/webhooks")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Make a webhook: name, url, events (types, a family as profile.*, or *), databases (none: all), noticeEmails, secret"
            + " (whsec_…; left out: one is made). The answer shows the secret this once")
    Webhooks.Made create(@RequestBody Webhooks.Input in) {
        return webhooks.create(context.workspaceId(), in);
    }

    @GetMapping("/api/v1/webhooks/{id}")
    @PreAuthorize("hasAuthority('SCOPE_integrations:read')")
    Webhooks.View get(@PathVariable String id) {
        return webhooks.get(context.workspaceId(), id);
    }

    @PutMapping("/api/v1/webhooks/{id}")
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Change a webhook; parts left out stay. enabled: true turns a disabled one on again (replay its dead letters after)")
    Webhooks.View update(@PathVariable String id, @RequestBody Webhooks.Input in) {
        return webhooks.update(context.workspaceId(), id, in);
    }

    @DeleteMapping("/api/v1/webhooks/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Delete a webhook and everything it still owed")
    void delete(@PathVariable String id) {
        webhooks.delete(context.workspaceId(), id);
    }

    @PostMapping("/api/v1/webhooks/{id}/rotate-secret")
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "A new signing secret, shown this once; calls from now on are signed with it")
    Webhooks.Made rotate(@PathVariable String id) {
        return webhooks.rotateSecret(context.workspaceId(), id);
    }

    @PostMapping("/api/v1/webhooks/{id}/test")
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Send one webhook.test call now and say what the receiver answered (not kept, not retried)")
    Webhooks.Tested test(@PathVariable String id) {
        return webhooks.test(context.workspaceId(), id);
    }

    @GetMapping("/api/v1/webhooks/{id}/deliveries")
    @PreAuthorize("hasAuthority('SCOPE_integrations:read')")
    @Operation(summary = "Deliveries in one state (pending, delivered, dead: the dead-letter list), newest first, each with its attempts, last"
            + " answer and body; page with before = the last one's seq")
    List<Webhooks.DeliveryView> deliveries(@PathVariable String id, @RequestParam(defaultValue = "dead") String state,
                                           @RequestParam(required = false) Long before, @RequestParam(defaultValue = "50") int limit) {
        return webhooks.deliveries(context.workspaceId(), id, state, before, limit);
    }

    @GetMapping("/api/v1/webhooks/{id}/deliveries/{delivery}")
    @PreAuthorize("hasAuthority('SCOPE_integrations:read')")
    Webhooks.DeliveryView delivery(@PathVariable String id, @PathVariable String delivery) {
        return webhooks.delivery(context.workspaceId(), id, delivery);
    }

    @PostMapping("/api/v1/webhooks/{id}/deliveries/{delivery}/replay")
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Send a dead letter again from its first attempt, with the same id")
    Map<String, Integer> replay(@PathVariable String id, @PathVariable String delivery) {
        return Map.of("replayed", webhooks.replay(context.workspaceId(), id, delivery));
    }

    @PostMapping("/api/v1/webhooks/{id}/replay")
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Send every dead letter of the webhook again")
    Map<String, Integer> replayAll(@PathVariable String id) {
        return Map.of("replayed", webhooks.replay(context.workspaceId(), id, null));
    }
}
