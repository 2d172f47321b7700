package org.orbita.app.security;

import java.util.List;
import java.util.Set;

/**
 * Who calls the REST API: an API key of one workspace with the scopes it holds, and what it
 * may do — its scopes' permissions within its user's role.
 */
public record ApiPrincipal(String keyId, String workspaceId, List<String> scopes, Set<String> permissions) {}
