package org.orbita.app.security;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.orbita.access.Permission;

/**
 * What an API key may do. Each REST operation names the one scope it needs; each scope stands
 * for the permissions of the services it reaches, and a key holds no more of them than its
 * user's role gives.
 */
public enum Scope {
    DATABASES_READ("databases:read", "databases:read"),
    DATABASES_WRITE("databases:write", "databases:write", "databases:delete"),
    PROFILES_READ("profiles:read", "profiles:read"),
    PROFILES_WRITE("profiles:write", "profiles:write", "profiles:delete"),
    EVENTS_READ("events:read", "profiles:read"),
    EVENTS_WRITE("events:write", "profiles:write"),
    IMPORTS_WRITE("imports:write", "profiles:write"),
    EXPORTS_READ("exports:read", "profiles:export", "segments:export"),
    SEGMENTS_READ("segments:read", "segments:read"),
    SEGMENTS_WRITE("segments:write", "segments:write", "segments:delete"),
    CONTENT_READ("content:read", "messages:read", "snippets:read"),
    CONTENT_WRITE("content:write", "messages:write", "messages:delete", "snippets:write", "snippets:delete"),
    CAMPAIGNS_READ("campaigns:read", "campaigns:read"),
    CAMPAIGNS_WRITE("campaigns:write", "campaigns:write", "campaigns:delete", "campaigns:launch"),
    CAMPAIGNS_APPROVE("campaigns:approve", "campaigns:approve"),
    INBOX_READ("inbox:read", "profiles:read"),
    INBOX_WRITE("inbox:write", "profiles:write"),
    JOURNEYS_READ("journeys:read", "journeys:read"),
    JOURNEYS_WRITE("journeys:write", "journeys:write", "journeys:delete", "journeys:launch"),
    JOBS_READ("jobs:read", "databases:read"),
    SITES_READ("sites:read", "sites:read"),
    SITES_WRITE("sites:write", "sites:write", "sites:delete"),
    FORMS_READ("forms:read", "forms:read", "forms:export"),
    FORMS_WRITE("forms:write", "forms:write", "forms:delete"),
    MARKET_READ("market:read", "market:read"),
    MARKET_WRITE("market:write", "market:write", "market:delete"),
    PROMO_READ("promo:read", "promo:read", "promo:export"),
    PROMO_WRITE("promo:write", "promo:write", "promo:delete"),
    INTEGRATIONS_READ("integrations:read", "integrations:read"),
    INTEGRATIONS_WRITE("integrations:write", "integrations:write", "integrations:delete"),
    REPORTS_READ("reports:read", "reports:read", "reports:export"),
    AUDIT_READ("audit:read", "audit-log:read", "audit-log:export"),
    SETTINGS_READ("settings:read", "settings:read", "mail-queues:read"),
    SETTINGS_WRITE("settings:write", "settings:write", "mail-queues:write"),
    USERS_READ("users:read", "users:read", "api-keys:read"),
    USERS_WRITE("users:write", "users:write", "users:delete", "api-keys:write", "api-keys:delete");

    private final String id;
    private final Set<String> permissions;

    Scope(String id, String... permissions) {
        this.id = id;
        this.permissions = Set.of(permissions);
        for (String p : permissions) {
            Permission.parse("scope", p); // a typo fails at start
        }
    }

    public String id() {
        return id;
    }

    /** The permissions this scope stands for. */
    public Set<String> permissions() {
        return permissions;
    }

    /** The Spring Security authority a key with this scope holds. */
    public String authority() {
        return "SCOPE_" + id;
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Scope::id).toList();
    }

    public static Scope fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("scope must be one of " + ids()));
    }
}
