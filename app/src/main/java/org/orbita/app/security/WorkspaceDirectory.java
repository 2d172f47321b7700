package org.orbita.app.security;

import java.util.List;
import java.util.Map;
import org.orbita.ui.DirectoryAdmin;
import org.springframework.stereotype.Component;

/** The directory settings page's view of {@link Directory}. */
@Component
class WorkspaceDirectory implements DirectoryAdmin {

    private final Directory directory;

    WorkspaceDirectory(Directory directory) {
        this.directory = directory;
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
