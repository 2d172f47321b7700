package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.orbita.inbound.AppMetricaPulls;
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
@Tag(name = "AppMetrica", description = "A mobile app's events and installations pulled from AppMetrica's Logs API on a schedule into the"
        + " profiles' histories: app.<event_name>, app.installed")
class AppMetricaController {

    private final AppMetricaPulls pulls;
    private final ApiContext context;

    AppMetricaController(AppMetricaPulls pulls, ApiContext context) {
        this.pulls = pulls;
        this.context = context;
    }

    @GetMapping("/api/v1/appmetrica-pulls")
    @PreAuthorize("hasAuthority('SCOPE_integrations:read')")
    List<AppMetricaPulls.View> list() {
        return pulls.list(context.workspaceId());
    }

    @PostMapping("/api/v1/appmetrica-pulls")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Make a pull: id, name, applicationId, token (OAuth, write-only), apiUrl, database, matching (a unique field or id),"
            + " matchingColumn (profile_id or appmetrica_device_id), eventNames (wildcards *), installations, properties {name: path in"
            + " event_json}, everyMinutes (5–1,440)")
    AppMetricaPulls.View create(@RequestBody AppMetricaPulls.Input in) {
        return pulls.create(context.workspaceId(), in);
    }

    @GetMapping("/api/v1/appmetrica-pulls/{id}")
    @PreAuthorize("hasAuthority('SCOPE_integrations:read')")
    @Operation(summary = "A pull with its watermark and its last run (period, rows, stored, skipped, error)")
    AppMetricaPulls.View get(@PathVariable String id) {
        return pulls.get(context.workspaceId(), id);
    }

    @PutMapping("/api/v1/appmetrica-pulls/{id}")
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    AppMetricaPulls.View update(@PathVariable String id, @RequestBody AppMetricaPulls.Input in) {
        return pulls.update(context.workspaceId(), id, in);
    }

    @DeleteMapping("/api/v1/appmetrica-pulls/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    void delete(@PathVariable String id) {
        pulls.delete(context.workspaceId(), id);
    }

    @PostMapping("/api/v1/appmetrica-pulls/{id}/pull")
    @PreAuthorize("hasAuthority('SCOPE_integrations:write')")
    @Operation(summary = "Pull now; the answer is the run (state done, preparing — AppMetrica is making the export —, throttled or failed)")
    AppMetricaPulls.Run pull(@PathVariable String id) {
        return pulls.pullNow(context.workspaceId(), id);
    }
}
