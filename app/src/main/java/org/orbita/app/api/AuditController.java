package org.orbita.app.api;

import static org.orbita.app.api.ApiContext.blank;
import static org.orbita.app.api.ApiContext.instant;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.orbita.audit.AuditEntry;
import org.orbita.audit.AuditLog;
import org.orbita.audit.AuditQuery;
import org.orbita.common.InvalidInputException;
import org.orbita.tabular.TableExport;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** The audit log: lines filtered and paged, exported as CSV or XLSX, and its hash chain checked. */
@RestController
@Tag(name = "Audit log")
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    /** One page: the lines, and where the next page starts (null at the end). */
    record Page(List<AuditEntry> lines, Long nextBefore) {}

    static AuditQuery query(String from, String to, String actor, String action, String objectKind, String objectId, String outcome, long before) {
        return new AuditQuery(null, instant("from", from), instant("to", to), blank(actor), blank(action), blank(objectKind), blank(objectId),
                blank(outcome), before);
    }



    @GetMapping("/api/v1/audit")
    @PreAuthorize("hasAuthority('SCOPE_audit:read')")
    @Operation(summary = "Audit log lines, newest first: filter by period (from, to: ISO times), actor (id or part of an email), action"
            + " (a permission such as campaigns:launch, a resource kind such as campaigns, or sign-in), object kind and id, outcome;"
            + " page with before=<nextBefore>")
    Page find(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
              @RequestParam(required = false) String actor, @RequestParam(required = false) String action,
              @RequestParam(required = false) String objectKind, @RequestParam(required = false) String objectId,
              @RequestParam(required = false) String outcome, @RequestParam(defaultValue = "0") long before,
              @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit", limit, "must be between 1 and 1000");
        }
        List<AuditEntry> lines = audit.find(query(from, to, actor, action, objectKind, objectId, outcome, before), limit);
        return new Page(lines, lines.size() < limit ? null : lines.get(lines.size() - 1).seq());
    }

    @GetMapping("/api/v1/audit/export")
    @PreAuthorize("hasAuthority('SCOPE_audit:read')")
    @Operation(summary = "Every matching audit line as CSV or XLSX (format=csv|xlsx), newest first; same filters as GET /audit")
    ResponseEntity<StreamingResponseBody> export(@RequestParam(defaultValue = "csv") String format,
              @RequestParam(required = false) String from, @RequestParam(required = false) String to,
              @RequestParam(required = false) String actor, @RequestParam(required = false) String action,
              @RequestParam(required = false) String objectKind, @RequestParam(required = false) String objectId,
              @RequestParam(required = false) String outcome) {
        String f = TableExport.checkFormat(format);
        AuditLog.Lines lines = audit.export(query(from, to, actor, action, objectKind, objectId, outcome, 0));
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-log." + f + "\"")
                .contentType(MediaType.parseMediaType(TableExport.mediaType(f)))
                .body(out -> AuditLog.write(lines, f, out));
    }

    @GetMapping("/api/v1/audit/verify")
    @PreAuthorize("hasAuthority('SCOPE_audit:read')")
    @Operation(summary = "Check the audit log's hash chain from its oldest kept line: how many lines, and the first that was changed or removed")
    AuditLog.Verification verify() {
        return audit.verify();
    }
}
