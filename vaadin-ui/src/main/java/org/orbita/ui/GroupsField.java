package org.orbita.ui;

import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.orbita.access.Access;
import org.orbita.access.Resource;
import org.orbita.groups.Groups;

/**
 * An object's groups on its page (X1): who may see it. A change is saved at once; the services
 * refuse a group the user is not in (they would lose sight of the object) and the field goes
 * back to what is stored.
 */
public class GroupsField extends MultiSelectComboBox<Groups.Group> {

    private final Groups groups;
    private final Access access;
    private final String workspaceId;
    private final Resource kind;
    private final String objectId;
    private Map<String, Groups.Group> byId = Map.of();

    public GroupsField(Groups groups, Access access, CurrentUser user, Resource kind, String objectId, boolean editable) {
        this.groups = groups;
        this.access = access;
        this.workspaceId = user.workspaceId();
        this.kind = kind;
        this.objectId = objectId;
        setLabel(getTranslation("groups.field"));
        setHelperText(getTranslation("groups.fieldHelp"));
        setId("object-groups");
        setItemLabelGenerator(g -> Groups.MAIN.equals(g.id()) ? getTranslation("groups.main") : g.name());
        setReadOnly(!editable);
        setMinWidth("14em");
        show();
        addValueChangeListener(e -> {
            if (!e.isFromClient()) {
                return;
            }
            try {
                groups.place(workspaceId, kind, objectId, e.getValue().stream().map(Groups.Group::id).toList(), access.actor());
                Problems.success(getTranslation("groups.saved"));
            } catch (RuntimeException ex) {
                Problems.show(ex);
                show();
            }
        });
    }

    private void show() {
        List<Groups.Group> all = groups.list(workspaceId);
        byId = all.stream().collect(Collectors.toMap(Groups.Group::id, Function.identity()));
        setItems(all);
        Set<Groups.Group> in = new LinkedHashSet<>();
        groups.of(kind, objectId).forEach(g -> {
            if (byId.containsKey(g)) {
                in.add(byId.get(g));
            }
        });
        setValue(in);
    }
}
