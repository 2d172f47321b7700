package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.orbita.common.InvalidInputException;
import org.orbita.sites.TagContainer;
import org.orbita.sites.TagContainers;
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
@Tag(name = "Tag manager", description = "A site's tag containers: variables, triggers and tags in a draft; versions; publish, roll back, preview")
class TagContainersController {

    /** What making a version asks: a note, and whether to publish it at once. */
    record VersionInput(String note, Boolean publish) {}

    /** Which version to put live. */
    record PublishInput(Integer version) {}

    private final TagContainers containers;
    private final ApiContext context;

    TagContainersController(TagContainers containers, ApiContext context) {
        this.containers = containers;
        this.context = context;
    }

    @GetMapping("/api/v1/sites/{site}/containers")
    @PreAuthorize("hasAuthority('SCOPE_sites:read')")
    List<TagContainer> list(@PathVariable String site) {
        return containers.list(context.workspaceId(), site);
    }

    @PostMapping("/api/v1/sites/{site}/containers")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_sites:write')")
    @Operation(summary = "Add a tag container to a site: name, draft {variables, triggers, tags}; nothing runs on the pages until a version is published")
    TagContainer create(@PathVariable String site, @RequestBody TagContainers.ContainerInput input) {
        return containers.create(context.workspaceId(), site, input);
    }

    @GetMapping("/api/v1/tag-containers/{id}")
    @PreAuthorize("hasAuthority('SCOPE_sites:read')")
    TagContainer get(@PathVariable String id) {
        return containers.get(context.workspaceId(), id);
    }

    @PutMapping("/api/v1/tag-containers/{id}")
    @PreAuthorize("hasAuthority('SCOPE_sites:write')")
    @Operation(summary = "Change the name or the draft (checked whole: every problem named by its path); the pages keep the published version")
    TagContainer update(@PathVariable String id, @RequestBody TagContainers.ContainerInput input) {
        return containers.update(context.workspaceId(), id, input);
    }

    @DeleteMapping("/api/v1/tag-containers/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_sites:write')")
    void delete(@PathVariable String id) {
        containers.delete(context.workspaceId(), id);
    }

    @GetMapping("/api/v1/tag-containers/{id}/versions")
    @PreAuthorize("hasAuthority('SCOPE_sites:read')")
    @Operation(summary = "The container's versions, newest first")
    List<TagContainer.Version> versions(@PathVariable String id, @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit", limit, "from 1 to 500");
        }
        return containers.versions(context.workspaceId(), id, limit);
    }

    @GetMapping("/api/v1/tag-containers/{id}/versions/{number}")
    @PreAuthorize("hasAuthority('SCOPE_sites:read')")
    TagContainer.Version version(@PathVariable String id, @PathVariable int number) {
        return containers.version(context.workspaceId(), id, number);
    }

    @PostMapping("/api/v1/tag-containers/{id}/versions")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_sites:write')")
    @Operation(summary = "Make the next version from the draft (note, publish: true to put it live at once)")
    TagContainer.Version createVersion(@PathVariable String id, @RequestBody(required = false) VersionInput input) {
        return containers.createVersion(context.workspaceId(), id, input == null ? null : input.note(),
                input != null && Boolean.TRUE.equals(input.publish()));
    }

    @PostMapping("/api/v1/tag-containers/{id}/publish")
    @PreAuthorize("hasAuthority('SCOPE_sites:write')")
    @Operation(summary = "Put a version live: the newest, or an older one to roll back; the site's script loads it within its 5-minute cache")
    TagContainer publish(@PathVariable String id, @RequestBody PublishInput input) {
        if (input == null || input.version() == null) {
            throw new InvalidInputException("version", null, "is required: the number of the version to put live");
        }
        return containers.publish(context.workspaceId(), id, input.version());
    }

    @PostMapping("/api/v1/tag-containers/{id}/unpublish")
    @PreAuthorize("hasAuthority('SCOPE_sites:write')")
    @Operation(summary = "Take the container off the site's pages; its versions stay")
    TagContainer unpublish(@PathVariable String id) {
        return containers.unpublish(context.workspaceId(), id);
    }

    @PostMapping("/api/v1/tag-containers/{id}/preview")
    @PreAuthorize("hasAuthority('SCOPE_sites:read')")
    @Operation(summary = "A link (2 hours) that runs the draft on the live site in the browser tab that opens it, with a panel of the tags fired")
    TagContainers.Preview preview(@PathVariable String id) {
        return containers.preview(context.workspaceId(), id);
    }
}
