package org.orbita.app.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.orbita.jobs.JobRunner;
import org.orbita.common.InvalidInputException;
import org.orbita.jobs.Job;
import org.orbita.profiles.imports.ImportSpec;
import org.orbita.profiles.imports.ProfileImport;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/v1/databases/{db}/imports")
@Tag(name = "Imports", description = "File imports (CSV, TXT, XLS, XLSX) run as jobs with a per-row error report")
class ImportsController {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProfileImport imports;
    private final JobRunner executor;
    private final ApiContext context;

    ImportsController(ProfileImport imports, JobRunner executor, ApiContext context) {
        this.imports = imports;
        this.executor = executor;
        this.context = context;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasAuthority('SCOPE_imports:write')")
    @Operation(summary = "Upload a file and start an import job",
            description = "mapping is a JSON object of column name → field name (or subscriptions.<channel>, or _skip); "
                    + "empty maps columns named like fields. mode: insert | update | upsert (default).")
    Job start(@PathVariable String db, @RequestPart("file") MultipartFile file,
            @RequestParam(required = false) String mapping, @RequestParam(required = false) String matching,
            @RequestParam(required = false) String mode, @RequestParam(required = false) String format,
            @RequestParam(required = false) String delimiter, @RequestParam(required = false) String encoding,
            @RequestParam(required = false) Boolean header) throws IOException {
        String key = context.database(db).id();
        if (file.isEmpty()) {
            throw new InvalidInputException("file", file.getOriginalFilename(), "is empty");
        }
        ImportSpec spec = new ImportSpec(key, file.getOriginalFilename(), format, delimiter, encoding, header, parseMapping(mapping),
                matching, mode);
        try (InputStream in = file.getInputStream()) {
            Job job = imports.submit(context.workspaceId(), spec, in);
            executor.submit(job);
            return job;
        }
    }

    static Map<String, String> parseMapping(String mapping) {
        if (mapping == null || mapping.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(mapping, new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("mapping", mapping, "must be a JSON object of column name to field name");
        }
    }
}
