package org.orbita.profiles;

import java.time.Instant;

/**
 * A database of profiles in a workspace, with its own user-defined schema. Its {@code publicId}
 * is the id its workspace knows it by — unique within the workspace, what the API and the UI
 * show; {@code id} is the key it is stored under — unique across workspaces, usually the same
 * text, another when another workspace took that text first.
 */
public record ClientDatabase(String id, String workspaceId, String name, DatabaseSchema schema, Instant created, Instant updated,
                             String publicId) {

    public ClientDatabase {
        publicId = publicId == null ? id : publicId; // databases stored before ids were per workspace
    }

    public ClientDatabase withSchema(DatabaseSchema newSchema, Instant now) {
        return new ClientDatabase(id, workspaceId, name, newSchema, created, now, publicId);
    }

    public ClientDatabase withName(String newName, Instant now) {
        return new ClientDatabase(id, workspaceId, newName, schema, created, now, publicId);
    }
}
