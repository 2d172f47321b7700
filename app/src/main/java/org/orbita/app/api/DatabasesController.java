package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.ProfileStore;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/databases")
@Tag(name = "Databases", description = "Client databases and their schemas")
class DatabasesController {

    private final ClientDatabases databases;
    private final ProfileStore profiles;
    private final ApiContext context;

    DatabasesController(ClientDatabases databases, ProfileStore profiles, ApiContext context) {
        this.databases = databases;
        this.profiles = profiles;
        this.context = context;
    }

    /** A database with its schema; fields absent means the starter schema (email, phone, external_id, names). */
    record DatabaseRequest(String id, String name, List<FieldDefinition> fields) {}

    record SchemaRequest(List<FieldDefinition> fields) {}

    record DatabaseView(String id, String name, List<FieldDefinition> fields, long profiles, String created, String updated) {
        static DatabaseView of(ClientDatabase d, long count) {
            return new DatabaseView(d.publicId(), d.name(), d.schema().fields(), count, d.created().toString(), d.updated().toString());
        }
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_databases:write')")
    @Operation(summary = "Create a client database with its schema")
    DatabaseView create(@RequestBody DatabaseRequest request) {
        ClientDatabase db = databases.create(context.workspaceId(), request.id(), request.name(),
                request.fields() == null ? null : new DatabaseSchema(request.fields()));
        return DatabaseView.of(db, 0);
    }

    @GetMapping
    @PreAuthorize("hasAuthority('SCOPE_databases:read')")
    @Operation(summary = "List the workspace's databases")
    List<DatabaseView> list() {
        return databases.list(context.workspaceId()).stream().map(d -> DatabaseView.of(d, profiles.count(d.id()))).toList();
    }

    @GetMapping("/{db}")
    @PreAuthorize("hasAuthority('SCOPE_databases:read')")
    @Operation(summary = "A database, its schema and profile count")
    DatabaseView get(@PathVariable String db) {
        ClientDatabase d = context.database(db);
        return DatabaseView.of(d, profiles.count(d.id()));
    }

    @PutMapping("/{db}/schema")
    @PreAuthorize("hasAuthority('SCOPE_databases:write')")
    @Operation(summary = "Replace the schema; checked against every stored profile first")
    DatabaseView changeSchema(@PathVariable String db, @RequestBody SchemaRequest request) {
        ClientDatabase d = databases.changeSchema(context.database(db).id(), new DatabaseSchema(request.fields()));
        return DatabaseView.of(d, profiles.count(d.id()));
    }

    @DeleteMapping("/{db}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_databases:write')")
    @Operation(summary = "Delete a database and all its profiles")
    void delete(@PathVariable String db) {
        databases.delete(context.database(db).id());
    }
}
