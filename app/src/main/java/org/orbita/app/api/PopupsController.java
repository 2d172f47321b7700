package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.orbita.popups.Popup;
import org.orbita.popups.PopupTemplates;
import org.orbita.popups.Popups;
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
@Tag(name = "Pop-ups", description = "Pop-ups on the tracked sites: kinds, ready templates, variants (A/B), triggers, frequency, a budget per site,"
        + " preview links")
class PopupsController {

    private final Popups popups;
    private final ApiContext context;

    PopupsController(Popups popups, ApiContext context) {
        this.popups = popups;
        this.context = context;
    }

    @GetMapping("/api/v1/popups/templates")
    @PreAuthorize("hasAuthority('SCOPE_forms:read')")
    @Operation(summary = "The ready pop-ups to start from: kind, place, names (en, ru), HTML, CSS")
    List<PopupTemplates.Template> templates() {
        return PopupTemplates.all();
    }

    @GetMapping("/api/v1/popups")
    @PreAuthorize("hasAuthority('SCOPE_forms:read')")
    List<Popup> list() {
        return popups.list(context.workspaceId());
    }

    @PostMapping("/api/v1/popups")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_forms:write')")
    @Operation(summary = "Make a pop-up: site, name, template (start from it) or kind, position and variants [{html, css, script, form, width,"
            + " weight}], trigger {on, seconds, percent, pages, urls, device, visitor, segment}, frequency {mode, minutes, stopAfterConversion},"
            + " published")
    Popup create(@RequestBody Popups.PopupInput input) {
        return popups.create(context.workspaceId(), input);
    }

    @GetMapping("/api/v1/popups/{id}")
    @PreAuthorize("hasAuthority('SCOPE_forms:read')")
    Popup get(@PathVariable String id) {
        return popups.get(context.workspaceId(), id);
    }

    @PutMapping("/api/v1/popups/{id}")
    @PreAuthorize("hasAuthority('SCOPE_forms:write')")
    @Operation(summary = "Change a pop-up; parts left out stay as they are")
    Popup update(@PathVariable String id, @RequestBody Popups.PopupInput input) {
        return popups.update(context.workspaceId(), id, input);
    }

    @DeleteMapping("/api/v1/popups/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_forms:write')")
    void delete(@PathVariable String id) {
        popups.delete(context.workspaceId(), id);
    }

    @GetMapping("/api/v1/popups/{id}/preview")
    @PreAuthorize("hasAuthority('SCOPE_forms:read')")
    @Operation(summary = "A link that shows the pop-up as it is now (published or not) on a page of its site, in that tab, for an hour;"
            + " url: the page (one of the site's domains; default its first)")
    Map<String, String> preview(@PathVariable String id, @RequestParam(required = false) String url) {
        return Map.of("link", popups.previewLink(context.workspaceId(), id, url));
    }

    @GetMapping("/api/v1/sites/{site}/popup-budget")
    @PreAuthorize("hasAuthority('SCOPE_forms:read')")
    @Operation(summary = "What all pop-ups of a site share: at most perSession a visit (0: no limit), gapSeconds apart")
    Popup.Budget budget(@PathVariable String site) {
        return popups.budget(context.workspaceId(), site);
    }

    /** A site's pop-up budget as given. */
    record BudgetInput(Integer perSession, Integer gapSeconds) {}

    @PutMapping("/api/v1/sites/{site}/popup-budget")
    @PreAuthorize("hasAuthority('SCOPE_forms:write')")
    Popup.Budget setBudget(@PathVariable String site, @RequestBody BudgetInput input) {
        return popups.setBudget(context.workspaceId(), site, input.perSession(), input.gapSeconds());
    }
}
