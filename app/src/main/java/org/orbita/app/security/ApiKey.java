package org.orbita.app.security;

import java.time.Instant;
import java.util.List;

/**
 * A stored API key: only the SHA-256 of its secret is kept; the key itself
 * ({@code orb_<id>_<secret>}) is shown once, when created.
 */
public record ApiKey(String id, String workspaceId, String name, String secretHash, List<String> scopes, Instant created) {

    public ApiKey {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }
}
