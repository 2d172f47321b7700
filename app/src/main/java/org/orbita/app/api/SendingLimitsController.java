package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.orbita.sending.SendingLimits;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sending policies: caps per recipient for a workspace and for a database (a campaign's own cap
 * is in the campaign); the narrowest level that sets one wins.
 */
@RestController
@Tag(name = "Settings")
class SendingLimitsController {

    private final SendingLimits limits;
    private final ApiContext context;

    SendingLimitsController(SendingLimits limits, ApiContext context) {
        this.limits = limits;
        this.context = context;
    }

    /**
     * Caps: {@code perChannel} per recipient and channel, {@code allChannels} per recipient across
     * channels, {@code perAddress} per address and channel across profiles; null: none at this level.
     */
    record Caps(SendingLimits.Cap perChannel, SendingLimits.Cap allChannels, SendingLimits.Cap perAddress) {

        Caps(SendingLimits.Limits l) {
            this(l.perChannel(), l.allChannels(), l.perAddress());
        }
    }

    private static Caps caps(java.util.Optional<SendingLimits.Limits> l) {
        return l.map(Caps::new).orElse(new Caps(null, null, null));
    }

    @GetMapping("/api/v1/settings/sending-limits")
    @PreAuthorize("hasAuthority('SCOPE_settings:read')")
    @Operation(summary = "The workspace's sending policy: at most max messages in days days per recipient and channel (perChannel), across"
            + " channels (allChannels) and per address across profiles (perAddress)")
    Caps workspace() {
        return caps(limits.ofWorkspace(context.workspaceId()));
    }

    @PutMapping("/api/v1/settings/sending-limits")
    @PreAuthorize("hasAuthority('SCOPE_settings:write')")
    @Operation(summary = "Sets the workspace's sending policy {perChannel: {max, days}, allChannels: {max, days}, perAddress: {max, days}};"
            + " null removes a cap."
            + " Campaigns, trigger campaigns and journeys' sends follow it unless their database or campaign sets its own; transactional"
            + " messages are not limited")
    Caps saveWorkspace(@RequestBody Caps in) {
        return new Caps(limits.saveWorkspace(context.workspaceId(), in.perChannel(), in.allChannels(), in.perAddress()));
    }

    @GetMapping("/api/v1/databases/{id}/sending-limits")
    @PreAuthorize("hasAuthority('SCOPE_databases:read')")
    @Operation(summary = "A database's sending policy (over the workspace's)")
    Caps database(@PathVariable String id) {
        return caps(limits.ofDatabase(context.workspaceId(), context.database(id).id()));
    }

    @PutMapping("/api/v1/databases/{id}/sending-limits")
    @PreAuthorize("hasAuthority('SCOPE_databases:write')")
    @Operation(summary = "Sets a database's sending policy; it wins over the workspace's, a campaign's own cap over it")
    Caps saveDatabase(@PathVariable String id, @RequestBody Caps in) {
        return new Caps(limits.saveDatabase(context.workspaceId(), context.database(id).id(), in.perChannel(), in.allChannels(),
                in.perAddress()));
    }
}
