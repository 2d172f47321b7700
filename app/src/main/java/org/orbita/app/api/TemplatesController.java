package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.orbita.common.NotFoundException;
import org.orbita.content.ExternalData;
import org.orbita.content.Links;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.content.Snippet;
import org.orbita.content.Snippets;
import org.orbita.content.Templates;
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
@Tag(name = "Templates", description = "Liquid rendering for tooling and the workspace's snippet library")
class TemplatesController {

    private final Templates templates;
    private final Snippets snippets;
    private final ExternalData external;
    private final Links links;
    private final Messages messages;
    private final ApiContext context;

    TemplatesController(Templates templates, Snippets snippets, ExternalData external, Links links, Messages messages, ApiContext context) {
        this.templates = templates;
        this.snippets = snippets;
        this.external = external;
        this.links = links;
        this.messages = messages;
        this.context = context;
    }

    /** A template, the data it sees at the top level (profile, data, event…) and snippets beyond the library's. */
    record RenderRequest(String template, Map<String, Object> data, Map<String, String> snippets) {}

    @PostMapping("/api/v1/templates/render")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    @Operation(summary = "Render a Liquid template with the workspace's snippets (and any given); 400 with line and column when it fails")
    Templates.Rendered render(@RequestBody RenderRequest request) {
        String workspaceId = context.workspaceId();
        return templates.render(request.template(), request.data(), snippets.forRender(workspaceId, request.snippets()),
                new Templates.Extras(external.fetcher(workspaceId), links, Links.Context.preview(workspaceId)));
    }

    record SnippetRequest(String text) {}

    @PutMapping("/api/v1/snippets/{name}")
    @PreAuthorize("hasAuthority('SCOPE_content:write')")
    @Operation(summary = "Save a snippet (a new version when it exists); its text must parse")
    Snippet save(@PathVariable String name, @RequestBody SnippetRequest request) {
        return snippets.save(context.workspaceId(), name, request.text());
    }

    @GetMapping("/api/v1/snippets")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    List<Snippet> list() {
        return snippets.list(context.workspaceId());
    }

    @GetMapping("/api/v1/snippets/{name}")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    Snippet get(@PathVariable String name) {
        return snippets.get(context.workspaceId(), name);
    }

    @GetMapping("/api/v1/snippets/{name}/versions")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    List<Snippet> versions(@PathVariable String name) {
        return snippets.versions(context.workspaceId(), name);
    }

    @GetMapping("/api/v1/snippets/{name}/messages")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    @Operation(summary = "The messages that render this snippet, directly or through other snippets: what a change touches")
    List<Message> usedBy(@PathVariable String name) {
        return messages.usingSnippet(context.workspaceId(), name);
    }

    @DeleteMapping("/api/v1/snippets/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_content:write')")
    void delete(@PathVariable String name) {
        if (!snippets.delete(context.workspaceId(), name)) {
            throw new NotFoundException("snippet", name);
        }
    }
}
