package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.EventIngest;
import org.orbita.sites.GoalRegistrations;
import org.orbita.sites.Site;
import org.orbita.sites.SiteHits;
import org.orbita.sites.SiteSnippet;
import org.orbita.sites.Sites;
import org.orbita.sites.VisitorIdentity;
import org.orbita.sites.Visitors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Sites", description = "Website tracking: sites and their snippet, visitors seen now, goals, server-side hits, visitor merges")
class SitesController {

    private final Sites sites;
    private final SiteHits hits;
    private final VisitorIdentity identity;
    private final GoalRegistrations goals;
    private final ClientDatabases databases;
    private final ApiContext context;
    private final SiteSnippet snippet;

    SitesController(Sites sites, SiteHits hits, VisitorIdentity identity, GoalRegistrations goals, ClientDatabases databases, ApiContext context,
                    SiteSnippet snippet) {
        this.sites = sites;
        this.hits = hits;
        this.identity = identity;
        this.goals = goals;
        this.databases = databases;
        this.context = context;
        this.snippet = snippet;
    }

    @GetMapping("/api/v1/sites")
    @PreAuthorize("hasAuthority('SCOPE_sites:read')")
    List<Site> list() {
        return sites.list(context.workspaceId());
    }

    @PostMapping("/api/v1/sites")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_sites:write')")
    @Operation(summary = "Add a site: name, domains its pages are on, the database visitors become profiles in, consent (none, opt-in,"
            + " opt-out), filterBots, identifyBy (unique fields), traits (fields pages may write), goals")
    Site create(@RequestBody Sites.SiteInput input) {
        return sites.create(context.workspaceId(), input);
    }

    @GetMapping("/api/v1/sites/{id}")
    @PreAuthorize("hasAuthority('SCOPE_sites:read')")
    Site get(@PathVariable String id) {
        return sites.get(context.workspaceId(), id);
    }

    @PutMapping("/api/v1/sites/{id}")
    @PreAuthorize("hasAuthority('SCOPE_sites:write')")
    @Operation(summary = "Change a site; parts left out stay as they are")
    Site update(@PathVariable String id, @RequestBody Sites.SiteInput input) {
        return sites.update(context.workspaceId(), id, input);
    }

    @DeleteMapping("/api/v1/sites/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_sites:write')")
    void delete(@PathVariable String id) {
        sites.delete(context.workspaceId(), id);
    }

    @GetMapping("/api/v1/sites/{id}/snippet")
    @PreAuthorize("hasAuthority('SCOPE_sites:read')")
    @Operation(summary = "The code to paste into the site's pages, the script's address, and when this node last stored a hit of it")
    Map<String, Object> snippet(@PathVariable String id) {
        Site site = sites.get(context.workspaceId(), id);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("script", snippet.scriptUrl(site));
        answer.put("code", snippet.code(site));
        answer.put("pixel", snippet.pixel(site));
        answer.put("lastHit", hits.lastHit(site.id()));
        return answer;
    }

    @GetMapping("/api/v1/sites/{id}/live")
    @PreAuthorize("hasAuthority('SCOPE_sites:read')")
    @Operation(summary = "Visitors this node saw on the site in the last five minutes, latest first")
    List<SiteHits.LiveVisitor> live(@PathVariable String id) {
        return hits.live(sites.get(context.workspaceId(), id).id());
    }

    @PostMapping("/api/v1/sites/{id}/hits")
    @PreAuthorize("hasAuthority('SCOPE_events:write')")
    @Operation(summary = "Hits from the site's back end, in the snippet's shape ({visitor, hits: [{id, kind, url, …}]}); optional"
            + " context {ip, userAgent} of the visitor; answered with what was stored, repeats and rejected hits by index")
    Map<String, Object> serverHits(@PathVariable String id, @RequestBody Map<String, Object> body, HttpServletRequest request) {
        Site site = sites.get(context.workspaceId(), id);
        Object ctx = body.get("context");
        String ip = ctx instanceof Map<?, ?> c && c.get("ip") instanceof String s ? s : null;
        String agent = ctx instanceof Map<?, ?> c && c.get("userAgent") instanceof String s ? s : request.getHeader("User-Agent");
        Map<String, Object> withConsent = new LinkedHashMap<>(body);
        withConsent.putIfAbsent("consent", true); // a back end reports what its own consent allows
        SiteHits.Outcome o = hits.collect(site.id(), withConsent, new SiteHits.From(null, null, agent, ip, true));
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("stored", o.stored());
        a.put("repeats", o.repeats());
        a.put("rejected", o.rejected());
        return a;
    }

    @PostMapping("/api/v1/goals")
    @PreAuthorize("hasAuthority('SCOPE_events:write')")
    @Operation(summary = "Register a goal reached (Altcraft's goals/register): database, matching and value find the profile; goal (a name,"
            + " or a site goal's id with site), goalValue, time, pageData (≤ 1 KB), skipTriggers; recorded as site.goal")
    ResponseEntity<Map<String, Object>> goal(@RequestBody GoalRegistrations.GoalInput input) {
        String workspace = context.workspaceId();
        EventIngest.Outcome outcome = goals.register(workspace, input, db -> databases.resolve(workspace, db));
        if (!outcome.repeats().isEmpty()) {
            return ResponseEntity.ok(Map.of("id", outcome.ids().get(0), "repeat", true));
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", outcome.ids().get(0)));
    }

    @GetMapping("/api/v1/databases/{db}/visitor-merges")
    @PreAuthorize("hasAuthority('SCOPE_profiles:read')")
    @Operation(summary = "Website visitors joined to profiles, newest first (reversed ones too); with profile: that profile's merges in force")
    List<Visitors.Merge> merges(@PathVariable String db, @RequestParam(required = false) String profile,
                                @RequestParam(defaultValue = "100") int limit) {
        ClientDatabase d = context.database(db);
        if (profile != null) {
            return identity.mergesOf(d.id(), context.profile(d, null, profile).id());
        }
        return identity.merges(d.id(), limit);
    }

    @PostMapping("/api/v1/databases/{db}/visitor-merges/{merge}/reverse")
    @PreAuthorize("hasAuthority('SCOPE_profiles:write')")
    @Operation(summary = "Reverse a merge: the visitor is anonymous again and its anonymous events leave the profile's history")
    Visitors.Merge reverse(@PathVariable String db, @PathVariable String merge) {
        return identity.reverse(context.database(db).id(), merge);
    }

    @GetMapping("/api/v1/databases/{db}/visitor-conflicts")
    @PreAuthorize("hasAuthority('SCOPE_profiles:read')")
    @Operation(summary = "Visitors linked to one profile that something claimed to be another: recorded, never merged; newest first")
    List<Visitors.Conflict> conflicts(@PathVariable String db, @RequestParam(defaultValue = "100") int limit) {
        return identity.conflicts(context.database(db).id(), limit);
    }

}
