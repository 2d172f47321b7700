package org.orbita.sites;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.common.NotFoundException;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.tracking.UserAgents;

/**
 * What a website reports: a batch of hits from one visitor (page views, custom events, goals
 * reached, identifications), from the snippet on an allowed origin or from the site's back end
 * through the API. Each hit is checked on its own (the answer names the rejected ones by index);
 * the good ones are stored in one append — durable when this returns — under the visitor's key,
 * or its profile's once it is identified ({@link VisitorIdentity}). A hit carries its own id, so
 * a batch sent again is answered as stored, not stored twice: {@link SeenHits} holds the ids
 * of the hits of the latest times; a hit with its own time before those is looked up in the log
 * at that time. (A hit without a time — the pixel's, a back end's that gives none — is recognised while
 * its id is among those this process remembers.)
 * Context recorded on every hit: the site ({@code website}), visitor and session, device, OS and
 * browser ({@link UserAgents}), language, screen, country, region and city ({@link Geo}, when a
 * database is given) and the address with its last part zeroed.
 */
public final class SiteHits {

    public static final int MAX_BODY = 64 * 1024;
    public static final int MAX_HITS = 50;
    public static final int MAX_PROPERTIES = 4 * 1024;
    /** How old a hit may be when it arrives (a browser that was offline sends what it kept). */
    public static final Duration MAX_AGE = Duration.ofDays(7);
    /** Custom events may not take the names of what Orbita itself records. */
    static final List<String> RESERVED = List.of("message.", "segment.", "journey.", "profile.", "subscription.", "site.", "campaign.", "popup.",
            "form.", "promo.", "order.", "cart.", "product.");
    private static final Pattern VISITOR = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final Pattern HIT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{7,63}");
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> KINDS = Set.of("page", "event", "goal", "identify", "popup");
    private static final Set<String> POPUP_ACTIONS = Set.of("shown", "closed", "converted");
    private static final List<String> UTM = List.of("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content");
    private static final Duration LIVE = Duration.ofMinutes(5);
    private static final int LIVE_PER_SITE = 10_000;
    /** Hit ids remembered per database and generation (two generations): some 30 MB at most for each. */
    private static final int GENERATION = 200_000;

    /** Who sent a batch: the page's origin and referrer as the browser gave them, its agent and address; {@code server}: the site's back end by the API. */
    public record From(String origin, String referer, String userAgent, String ip, boolean server) {}

    public record Rejected(int index, List<FieldError> errors) {}

    /** What became of a batch: hits stored, indexes of repeats and of rejected hits, and whether it was dropped as a bot's. */
    public record Outcome(int stored, List<Integer> repeats, List<Rejected> rejected, boolean bot) {}

    /** A visitor seen on a site in the last minutes. */
    public record LiveVisitor(String visitor, String profileId, String url, String device, Instant at) {}

    /** The site refuses this origin. */
    public static final class OriginRefused extends RuntimeException {
        public OriginRefused(String origin) {
            super(origin == null ? "the request names no page origin" : "this site does not list " + origin + " among its domains");
        }
    }

    private final Sites sites;
    private final ClientDatabases databases;
    private final VisitorIdentity identity;
    private final SiteLinks links;
    private final Geo geo;
    private final EventLog log;
    private final Clock clock;
    /** Per database (ids are unique within one): made at a database's first hit, with the ids of its last minutes preloaded. */
    private final Map<String, SeenHits> seen = new ConcurrentHashMap<>();
    private final Map<String, Map<String, LiveVisitor>> live = new ConcurrentHashMap<>();
    private volatile PopupFacts popups = (site, popup, variant) -> java.util.Optional.empty();

    /** What a pop-up's event records of it: its id, kind, variant and template; empty when the site has no such pop-up. */
    @FunctionalInterface
    public interface PopupFacts {
        java.util.Optional<Map<String, Object>> facts(String siteId, String popupId, String variantId);
    }

