package org.orbita.audiences;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.Clock;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;

/**
 * What segment definitions say of profiles, without changing any membership: why a profile is
 * (or is not) in a segment, condition by condition; whether a profile matches a condition now
 * (a journey's check); how many profiles a definition being edited matches (the builder's live
 * count).
 */
public final class SegmentExplorer {

    private final Segments segments;
    private final ClientDatabases databases;
    private final ProfileStore profiles;
    private final SegmentMembers members;
    private final RecentEvents recent;
    private final SegmentFacts facts;
    private final Clock clock;

    public SegmentExplorer(Segments segments, ClientDatabases databases, ProfileStore profiles, SegmentMembers members, RecentEvents recent,
                           Clock clock) {
        this.segments = segments;
        this.databases = databases;
        this.profiles = profiles;
        this.members = members;
        this.recent = recent;
        this.facts = new SegmentFacts(profiles, recent);
        this.clock = clock;
    }

    /** Evaluates a profile against one segment condition by condition, with the values looked at. */
    public Explanation explain(String segmentId, String profileId) {
        Segment s = segments.get(segmentId);
        ClientDatabase db = databases.get(s.databaseId());
        Profile p = profiles.find(db.id(), profileId).orElseThrow(() -> new NotFoundException("profile", profileId));
        boolean member = members.segmentsOf(db.id(), profileId).contains(segmentId);
        if (!s.dynamic()) {
            return new Explanation(segmentId, profileId, member, member, null);
        }
        List<Segment> dyn = segments.ofDatabase(db.id()).stream().filter(Segment::dynamic).toList();
        EventNeeds needs = EventNeeds.of(db.schema(), dyn.stream().map(Segment::definition).toList());
        long now = clock.millis();
        Set<String> stored = members.segmentsOf(db.id(), profileId);
        Set<String> statics = new HashSet<>(stored);
        dyn.forEach(d -> statics.remove(d.id()));
        ProfileFacts f = facts.of(db, p, now, facts.recentEvents(db, profileId, now, needs), statics);
        Set<String> matched = segments.rulesOf(db).evaluate(f);
        // referenced segments count as the rules just found them
        ProfileFacts withMatches = facts.of(db, p, now, f.events(), union(statics, matched));
        Predicates.Explained tree = Predicates.compile(s.definition(), db.schema()).explain(withMatches);
        return new Explanation(segmentId, profileId, member, matched.contains(segmentId), tree);
    }

    /**
     * Whether a profile matches a condition now (a journey's condition check): the condition is
     * checked against the database's schema first, then evaluated on the profile's fields, recent
     * events and segment memberships by the same predicates the segments' previews use.
     */
    public boolean matches(String databaseId, Condition definition, String profileId) {
        ClientDatabase db = databases.get(databaseId);
        Condition checked = segments.check(db, definition, null);
        Profile p = profiles.find(db.id(), profileId).orElseThrow(() -> new NotFoundException("profile", profileId));
        long now = clock.millis();
        EventNeeds needs = EventNeeds.of(db.schema(), List.of(checked));
        ProfileFacts f = facts.of(db, p, now, facts.recentEvents(db, profileId, now, needs), members.segmentsOf(db.id(), profileId));
        return Predicates.compile(checked, db.schema()).test(f);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }

    /** Why a profile is (or is not) in a segment: stored membership, what the rules say now, and each condition. */
    public record Explanation(String segmentId, String profileId, boolean member, boolean matchesNow, Predicates.Explained conditions) {}

    /** A live count of a definition being edited: matches among the profiles looked at. */
    public record Preview(long matched, long scanned, long total, boolean exact, List<String> sample) {}

    /**
     * Counts the profiles a definition (not saved yet) matches, with plain Java tests — no
     * Drools build — looking at up to {@code limit} profiles (exact when the database is not
     * larger, otherwise an estimate from that many in id order, which is creation order).
     */
    public Preview preview(String workspaceId, String databaseId, Condition definition, long limit) {
        ClientDatabase db = databases.resolve(workspaceId, databaseId)
                .orElseThrow(() -> new InvalidInputException("databaseId", databaseId, "no such database in this workspace"));
        Condition checked = segments.check(db, definition, "preview");
        List<SegmentRules.Definition> defs = new ArrayList<>(Segments.definitions(referencedBy(checked, db.id())));
        defs.add(new SegmentRules.Definition("preview", 0, checked));
        PredicateSet predicates = new PredicateSet(db.schema(), defs);
        EventNeeds needs = EventNeeds.of(db.schema(), defs.stream().map(SegmentRules.Definition::condition).toList());
        long now = clock.millis();
        long total = profiles.count(db.id());
        long[] n = new long[2];
        List<String> sample = new ArrayList<>();
        ProfileWalk walk = new ProfileWalk(profiles, members, recent, db.id(), (p, evs, stored) -> {
            if (predicates.evaluate(facts.of(db, p, now, evs, stored)).contains("preview")) {
                n[0]++;
                if (sample.size() < 20) {
                    sample.add(p.id());
                }
            }
            n[1]++;
        });
        walk.limit = limit;
        walk.documents = ProfileWalk.readsDocuments(defs.stream().map(SegmentRules.Definition::condition).toList());
        try {
            walk.run(needs, now);
        } catch (ProfileWalk.Enough e) {
            // looked at as many profiles as asked
        }
        boolean exact = n[1] >= total;
        long matched = exact || n[1] == 0 ? n[0] : Math.round((double) n[0] * total / n[1]);
        return new Preview(matched, n[1], total, exact, sample);
    }

    /** The dynamic segments a definition refers to, directly or through others. */
    private List<Segment> referencedBy(Condition definition, String databaseId) {
        Map<String, Segment> byId = new HashMap<>();
        segments.ofDatabase(databaseId).stream().filter(Segment::dynamic).forEach(s -> byId.put(s.id(), s));
        Map<String, Segment> out = new LinkedHashMap<>();
        Deque<String> open = new ArrayDeque<>(SegmentCheck.references(definition));
        while (!open.isEmpty()) {
            Segment s = byId.get(open.pop());
            if (s != null && out.putIfAbsent(s.id(), s) == null) {
                open.addAll(SegmentCheck.references(s.definition()));
            }
        }
        return new ArrayList<>(out.values());
    }
}
