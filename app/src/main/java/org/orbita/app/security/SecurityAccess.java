package org.orbita.app.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Actor;
import org.orbita.access.ForbiddenException;
import org.orbita.access.Resource;
import org.orbita.audit.AuditLog;
import org.orbita.groups.Groups;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who acts, for the application services: the calling API key (its permissions worked out
 * when it was presented), the signed-in user in the workspace their page is on, or — on a
 * thread no request is behind (jobs, schedules, reactions) — the platform itself. A request
 * without a signed-in user (the sign-in page) may do nothing. Refusals and the changes the
 * services report go to the audit log with the request's address and user agent.
 */
@Component
public class SecurityAccess implements Access {

    private static final Actor NOBODY = new Actor("anonymous", Actor.Kind.USER, null, Set.of());
    private static final int AGENT_KEPT = 300;

    private final ObjectProvider<Accounts> accounts;
    private final ObjectProvider<SignedInUser> pages;
    private final ObjectProvider<AuditLog> audit;
    private final ObjectProvider<Groups> groups;

    SecurityAccess(ObjectProvider<Accounts> accounts, ObjectProvider<SignedInUser> pages, ObjectProvider<AuditLog> audit,
                   ObjectProvider<Groups> groups) {
        this.accounts = accounts;
        this.pages = pages;
        this.audit = audit;
        this.groups = groups;
    }

    @Override
    public Actor actor() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (a == null) {
            return Actor.SYSTEM;
        }
        if (a.getPrincipal() instanceof ApiPrincipal key) {
            return key.actor(); // worked out when the key was presented
        }
        if (a instanceof AnonymousAuthenticationToken || !a.isAuthenticated() || !(a.getPrincipal() instanceof UserDetails signedIn)
                || a.getAuthorities().stream().noneMatch(g -> SecurityConfiguration.FULL.equals(g.getAuthority()))) {
            return NOBODY; // not signed in, or the second factor still to come
        }
        return accounts.getObject().findUser(signedIn.getUsername()).map(user -> {
            String workspace = pages.getObject().workspaceOf(user);
            return new Actor(user.id(), Actor.Kind.USER, workspace, workspace == null ? Set.of() : accounts.getObject().permissionsOf(user, workspace),
                    workspace == null ? Set.of() : Set.copyOf(user.groupsIn(workspace)));
        }).orElse(NOBODY);
    }

    @Override
    public void require(Resource resource, Action action) {
        try {
            Access.super.require(resource, action);
        } catch (ForbiddenException refused) {
            Actor actor = actor();
            audit.getObject().refused(who(actor), refused.needed(), actor.kind() == Actor.Kind.API_KEY ? "the key's scopes or its owner's role" : "the role");
            throw refused;
        }
    }

    @Override
    public boolean sees(Resource resource, String objectId) {
        Actor actor = actor();
        return actor.groups().contains(Actor.ALL_GROUPS) || groups.getObject().visible(actor.groups(), resource, objectId);
    }

    @Override
    public void changed(Resource resource, Action action, String objectId, Object before, Object after) {
        Actor actor = actor();
        if (actor.kind() != Actor.Kind.SYSTEM) {
            String id = objectId != null ? objectId : AuditLog.idOf(after != null ? after : before);
            if (action == Action.WRITE && before == null && after != null && id != null) {
                // made by someone outside the group that holds everything: in their groups, so it stays in their sight
                groups.getObject().placeNew(actor.workspaceId(), resource, id, actor);
            }
            audit.getObject().changed(who(actor), resource, action, id, before, after);
        }
    }

    @Override
    public void refused(Resource resource, Action action, String objectId, String why) {
        Actor actor = actor();
        if (actor.kind() != Actor.Kind.SYSTEM) {
            audit.getObject().record(who(actor), new org.orbita.access.Permission(resource, action).id(), resource.id(), objectId,
                    AuditLog.REFUSED, why, null, null);
        }
    }

    /** A request refused before any service saw it (an API key without the operation's scope). */
    public void refusedRequest(String request, String why) {
        Actor actor = actor();
        if (actor.kind() != Actor.Kind.SYSTEM) {
            audit.getObject().record(who(actor), "request", "request", request, AuditLog.REFUSED, why, null, null);
        }
    }

    /** The one acting, named (a user's email, a key's name), with the request's address and agent. */
    AuditLog.Who who(Actor actor) {
        String name = switch (actor.kind()) {
            case USER -> accounts.getObject().user(actor.id()).map(UserAccount::email).orElse(actor.id());
            case API_KEY -> keyName(actor);
            case SYSTEM -> "platform";
        };
        return AuditLog.Who.of(actor, name, requestAddress(), requestAgent());
    }

    /** A key named by its owner's email and its own name ("mia@shop.example · key ci"), or by its id when it has no owner. */
    private String keyName(Actor actor) {
        Accounts a = accounts.getObject();
        String keyName = a.key(actor.id()).map(ApiKey::name).orElse(actor.id());
        String owner = a.keyOwner(actor.id());
        return (owner == null ? "" : a.user(owner).map(UserAccount::email).orElse(owner) + " · ") + "key " + keyName;
    }

    private static HttpServletRequest request() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes r ? r.getRequest() : null;
    }

    /** The address of the request being served, or null off a request. */
    static String requestAddress() {
        HttpServletRequest r = request();
        return r == null ? null : r.getRemoteAddr();
    }

    /** The user agent of the request being served (its first {@value #AGENT_KEPT} characters), or null. */
    static String requestAgent() {
        HttpServletRequest r = request();
        String agent = r == null ? null : r.getHeader("User-Agent");
        return agent == null ? null : agent.substring(0, Math.min(agent.length(), AGENT_KEPT));
    }
}
