package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.orbita.content.Templates;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Templates", description = "Liquid rendering for tooling: template + data + snippets → output and warnings")
class TemplatesController {

    private final Templates templates;

    TemplatesController(Templates templates) {
        this.templates = templates;
    }

    /** A template, the data it sees at the top level (profile, data, event…) and the snippets {% render %} may use. */
    record RenderRequest(String template, Map<String, Object> data, Map<String, String> snippets) {}

    @PostMapping("/api/v1/templates/render")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    @Operation(summary = "Render a Liquid template; 400 with line and column when it does not parse or fails to render")
    Templates.Rendered render(@RequestBody RenderRequest request) {
        return templates.render(request.template(), request.data(), request.snippets());
    }
}
