package org.orbita.ui;

import com.vaadin.flow.component.html.Div;
import org.orbita.access.Access;
import org.orbita.access.Resource;
import org.orbita.groups.Groups;

/** Where an object's page shows its groups once the object exists (a new one is placed when first saved). */
public class GroupsSlot extends Div {

    private final Groups groups;
    private final Access access;
    private final CurrentUser user;

    public GroupsSlot(Groups groups, Access access, CurrentUser user) {
        this.groups = groups;
        this.access = access;
        this.user = user;
    }

    /** Shows the groups of an object of this kind; changeable with the kind's write permission. */
    public void show(Resource kind, String objectId) {
        removeAll();
        if (objectId != null) {
            add(new GroupsField(groups, access, user, kind, objectId, user.may(kind.id() + ":write")));
        }
    }
}
