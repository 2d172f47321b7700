package org.orbita.profiles;

import java.time.Instant;

/** A database of profiles in a workspace, with its own user-defined schema. */
public record ClientDatabase(String id, String workspaceId, String name, DatabaseSchema schema, Instant created, Instant updated) {

    public ClientDatabase withSchema(DatabaseSchema newSchema, Instant now) {
        return new ClientDatabase(id, workspaceId, name, newSchema, created, now);
    }

    public ClientDatabase withName(String newName, Instant now) {
        return new ClientDatabase(id, workspaceId, newName, schema, created, now);
    }
}
