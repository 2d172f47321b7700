package org.orbita.groups;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Actor;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.settings.CachedDocuments;
import org.orbita.settings.SettingsStore;

/**
 * Groups (X1, Altcraft's object visibility): a workspace's objects — databases, segments,
 * messages, campaigns, journeys — belong to one or more groups, and a user or API key sees only
 * the objects of its groups (with its role's actions on them). The built-in group {@value #MAIN}
 * holds everything: its members see every object, and an object placed in no group is in it
 * alone. An object made by someone outside {@value #MAIN} is placed in their groups, so they keep
 * seeing it; nobody places an object in a group they are not in. The application services ask
 * {@link Access#sees} before they hand an object over; one out of sight is reported missing.
 */
public final class Groups {

    public static final String MAIN = Actor.ALL_GROUPS;
    /** The kinds of thing that are placed in groups. */
    public static final Set<Resource> GROUPED = Set.of(Resource.DATABASES, Resource.SEGMENTS, Resource.MESSAGES, Resource.CAMPAIGNS,
            Resource.JOURNEYS);

    /** A group of a workspace's own ({@value #MAIN} is built in and not stored). */
    public record Group(String id, String workspaceId, String name, Instant created) {}

    /** Where an object is: its groups ({@code kind:id} is its key). */
    public record Placement(String key, String workspaceId, List<String> groups) {
        public Placement {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }
    }

    private final CachedDocuments<Group> groups;
    private final CachedDocuments<Placement> placements;
    private final Access access;
    private final Clock clock;

    public Groups(SettingsStore settings, Access access, Clock clock) {
        // read on every call of someone outside main: kept for a few seconds
        this.groups = new CachedDocuments<>(settings, "groups", Group.class, Group::id, Duration.ofSeconds(10), clock);
        this.placements = new CachedDocuments<>(settings, "group_placements", Placement.class, Placement::key, Duration.ofSeconds(10), clock);
        this.access = access;
        this.clock = clock;
    }

    private static String key(Resource kind, String objectId) {
        return kind.id() + ":" + objectId;
    }

    /** The workspace's groups, {@value #MAIN} first. */
    public List<Group> list(String workspaceId) {
        List<Group> all = new ArrayList<>();
        all.add(new Group(MAIN, workspaceId, "Main", null));
        groups.list().stream().filter(g -> workspaceId.equals(g.workspaceId())).sorted(java.util.Comparator.comparing(Group::name)).forEach(all::add);
        return all;
    }

    public Optional<Group> find(String workspaceId, String id) {
        return MAIN.equals(id) ? Optional.of(new Group(MAIN, workspaceId, "Main", null))
                : groups.get(id).filter(g -> workspaceId.equals(g.workspaceId()));
    }

    public Group create(String workspaceId, String name) {
        access.require(Resource.USERS, Action.WRITE);
        String n = name(name);
        if (list(workspaceId).stream().anyMatch(g -> g.name().equalsIgnoreCase(n))) {
            throw new InvalidInputException("name", name, "a group of this name exists");
        }
        return access.recorded(Resource.USERS, Action.WRITE, null, groups.put(new Group("group-" + Ids.next(), workspaceId, n, clock.instant())));
    }

    public Group rename(String workspaceId, String id, String name) {
        access.require(Resource.USERS, Action.WRITE);
        Group old = own(workspaceId, id);
        return access.recorded(Resource.USERS, Action.WRITE, old, groups.put(new Group(old.id(), workspaceId, name(name), old.created())));
    }

    /** Deletes a group: its objects stay in their other groups (or in {@value #MAIN} alone); its members keep their other groups. */
    public void delete(String workspaceId, String id) {
        access.require(Resource.USERS, Action.DELETE);
        Group old = own(workspaceId, id);
        for (Placement p : placements.list()) {
            if (workspaceId.equals(p.workspaceId()) && p.groups().contains(id)) {
                List<String> left = new ArrayList<>(p.groups());
                left.remove(id);
                placements.put(new Placement(p.key(), workspaceId, left));
            }
        }
        groups.delete(old.id());
        access.changed(Resource.USERS, Action.DELETE, old.id(), old, null);
    }

