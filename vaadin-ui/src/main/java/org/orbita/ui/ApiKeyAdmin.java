package org.orbita.ui;

import java.time.Instant;
import java.util.List;

/** API keys of a workspace as the UI manages them; the app implements it over its accounts. */
public interface ApiKeyAdmin {

    List<KeyView> keys(String workspaceId);

    List<String> scopes();

    /** Creates a key and returns its full text, which is shown once and never stored. */
    String create(String workspaceId, String name, List<String> scopes);

    void revoke(String workspaceId, String keyId);

    /** A key without its secret. */
    record KeyView(String id, String name, List<String> scopes, Instant created) {}
}
