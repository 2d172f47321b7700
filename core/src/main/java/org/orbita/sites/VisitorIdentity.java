package org.orbita.sites;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.audiences.RecentEvents;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.events.HistoryQuery;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileKey;
import org.orbita.profiles.ProfileSource;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.WriteMode;

/**
 * Who a website visitor is. Until identified, a visitor's events are kept apart under its own
 * key ({@link Event#visitorKey}); identifying it — by a unique field the site allows, by a
 * tracked link from a message, or by the API — links the visitor to that profile (a merge,
 * audited): its earlier events join the profile's history and recent behaviour (so segments see
 * them at once), and its later ones are the profile's. A visitor linked to one profile and
 * claimed by another is not moved: the conflict is recorded. A merge can be reversed: the visitor
 * is anonymous again and its anonymous events leave the profile's history (events recorded as
 * the profile's while linked stay the profile's).
 */
public final class VisitorIdentity {

    /** The anonymous events joined to a profile's recent behaviour at a merge, at most. */
    static final int JOINED = 1_000;
    private static final int CACHED = 100_000;

    private final Visitors visitors;
    private final ProfileStore profiles;
    private final ProfileWriting writing;
    private final EventLog log;
    private final RecentEvents recent;
    private final Access access;
    private final Clock clock;
    /** Database and visitor → the profile it is linked to, or the empty string for none. */
    private final Map<String, String> links = new ConcurrentHashMap<>();

    public VisitorIdentity(Visitors visitors, ProfileStore profiles, ProfileWriting writing, EventLog log, RecentEvents recent, Access access,
                           Clock clock) {
        this.visitors = visitors;
        this.profiles = profiles;
        this.writing = writing;
        this.log = log;
        this.recent = recent;
        this.access = access;
        this.clock = clock;
    }

    /** The key a visitor's events are stored under now: its profile's id once linked, else its own. */
    String keyOf(String databaseId, String visitorId) {
        String cacheKey = databaseId + '\u0000' + visitorId;
        String profile = links.get(cacheKey);
        if (profile == null) {
            profile = visitors.linkOf(databaseId, visitorId).map(Visitors.Merge::profileId).orElse("");
            if (links.size() >= CACHED) {
                links.clear(); // bounded: a flood of visitors costs lookups, never memory
            }
            links.put(cacheKey, profile);
        }
        return profile.isEmpty() ? Event.visitorKey(visitorId) : profile;
    }