    public SiteHits(Sites sites, ClientDatabases databases, VisitorIdentity identity, SiteLinks links, Geo geo, EventLog log, Clock clock) {
        this.geo = geo;
        this.links = links;
        this.sites = sites;
        this.databases = databases;
        this.identity = identity;
        this.log = log;
        this.clock = clock;
    }

    /** Pop-ups' events are recorded once the pop-ups are there to name them (they are built on the sites). */
    public void popups(PopupFacts facts) {
        this.popups = facts;
    }

    /** A batch from the snippet (or the back end); the site must exist and, for a browser, list the page's host. */
    public Outcome collect(String siteId, Map<String, Object> body, From from) {
        Site site = sites.published(siteId).orElseThrow(() -> new NotFoundException("site", siteId));
        if (!from.server()) {
            String host = host(from.origin() != null && !from.origin().equals("null") ? from.origin() : from.referer());
            if (!site.allows(host)) {
                throw new OriginRefused(from.origin() != null ? from.origin() : from.referer());
            }
        }
        if (body == null) {
            throw new InvalidInputException("body", null, "must be a JSON object with visitor and hits");
        }
        String visitor = body.get("visitor") instanceof String v ? v : null;
        if (visitor == null || !VISITOR.matcher(visitor).matches()) {
            throw new InvalidInputException("visitor", body.get("visitor"), "is required: 8 to 64 letters, digits, '_' or '-'");
        }
        if (site.consent() == Site.Consent.OPT_IN && !Boolean.TRUE.equals(body.get("consent"))) {
            throw new InvalidInputException("consent", body.get("consent"), "this site asks visitors first: nothing is stored without their consent");
        }
        if (!(body.get("hits") instanceof List<?> hits) || hits.isEmpty() || hits.size() > MAX_HITS) {
            throw new InvalidInputException("hits", null, "1 to " + MAX_HITS + " hits");
        }
        UserAgents.Client client = UserAgents.classify(from.userAgent());
        if (site.filterBots() && (client.device().equals("machine") || client.browser().startsWith("Headless"))) {
            return new Outcome(0, List.of(), List.of(), true);
        }
        ClientDatabase db = databases.find(site.database()).orElseThrow(() -> new NotFoundException("site", siteId));
        SeenHits seen = seenIn(db.id());
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("website", site.id());
        context.put("visitor", visitor);
        context.putAll(client.properties());
        putText(context, "language", body.get("language"), 35);
        putText(context, "screen", body.get("screen"), 20);
        context.putAll(geo.locate(from.ip())); // from the full address, before it is anonymised
        String ip = anonymised(from.ip());
        if (ip != null) {
            context.put("ip", ip);
        }
        Instant now = clock.instant();
        List<Event> events = new ArrayList<>();
        List<String> claimed = new ArrayList<>();
        List<Integer> repeats = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        List<Integer> needLog = new ArrayList<>();
        String lastUrl = null;
        for (int i = 0; i < hits.size(); i++) {
            List<FieldError> errors = new ArrayList<>();
            if (!(hits.get(i) instanceof Map<?, ?> raw)) {
                rejected.add(new Rejected(i, List.of(FieldError.of("hits[" + i + "]", null, "must be an object"))));
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> hit = (Map<String, Object>) raw;
            Event e = null;
            try {
                e = event(site, db, visitor, hit, context, now, errors);
            } catch (InvalidInputException bad) {
                errors.addAll(bad.errors());
            }
            if (!errors.isEmpty()) {
                rejected.add(new Rejected(i, errors));
                continue;
            }
            if (e == null) {
                continue; // an identification: done, nothing to store of it
            }
            String key = e.id();
            if (!seen.claim(key, e.time().toEpochMilli(), now.toEpochMilli())) {
                repeats.add(i);
                continue;
            }
            claimed.add(key);
            // a hit carrying its own time (the snippet's always do) from before what this process holds may be a replay of
            // one stored before: its first copy has that same time, so the log is asked about that moment only
            if (hit.get("time") != null && seen.mayBeForgotten(e.time().toEpochMilli())) {
                needLog.add(events.size());
            }
            events.add(e);
            if (e.type().equals("site.page_view")) {
                lastUrl = (String) e.properties().get("url");
            }
        }
        try {
            if (!needLog.isEmpty()) {
                List<Event> older = needLog.stream().map(events::get).toList();
                Instant first = older.stream().map(Event::time).min(Instant::compareTo).orElseThrow();
                Instant last = older.stream().map(Event::time).max(Instant::compareTo).orElseThrow();
                Set<String> stored = log.existing(db.id(), older.stream().map(Event::id).toList(), first, last);
                if (!stored.isEmpty()) {
                    for (int n = events.size() - 1; n >= 0; n--) {
                        if (stored.contains(events.get(n).id())) {
                            events.remove(n);
                        }
                    }
                    repeats.addAll(hitIndexes(hits, stored));
                }
            }
            log.append(events);
        } catch (RuntimeException | Error failed) {
            claimed.forEach(seen::release);
            throw failed;
        }
        if (!events.isEmpty()) {
            seenLive(site.id(), visitor, events.get(events.size() - 1).profileId(), lastUrl, client.device(), now);
        }
        repeats.sort(null);
        return new Outcome(events.size(), repeats, rejected, false);
    }

    /**
     * What a database's hits have been lately: at its first hit in this process, the ids the log
     * holds of the last minute are taken (a restarted process would otherwise ask the log about
     * every hit older than its start: all the snippets' retries and clocks behind).
     */
    private SeenHits seenIn(String databaseId) {
        return seen.computeIfAbsent(databaseId, db -> {
            SeenHits s = new SeenHits(GENERATION);
            Instant since = clock.instant().minus(Duration.ofMinutes(1));
            s.preload(since.toEpochMilli(), each -> log.scan(db, since, Set.of(), e -> each.accept(e.id(), e.time().toEpochMilli())));
            return s;
        });
    }

    /** The visitors of a site seen in the last five minutes, latest first. */
    public List<LiveVisitor> live(String siteId) {
        Map<String, LiveVisitor> seenHere = live.get(siteId);
        if (seenHere == null) {
            return List.of();
        }
        Instant since = clock.instant().minus(LIVE);
        seenHere.values().removeIf(v -> v.at().isBefore(since));
        return seenHere.values().stream().sorted(Comparator.comparing(LiveVisitor::at).reversed()).toList();
    }

    /** When this node last stored a hit of the site (null: not since it started). */
    public Instant lastHit(String siteId) {
        return live(siteId).stream().map(LiveVisitor::at).findFirst().orElse(null);
    }

    private void seenLive(String siteId, String visitor, String key, String url, String device, Instant at) {
        Map<String, LiveVisitor> seenHere = live.computeIfAbsent(siteId, s -> new ConcurrentHashMap<>());
        if (seenHere.size() >= LIVE_PER_SITE && !seenHere.containsKey(visitor)) {
            Instant since = at.minus(LIVE);
            seenHere.values().removeIf(v -> v.at().isBefore(since));
            if (seenHere.size() >= LIVE_PER_SITE) {
                return;
            }
        }
        LiveVisitor before = seenHere.get(visitor);
        seenHere.put(visitor, new LiveVisitor(visitor, key.startsWith(Event.VISITOR_PREFIX) ? null : key,
                url != null ? url : before == null ? null : before.url(), device, at));
    }

    private static List<Integer> hitIndexes(List<?> hits, Set<String> ids) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            if (hits.get(i) instanceof Map<?, ?> h && ids.contains(h.get("id"))) {
                out.add(i);
            }
        }
        return out;
    }

    /** The event a hit records (null for an identification, which links and stores nothing itself). */
    private Event event(Site site, ClientDatabase db, String visitor, Map<String, Object> hit, Map<String, Object> context, Instant now,
                        List<FieldError> errors) {
        String kind = hit.get("kind") instanceof String k ? k : null;
        if (kind == null || !KINDS.contains(kind)) {
            errors.add(FieldError.of("kind", hit.get("kind"), "must be page, event, goal, popup or identify"));
            return null;
        }
        if (kind.equals("identify")) {
            identify(site, db, visitor, hit, errors);
            return null;
        }
        String id = hit.get("id") instanceof String s ? s : null;
        if (id == null || !HIT_ID.matcher(id).matches()) {
            errors.add(FieldError.of("id", hit.get("id"), "is required: 8 to 64 letters, digits, '_' or '-' (a letter or digit first), new for each hit"));
        }
        Instant time = now;
        if (hit.get("time") != null) {
            if (!(hit.get("time") instanceof Number n) || n.longValue() < now.minus(MAX_AGE).toEpochMilli()
                    || n.longValue() > now.plus(SeenHits.SKEW).toEpochMilli()) {
                errors.add(FieldError.of("time", hit.get("time"), "must be milliseconds since 1970, within the last 7 days"));
            } else {
                time = Instant.ofEpochMilli(n.longValue());
            }
        }
        Map<String, Object> props = new LinkedHashMap<>();
        String type;
        switch (kind) {
            case "page" -> type = "site.page_view";
            case "popup" -> {
                String action = hit.get("action") instanceof String a && POPUP_ACTIONS.contains(a) ? a : null;
                type = "popup." + action;
                if (action == null) {
                    errors.add(FieldError.of("action", hit.get("action"), "must be shown, closed or converted"));
                }
                Map<String, Object> facts = hit.get("popup") instanceof String p && hit.get("variant") instanceof String v
                        ? popups.facts(site.id(), p, v).filter(f -> f.containsKey("variant")).orElse(null) : null;
                if (facts == null) {
                    errors.add(FieldError.of("popup", hit.get("popup"), "must be the id of one of this site's pop-ups, with one of its variants"));
                } else {
                    props.putAll(facts);
                }
                if (hit.get("label") instanceof String label && !label.isBlank()) {
                    props.put("label", label.length() > 100 ? label.substring(0, 100) : label);
                }
            }
            case "goal" -> {
                type = "site.goal";
                String goalId = hit.get("goal") instanceof String g ? g : null;
                Site.Goal goal = goalId == null ? null : site.goal(goalId).orElse(null);
                if (goal == null) {
                    errors.add(FieldError.of("goal", hit.get("goal"), "must be the id of one of this site's goals"));
                } else {
                    props.put("goal", goal.id());
                    props.put("goal_name", goal.name());
                    props.put("value", goal.value());
                }
            }
            default -> {
                type = hit.get("name") instanceof String n ? n : null;
                if (type == null || !Sites.EVENT_NAME.matcher(type).matches() || RESERVED.stream().anyMatch(type::startsWith)) {
                    errors.add(FieldError.of("name", hit.get("name"), "must be an event name (a-z first, then a-z 0-9 _ . : -) not starting with "
                            + RESERVED));
                }
                Object custom = hit.get("properties");
                if (custom != null && !(custom instanceof Map<?, ?>)) {
                    errors.add(FieldError.of("properties", null, "must be an object"));
                } else if (custom != null) {
                    if (Json.write(custom).length() > MAX_PROPERTIES) {
                        errors.add(FieldError.of("properties", null, "must be at most " + MAX_PROPERTIES + " characters as JSON"));
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> given = (Map<String, Object>) custom;
                    props.putAll(given);
                }
            }
        }
        page(hit, props, errors, kind.equals("page"));
        Object session = hit.get("session");
        if (session != null) {
            if (!(session instanceof String s) || !SESSION.matcher(s).matches()) {
                errors.add(FieldError.of("session", session, "1 to 64 letters, digits, '_' or '-'"));
            } else {
                props.put("session", s);
            }
        }
        if (Boolean.TRUE.equals(hit.get("sessionStart"))) {
            props.put("session_start", true);
        }
        if (!errors.isEmpty()) {
            return null;
        }
        props.putAll(context);
        return new Event(id, db.id(), identity.keyOf(db.id(), visitor), type, "web", time, props);
    }

    private void identify(Site site, ClientDatabase db, String visitor, Map<String, Object> hit, List<FieldError> errors) {
        if (hit.containsKey("token")) {
            // a click from a message: the profile its link was sent to, signed
            SiteLinks.Claim claim = hit.get("token") instanceof String t ? links.verify(t).orElse(null) : null;
            if (claim == null || !claim.databaseId().equals(db.id())) {
                errors.add(FieldError.of("token", null, "is not a valid link token of this site's database (or its hour has passed)"));
                return;
            }
            identity.link(site.id(), db.id(), visitor, claim.profileId(), "message");
            return;
        }
        if (!(hit.get("identity") instanceof Map<?, ?> given) || given.size() != 1 || !(given.keySet().iterator().next() instanceof String field)) {
            errors.add(FieldError.of("identity", null, "must name one field the site identifies by " + site.identifyBy() + " with its value"));
            return;
        }
        Object value = given.values().iterator().next();
        if (value == null || String.valueOf(value).isBlank()) {
            errors.add(FieldError.of("identity." + field, null, "must have a value"));
            return;
        }
        Object traits = hit.get("traits");
        if (traits != null && !(traits instanceof Map<?, ?>)) {
            errors.add(FieldError.of("traits", null, "must be an object"));
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> t = traits == null ? Map.of() : (Map<String, Object>) traits;
        if (Json.write(t).length() > MAX_PROPERTIES) {
            errors.add(FieldError.of("traits", null, "must be at most " + MAX_PROPERTIES + " characters as JSON"));
            return;
        }
        identity.identify(site, db, visitor, field, value, t);
    }

    /** The page a hit was on: its address (required for a page view), title, referrer and campaign tags. */
    private static void page(Map<String, Object> hit, Map<String, Object> props, List<FieldError> errors, boolean required) {
        Object url = hit.get("url");
        if (url == null) {
            if (required) {
                errors.add(FieldError.of("url", null, "is required for a page view"));
            }
            return;
        }
        URI uri = url instanceof String s && s.length() <= 2048 ? uri(s) : null;
        if (uri == null || uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).startsWith("http") || uri.getHost() == null) {
            errors.add(FieldError.of("url", url, "must be the page's http(s) address, at most 2048 characters"));
            return;
        }
        props.put("url", url);
        props.put("host", uri.getHost().toLowerCase(Locale.ROOT));
        props.put("path", uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        putText(props, "title", hit.get("title"), 300);
        Object referrer = hit.get("referrer");
        if (referrer instanceof String r && !r.isEmpty() && r.length() <= 2048 && uri(r) != null) {
            props.put("referrer", r);
            URI ref = uri(r);
            if (ref.getHost() != null) {
                props.put("referrer_host", ref.getHost().toLowerCase(Locale.ROOT));
            }
        }
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                if (UTM.contains(name) && eq > 0) {
                    putText(props, name, java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8), 200);
                }
            }
        }
    }

    private static void putText(Map<String, Object> props, String name, Object value, int max) {
        if (value instanceof String s && !s.isBlank()) {
            props.put(name, s.length() > max ? s.substring(0, max) : s);
        }
    }

    private static URI uri(String s) {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The host an origin or address names, lower case; null when it names none. */
    public static String host(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        URI u = uri(url.strip());
        return u == null || u.getHost() == null ? null : u.getHost().toLowerCase(Locale.ROOT);
    }

    /** An address without what names one machine: IPv4's last byte and all of IPv6 past the first 48 bits set to zero. */
    static String anonymised(String ip) {
        if (ip == null || ip.isBlank() || !ip.matches("[0-9a-fA-F:.]{2,45}")) {
            return null;
        }
        try {
            byte[] a = InetAddress.getByName(ip).getAddress();
            for (int i = a.length == 4 ? 3 : 6; i < a.length; i++) {
                a[i] = 0;
            }
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
