package org.orbita.app.security;

import java.util.List;
import org.orbita.ui.ApiKeyAdmin;
import org.springframework.stereotype.Component;

/** The UI's API key page over the accounts. */
@Component
class WorkspaceApiKeys implements ApiKeyAdmin {

    private final Accounts accounts;

    WorkspaceApiKeys(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public List<KeyView> keys(String workspaceId) {
        return accounts.keys(workspaceId).stream().map(k -> new KeyView(k.id(), k.name(), k.scopes(), k.created())).toList();
    }

    @Override
    public List<String> scopes() {
        return Scope.ids();
    }

    @Override
    public String create(String workspaceId, String name, List<String> scopes) {
        return accounts.createKey(workspaceId, name, scopes);
    }

    @Override
    public void revoke(String workspaceId, String keyId) {
        accounts.revokeKey(workspaceId, keyId);
    }
}
