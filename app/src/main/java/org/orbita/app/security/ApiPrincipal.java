package org.orbita.app.security;

import java.util.List;
import java.util.Set;
import org.orbita.access.Actor;

/**
 * Who calls the REST API: an API key of one workspace with the scopes it holds, and what it
 * may do — its scopes' permissions within its user's role.
 */
public record ApiPrincipal(String keyId, String workspaceId, List<String> scopes, Set<String> permissions, Actor actor) {

    /** Worked out once, when the key is presented: every service asks the same actor during the request (an event batch asks per event). */
    public ApiPrincipal(String keyId, String workspaceId, List<String> scopes, Set<String> permissions, Set<String> groups) {
        this(keyId, workspaceId, List.copyOf(scopes), Set.copyOf(permissions),
                new Actor(keyId, Actor.Kind.API_KEY, workspaceId, permissions, groups));
    }
}
