package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.orbita.app.jobs.SqlImportScheduler;
import org.orbita.jobs.Job;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.imports.SqlImport;
import org.orbita.profiles.imports.SqlImports;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/databases/{db}/sql-imports")
@Tag(name = "SQL imports", description = "Scheduled pulls from external PostgreSQL / MariaDB / MySQL databases")
class SqlImportsController {

    private final SqlImports sqlImports;
    private final SqlImportScheduler scheduler;
    private final ApiContext context;

    SqlImportsController(SqlImports sqlImports, SqlImportScheduler scheduler, ApiContext context) {
        this.sqlImports = sqlImports;
        this.scheduler = scheduler;
        this.context = context;
    }

    /**
     * A schedule: connection, a read-only query, an optional watermark column (only rows past
     * its last value are pulled), a six-field cron (UTC; none = run on demand), mapping,
     * matching key and mode.
     */
    record SqlImportRequest(String name, String jdbcUrl, String user, String password, String query, String watermarkColumn,
            String cron, Map<String, String> mapping, String matching, String mode) {}

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_imports:write')")
    @Operation(summary = "Create a scheduled import from an external SQL database")
    Map<String, Object> create(@PathVariable String db, @RequestBody SqlImportRequest r) {
        ClientDatabase d = context.database(db);
        SqlImport s = sqlImports.create(context.workspaceId(), new SqlImport(null, null, d.id(), r.name(), r.jdbcUrl(), r.user(),
                r.password(), r.query(), r.watermarkColumn(), null, null, r.cron(), r.mapping(), r.matching(), r.mode(), true,
                null, null));
        scheduler.schedule(s);
        return view(s, d);
    }

    @GetMapping
    @PreAuthorize("hasAuthority('SCOPE_jobs:read')")
    @Operation(summary = "The database's scheduled SQL imports (passwords never shown)")
    List<Map<String, Object>> list(@PathVariable String db) {
        ClientDatabase d = context.database(db);
        return sqlImports.list(context.workspaceId()).stream().filter(s -> s.databaseId().equals(d.id())).map(s -> view(s, d)).toList();
    }

    /** The import as shown: its database by the id the workspace knows it by. */
    private static Map<String, Object> view(SqlImport s, ClientDatabase d) {
        Map<String, Object> v = SqlImports.view(s);
        v.put("database", d.publicId());
        return v;
    }

    @PostMapping("/{id}/run")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasAuthority('SCOPE_imports:write')")
    @Operation(summary = "Run a scheduled SQL import now; returns its job")
    Job run(@PathVariable String db, @PathVariable String id) {
        context.database(db);
        return scheduler.start(sqlImports.get(context.workspaceId(), id));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_imports:write')")
    @Operation(summary = "Delete a scheduled SQL import")
    void delete(@PathVariable String db, @PathVariable String id) {
        context.database(db);
        sqlImports.delete(context.workspaceId(), id);
        scheduler.unschedule(id);
    }
}
