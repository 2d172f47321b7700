package org.orbita.app.api;

import org.orbita.app.security.ApiPrincipal;
import org.orbita.audiences.Segments;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/** The calling key's workspace, and the databases it may see. */
@Component
class ApiContext {

    private final ClientDatabases databases;
    private final Segments segments;
    private final ProfileStore profiles;

    ApiContext(ClientDatabases databases, Segments segments, ProfileStore profiles) {
        this.databases = databases;
        this.segments = segments;
        this.profiles = profiles;
    }

    /** A profile by id or by a unique value ({@code matchBy}); 404 when there is none, 400 for a field that is not unique. */
    Profile profile(ClientDatabase db, String matchBy, String value) {
        String owner;
        try {
            owner = segments.ownerOf(db, matchBy, value).orElseThrow(() -> new NotFoundException("profile", value));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("matchBy", matchBy, e.getMessage());
        }
        return profiles.find(db.id(), owner).orElseThrow(() -> new NotFoundException("profile", value));
    }

    /** An API call for one profile: the profile named, and an idempotency key (when given) of a safe shape; {@code prefix} names a batch's item. */
    static void requireProfileAndKey(String prefix, String profile, String idempotencyKey) {
        if (profile == null || profile.isBlank()) {
            throw new InvalidInputException(prefix + "profile", null, "is required: the profile's id or a unique value (see matchBy)");
        }
        if (idempotencyKey != null && !idempotencyKey.matches("[A-Za-z0-9._:-]{1,100}")) {
            throw new InvalidInputException(prefix + "idempotencyKey", idempotencyKey, "1 to 100 letters, digits, '.', '_', ':' or '-'");
        }
    }

    /** A request parameter with its spaces stripped; blank: null (not given). */
    static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** A request parameter that is a moment (ISO-8601 instant); blank: null; anything else refused by name. */
    static java.time.Instant instant(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return java.time.Instant.parse(text.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException(field, text, "must be a time such as 2026-12-01T00:00:00Z");
        }
    }

    ApiPrincipal principal() {
        return (ApiPrincipal) SecurityContextHolder.getContext().getAuthentication().getPrincipal();
    }

    String workspaceId() {
        return principal().workspaceId();
    }

    /**
     * A database of the caller's workspace, by the id the workspace knows it by (or its storage
     * key); others are reported as missing, not forbidden. Services are then given its key.
     */
    ClientDatabase database(String id) {
        return databases.resolve(workspaceId(), id).orElseThrow(() -> new NotFoundException("database", id));
    }
}
