package org.orbita.access;

/** The one acting may not do this: its role does not allow it (a thing out of its sight is reported missing instead). */
public class ForbiddenException extends RuntimeException {

    private final transient Permission needed;

    public ForbiddenException(Permission needed) {
        super("your role does not allow " + needed.id());
        this.needed = needed;
    }

    /** Refused for another reason than a role's permission (only a super-administrator makes workspaces, say). */
    public ForbiddenException(String why) {
        super(why);
        this.needed = null;
    }

    /** What would have allowed it; null when no permission would. */
    public Permission needed() {
        return needed;
    }
}
