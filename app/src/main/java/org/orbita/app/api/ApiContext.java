package org.orbita.app.api;

import org.orbita.app.security.ApiPrincipal;
import org.orbita.common.NotFoundException;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/** The calling key's workspace, and the databases it may see. */
@Component
class ApiContext {

    private final ClientDatabases databases;

    ApiContext(ClientDatabases databases) {
        this.databases = databases;
    }

    ApiPrincipal principal() {
        return (ApiPrincipal) SecurityContextHolder.getContext().getAuthentication().getPrincipal();
    }

    String workspaceId() {
        return principal().workspaceId();
    }

    /** A database of the caller's workspace; others are reported as missing, not forbidden. */
    ClientDatabase database(String id) {
        return databases.find(id).filter(d -> d.workspaceId().equals(workspaceId()))
                .orElseThrow(() -> new NotFoundException("database", id));
    }
}
