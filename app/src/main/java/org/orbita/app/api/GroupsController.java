package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.orbita.access.Access;
import org.orbita.access.Resource;
import org.orbita.app.security.Team;
import org.orbita.audiences.Segments;
import org.orbita.campaigns.Campaigns;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.content.Messages;
import org.orbita.groups.Groups;
import org.orbita.journeys.Journeys;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Groups: the workspace's own groups, the groups of each object (databases, segments, messages,
 * campaigns, journeys) and of each member. An object out of the caller's sight is missing (404),
 * whichever group it is in.
 */
@RestController
@Tag(name = "Groups", description = "Object visibility: groups of objects, members see their groups' objects")
class GroupsController {

    private final Groups groups;
    private final Team team;
    private final Access access;
    private final ApiContext context;
    private final Campaigns campaigns;
    private final Messages messages;
    private final Segments segments;
    private final Journeys journeys;

    GroupsController(Groups groups, Team team, Access access, ApiContext context, Campaigns campaigns, Messages messages, Segments segments,
                     Journeys journeys) {
        this.groups = groups;
        this.team = team;
        this.access = access;
        this.context = context;
        this.campaigns = campaigns;
        this.messages = messages;
        this.segments = segments;
        this.journeys = journeys;
    }

    record Name(String name) {}

    record Placement(List<String> groups) {}

    @GetMapping("/api/v1/groups")
    @PreAuthorize("isAuthenticated()")
    @Operation(summary = "The workspace's groups, main (which holds everything) first")
    List<Groups.Group> list() {
        return groups.list(context.workspaceId());
    }

    @PostMapping("/api/v1/groups")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Makes a group")
    Groups.Group create(@RequestBody Name in) {
        return groups.create(context.workspaceId(), in.name());
    }

    @PutMapping("/api/v1/groups/{id}")
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Renames a group")
    Groups.Group rename(@PathVariable String id, @RequestBody Name in) {
        return groups.rename(context.workspaceId(), id, in.name());
    }

    @DeleteMapping("/api/v1/groups/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Deletes a group: its objects stay in their other groups (or in main alone)")
    void delete(@PathVariable String id) {
        groups.delete(context.workspaceId(), id);
    }

    @GetMapping("/api/v1/groups/objects/{kind}/{id}")
    @PreAuthorize("isAuthenticated()")
    @Operation(summary = "An object's groups (kind: databases, segments, messages, campaigns, journeys); 404 when out of sight")
    Placement of(@PathVariable String kind, @PathVariable String id) {
        Resource r = kind(kind);
        return new Placement(groups.of(r, key(r, id)));
    }

    @PutMapping("/api/v1/groups/objects/{kind}/{id}")
    @PreAuthorize("isAuthenticated()")
    @Operation(summary = "Places an object in groups (one's own groups only; the object's write permission is needed)")
    Placement place(@PathVariable String kind, @PathVariable String id, @RequestBody Placement in) {
        Resource r = kind(kind);
        return new Placement(groups.place(context.workspaceId(), r, key(r, id), in.groups(), access.actor()));
    }

    @PutMapping("/api/v1/users/{id}/groups")
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    @Operation(summary = "Puts a member in groups: they see those groups' objects only (main: everything); nobody gives a group they are not in")
    Team.Member memberGroups(@PathVariable String id, @RequestBody Placement in) {
        return team.setGroups(context.workspaceId(), id, in.groups());
    }

    private static Resource kind(String kind) {
        Resource r = Resource.fromId("kind", kind);
        if (!Groups.GROUPED.contains(r)) {
            throw new InvalidInputException("kind", kind, "must be one of databases, segments, messages, campaigns, journeys");
        }
        return r;
    }

    /** The object's key, found in the caller's sight (else missing). */
    private String key(Resource kind, String id) {
        String ws = context.workspaceId();
        if (kind == Resource.DATABASES) {
            return context.database(id).id(); // stored under its key; missing when out of sight
        }
        boolean found = switch (kind) {
            case CAMPAIGNS -> campaigns.find(ws, id).isPresent();
            case MESSAGES -> messages.find(ws, id).isPresent();
            case SEGMENTS -> segments.find(id).filter(s -> s.workspaceId().equals(ws)).isPresent();
            case JOURNEYS -> journeys.find(ws, id).isPresent();
            default -> false;
        };
        if (!found) {
            throw new NotFoundException(kind.id().substring(0, kind.id().length() - 1), id);
        }
        return id;
    }
}
