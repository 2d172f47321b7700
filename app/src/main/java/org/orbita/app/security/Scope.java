package org.orbita.app.security;

import java.util.Arrays;
import java.util.List;

/** What an API key may do. Each REST operation names the one scope it needs. */
public enum Scope {
    DATABASES_READ("databases:read"),
    DATABASES_WRITE("databases:write"),
    PROFILES_READ("profiles:read"),
    PROFILES_WRITE("profiles:write"),
    EVENTS_READ("events:read"),
    EVENTS_WRITE("events:write"),
    IMPORTS_WRITE("imports:write"),
    EXPORTS_READ("exports:read"),
    SEGMENTS_READ("segments:read"),
    SEGMENTS_WRITE("segments:write"),
    CONTENT_READ("content:read"),
    CONTENT_WRITE("content:write"),
    CAMPAIGNS_READ("campaigns:read"),
    CAMPAIGNS_WRITE("campaigns:write"),
    CAMPAIGNS_APPROVE("campaigns:approve"),
    INBOX_READ("inbox:read"),
    INBOX_WRITE("inbox:write"),
    JOURNEYS_READ("journeys:read"),
    JOURNEYS_WRITE("journeys:write"),
    JOBS_READ("jobs:read"),
    AUDIT_READ("audit:read"),
    SETTINGS_READ("settings:read"),
    SETTINGS_WRITE("settings:write");

    private final String id;

    Scope(String id) {
        this.id = id;
    }

    public String id() {
        return id;
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
