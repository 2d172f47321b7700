package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orbita.forms.Form;
import org.orbita.forms.FormResults;
import org.orbita.forms.Forms;
import org.orbita.tabular.TableExport;
import org.orbita.forms.FormLinks;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@RestController
@Tag(name = "Forms", description = "Forms and surveys: questions mapped to profile fields, consents, texts, theme, spam defences; results, NPS, export")
class FormsController {

    private final Forms forms;
    private final FormResults results;
    private final FormLinks links;
    private final ApiContext context;
    private final org.orbita.audiences.ReportSegments segments;
    private final org.orbita.forms.FormSubmissions submissions;

    FormsController(Forms forms, FormResults results, FormLinks links, ApiContext context, org.orbita.audiences.ReportSegments segments,
                    org.orbita.forms.FormSubmissions submissions) {
        this.submissions = submissions;
        this.segments = segments;
        this.forms = forms;
        this.results = results;
        this.links = links;
        this.context = context;
    }

    @GetMapping("/api/v1/forms")
    @PreAuthorize("hasAuthority('SCOPE_forms:read')")
    List<Form> list() {
        return forms.list(context.workspaceId());
    }

    @PostMapping("/api/v1/forms")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_forms:write')")
    @Operation(summary = "Make a form: name, database, matchBy (the unique field a submission finds its profile by), fields, consents, texts"
            + " {en, ru}, theme, spam {minSeconds, perMinute}, published")
    Form create(@RequestBody Forms.FormInput input) {
        return forms.create(context.workspaceId(), input);
    }

    @GetMapping("/api/v1/forms/{id}")
    @PreAuthorize("hasAuthority('SCOPE_forms:read')")
    Form get(@PathVariable String id) {
        return forms.get(context.workspaceId(), id);
    }

    @PutMapping("/api/v1/forms/{id}")
    @PreAuthorize("hasAuthority('SCOPE_forms:write')")
    @Operation(summary = "Change a form; parts left out stay as they are")
    Form update(@PathVariable String id, @RequestBody Forms.FormInput input) {
        return forms.update(context.workspaceId(), id, input);
    }

    @DeleteMapping("/api/v1/forms/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_forms:write')")
    void delete(@PathVariable String id) {
        forms.delete(context.workspaceId(), id);
    }

    @GetMapping("/api/v1/forms/{id}/embed")
    @PreAuthorize("hasAuthority('SCOPE_forms:read')")
    @Operation(summary = "How to publish the form: the code to paste into a page, an iframe, and the hosted page's link")
    Map<String, Object> embed(@PathVariable String id) {
        Form f = forms.get(context.workspaceId(), id);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("link", links.page(f));
        a.put("code", links.code(f));
        a.put("iframe", links.iframe(f));
        a.put("published", f.published());
        return a;
    }

    @GetMapping("/api/v1/forms/{id}/webhook")
    @PreAuthorize("hasAuthority('SCOPE_forms:write')")
    @Operation(summary = "The address another form builder (Tilda) posts its submissions to: mapped onto this form's questions and consents"
            + " by name (Email, Phone too), tranid makes a resend a repeat; its key stands for the browser's spam proofs, so it is shown only to"
            + " those who may change the form")
    Map<String, Object> webhook(@PathVariable String id) {
        Form f = forms.get(context.workspaceId(), id);
        forms.requireWrite();
        return Map.of("url", links.base(f) + "/hook/" + submissions.hookKey(f.id()));
    }

    @GetMapping("/api/v1/forms/{id}/results")
    @PreAuthorize("hasAuthority('SCOPE_forms:read')")
    @Operation(summary = "Views, starts, submissions, spam refused, and the conversion (submissions per view, %)")
    FormResults.Summary summary(@PathVariable String id) {
        return results.summary(context.workspaceId(), id);
    }

    @GetMapping("/api/v1/forms/{id}/answers")
    @PreAuthorize("hasAuthority('SCOPE_forms:read')")
    @Operation(summary = "The newest submissions (limit ≤ 1000), those whose answer to field contains value when both are given")
    List<FormResults.Answer> answers(@PathVariable String id, @RequestParam(required = false) String field,
                                     @RequestParam(required = false) String value, @RequestParam(defaultValue = "100") int limit) {
        return results.answers(context.workspaceId(), id, field, value, limit);
    }

    @GetMapping("/api/v1/forms/{id}/nps")
    @PreAuthorize("hasAuthority('SCOPE_forms:read')")
    @Operation(summary = "Net Promoter Score of an NPS question: promoters (9–10), passives, detractors (0–6), score, and by week")
    FormResults.Nps nps(@PathVariable String id, @RequestParam String field) {
        return results.nps(context.workspaceId(), id, field);
    }

    @PostMapping("/api/v1/forms/{id}/nps/detractors")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_forms:read') and hasAuthority('SCOPE_segments:write')")
    @Operation(summary = "A static segment of the profiles that answered an NPS question 0–6; name: the segment's (default: NPS detractors — the form)")
    org.orbita.audiences.ReportSegments.Made detractors(@PathVariable String id, @RequestParam String field,
                                                        @RequestParam(required = false) String name) {
        Form f = forms.get(context.workspaceId(), id);
        String named = name == null || name.isBlank() ? "NPS detractors — " + f.name() : name.strip();
        return segments.fromProfiles(context.workspaceId(), f.database(), named.length() > 100 ? named.substring(0, 100) : named,
                each -> results.detractors(context.workspaceId(), id, field, each));
    }

    @GetMapping("/api/v1/forms/{id}/export")
    @PreAuthorize("hasAuthority('SCOPE_forms:read')")
    @Operation(summary = "Every submission's answers (format=csv or xlsx), streamed")
    ResponseEntity<StreamingResponseBody> export(@PathVariable String id, @RequestParam(defaultValue = "csv") String format) {
        String f = TableExport.checkFormat(format);
        Form form = results.allowExport(context.workspaceId(), id, f);
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"form-" + form.id() + "." + f + "\"")
                .contentType(MediaType.parseMediaType(TableExport.mediaType(f)))
                .body(out -> results.export(form, f, out));
    }
}
