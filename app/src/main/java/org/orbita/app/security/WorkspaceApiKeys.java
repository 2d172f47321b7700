package org.orbita.app.security;

import java.util.List;
import org.orbita.ui.ApiKeyAdmin;
import org.springframework.stereotype.Component;

/** The UI's API key page over the team's rules. */
@Component
class WorkspaceApiKeys implements ApiKeyAdmin {

    private final Team team;

    WorkspaceApiKeys(Team team) {
        this.team = team;
    }

    @Override
    public List<KeyView> keys(String workspaceId) {
        return team.keys(workspaceId).stream().map(k -> new KeyView(k.id(), k.name(), k.scopes(), k.created())).toList();
    }

    @Override
    public List<String> scopes() {
        return Scope.ids();
    }

    @Override
    public String create(String workspaceId, String name, List<String> scopes) {
        return team.createKey(workspaceId, name, scopes, null);
    }

    @Override
    public void revoke(String workspaceId, String keyId) {
        team.revokeKey(workspaceId, keyId);
    }
}
