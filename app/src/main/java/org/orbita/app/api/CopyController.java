package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.orbita.common.InvalidInputException;
import org.orbita.jobs.Job;
import org.orbita.jobs.JobRunner;
import org.orbita.profiles.ProfileCopy;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Imports", description = "File imports (CSV, TXT, XLS, XLSX) run as jobs with a per-row error report")
class CopyController {

    private final ProfileCopy copies;
    private final JobRunner runner;
    private final ApiContext context;

    CopyController(ProfileCopy copies, JobRunner runner, ApiContext context) {
        this.copies = copies;
        this.runner = runner;
        this.context = context;
    }

    /** Where to copy, how to map fields (source → target; default: fields both share), matching key and mode. */
    record CopyRequest(String target, Map<String, String> mapping, String matching, String mode) {}

    @PostMapping("/api/v1/databases/{db}/copy")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasAuthority('SCOPE_imports:write')")
    @Operation(summary = "Copy every profile of this database into another one, as a job")
    Job copy(@PathVariable String db, @RequestBody CopyRequest request) {
        String source = context.database(db).id();
        if (request.target() == null || request.target().isBlank()) {
            throw new InvalidInputException("target", null, "is required: the id of the database to copy into");
        }
        String target = context.database(request.target()).id();
        Job job = copies.submit(context.workspaceId(),
                new ProfileCopy.Spec(source, target, request.mapping(), request.matching(), request.mode()));
        runner.submit(job);
        return job;
    }
}
