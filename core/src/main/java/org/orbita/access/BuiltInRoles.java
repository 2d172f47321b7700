package org.orbita.access;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The roles every workspace has. An owner may do everything and give any role; an
 * administrator everything but give the owner's role; a marketer works with the audience,
 * the content and the sends but approves nothing and manages nobody; an analyst reads
 * and exports; a viewer reads.
 */
public final class BuiltInRoles {

    public static final String OWNER = "owner";
    public static final String ADMINISTRATOR = "administrator";
    public static final String MARKETER = "marketer";
    public static final String ANALYST = "analyst";
    public static final String VIEWER = "viewer";

    private static final Set<Resource> WORK = EnumSet.of(Resource.DATABASES, Resource.PROFILES, Resource.SEGMENTS, Resource.MESSAGES,
            Resource.SNIPPETS, Resource.CAMPAIGNS, Resource.JOURNEYS, Resource.SITES, Resource.FORMS, Resource.PROMO, Resource.MARKET, Resource.REPORTS);
    private static final Instant EPOCH = Instant.EPOCH;

    private static final List<Role> ALL = List.of(
            role(OWNER, "Owner", p -> true),
            role(ADMINISTRATOR, "Administrator", p -> true),
            role(MARKETER, "Marketer", p -> (WORK.contains(p.resource()) && p.action() != Action.APPROVE
                    && !(p.resource() == Resource.DATABASES && p.action() != Action.READ))
                    || (p.resource() == Resource.MAIL_QUEUES && p.action() == Action.READ)
                    || (p.resource() == Resource.SETTINGS && p.action() == Action.READ)),
            role(ANALYST, "Analyst", p -> WORK.contains(p.resource()) && (p.action() == Action.READ || p.action() == Action.EXPORT)),
            role(VIEWER, "Viewer", p -> WORK.contains(p.resource()) && p.action() == Action.READ));

    private BuiltInRoles() {}

    private static Role role(String id, String name, Predicate<Permission> given) {
        return new Role(id, null, name, true, Permission.ids(Permission.all().stream().filter(given).toList()), EPOCH);
    }

    public static List<Role> all() {
        return ALL;
    }

    public static Optional<Role> find(String id) {
        return ALL.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
