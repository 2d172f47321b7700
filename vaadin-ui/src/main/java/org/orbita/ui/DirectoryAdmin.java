package org.orbita.ui;

import java.util.List;
import java.util.Map;

/** A workspace's directory (LDAP / Active Directory) as its settings page changes it; the app implements it. */
public interface DirectoryAdmin {

    /** What the page shows and saves; {@code bindPassword} null keeps the saved one (it is never shown). */
    record Form(boolean enabled, List<String> urls, boolean startTls, String bindDn, String bindPassword, String userBase, String userFilter,
                String emailAttribute, String nameAttribute, String groupAttribute, Map<String, String> roleOfGroup,
                Map<String, List<String>> groupsOfGroup, String defaultRole, boolean bindPasswordSet) {}

    Form form(String workspaceId);

    void save(String workspaceId, Form form);

    /** Connects with the service account: null when it works, else what went wrong at each host. */
    String check(String workspaceId);

    /** The OpenID Connect provider; {@code clientSecret} null keeps the saved one (never shown). */
    record SsoForm(boolean enabled, String label, String issuer, String clientId, String clientSecret, String roleClaim,
                   Map<String, String> roleOfValue, Map<String, List<String>> groupsOfValue, String defaultRole, boolean clientSecretSet) {}

    SsoForm sso(String workspaceId);

    void saveSso(String workspaceId, SsoForm form);
}
