package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.exports.ProfileExport;
import org.orbita.tabular.TableExport;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@RestController
@RequestMapping("/api/v1/databases/{db}/exports")
@Tag(name = "Exports", description = "A database's profiles as CSV or XLSX, streamed")
class ExportsController {

    private final ProfileExport export;
    private final ApiContext context;

    ExportsController(ProfileExport export, ApiContext context) {
        this.export = export;
        this.context = context;
    }

    @GetMapping
    @PreAuthorize("hasAuthority('SCOPE_exports:read')")
    @Operation(summary = "Download every profile of the database (format=csv or xlsx)")
    ResponseEntity<StreamingResponseBody> export(@PathVariable String db, @RequestParam(defaultValue = "csv") String format) {
        ClientDatabase d = context.database(db);
        String f = ProfileExport.checkFormat(format);
        export.allowDatabase(d, f);
        MediaType type = MediaType.parseMediaType(TableExport.mediaType(f));
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + d.publicId() + "." + f + "\"")
                .contentType(type)
                .body(out -> export.write(d, f, out));
    }
}
