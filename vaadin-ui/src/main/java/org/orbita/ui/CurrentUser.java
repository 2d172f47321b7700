package org.orbita.ui;

import java.util.List;
import java.util.Locale;

/** The signed-in person as the views need them; the app implements it over its accounts. */
public interface CurrentUser {

    String email();

    /** Workspaces the user may open, as id → name pairs. */
    List<WorkspaceRef> workspaces();

    /** The workspace this browser session works in. */
    String workspaceId();

    void switchWorkspace(String workspaceId);

    Locale locale();

    /** Remembers the user's language for their next sessions. */
    void saveLocale(Locale locale);

    void logout();

    /**
     * Whether the user's role in the current workspace holds a permission ({@code users:read});
     * pages hide what is refused, the services refuse it anyway.
     */
    boolean may(String permission);

    /** A workspace as the switcher shows it. */
    record WorkspaceRef(String id, String name) {}
}