    /**
     * Identifies a visitor as the profile owning {@code field = value} (a field the site allows),
     * made when there is none, with the {@code traits} the site lets pages write; links them.
     * Returns the profile's id.
     */
    String identify(Site site, ClientDatabase db, String visitorId, String field, Object value, Map<String, Object> traits) {
        if (!site.identifyBy().contains(field)) {
            throw new InvalidInputException("identity", field, "this site identifies visitors by " + site.identifyBy() + " only");
        }
        FieldDefinition def = db.schema().field(field).orElseThrow(() -> new InvalidInputException("identity", field, "is not a field"));
        Object converted;
        try {
            converted = def.convert(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("identity." + field, value, e.getMessage());
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, Object> t : traits.entrySet()) {
            if (!site.traits().contains(t.getKey())) {
                throw new InvalidInputException("traits." + t.getKey(), null, "this site lets pages write " + site.traits() + " only");
            }
            fields.put(t.getKey(), t.getValue());
        }
        Optional<String> owner = profiles.findOwner(db.id(), new ProfileKey(field, String.valueOf(converted)));
        String profileId;
        if (owner.isEmpty() || !fields.isEmpty()) {
            fields.put(field, converted);
            profileId = writing.write(db, new ProfileChange(field, converted, fields, null, null, null), WriteMode.UPSERT, ProfileSource.SITE)
                    .profile().id();
        } else {
            profileId = owner.get();
        }
        link(site.id(), db.id(), visitorId, profileId, "identify");
        return profileId;
    }

    /**
     * Links a visitor to a profile: a merge when the visitor was anonymous (its past joins the
     * profile, {@code site.identified} is recorded); nothing when it is linked to this profile
     * already; a conflict, recorded and returned as false, when it is linked to another.
     */
    boolean link(String siteId, String databaseId, String visitorId, String profileId, String how) {
        if (profileId.equals(links.get(databaseId + '\u0000' + visitorId))) {
            return true; // a page identifying its visitor again, as most do on every load
        }
        Visitors.Merge merge = new Visitors.Merge(Ids.next(), databaseId, visitorId, profileId, siteId, how, clock.instant(), null);
        if (!visitors.link(merge)) {
            Visitors.Merge linked = visitors.linkOf(databaseId, visitorId).orElse(null);
            if (linked == null) {
                return link(siteId, databaseId, visitorId, profileId, how); // reversed between the two calls
            }
            links.put(databaseId + '\u0000' + visitorId, linked.profileId());
            if (linked.profileId().equals(profileId)) {
                return true;
            }
            visitors.conflict(new Visitors.Conflict(Ids.next(), databaseId, visitorId, siteId, linked.profileId(), profileId, how, clock.instant()));
            return false;
        }
        links.put(databaseId + '\u0000' + visitorId, profileId);
        access.changed(Resource.PROFILES, Action.WRITE, profileId, null, merge);
        List<Event> past = log.history(new HistoryQuery(databaseId, Event.visitorKey(visitorId), Set.of(), null, null, null, null, null, JOINED));
        recent.addRecent(past.stream().map(e -> new Event(e.id(), e.databaseId(), profileId, e.type(), e.channel(), e.time(), e.properties()))
                .toList());
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("website", siteId);
        props.put("visitor", visitorId);
        props.put("how", how);
        props.put("merge", merge.id());
        props.put("joined", past.size());
        log.append(List.of(new Event(Ids.next(), databaseId, profileId, "site.identified", null, clock.instant(), props)));
        return true;
    }

    /** The keys a profile's history is read under besides its id: the visitors linked to it. */
    public Set<String> historyKeys(String databaseId, String profileId) {
        return visitors.linksOf(databaseId, profileId).stream().map(m -> Event.visitorKey(m.visitorId())).collect(Collectors.toSet());
    }

    /** A profile's merges in force. */
    public List<Visitors.Merge> mergesOf(String databaseId, String profileId) {
        access.require(Resource.PROFILES, Action.READ);
        return visitors.linksOf(databaseId, profileId);
    }

    /** A database's merges, newest first. */
    public List<Visitors.Merge> merges(String databaseId, int limit) {
        access.require(Resource.PROFILES, Action.READ);
        return visitors.merges(databaseId, limit);
    }

    /** A database's conflicts, newest first. */
    public List<Visitors.Conflict> conflicts(String databaseId, int limit) {
        access.require(Resource.PROFILES, Action.READ);
        return visitors.conflicts(databaseId, limit);
    }

    /** Reverses a merge (audited); its visitor is anonymous again from now on. */
    public Visitors.Merge reverse(String databaseId, String mergeId) {
        access.require(Resource.PROFILES, Action.WRITE);
        Visitors.Merge before = visitors.merge(databaseId, mergeId).orElseThrow(() -> new NotFoundException("merge", mergeId));
        if (before.reversedAt() != null) {
            throw new InvalidInputException("merge", mergeId, "was reversed already");
        }
        Visitors.Merge after = visitors.reverse(databaseId, mergeId, clock.instant())
                .orElseThrow(() -> new InvalidInputException("merge", mergeId, "was reversed already"));
        links.remove(databaseId + '\u0000' + after.visitorId());
        access.changed(Resource.PROFILES, Action.WRITE, after.profileId(), before, after);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("website", after.siteId());
        props.put("visitor", after.visitorId());
        props.put("merge", after.id());
        log.append(List.of(new Event(Ids.next(), databaseId, after.profileId(), "site.unmerged", null, clock.instant(), props)));
        return after;
    }
}