    private Group own(String workspaceId, String id) {
        if (MAIN.equals(id)) {
            throw new InvalidInputException("group", id, "is built in: it holds everything");
        }
        return groups.get(id).filter(g -> workspaceId.equals(g.workspaceId())).orElseThrow(() -> new NotFoundException("group", id));
    }

    private static String name(String name) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidInputException("name", name, "is required, at most 100 characters");
        }
        return name.strip();
    }

    /** An object's groups: {@value #MAIN} alone when it was placed nowhere else. */
    public List<String> of(Resource kind, String objectId) {
        return placements.get(key(kind, objectId)).map(Placement::groups).filter(g -> !g.isEmpty()).orElse(List.of(MAIN));
    }

    /** Whether someone in {@code actorGroups} sees the object: {@value #MAIN}'s members see all; others, what shares a group with them. */
    public boolean visible(Collection<String> actorGroups, Resource kind, String objectId) {
        if (actorGroups.contains(MAIN) || !GROUPED.contains(kind)) {
            return true;
        }
        for (String g : of(kind, objectId)) {
            if (actorGroups.contains(g)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Places an object in groups (the object's own write permission is asked by the caller, who
     * found it in sight): each must be a group of the workspace and one the actor is in (or the
     * actor is in {@value #MAIN}); refused by name otherwise.
     */
    public List<String> place(String workspaceId, Resource kind, String objectId, List<String> wanted, Actor actor) {
        if (!GROUPED.contains(kind)) {
            throw new InvalidInputException("kind", kind.id(), "is not placed in groups: one of databases, segments, messages, campaigns, journeys");
        }
        access.require(kind, Action.WRITE);
        List<FieldError> errors = new ArrayList<>();
        Set<String> chosen = new LinkedHashSet<>();
        List<String> given = wanted == null ? List.of() : wanted;
        for (int i = 0; i < given.size(); i++) {
            String g = given.get(i);
            if (find(workspaceId, g == null ? "" : g).isEmpty()) {
                errors.add(FieldError.of("groups[" + i + "]", g, "is not a group of this workspace"));
            } else if (actor.kind() != Actor.Kind.SYSTEM && !actor.groups().contains(MAIN) && !actor.groups().contains(g)) {
                access.refused(kind, Action.WRITE, objectId, "groups[" + i + "] " + g + ": not a group of the one placing it");
                errors.add(FieldError.of("groups[" + i + "]", g, "is not one of your groups: you would lose sight of the object"));
            } else {
                chosen.add(g);
            }
        }
        if (chosen.isEmpty() && errors.isEmpty()) {
            errors.add(FieldError.of("groups", "[]", "at least one group (main holds everything)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        List<String> before = of(kind, objectId);
        Placement p = placements.put(new Placement(key(kind, objectId), workspaceId, List.copyOf(chosen)));
        access.changed(kind, Action.WRITE, objectId, java.util.Map.of("groups", before), java.util.Map.of("groups", p.groups()));
        return p.groups();
    }

    /** A new object made by someone outside {@value #MAIN}: placed in their groups so it stays in their sight. */
    public void placeNew(String workspaceId, Resource kind, String objectId, Actor maker) {
        if (GROUPED.contains(kind) && maker.kind() != Actor.Kind.SYSTEM && !maker.groups().contains(MAIN) && !maker.groups().isEmpty()) {
            placements.put(new Placement(key(kind, objectId), workspaceId, List.copyOf(maker.groups())));
        }
    }

    /** Checks the groups given to a user or a key: groups of the workspace, named. */
    public List<String> checkedGroups(String workspaceId, String field, List<String> given) {
        if (given == null || given.isEmpty()) {
            return List.of(MAIN);
        }
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            if (find(workspaceId, given.get(i) == null ? "" : given.get(i)).isEmpty()) {
                errors.add(FieldError.of(field + "[" + i + "]", given.get(i), "is not a group of this workspace"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return List.copyOf(new LinkedHashSet<>(given));
    }
}
