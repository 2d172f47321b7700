package org.orbita.app.security;

import java.time.Instant;
import java.util.List;

/** A person who signs in to the web UI; {@code passwordHash} is BCrypt. */
public record UserAccount(
        String id, String email, String name, String passwordHash, List<String> workspaceIds, String locale, Instant created) {

    public UserAccount {
        workspaceIds = workspaceIds == null ? List.of() : List.copyOf(workspaceIds);
        locale = locale == null ? "en" : locale;
    }

    public UserAccount withLocale(String newLocale) {
        return new UserAccount(id, email, name, passwordHash, workspaceIds, newLocale, created);
    }
}
