package org.orbita.sites;

import org.orbita.common.Signer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.common.NotFoundException;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;
import org.orbita.sites.TagContainer.Condition;
import org.orbita.sites.TagContainer.Content;
import org.orbita.sites.TagContainer.Publication;
import org.orbita.sites.TagContainer.Tag;
import org.orbita.sites.TagContainer.Trigger;
import org.orbita.sites.TagContainer.Variable;
import org.orbita.sites.TagContainer.Version;

/**
 * The tag manager: {@link TagContainer}s of a workspace's sites, kept in the settings store —
 * a container's draft, its numbered versions (each a document of its own, never changed), which
 * one is published. Reading needs {@code sites:read}; changing, making versions and publishing
 * {@code sites:write}. The public endpoints ask {@link #live} which versions a site's pages run
 * (all sites read together, at most {@link #CACHE_MS} old, read again at once after a change in this process) and
 * {@link #content} for one (a version never changes, so it is kept).
 */
public final class TagContainers {

    public static final Set<String> TRIGGER_KINDS = Set.of("page", "click", "submit", "scroll", "timer", "event", "visibility");
    public static final Set<String> TAG_KINDS = Set.of("html", "image", "event", "ga4", "meta-pixel", "yandex-metrica", "popup");
    public static final Set<String> VARIABLE_KINDS = Set.of("url", "cookie", "datalayer", "js", "constant");
    public static final Set<String> URL_PARTS = Set.of("href", "host", "path", "query", "fragment", "protocol");
    public static final Set<String> OPERATORS = Set.of("equals", "not_equals", "contains", "not_contains", "starts_with", "ends_with",
            "matches", "not_matches", "less_than", "greater_than");
    /** Consent categories a tag may need: Google Consent Mode's types map onto them (ad_* → marketing, and so on). */
    public static final Set<String> CONSENT_CATEGORIES = Set.of("analytics", "marketing", "functional", "personalization");
    /** Variables every container has, named as Google Tag Manager names its built-in ones. */
    public static final List<String> BUILT_IN = List.of("Event", "Page URL", "Page Hostname", "Page Path", "Referrer", "Click ID",
            "Click Classes", "Click Text", "Click URL", "Form ID", "Scroll Depth Threshold");
    /** How long a preview link works. */
    public static final Duration PREVIEW_LIFETIME = Duration.ofHours(2);

