package org.orbita.access;

/**
 * Who acts now, asked by the application services before they read or change anything: the
 * REST API and the web UI reach the same services, so they meet the same checks. The platform
 * provides it from the signed-in user or the calling key; without either (a job, a schedule)
 * the platform itself acts.
 */
@FunctionalInterface
public interface Access {

    /** Everything allowed: for the platform's own work and for tests of other things. */
    Access SYSTEM = () -> Actor.SYSTEM;

    Actor actor();

    /** Goes on when the one acting may do {@code action} on {@code resource}; else refuses. */
    default void require(Resource resource, Action action) {
        Permission needed = new Permission(resource, action);
        if (!actor().may(needed)) {
            throw new ForbiddenException(needed);
        }
    }

    default boolean may(Resource resource, Action action) {
        return actor().may(resource, action);
    }
}
