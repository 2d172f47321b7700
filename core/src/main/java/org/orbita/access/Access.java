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

    /**
     * Records a change the one acting made (the audit log), with the object before and after
     * (null when it did not exist, or no longer does). The platform's own work is not recorded.
     */
    default void changed(Resource resource, Action action, String objectId, Object before, Object after) {
        // the platform's own work (Access.SYSTEM) leaves no line
    }

    /**
     * Records a change and hands back what it made: {@code return access.recorded(…, put(x))}. The
     * object's id is read from {@code after} (or {@code before}) by the audit log.
     */
    default <T> T recorded(Resource resource, Action action, Object before, T after) {
        changed(resource, action, null, before, after);
        return after;
    }

    /**
     * Whether the one acting sees an object (it shares a group with them, or they are in the group
     * that holds everything). A service hands over nothing out of sight: such an object is missing.
     */
    default boolean sees(Resource resource, String objectId) {
        return true;
    }

    /** Records an attempt refused for another reason than a missing permission (a role beyond one's own, say). */
    default void refused(Resource resource, Action action, String objectId, String why) {
        // the platform's own work leaves no line
    }

    default boolean may(Resource resource, Action action) {
        return actor().may(resource, action);
    }
}
