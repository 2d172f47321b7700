package org.orbita.mobile;

import java.time.Instant;
import java.util.List;

/**
 * A mobile app whose SDK subscribes devices to push and reports what became of its pushes. Stored
 * as a settings document; the app token is kept only as its SHA-256 (it is shown once), the HS256
 * secret is never shown again after it is made.
 *
 * @param database     the database its devices' profiles are in
 * @param resource     the subscription resource its push subscriptions are made for
 * @param matching     the keys a JWT may name its person by: unique fields of the database, or {@code id}
 * @param jwtAlgorithm HS256 (with {@code jwtSecret}), RS256 or ES256 (with {@code jwtPublicKey})
 */
public record MobileApp(String workspaceId, String id, String name, String database, String resource, List<String> matching,
                        String jwtAlgorithm, String jwtSecret, String jwtPublicKey, String appTokenHash, boolean enabled,
                        Instant created, Instant updated) {

    public MobileApp {
        matching = matching == null ? List.of() : List.copyOf(matching);
    }
}
