package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.orbita.app.security.Scope;
import org.orbita.audiences.SegmentJobs;
import org.orbita.campaigns.CampaignRun;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.jobs.Job;
import org.orbita.jobs.JobReports;
import org.orbita.jobs.Jobs;
import org.orbita.jobs.RowError;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "Jobs", description = "Long work (imports, exports, copies): progress, result, error report")
class JobsController {

    private final Jobs jobs;
    private final JobReports reports;
    private final ApiContext context;

    JobsController(Jobs jobs, JobReports reports, ApiContext context) {
        this.jobs = jobs;
        this.reports = reports;
        this.context = context;
    }

    private Job own(String id) {
        return jobs.find(id).filter(j -> j.workspaceId().equals(context.workspaceId()))
                .orElseThrow(() -> new NotFoundException("job", id));
    }

    @GetMapping
    @PreAuthorize("hasAuthority('SCOPE_jobs:read')")
    @Operation(summary = "The workspace's jobs, newest first")
    List<Job> list(@RequestParam(defaultValue = "50") int limit) {
        return jobs.list(context.workspaceId(), Math.max(1, Math.min(limit, 500)));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_jobs:read')")
    @Operation(summary = "A job's status, progress and result")
    Job get(@PathVariable String id) {
        return own(id);
    }

    /**
     * Stops a job: a queued one at once, a running one after its current batch (what it
     * committed stays). Cancelling needs the scope that starting the job needed; cancelling
     * a campaign's run cancels the campaign.
     */
    @PostMapping("/{id}/cancel")
    @PreAuthorize("hasAuthority('SCOPE_jobs:read')")
    @Operation(summary = "Cancel a queued or running job (needs the scope that started it: imports:write, segments:write, campaigns:write)")
    Job cancel(@PathVariable String id, Authentication auth) {
        Job job = own(id);
        Scope needed = switch (job.kind()) {
            case SegmentJobs.KIND -> Scope.SEGMENTS_WRITE;
            case CampaignRun.KIND -> Scope.CAMPAIGNS_WRITE;
            default -> Scope.IMPORTS_WRITE;
        };
        if (auth.getAuthorities().stream().noneMatch(a -> a.getAuthority().equals(needed.authority()))) {
            throw new AccessDeniedException("cancelling a " + job.kind() + " job needs the scope " + needed.id());
        }
        return jobs.cancel(context.workspaceId(), id);
    }

    record ErrorPage(List<RowError> errors, long total) {}

    @GetMapping("/{id}/errors")
    @PreAuthorize("hasAuthority('SCOPE_jobs:read')")
    @Operation(summary = "The per-row error report: JSON pages, or the whole CSV with format=csv")
    ResponseEntity<?> errors(@PathVariable String id, @RequestParam(defaultValue = "json") String format,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        Job job = own(id);
        if (format.equals("csv")) {
            Path file = reports.errorsFile(job.id());
            if (!Files.exists(file)) {
                return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv"))
                        .body("row,field,value,reason\r\n");
            }
            return ResponseEntity.ok()
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"errors-" + job.id() + ".csv\"")
                    .contentType(MediaType.parseMediaType("text/csv; charset=utf-8"))
                    .body(new FileSystemResource(file));
        }
        if (!format.equals("json")) {
            throw new InvalidInputException("format", format, "must be json or csv");
        }
        if (offset < 0 || limit < 1 || limit > 10_000) {
            throw new InvalidInputException("limit", limit, "offset ≥ 0 and 1 ≤ limit ≤ 10000");
        }
        return ResponseEntity.ok(new ErrorPage(reports.read(job.id(), offset, limit), job.failed()));
    }
}
