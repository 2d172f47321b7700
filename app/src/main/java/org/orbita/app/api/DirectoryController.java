package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.orbita.app.security.Directory;
import org.orbita.app.security.SingleSignOn;
import org.orbita.common.NotFoundException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Signing in from outside: the workspace's directory (LDAP / Active Directory; the bind password
 * write-only; a connection check) and its OpenID Connect provider (the client secret write-only).
 */
@RestController
@Tag(name = "Settings")
class DirectoryController {

    private final Directory directory;
    private final SingleSignOn sso;
    private final ApiContext context;

    DirectoryController(Directory directory, SingleSignOn sso, ApiContext context) {
        this.directory = directory;
        this.sso = sso;
        this.context = context;
    }

    record DirectoryRequest(Boolean enabled, List<String> urls, Boolean startTls, String bindDn, String bindPassword, String userBase,
                            String userFilter, String emailAttribute, String nameAttribute, String groupAttribute,
                            Map<String, String> roleOfGroup, Map<String, List<String>> groupsOfGroup, String defaultRole) {}

    @GetMapping("/api/v1/settings/directory")
    @PreAuthorize("hasAuthority('SCOPE_settings:read')")
    @Operation(summary = "The workspace's directory for signing in (the bind password is only said to be set)")
    Directory.Shown get() {
        return directory.get(context.workspaceId()).orElseThrow(() -> new NotFoundException("directory", context.workspaceId()));
    }

    @PutMapping("/api/v1/settings/directory")
    @PreAuthorize("hasAuthority('SCOPE_settings:write')")
    @Operation(summary = "Saves the directory: urls (ldap:// or ldaps://, a backup host after the first), startTls, bindDn, bindPassword"
            + " (left out: kept), userBase, userFilter with {0}, attributes, roleOfGroup (directory group DN → role id, first match wins),"
            + " groupsOfGroup (DN → Orbita groups), defaultRole (none: people in no mapped group are refused)")
    Directory.Shown save(@RequestBody DirectoryRequest in) {
        return directory.save(context.workspaceId(), new Directory.Settings(context.workspaceId(), Boolean.TRUE.equals(in.enabled()), in.urls(),
                Boolean.TRUE.equals(in.startTls()), in.bindDn(), in.bindPassword(), in.userBase(), in.userFilter(), in.emailAttribute(),
                in.nameAttribute(), in.groupAttribute(), in.roleOfGroup(), in.groupsOfGroup(), in.defaultRole(), null));
    }

    record Check(boolean ok, String problem) {}

    @PostMapping("/api/v1/settings/directory/check")
    @PreAuthorize("hasAuthority('SCOPE_settings:write')")
    @Operation(summary = "Connects to the directory with the service account: ok, or what went wrong at each host")
    Check check() {
        String problem = directory.check(context.workspaceId());
        return new Check(problem == null, problem);
    }

    record SsoRequest(Boolean enabled, String label, String issuer, String clientId, String clientSecret, String roleClaim,
                      Map<String, String> roleOfValue, Map<String, List<String>> groupsOfValue, String defaultRole) {}

    @GetMapping("/api/v1/settings/sso")
    @PreAuthorize("hasAuthority('SCOPE_settings:read')")
    @Operation(summary = "The workspace's OpenID Connect provider for signing in (the client secret is only said to be set)")
    SingleSignOn.Shown sso() {
        return sso.get(context.workspaceId()).orElseThrow(() -> new NotFoundException("single sign-on", context.workspaceId()));
    }

    @PutMapping("/api/v1/settings/sso")
    @PreAuthorize("hasAuthority('SCOPE_settings:write')")
    @Operation(summary = "Saves the OpenID Connect provider: issuer (its discovery document is read), clientId, clientSecret (left out:"
            + " kept), label of the sign-in button, roleClaim (default groups), roleOfValue (claim value → role id, first match wins),"
            + " groupsOfValue (value → Orbita groups), defaultRole (none: people with no mapped value are refused). Redirect URI to register at"
            + " the provider: {Orbita's address}/login/oauth2/code/{workspace id}")
    SingleSignOn.Shown saveSso(@RequestBody SsoRequest in) {
        return sso.save(context.workspaceId(), new SingleSignOn.Settings(context.workspaceId(), Boolean.TRUE.equals(in.enabled()), in.label(),
                in.issuer(), in.clientId(), in.clientSecret(), in.roleClaim(), in.roleOfValue(), in.groupsOfValue(), in.defaultRole(), null));
    }
}
