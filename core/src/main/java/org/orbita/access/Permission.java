package org.orbita.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.orbita.common.InvalidInputException;

/** One action on one kind of thing, written {@code resource:action} (for example {@code campaigns:launch}). */
public record Permission(Resource resource, Action action) {

    public Permission {
        if (!resource.actions().contains(action)) {
            throw new InvalidInputException("permissions", resource.id() + ":" + action.id(),
                    "means nothing: " + resource.id() + " takes " + resource.actions().stream().map(Action::id).sorted().toList());
        }
    }

    public String id() {
        return resource.id() + ":" + action.id();
    }

    /** Parses {@code resource:action}; a refusal names the field and the rule. */
    public static Permission parse(String field, String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw new InvalidInputException(field, text, "must be resource:action, e.g. campaigns:launch");
        }
        Resource resource = Resource.fromId(field, text.substring(0, colon));
        Action action = Action.fromId(field, text.substring(colon + 1));
        if (!resource.actions().contains(action)) {
            throw new InvalidInputException(field, text, "means nothing: " + resource.id() + " takes "
                    + resource.actions().stream().map(Action::id).sorted().toList());
        }
        return new Permission(resource, action);
    }

    /** Every permission there is. */
    public static List<Permission> all() {
        List<Permission> all = new ArrayList<>();
        for (Resource r : Resource.values()) {
            for (Action a : Action.values()) {
                if (r.actions().contains(a)) {
                    all.add(new Permission(r, a));
                }
            }
        }
        return all;
    }

    /** The ids of some permissions, sorted. */
    public static Set<String> ids(Collection<Permission> permissions) {
        Set<String> ids = new TreeSet<>();
        permissions.forEach(p -> ids.add(p.id()));
        return ids;
    }
}
