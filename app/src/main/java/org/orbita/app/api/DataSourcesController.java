package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.content.DataSource;
import org.orbita.content.ExternalData;
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
@Tag(name = "Data sources", description = "Outside data templates read with {% fetch 'name' as var %}: HTTP JSON or SQL")
class DataSourcesController {

    private final ExternalData external;
    private final ApiContext context;

    DataSourcesController(ExternalData external, ApiContext context) {
        this.external = external;
        this.context = context;
    }

    @PutMapping("/api/v1/data-sources/{name}")
    @PreAuthorize("hasAuthority('SCOPE_content:write')")
    @Operation(summary = "Create or replace a data source; passwords and header values come back hidden (send them back hidden to keep them)")
    DataSource save(@PathVariable String name, @RequestBody DataSource draft) {
        return external.save(context.workspaceId(), name, draft).withoutSecrets();
    }

    @GetMapping("/api/v1/data-sources")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    List<DataSource> list() {
        return external.list(context.workspaceId()).stream().map(DataSource::withoutSecrets).toList();
    }

    @GetMapping("/api/v1/data-sources/{name}")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    DataSource get(@PathVariable String name) {
        return external.get(context.workspaceId(), name).withoutSecrets();
    }

    /** What a test call gave: the value templates would see, and the warning when the fallback stood in. */
    record Tried(Object value, List<String> warnings) {}

    @PostMapping("/api/v1/data-sources/{name}/test")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    @Operation(summary = "Call a data source now (no cache) with the given render data, e.g. {\"profile\": {\"email\": \"…\"}}; 400 says why it failed")
    Tried test(@PathVariable String name, @RequestBody(required = false) Map<String, Object> data) {
        List<String> warnings = new ArrayList<>();
        try {
            Object value = external.test(context.workspaceId(), name, data == null ? Map.of() : data, warnings::add);
            return new Tried(value, warnings);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("name", name, e.getMessage());
        }
    }

    @DeleteMapping("/api/v1/data-sources/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_content:write')")
    void delete(@PathVariable String name) {
        if (!external.delete(context.workspaceId(), name)) {
            throw new NotFoundException("data source", name);
        }
    }
}
