package org.orbita.sites;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.FieldDefinition;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;

/**
 * A workspace's websites ({@link Site}): made, changed and removed by people allowed to write
 * sites, kept in the settings store. The collection endpoint reads them by id on every hit, from
 * a copy kept here that a change in this process replaces at once (another node's change within
 * {@link #CACHE_MS}).
 */
public final class Sites {

    public static final Set<String> GOAL_KINDS = Set.of("page", "click", "submit", "event", "scroll", "time");
    public static final Set<String> PAGE_MATCHES = Set.of("contains", "equals", "regex");
    static final Pattern EVENT_NAME = Pattern.compile("[a-z][a-z0-9_.:-]{0,63}");
    private static final Pattern HOST = Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final long CACHE_MS = 10_000;

    /** What a person or a call gives to make or change a site; absent parts take their defaults. */
    public record SiteInput(String name, List<String> domains, String database, String consent, Boolean filterBots,
                            List<String> identifyBy, List<String> traits, List<Site.Goal> goals) {}


    private final Documents<Site> sites;
    private final ClientDatabases databases;
    private final Access access;
    private final Clock clock;
    private final org.orbita.common.ShortCache<Optional<Site>> cache;
    private final List<java.util.function.Consumer<String>> onDelete = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Sites(SettingsStore settings, ClientDatabases databases, Access access, Clock clock) {
        this.sites = new Documents<>(settings, "sites", Site.class, Site::id);
        this.databases = databases;
        this.access = access;
        this.clock = clock;
        this.cache = new org.orbita.common.ShortCache<>(clock, CACHE_MS, 10_000);
        databases.onDelete(this::forgetDatabase);
    }

    public List<Site> list(String workspaceId) {
        access.require(Resource.SITES, Action.READ);
        return sites.list().stream().filter(s -> s.workspaceId().equals(workspaceId)).toList();
    }

    public Site get(String workspaceId, String id) {
        access.require(Resource.SITES, Action.READ);
        return sites.get(id).filter(s -> s.workspaceId().equals(workspaceId)).orElseThrow(() -> new NotFoundException("site", id));
    }

    public Site create(String workspaceId, SiteInput input) {
        access.require(Resource.SITES, Action.WRITE);
        Instant now = clock.instant();
        Site site = checked(workspaceId, Ids.next(), input, null, now, now);
        sites.put(site);
        cache.forget(site.id());
        access.changed(Resource.SITES, Action.WRITE, site.id(), null, site);
        return site;
    }

    public Site update(String workspaceId, String id, SiteInput input) {
        access.require(Resource.SITES, Action.WRITE);
        Site before = get(workspaceId, id);
        Site after = checked(workspaceId, id, input, before, before.createdAt(), clock.instant());
        sites.put(after);
        cache.forget(id);
        access.changed(Resource.SITES, Action.WRITE, id, before, after);
        return after;
    }

    public void delete(String workspaceId, String id) {
        access.require(Resource.SITES, Action.DELETE);
        Site before = get(workspaceId, id);
        removed(id);
        access.changed(Resource.SITES, Action.DELETE, id, before, null);
    }

    /** Asks to be told when a site is gone (deleted, or its database was), to remove what belongs to it. */
    public void onDelete(java.util.function.Consumer<String> forget) {
        onDelete.add(forget);
    }

    private void removed(String id) {
        sites.delete(id);
        cache.forget(id);
        onDelete.forEach(forget -> forget.accept(id));
    }

    /** A site as the public endpoints see it (no permission asked: the id is public, and only what the snippet needs is used). */
    public Optional<Site> published(String id) {
        if (id == null || id.length() > 40) {
            return Optional.empty();
        }
        return cache.get(id, sites::get);
    }

    private void forgetDatabase(String databaseKey) {
        for (Site s : sites.list()) {
            if (s.database().equals(databaseKey)) {
                removed(s.id());
            }
        }
    }

