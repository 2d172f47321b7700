package org.orbita.app.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.orbita.common.FieldError;
import org.orbita.groups.Groups;
import org.orbita.roles.Roles;

/**
 * How someone let in from outside — by a directory's groups or an identity provider's claim
 * values — gets an Orbita role and groups: the first value mapped to a role wins (else the
 * default role; else they are refused), and every mapped value adds its groups ({@code main}
 * when none). One rule for LDAP and OpenID Connect sign-in.
 *
 * @param roleOf a value (a group's DN, a claim value) → a role id, in order
 * @param groupsOf a value → Orbita group ids
 */
record OutsideMapping(Map<String, String> roleOf, Map<String, List<String>> groupsOf, String defaultRole) {

    /** Names each role or group of the workspace that does not exist, under the fields given. */
    void check(String workspaceId, Roles roles, Groups groups, String roleField, String groupsField, List<FieldError> errors) {
        int i = 0;
        for (String role : roleOf.values()) {
            if (roles.find(workspaceId, role == null ? "" : role).isEmpty()) {
                errors.add(FieldError.of(roleField + "[" + i + "]", role, "is not a role of this workspace"));
            }
            i++;
        }
        if (defaultRole != null && !defaultRole.isBlank() && roles.find(workspaceId, defaultRole).isEmpty()) {
            errors.add(FieldError.of("defaultRole", defaultRole, "is not a role of this workspace"));
        }
        for (List<String> mapped : groupsOf.values()) {
            for (String g : mapped == null ? List.<String>of() : mapped) {
                if (groups.find(workspaceId, g == null ? "" : g).isEmpty()) {
                    errors.add(FieldError.of(groupsField, g, "is not a group of this workspace"));
                }
            }
        }
    }

    /** The role the values give, if any ({@code normal} makes a value and a mapping's key comparable: a DN's case and spaces). */
    Optional<String> role(Collection<String> values, UnaryOperator<String> normal) {
        for (Map.Entry<String, String> m : roleOf.entrySet()) {
            if (values.contains(normal.apply(m.getKey()))) {
                return Optional.of(m.getValue());
            }
        }
        return Optional.ofNullable(defaultRole == null || defaultRole.isBlank() ? null : defaultRole);
    }

    /** The groups the values give; {@code main} (everything) when none. */
    List<String> groups(Collection<String> values, UnaryOperator<String> normal) {
        List<String> in = new ArrayList<>();
        groupsOf.forEach((value, mapped) -> {
            if (values.contains(normal.apply(value))) {
                mapped.stream().filter(g -> !in.contains(g)).forEach(in::add);
            }
        });
        return in.isEmpty() ? List.of(Groups.MAIN) : in;
    }
}
