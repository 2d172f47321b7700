package org.orbita.access;

/** The one acting may not do this: its role does not allow it (a thing out of its sight is reported missing instead). */
public class ForbiddenException extends RuntimeException {

    private final transient Permission needed;

    public ForbiddenException(Permission needed) {
        super("your role does not allow " + needed.id());
        this.needed = needed;
    }

    /** What would have allowed it. */
    public Permission needed() {
        return needed;
    }
}
