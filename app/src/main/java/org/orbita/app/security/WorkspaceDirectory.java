package org.orbita.app.security;

import java.util.List;
import java.util.Map;
import org.orbita.ui.DirectoryAdmin;
import org.springframework.stereotype.Component;

/** The directory settings page's view of {@link Directory}. */
@Component
class WorkspaceDirectory implements DirectoryAdmin {

    private final Directory directory;
    private final SingleSignOn sso;

    WorkspaceDirectory(Directory directory, SingleSignOn sso) {
        this.directory = directory;
        this.sso = sso;
    }

    @Override
    public SsoForm sso(String workspaceId) {
        return sso.get(workspaceId).map(s -> new SsoForm(s.enabled(), s.label(), s.issuer(), s.clientId(), null, s.roleClaim(), s.roleOfValue(),
                s.groupsOfValue(), s.defaultRole(), s.clientSecretSet()))
                .orElse(new SsoForm(false, null, null, null, null, null, Map.of(), Map.of(), null, false));
    }

    @Override
    public void saveSso(String workspaceId, SsoForm f) {
        sso.save(workspaceId, new SingleSignOn.Settings(workspaceId, f.enabled(), f.label(), f.issuer(), f.clientId(), f.clientSecret(),
                f.roleClaim(), f.roleOfValue(), f.groupsOfValue(), f.defaultRole(), null));
    }

    @Override
    public Form form(String workspaceId) {
        return directory.get(workspaceId).map(d -> new Form(d.enabled(), d.urls(), d.startTls(), d.bindDn(), null, d.userBase(), d.userFilter(),
                d.emailAttribute(), d.nameAttribute(), d.groupAttribute(), d.roleOfGroup(), d.groupsOfGroup(), d.defaultRole(), d.bindPasswordSet()))
                .orElse(new Form(false, List.of(), false, null, null, null, null, null, null, null, Map.of(), Map.of(), null, false));
    }

    @Override
    public void save(String workspaceId, Form f) {
        directory.save(workspaceId, new Directory.Settings(workspaceId, f.enabled(), f.urls(), f.startTls(), f.bindDn(), f.bindPassword(),
                f.userBase(), f.userFilter(), f.emailAttribute(), f.nameAttribute(), f.groupAttribute(), f.roleOfGroup(), f.groupsOfGroup(),
                f.defaultRole(), null));
    }

    @Override
    public String check(String workspaceId) {
        return directory.check(workspaceId);
    }
}