    static final int MAX_ITEMS = 100;
    static final int MAX_HTML = 50_000;
    private static final long CACHE_MS = 10_000;
    private static final int KEPT_PUBLICATIONS = 100;
    private static final String PREVIEW = "tag-preview";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,40}");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9 _.-]{0,63}");
    private static final Pattern REFERENCE = Pattern.compile("\\{\\{([^{}]{1,80})}}");
    private static final Pattern JS_PATH = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*){0,9}");
    private static final Pattern DATA_LAYER_KEY = Pattern.compile("[A-Za-z0-9_$-]{1,64}(\\.[A-Za-z0-9_$-]{1,64}){0,9}");
    private static final Pattern COOKIE = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    private static final Pattern PROPERTY = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final Map<String, Pattern> ACCOUNTS = Map.of("ga4", Pattern.compile("G-[A-Z0-9]{4,20}"),
            "meta-pixel", Pattern.compile("[0-9]{5,20}"), "yandex-metrica", Pattern.compile("[0-9]{3,12}"), "popup", Pattern.compile("[A-Za-z0-9_-]{1,40}"));

    /** What a person gives to make or change a container; an absent part stays as it was. */
    public record ContainerInput(String name, Content draft) {}

    /** A version a site's pages run. */
    public record Live(String id, int version) {}

    /** A link that runs a container's draft in the browser that opens it, until {@code expiresAt}. */
    public record Preview(String token, String url, Instant expiresAt) {}

    /** Which versions every site runs, as read at {@code at}. */
    private record Snapshot(Map<String, List<Live>> bySite, long at) {}

    private final Documents<TagContainer> containers;
    private final Documents<Version> versions;
    private final Sites sites;
    private final Signer signer;
    private final Access access;
    private final Clock clock;
    private volatile Snapshot live;
    private final Map<String, Content> contents = new ConcurrentHashMap<>();

    public TagContainers(SettingsStore settings, Sites sites, Signer signer, Access access, Clock clock) {
        this.containers = new Documents<>(settings, "tag-containers", TagContainer.class, TagContainer::id);
        this.versions = new Documents<>(settings, "tag-versions", Version.class, Version::id);
        this.sites = sites;
        this.signer = signer;
        this.access = access;
        this.clock = clock;
        sites.onDelete(this::forgetSite);
    }

    private void forgetSite(String siteId) {
        for (TagContainer c : containers.list()) {
            if (c.siteId().equals(siteId)) {
                removed(c);
            }
        }
        live = null;
    }

    private void removed(TagContainer c) {
        containers.delete(c.id());
        for (int n = 1; n <= c.versions(); n++) {
            versions.delete(versionId(c.id(), n));
            contents.remove(versionId(c.id(), n));
        }
    }

    public List<TagContainer> list(String workspaceId, String siteId) {
        sites.get(workspaceId, siteId); // asks sites:read, and that the site is the workspace's
        return containers.list().stream().filter(c -> c.siteId().equals(siteId)).toList();
    }

    public TagContainer get(String workspaceId, String id) {
        access.require(Resource.SITES, Action.READ);
        return containers.get(id).filter(c -> c.workspaceId().equals(workspaceId)).orElseThrow(() -> new NotFoundException("container", id));
    }

    public TagContainer create(String workspaceId, String siteId, ContainerInput input) {
        access.require(Resource.SITES, Action.WRITE);
        sites.get(workspaceId, siteId);
        Instant now = clock.instant();
        TagContainer c = new TagContainer(Ids.next(), workspaceId, siteId, name(input, null), checked(input == null ? null : input.draft(), "draft"),
                null, 0, List.of(), now, now);
        containers.put(c);
        access.changed(Resource.SITES, Action.WRITE, c.id(), null, c);
        return c;
    }

    /** Changes the name or the draft; what the pages run changes only by publishing. */
    public TagContainer update(String workspaceId, String id, ContainerInput input) {
        access.require(Resource.SITES, Action.WRITE);
        TagContainer before = get(workspaceId, id);
        String name = name(input, before);
        Content draft = input == null || input.draft() == null ? before.draft() : checked(input.draft(), "draft");
        TagContainer after = change(id, c -> new TagContainer(c.id(), c.workspaceId(), c.siteId(), name, draft, c.published(),
                c.versions(), c.publications(), c.createdAt(), clock.instant()));
        access.changed(Resource.SITES, Action.WRITE, id, before, after);
        return after;
    }

    public void delete(String workspaceId, String id) {
        access.require(Resource.SITES, Action.DELETE);
        TagContainer before = get(workspaceId, id);
        removed(before);
        live = null;
        access.changed(Resource.SITES, Action.DELETE, id, before, null);
    }

    /** The newest {@code limit} versions, newest first. */
    public List<Version> versions(String workspaceId, String id, int limit) {
        TagContainer c = get(workspaceId, id);
        List<Version> out = new ArrayList<>();
        for (int n = c.versions(); n >= 1 && out.size() < limit; n--) {
            versions.get(versionId(id, n)).ifPresent(out::add);
        }
        return out;
    }

    public Version version(String workspaceId, String id, int number) {
        get(workspaceId, id);
        return versions.get(versionId(id, number)).orElseThrow(() -> new NotFoundException("version", String.valueOf(number)));
    }

    /** Makes the next version from the draft as it is now (checked again), and publishes it when asked. */
    public Version createVersion(String workspaceId, String id, String note, boolean publish) {
        access.require(Resource.SITES, Action.WRITE);
        TagContainer before = get(workspaceId, id);
        if (note != null && note.length() > 500) {
            throw new InvalidInputException("note", note.substring(0, 40) + "…", "at most 500 characters");
        }
        Content content = checked(before.draft(), "draft");
        Instant now = clock.instant();
        int[] number = new int[1];
        TagContainer after = change(id, c -> {
            number[0] = c.versions() + 1;
            return new TagContainer(c.id(), c.workspaceId(), c.siteId(), c.name(), c.draft(), c.published(), number[0], c.publications(),
                    c.createdAt(), now);
        });
        Version v = new Version(versionId(id, number[0]), id, number[0], note == null || note.isBlank() ? null : note.strip(), content, now,
                access.actor().id());
        versions.put(v);
        access.changed(Resource.SITES, Action.WRITE, id, before, after);
        if (publish) {
            publish(workspaceId, id, v.number());
        }
        return v;
    }

    /** Puts version {@code number} live on the site's pages: the newest one, or an older one (a rollback). */
    public TagContainer publish(String workspaceId, String id, int number) {
        access.require(Resource.SITES, Action.WRITE);
        TagContainer before = get(workspaceId, id);
        if (number < 1 || number > before.versions() || versions.get(versionId(id, number)).isEmpty()) {
            throw new InvalidInputException("version", number, "must be a version of this container: 1 to " + before.versions());
        }
        Instant now = clock.instant();
        TagContainer after = change(id, c -> {
            List<Publication> log = new ArrayList<>(c.publications());
            log.add(new Publication(number, now, access.actor().id()));
            return new TagContainer(c.id(), c.workspaceId(), c.siteId(), c.name(), c.draft(), number, c.versions(),
                    log.subList(Math.max(0, log.size() - KEPT_PUBLICATIONS), log.size()), c.createdAt(), now);
        });
        live = null;
        access.changed(Resource.SITES, Action.WRITE, id, before, after);
        return after;
    }

    /** Stops the container on the site's pages (its versions stay, to publish again). */
    public TagContainer unpublish(String workspaceId, String id) {
        access.require(Resource.SITES, Action.WRITE);
        TagContainer before = get(workspaceId, id);
        TagContainer after = change(id, c -> new TagContainer(c.id(), c.workspaceId(), c.siteId(), c.name(), c.draft(), null,
                c.versions(), c.publications(), c.createdAt(), clock.instant()));
        live = null;
        access.changed(Resource.SITES, Action.WRITE, id, before, after);
        return after;
    }

    /**
     * A link to the site that runs this container's draft instead of its published version, in the
     * browser that opens it only (the token goes into that tab's session storage), with a panel
     * showing which tags fired on which event.
     */
    public Preview preview(String workspaceId, String id) {
        TagContainer c = get(workspaceId, id);
        Site site = sites.get(workspaceId, c.siteId());
        Instant expires = clock.instant().plus(PREVIEW_LIFETIME);
        String token = signer.expiring(PREVIEW, id, expires);
        return new Preview(token, "https://" + site.domains().get(0) + "/?orbita_preview=" + token, expires);
    }

    /** The versions a site's pages run, for its script (no permission asked: only ids and numbers). */
    public List<Live> live(String siteId) {
        long now = clock.millis();
        Snapshot s = live;
        if (s == null || now - s.at() > CACHE_MS) {
            Map<String, List<Live>> bySite = new java.util.HashMap<>();
            for (TagContainer t : containers.list()) {
                if (t.published() != null) {
                    bySite.computeIfAbsent(t.siteId(), k -> new ArrayList<>()).add(new Live(t.id(), t.published()));
                }
            }
            s = new Snapshot(bySite, now);
            live = s;
        }
        return s.bySite().getOrDefault(siteId, List.of());
    }

    /** A published version's content, for the public script; only versions a site of {@code siteId} has put live at some time. */
    public Optional<Content> content(String siteId, String containerId, int number) {
        String key = versionId(containerId, number);
        Content kept = contents.get(key);
        if (kept != null) {
            return containers.get(containerId).filter(c -> c.siteId().equals(siteId)).map(c -> kept);
        }
        Optional<TagContainer> c = containers.get(containerId).filter(t -> t.siteId().equals(siteId)
                && t.publications().stream().anyMatch(p -> p.version() == number));
        if (c.isEmpty()) {
            return Optional.empty();
        }
        Optional<Content> content = versions.get(key).map(Version::content);
        content.ifPresent(v -> {
            if (contents.size() > 1_000) {
                contents.clear();
            }
            contents.put(key, v);
        });
        return content;
    }

    /** The draft a preview token names, when the token checks, is in time and belongs to {@code siteId}. */
    public Optional<TagContainer> previewed(String siteId, String token) {
        return signer.unexpired(PREVIEW, token, clock.instant()).flatMap(containers::get).filter(c -> c.siteId().equals(siteId));
    }

    /** Changes a container in one step; one removed meanwhile is missing. */
    private TagContainer change(String id, java.util.function.UnaryOperator<TagContainer> how) {
        return containers.update(id, c -> {
            if (c == null) {
                throw new NotFoundException("container", id);
            }
            return how.apply(c);
        });
    }

    private static String versionId(String containerId, int number) {
        return containerId + "." + String.format(Locale.ROOT, "%06d", number);
    }

    private static String name(ContainerInput in, TagContainer before) {
        String name = in == null || in.name() == null ? (before == null ? null : before.name()) : in.name().strip();
        if (name == null || name.isEmpty() || name.length() > 100) {
            throw new InvalidInputException("name", in == null ? null : in.name(), "is required: 1 to 100 characters");
        }
        return name;
    }

    /** A draft checked whole: every problem named by its path (draft.tags[2].firing[0]), ids given where left out. */
    static Content checked(Content given, String at) {
        if (given == null) {
            return Content.EMPTY;
        }
        List<FieldError> errors = new ArrayList<>();
        if (given.variables().size() > MAX_ITEMS || given.triggers().size() > MAX_ITEMS || given.tags().size() > MAX_ITEMS) {
            throw new InvalidInputException(at, null, "at most " + MAX_ITEMS + " variables, " + MAX_ITEMS + " triggers and " + MAX_ITEMS + " tags");
        }
        Set<String> names = new HashSet<>(BUILT_IN);
        List<Variable> variables = new ArrayList<>();
        for (int i = 0; i < given.variables().size(); i++) {
            Variable v = given.variables().get(i);
            String p = at + ".variables[" + i + "].";
            if (v == null) {
                errors.add(FieldError.of(at + ".variables[" + i + "]", null, "must be an object"));
                continue;
            }
            String name = v.name() == null ? "" : v.name().strip();
            if (!VARIABLE_NAME.matcher(name).matches()) {
                errors.add(FieldError.of(p + "name", v.name(), "1 to 64 characters: a letter first, then letters, digits, spaces, _ . -"));
            } else if (!names.add(name)) {
                errors.add(FieldError.of(p + "name", v.name(), BUILT_IN.contains(name) ? "is a built-in variable's name" : "is taken by another variable"));
            }
            String kind = lower(v.kind());
            String part = null;
            String key = v.key() == null || v.key().isBlank() ? null : v.key().strip();
            if (!VARIABLE_KINDS.contains(kind)) {
                errors.add(FieldError.of(p + "kind", v.kind(), "must be one of " + sorted(VARIABLE_KINDS)));
            } else {
                switch (kind) {
                    case "url" -> {
                        part = v.part() == null || v.part().isBlank() ? "href" : lower(v.part());
                        if (!URL_PARTS.contains(part)) {
                            errors.add(FieldError.of(p + "part", v.part(), "must be one of " + sorted(URL_PARTS)));
                        } else if (part.equals("query") && (key == null || key.length() > 100)) {
                            errors.add(FieldError.of(p + "key", v.key(), "the query parameter to read is required"));
                        }
                    }
                    case "cookie" -> check(errors, p + "key", key, COOKIE, "a cookie name is required (1 to 100 characters, no spaces, ; or =)");
                    case "datalayer" -> check(errors, p + "key", key, DATA_LAYER_KEY, "a dataLayer key is required, dotted for a nested one: ecommerce.value");
                    case "js" -> check(errors, p + "key", key, JS_PATH, "a global variable's dotted path is required, such as shop.cart.total (it is read, never run)");
                    default -> { }
                }
            }
            if (v.value() != null && v.value().length() > 1000) {
                errors.add(FieldError.of(p + "value", v.value().substring(0, 40) + "…", "at most 1000 characters"));
            } else if (kind.equals("constant") && v.value() == null) {
                errors.add(FieldError.of(p + "value", null, "a constant's value is required"));
            }
            variables.add(new Variable(name, kind, part, kind.equals("url") && !"query".equals(part) ? null : key, v.value()));
        }
        Set<String> triggerIds = new HashSet<>();
        List<Trigger> triggers = new ArrayList<>();
        for (int i = 0; i < given.triggers().size(); i++) {
            Trigger t = given.triggers().get(i);
            String p = at + ".triggers[" + i + "].";
            if (t == null) {
                errors.add(FieldError.of(at + ".triggers[" + i + "]", null, "must be an object"));
                continue;
            }
            String id = id(t.id(), "t" + (i + 1), p, triggerIds, errors);
            String kind = lower(t.kind());
            requireName(t.name(), p, errors);
            String selector = t.selector() == null || t.selector().isBlank() ? null : t.selector().strip();
            String event = null;
            String match = null;
            List<Integer> thresholds = List.of();
            Integer interval = null;
            Integer limit = null;
            Integer percent = null;
            if (!TRIGGER_KINDS.contains(kind)) {
                errors.add(FieldError.of(p + "kind", t.kind(), "must be one of " + sorted(TRIGGER_KINDS)));
            }
            if (selector != null && (selector.length() > 200 || selector.contains("<") || selector.contains("{"))) {
                errors.add(FieldError.of(p + "selector", t.selector(), "must be a CSS selector such as #buy or .subscribe button"));
            }
            switch (kind) {
                case "event" -> {
                    event = t.event() == null ? "" : t.event().strip();
                    match = t.match() == null || t.match().isBlank() ? "equals" : lower(t.match());
                    if (event.isEmpty() || event.length() > 200) {
                        errors.add(FieldError.of(p + "event", t.event(), "the event's name is required: 1 to 200 characters"));
                    } else if (match.equals("regex")) {
                        regex(errors, p + "event", event);
                    } else if (!match.equals("equals")) {
                        errors.add(FieldError.of(p + "match", t.match(), "must be equals or regex"));
                    }
                }
                case "scroll" -> {
                    thresholds = t.thresholds().stream().distinct().sorted().toList();
                    if (thresholds.isEmpty() || thresholds.size() > 20 || thresholds.stream().anyMatch(x -> x == null || x < 1 || x > 100)) {
                        errors.add(FieldError.of(p + "thresholds", t.thresholds(), "1 to 20 percentages from 1 to 100, such as [25, 50, 75, 90]"));
                    }
                }
                case "timer" -> {
                    interval = t.interval();
                    limit = t.limit();
                    if (interval == null || interval < 100 || interval > 3_600_000) {
                        errors.add(FieldError.of(p + "interval", t.interval(), "milliseconds from 100 to 3600000 are required"));
                    }
                    if (limit != null && (limit < 1 || limit > 1000)) {
                        errors.add(FieldError.of(p + "limit", t.limit(), "from 1 to 1000 times a page, or none for no limit"));
                    }
                }
                case "visibility" -> {
                    percent = t.percent() == null ? 50 : t.percent();
                    if (selector == null) {
                        errors.add(FieldError.of(p + "selector", t.selector(), "the element to watch is required: a CSS selector such as #offer"));
                    }
                    if (percent < 1 || percent > 100) {
                        errors.add(FieldError.of(p + "percent", t.percent(), "must be a percentage from 1 to 100"));
                    }
                }
                default -> { }
            }
            triggers.add(new Trigger(id, t.name() == null ? null : t.name().strip(), kind,
                    Set.of("click", "submit", "visibility").contains(kind) ? selector : null, event, match, thresholds, interval, limit, percent,
                    conditions(t.conditions(), p + "conditions", names, errors)));
        }
        Set<String> tagIds = new HashSet<>();
        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < given.tags().size(); i++) {
            Tag t = given.tags().get(i);
            String p = at + ".tags[" + i + "].";
            if (t == null) {
                errors.add(FieldError.of(at + ".tags[" + i + "]", null, "must be an object"));
                continue;
            }
            String id = id(t.id(), "tag" + (i + 1), p, tagIds, errors);
            requireName(t.name(), p, errors);
            String kind = lower(t.kind());
            String html = null;
            String url = null;
            String event = null;
            String account = null;
            Map<String, String> properties = Map.of();
            if (!TAG_KINDS.contains(kind)) {
                errors.add(FieldError.of(p + "kind", t.kind(), "must be one of " + sorted(TAG_KINDS)));
            }
            switch (kind) {
                case "html" -> {
                    html = t.html();
                    if (html == null || html.isBlank() || html.length() > MAX_HTML) {
                        errors.add(FieldError.of(p + "html", html == null ? null : html.substring(0, Math.min(40, html.length())),
                                "the HTML to add to the page is required: at most " + MAX_HTML + " characters"));
                    } else {
                        references(html, p + "html", names, errors);
                    }
                }
                case "image" -> {
                    url = t.url() == null ? "" : t.url().strip();
                    if (!url.matches("(?i)https?://[^\\s<>\"]{1,2000}")) {
                        errors.add(FieldError.of(p + "url", t.url(), "an http(s) address is required, {{variables}} allowed in it"));
                    } else {
                        references(url, p + "url", names, errors);
                    }
                }
                case "event" -> {
                    event = t.event() == null ? "" : t.event().strip();
                    if (!Sites.EVENT_NAME.matcher(event).matches()) {
                        errors.add(FieldError.of(p + "event", t.event(), "must be an event name: a-z first, then a-z 0-9 _ . : -"));
                    }
                    if (t.properties().size() > 50) {
                        errors.add(FieldError.of(p + "properties", null, "at most 50 properties"));
                    }
                    Map<String, String> props = new LinkedHashMap<>();
                    t.properties().forEach((k, v) -> {
                        if (!PROPERTY.matcher(k).matches()) {
                            errors.add(FieldError.of(p + "properties." + k, k, "a property's name: a letter first, then letters, digits, _"));
                        } else if (v == null || v.length() > 500) {
                            errors.add(FieldError.of(p + "properties." + k, v, "a value of at most 500 characters, {{variables}} allowed"));
                        } else {
                            references(v, p + "properties." + k, names, errors);
                            props.put(k, v);
                        }
                    });
                    properties = props;
                }
                case "ga4", "meta-pixel", "yandex-metrica", "popup" -> {
                    account = t.account() == null ? "" : t.account().strip();
                    if (!ACCOUNTS.get(kind).matcher(account).matches()) {
                        errors.add(FieldError.of(p + "account", t.account(), switch (kind) {
                            case "ga4" -> "the measurement id is required, such as G-ABC123XYZ";
                            case "meta-pixel" -> "the pixel id is required: its digits";
                            case "popup" -> "the pop-up's id is required (Pop-ups: its page shows it)";
                            default -> "the counter number is required: its digits";
                        }));
                    }
                }
                default -> { }
            }
            if (t.firing().isEmpty()) {
                errors.add(FieldError.of(p + "firing", null, "at least one trigger it fires on"));
            }
            refs(t.firing(), p + "firing", triggerIds, errors);
            refs(t.blocking(), p + "blocking", triggerIds, errors);
            for (int j = 0; j < t.consent().size(); j++) {
                if (!CONSENT_CATEGORIES.contains(t.consent().get(j))) {
                    errors.add(FieldError.of(p + "consent[" + j + "]", t.consent().get(j), "must be one of " + sorted(CONSENT_CATEGORIES)));
                }
            }
            String once = t.once() == null || t.once().isBlank() ? "event" : lower(t.once());
            if (!once.equals("event") && !once.equals("page")) {
                errors.add(FieldError.of(p + "once", t.once(), "must be event (each time a trigger fires) or page (once a page)"));
            }
            tags.add(new Tag(id, t.name() == null ? null : t.name().strip(), kind, html, url, event, properties, account,
                    t.firing().stream().distinct().toList(), t.blocking().stream().distinct().toList(), t.consent().stream().distinct().toList(), once,
                    t.paused()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Content content = new Content(variables, triggers, tags);
        if (Json.write(content).getBytes(StandardCharsets.UTF_8).length > 512 * 1024) {
            throw new InvalidInputException(at, null, "at most 512 KB in all");
        }
        return content;
    }

    private static List<Condition> conditions(List<Condition> given, String at, Set<String> names, List<FieldError> errors) {
        if (given.size() > 20) {
            errors.add(FieldError.of(at, null, "at most 20 conditions"));
            return List.of();
        }
        List<Condition> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            Condition c = given.get(i);
            String p = at + "[" + i + "].";
            if (c == null) {
                errors.add(FieldError.of(at + "[" + i + "]", null, "must be an object"));
                continue;
            }
            String variable = c.variable() == null ? "" : c.variable().strip();
            if (variable.startsWith("{{") && variable.endsWith("}}")) {
                variable = variable.substring(2, variable.length() - 2).strip();
            }
            if (!names.contains(variable)) {
                errors.add(FieldError.of(p + "variable", c.variable(), "must be a built-in variable (" + String.join(", ", BUILT_IN)
                        + ") or one defined above"));
            }
            String op = lower(c.operator());
            String value = c.value() == null ? "" : c.value();
            if (!OPERATORS.contains(op)) {
                errors.add(FieldError.of(p + "operator", c.operator(), "must be one of " + sorted(OPERATORS)));
            } else if (value.length() > 500) {
                errors.add(FieldError.of(p + "value", value.substring(0, 40) + "…", "at most 500 characters"));
            } else if (op.endsWith("matches")) {
                regex(errors, p + "value", value);
            } else if ((op.equals("less_than") || op.equals("greater_than")) && !value.strip().matches("-?[0-9]+(\\.[0-9]+)?")) {
                errors.add(FieldError.of(p + "value", value, "must be a number to compare with"));
            }
            out.add(new Condition(variable, op, value));
        }
        return out;
    }

    private static void references(String text, String at, Set<String> names, List<FieldError> errors) {
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            String name = m.group(1).strip();
            if (!names.contains(name)) {
                errors.add(FieldError.of(at, "{{" + name + "}}", "names no variable: define it under variables, or use a built-in one ("
                        + String.join(", ", BUILT_IN) + ")"));
            }
        }
    }

    private static void refs(List<String> ids, String at, Set<String> known, List<FieldError> errors) {
        for (int j = 0; j < ids.size(); j++) {
            if (!known.contains(ids.get(j))) {
                errors.add(FieldError.of(at + "[" + j + "]", ids.get(j), "must be the id of a trigger of this container"));
            }
        }
    }

    private static String id(String given, String fallback, String at, Set<String> taken, List<FieldError> errors) {
        String id = given == null || given.isBlank() ? fallback : given.strip();
        if (!ID.matcher(id).matches() || !taken.add(id)) {
            errors.add(FieldError.of(at + "id", given, "1 to 40 letters, digits, '_' or '-', unique in the container"));
        }
        return id;
    }

    private static void requireName(String name, String at, List<FieldError> errors) {
        if (name == null || name.isBlank() || name.length() > 100) {
            errors.add(FieldError.of(at + "name", name, "is required: 1 to 100 characters"));
        }
    }

    private static void check(List<FieldError> errors, String field, String value, Pattern rule, String message) {
        if (value == null || !rule.matcher(value).matches()) {
            errors.add(FieldError.of(field, value, message));
        }
    }

    private static void regex(List<FieldError> errors, String field, String value) {
        try {
            Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            errors.add(FieldError.of(field, value, "is not a regular expression: " + e.getDescription()));
        }
    }

    private static String lower(String s) {
        return s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
