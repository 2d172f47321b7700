package org.orbita.app.security;

import java.util.List;

/** Who calls the REST API: an API key of one workspace with its scopes. */
public record ApiPrincipal(String keyId, String workspaceId, List<String> scopes) {}