    private Site checked(String workspaceId, String id, SiteInput in, Site before, Instant created, Instant now) {
        if (in == null) {
            throw new InvalidInputException("site", null, "is required");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = in.name() == null ? (before == null ? null : before.name()) : in.name().strip();
        if (name == null || name.isEmpty() || name.length() > 100) {
            errors.add(FieldError.of("name", in.name(), "is required: 1 to 100 characters"));
        }
        List<String> domains = new ArrayList<>();
        List<String> givenDomains = in.domains() == null ? (before == null ? List.of() : before.domains()) : in.domains();
        if (givenDomains.isEmpty() || givenDomains.size() > 50) {
            errors.add(FieldError.of("domains", null, "1 to 50 domains the site's pages are on, such as shop.example.com"));
        }
        for (int i = 0; i < givenDomains.size(); i++) {
            String d = host(givenDomains.get(i));
            if (d == null) {
                errors.add(FieldError.of("domains[" + i + "]", givenDomains.get(i), "must be a host name such as shop.example.com"));
            } else if (!domains.contains(d)) {
                domains.add(d);
            }
        }
        String dbGiven = in.database() == null ? (before == null ? null : before.database()) : in.database();
        ClientDatabase db = dbGiven == null ? null : databases.resolve(workspaceId, dbGiven).orElse(null);
        if (db == null) {
            errors.add(FieldError.of("database", dbGiven, dbGiven == null ? "is required: the database visitors become profiles in"
                    : "no such database in this workspace"));
        }
        Site.Consent consent = before == null ? Site.Consent.NONE : before.consent();
        if (in.consent() != null) {
            try {
                consent = Site.Consent.fromId(in.consent());
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of("consent", in.consent(), e.getMessage()));
            }
        }
        boolean filterBots = in.filterBots() != null ? in.filterBots() : before == null || before.filterBots();
        List<String> identifyBy = new ArrayList<>();
        List<String> traits = new ArrayList<>();
        if (db != null) {
            List<String> unique = db.schema().uniqueFields().stream().map(FieldDefinition::name).toList();
            List<String> givenIdentify = in.identifyBy() != null ? in.identifyBy() : before != null ? before.identifyBy() : unique;
            for (int i = 0; i < givenIdentify.size(); i++) {
                String f = givenIdentify.get(i);
                if (!unique.contains(f)) {
                    errors.add(FieldError.of("identifyBy[" + i + "]", f, "must be a unique field of the database: one of " + unique));
                } else if (!identifyBy.contains(f)) {
                    identifyBy.add(f);
                }
            }
            List<String> givenTraits = in.traits() != null ? in.traits() : before != null ? before.traits() : List.of();
            for (int i = 0; i < givenTraits.size(); i++) {
                String f = givenTraits.get(i);
                Optional<FieldDefinition> def = db.schema().field(f);
                if (def.isEmpty() || def.get().unique() || FieldDefinition.SYSTEM_NAMES.contains(f)) {
                    errors.add(FieldError.of("traits[" + i + "]", f,
                            "must be a field of the database that is not unique (a page may set it; it never picks who the visitor is)"));
                } else if (!traits.contains(f)) {
                    traits.add(f);
                }
            }
        }
        List<Site.Goal> goals = goals(in.goals() != null ? in.goals() : before != null ? before.goals() : List.of(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Site(id, workspaceId, name, domains, db.id(), consent, filterBots, identifyBy, traits, goals, created, now);
    }

    private static List<Site.Goal> goals(List<Site.Goal> given, List<FieldError> errors) {
        if (given.size() > 100) {
            errors.add(FieldError.of("goals", null, "at most 100 goals per site"));
            return List.of();
        }
        List<Site.Goal> goals = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < given.size(); i++) {
            Site.Goal g = given.get(i);
            String at = "goals[" + i + "].";
            if (g == null) {
                errors.add(FieldError.of("goals[" + i + "]", null, "must be an object"));
                continue;
            }
            String id = g.id() == null || g.id().isBlank() ? "g" + (i + 1) : g.id().strip();
            if (!id.matches("[A-Za-z0-9_-]{1,40}") || !ids.add(id)) {
                errors.add(FieldError.of(at + "id", g.id(), "1 to 40 letters, digits, '_' or '-', unique in the site"));
            }
            if (g.name() == null || g.name().isBlank() || g.name().length() > 100) {
                errors.add(FieldError.of(at + "name", g.name(), "is required: 1 to 100 characters"));
            }
            String kind = g.kind() == null ? "" : g.kind().strip().toLowerCase(Locale.ROOT);
            String rule = g.rule() == null ? "" : g.rule().strip();
            String match = g.match() == null || g.match().isBlank() ? "contains" : g.match().strip().toLowerCase(Locale.ROOT);
            if (!GOAL_KINDS.contains(kind)) {
                errors.add(FieldError.of(at + "kind", g.kind(), "must be one of " + GOAL_KINDS.stream().sorted().toList()));
            } else {
                String problem = ruleProblem(kind, rule, match);
                if (problem != null) {
                    errors.add(FieldError.of(at + (problem.startsWith("match") ? "match" : "rule"), problem.startsWith("match") ? g.match() : g.rule(),
                            problem));
                }
            }
            if (!Double.isFinite(g.value()) || g.value() < 0 || g.value() > 1e12) {
                errors.add(FieldError.of(at + "value", g.value(), "must be a number from 0"));
            }
            goals.add(new Site.Goal(id, g.name() == null ? null : g.name().strip(), kind, rule, kind.equals("page") ? match : null, g.value()));
        }
        return goals;
    }

    private static String ruleProblem(String kind, String rule, String match) {
        if (rule.isEmpty() || rule.length() > 200) {
            return "is required: 1 to 200 characters";
        }
        switch (kind) {
            case "page" -> {
                if (!PAGE_MATCHES.contains(match)) {
                    return "match must be contains, equals or regex";
                }
                if (match.equals("regex")) {
                    try {
                        Pattern.compile(rule);
                    } catch (PatternSyntaxException e) {
                        return "is not a regular expression: " + e.getDescription();
                    }
                }
            }
            case "event" -> {
                if (!EVENT_NAME.matcher(rule).matches()) {
                    return "must be an event name: a-z first, then a-z 0-9 _ . : -";
                }
            }
            case "scroll" -> {
                if (!rule.matches("[1-9][0-9]?|100")) {
                    return "must be a percentage from 1 to 100";
                }
            }
            case "time" -> {
                if (!rule.matches("[1-9][0-9]{0,3}") || Integer.parseInt(rule) > 3600) {
                    return "must be seconds from 1 to 3600";
                }
            }
            default -> {
                if (rule.contains("<") || rule.contains("{")) {
                    return "must be a CSS selector such as #buy or .subscribe button";
                }
            }
        }
        return null;
    }

    /** A domain as given (a URL or a host) as the host it names, lower case; null when it is none. */
    static String host(String given) {
        if (given == null) {
            return null;
        }
        String h = given.strip().toLowerCase(Locale.ROOT);
        int scheme = h.indexOf("://");
        if (scheme >= 0) {
            h = h.substring(scheme + 3);
        }
        int slash = h.indexOf('/');
        if (slash >= 0) {
            h = h.substring(0, slash);
        }
        int colon = h.lastIndexOf(':');
        if (colon >= 0 && h.indexOf(':') == colon) {
            h = h.substring(0, colon);
        }
        if (h.startsWith("*.")) {
            h = h.substring(2);
        }
        return HOST.matcher(h).matches() ? h : null;
    }
}
