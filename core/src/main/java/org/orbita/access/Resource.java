package org.orbita.access;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.orbita.common.InvalidInputException;

/** A kind of thing a permission is about, with the actions that mean something for it. */
public enum Resource {
    DATABASES("databases", EnumSet.of(Action.READ, Action.WRITE, Action.DELETE)),
    PROFILES("profiles", EnumSet.of(Action.READ, Action.WRITE, Action.DELETE, Action.EXPORT)),
    SEGMENTS("segments", EnumSet.of(Action.READ, Action.WRITE, Action.DELETE, Action.EXPORT)),
    MESSAGES("messages", EnumSet.of(Action.READ, Action.WRITE, Action.DELETE)),
    SNIPPETS("snippets", EnumSet.of(Action.READ, Action.WRITE, Action.DELETE)),
    CAMPAIGNS("campaigns", EnumSet.of(Action.READ, Action.WRITE, Action.DELETE, Action.LAUNCH, Action.APPROVE)),
    JOURNEYS("journeys", EnumSet.of(Action.READ, Action.WRITE, Action.DELETE, Action.LAUNCH)),
    SITES("sites", EnumSet.of(Action.READ, Action.WRITE, Action.DELETE)),
    FORMS("forms", EnumSet.of(Action.READ, Action.WRITE, Action.DELETE, Action.EXPORT)),
    MARKET("market", EnumSet.of(Action.READ, Action.WRITE, Action.DELETE)),
    PROMO("promo", EnumSet.of(Action.READ, Action.WRITE, Action.DELETE, Action.EXPORT)),
    INTEGRATIONS("integrations", EnumSet.of(Action.READ, Action.WRITE, Action.DELETE)),
    REPORTS("reports", EnumSet.of(Action.READ, Action.EXPORT)),
    MAIL_QUEUES("mail-queues", EnumSet.of(Action.READ, Action.WRITE)),
    SETTINGS("settings", EnumSet.of(Action.READ, Action.WRITE)),
    USERS("users", EnumSet.of(Action.READ, Action.WRITE, Action.DELETE)),
    API_KEYS("api-keys", EnumSet.of(Action.READ, Action.WRITE, Action.DELETE)),
    AUDIT_LOG("audit-log", EnumSet.of(Action.READ, Action.EXPORT));

    private final String id;
    private final Set<Action> actions;

    Resource(String id, Set<Action> actions) {
        this.id = id;
        this.actions = actions;
    }

    public String id() {
        return id;
    }

    /** The actions a role may be given on this kind of thing. */
    public Set<Action> actions() {
        return Set.copyOf(actions);
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Resource::id).toList();
    }

    public static Resource fromId(String field, String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst()
                .orElseThrow(() -> new InvalidInputException(field, id, "must be one of " + ids()));
    }
}
