package org.orbita.ui.profiles;

import com.vaadin.flow.router.BeforeEnterEvent;
import java.util.Optional;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.ui.CurrentUser;

/** The database a route's {@code :db} names, if the user's workspace has it; otherwise back to the list. */
public final class DatabaseRoute {

    private DatabaseRoute() {}

    public static Optional<ClientDatabase> resolve(BeforeEnterEvent event, ClientDatabases databases, CurrentUser user) {
        String id = event.getRouteParameters().get("db").orElse("");
        Optional<ClientDatabase> db = databases.resolve(user.workspaceId(), id);
        if (db.isEmpty()) {
            event.forwardTo(DatabasesView.class);
        }
        return db;
    }
}
