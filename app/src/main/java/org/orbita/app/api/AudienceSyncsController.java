package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.orbita.retargeting.AudienceSyncs;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Retargeting audiences", description = "Segments kept in Meta Custom Audiences, Yandex Audiences and Google Customer Match:"
        + " hashed identifiers of the members with consent, sent as differences on a schedule; each run's counts and error")
class AudienceSyncsController {

    private final AudienceSyncs syncs;
    private final ApiContext context;

    AudienceSyncsController(AudienceSyncs syncs, ApiContext context) {
        this.syncs = syncs;
        this.context = context;
    }

    @GetMapping("/api/v1/audience-syncs")
    @PreAuthorize("hasAuthority('SCOPE_integrations:read')")
    List<AudienceSyncs.View> list() {
        return syncs.list(context.workspaceId());
    }

    @PostMapping("/api/v1/audience-syncs")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Make a sync: id, name, database, segment, destination (meta, yandex, google) and its settings (meta: audienceId,"
            + " accessToken; yandex: token, segmentId — made at the first run when absent; google: customerId, userListId, developerToken, clientId,"
            + " clientSecret, refreshToken, loginCustomerId; each: apiUrl), consentField (a true field; else an active email or SMS subscription),"
            + " emailField, phoneField, everyMinutes (15 to 10080; 1440). Secret settings are write-only")
    AudienceSyncs.View create(@RequestBody AudienceSyncs.Input in) {
        return syncs.create(context.workspaceId(), in);
    }

    @GetMapping("/api/v1/audience-syncs/{id}")
    @PreAuthorize("hasAuthority('SCOPE_integrations:read')")
    AudienceSyncs.View get(@PathVariable String id) {
        return syncs.get(context.workspaceId(), id);
    }

    @PutMapping("/api/v1/audience-syncs/{id}")
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Change a sync; parts left out stay, a secret setting left out keeps its value, \"\" clears a setting")
    AudienceSyncs.View update(@PathVariable String id, @RequestBody AudienceSyncs.Input in) {
        return syncs.update(context.workspaceId(), id, in);
    }

    @DeleteMapping("/api/v1/audience-syncs/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Delete a sync and forget what it sent (the platform's audience stays)")
    void delete(@PathVariable String id) {
        syncs.delete(context.workspaceId(), id);
    }

    @PostMapping("/api/v1/audience-syncs/{id}/run")
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Run a sync now → {at, state: done|warning|failed, size, added, removed, withoutConsent, withoutIdentifiers, warning,"
            + " error, platformStatus}; 409 while it runs")
    AudienceSyncs.Run run(@PathVariable String id) {
        return syncs.run(context.workspaceId(), id);
    }
}
