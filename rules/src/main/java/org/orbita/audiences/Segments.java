package org.orbita.audiences;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.audiences.SegmentMembers.MembershipChange;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileKey;
import org.orbita.profiles.ProfileStore;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segments of every workspace: definitions (checked, versioned), their Drools rules per
 * database, memberships kept current in real time and by full recomputes, static lists,
 * counts (previews and explanations: {@link SegmentExplorer}).
 *
 * <p>Real time: {@link #touched} re-evaluates profiles against the database's rules and
 * records {@code segment.entered} / {@code segment.left} events. Batch: {@link #recompute}
 * streams profiles, their events and stored memberships in id order through the same
 * definitions compiled to Java ({@link PredicateSet}; the differential test holds it equal
 * to the rules) and writes only the differences.
 *
 * <p>Longer than the ~400 lines we aim for: definitions, memberships and their evaluation share
 * each database's rule bases and its cache of definitions; the read-only questions are in
 * SegmentExplorer, the facts in SegmentFacts, the walk over profiles in ProfileWalk.
 */
public final class Segments implements AutoCloseable {

    public static final String ENTERED = SegmentMembers.ENTERED;
    public static final String LEFT = SegmentMembers.LEFT;
    public static final int MAX_SEGMENTS_PER_DATABASE = 500;
    private static final Pattern NAME = Pattern.compile("\\S.{0,199}");
    private static final int BATCH = 5_000;
    private static final Logger log = LoggerFactory.getLogger(Segments.class);

    private final Documents<Segment> segments;
    private final Documents<Segment> versions;
    private final ClientDatabases databases;
    private final ProfileStore profiles;
    private final SegmentMembers members;
    private final EventLog events;
    private final RecentEvents recent;
    private final Clock clock;
    private final Map<String, SegmentRules> rules = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> behaviourTypes = new ConcurrentHashMap<>();
    private Duration retention = Duration.ofDays(400);
    /** Profiles are independent: a batch is evaluated on every core, on threads of the platform's own (never the common pool). */
    private final SegmentFacts facts;
    private final Access access;
    private final Evaluators evaluators = new Evaluators(Runtime.getRuntime().availableProcessors(), 16);

    /**
     * @param events where {@code segment.entered} / {@code left} events are recorded
     * @param recent the recent behaviour segment conditions look at
     */
    public Segments(SettingsStore settings, ClientDatabases databases, ProfileStore profiles, SegmentMembers members,
            EventLog events, RecentEvents recent, Clock clock, Access access) {
        this.access = access;
        this.segments = new Documents<>(settings, "segments", Segment.class, Segment::id);
        this.versions = new Documents<>(settings, "segment_versions", Segment.class, s -> s.id() + "@" + s.version());
        this.databases = databases;
        this.profiles = profiles;
        this.members = members;
        this.events = events;
        this.recent = recent;
        this.clock = clock;
        this.facts = new SegmentFacts(profiles, recent);
        databases.addSchemaUse(this::schemaProblems);
        databases.onDelete(id -> {
            members.deleteDatabase(id);
            recent.deleteDatabase(id);
            rules.remove(id);
            behaviourTypes.remove(id);
        });
    }

    /** A schema change may not break a dynamic segment: every definition must still check against it. */
    private List<FieldError> schemaProblems(ClientDatabase db, DatabaseSchema proposed) {
        List<FieldError> problems = new ArrayList<>();
        ClientDatabase changed = db.withSchema(proposed, clock.instant());
        for (Segment s : ofDatabase(db.id())) {
            if (!s.dynamic()) {
                continue;
            }
            try {
                check(changed, s.definition(), s.id());
            } catch (InvalidInputException e) {
                e.errors().forEach(fe -> problems.add(FieldError.of("fields", fe.value(),
                        "segment '" + s.name() + "' would break: " + fe.field() + " " + fe.rule())));
            }
        }
        return problems;
    }

    /** How far back recent behaviour is kept (and backfilled when a segment needs a new event type). */
    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    /**
     * The event types the dynamic segments of a database look at: only these are kept as
     * recent behaviour, so events no segment reads cost nothing extra.
     */
    public Set<String> behaviourTypes(String databaseId) {
        return behaviourTypes.computeIfAbsent(databaseId, db -> {
            ClientDatabase d = databases.find(db).orElse(null);
            if (d == null) {
                return Set.of();
            }
            return EventNeeds.of(d.schema(), ofDatabase(db).stream().filter(Segment::dynamic).map(Segment::definition).toList()).types();
        });
    }

    /**
     * Makes the recent behaviour hold the events of types segments have just started to
     * look at: first the types count as kept (so new events are kept), then the log's events
     * of those types within the retention are added (adding twice keeps one).
     */
    private void startKeeping(ClientDatabase db, Set<String> before) {
        behaviourTypes.remove(db.id());
        Set<String> added = new HashSet<>(behaviourTypes(db.id()));
        added.removeAll(before);
        if (added.isEmpty()) {
            return;
        }
        List<Event> batch = new ArrayList<>();
        events.scan(db.id(), clock.instant().minus(retention), added, e -> {
            batch.add(e);
            if (batch.size() >= BATCH) {
                recent.addRecent(batch);
                batch.clear();
            }
        });
        recent.addRecent(batch);
    }

    // ---- definitions

    public List<Segment> list(String workspaceId) {
        access.require(Resource.SEGMENTS, Action.READ);
        return segments.list().stream().filter(s -> s.workspaceId().equals(workspaceId) && access.sees(Resource.SEGMENTS, s.id())).toList();
    }

    public List<Segment> ofDatabase(String databaseId) {
        return segments.list().stream().filter(s -> s.databaseId().equals(databaseId)).toList();
    }

    /** A segment in the sight of the one asking (the platform sees all). */
    public Optional<Segment> find(String id) {
        return segments.get(id).filter(s -> access.sees(Resource.SEGMENTS, id));
    }

    /** The database a segment of a workspace belongs to (what campaigns check their segments against). */
    public Optional<String> databaseOf(String workspaceId, String segmentId) {
        return find(segmentId).filter(s -> s.workspaceId().equals(workspaceId)).map(Segment::databaseId);
    }

    public Segment get(String id) {
        return find(id).orElseThrow(() -> new NotFoundException("segment", id));
    }

    /** Earlier and current versions of a segment, oldest first. */
    public List<Segment> versions(String id) {
        access.require(Resource.SEGMENTS, Action.READ);
        Segment current = get(id);
        List<Segment> out = new ArrayList<>();
        for (long v = 1; v <= current.version(); v++) {
            versions.get(id + "@" + v).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Creates a segment; a dynamic one gets its rules built and its members computed before
     * this returns.
     *
     * @throws InvalidInputException naming every problem; nothing is stored then
     */
    public Segment create(String workspaceId, SegmentInput in) {
        access.require(Resource.SEGMENTS, Action.WRITE);
        String id = Ids.next();
        ClientDatabase db = checkInput(workspaceId, in, null);
        Instant now = clock.instant();
        Segment.Kind kind = in.kind() == null ? Segment.Kind.DYNAMIC : in.kind();
        Condition definition = kind == Segment.Kind.DYNAMIC ? check(db, in.definition(), id) : null;
        Segment s = new Segment(id, workspaceId, db.id(), in.name().strip(), kind, definition, 1, now, now, null);
        return access.recorded(Resource.SEGMENTS, Action.WRITE, null, install(db, s));
    }

    /**
     * Creates several dynamic segments of one database at once: all are checked first, the
     * rules are built once, and one recompute computes them all (imports of segment sets).
     */
    public synchronized List<Segment> createMany(String workspaceId, List<SegmentInput> inputs) {
        access.require(Resource.SEGMENTS, Action.WRITE);
        List<Segment> made = new ArrayList<>();
        ClientDatabase db = null;
        Instant now = clock.instant();
        for (SegmentInput in : inputs) {
            db = checkInput(workspaceId, in, null);
            if (in.kind() == Segment.Kind.STATIC) {
                throw new InvalidInputException("kind", "static", "createMany makes dynamic segments");
            }
            String id = Ids.next();
            made.add(new Segment(id, workspaceId, db.id(), in.name().strip(), Segment.Kind.DYNAMIC, check(db, in.definition(), id), 1,
                    now, now, null));
        }
        if (db == null) {
            return made;
        }
        List<Segment> all = new ArrayList<>(ofDatabase(db.id()));
        all.addAll(made);
        try {
            rulesOf(db).update(db.schema(), definitions(all));
        } catch (SegmentRules.BuildException e) {
            throw new InvalidInputException("definition", null, e.getMessage());
        }
        Set<String> before = behaviourTypes(db.id());
        made.forEach(s -> {
            segments.put(s);
            versions.put(s);
        });
        startKeeping(db, before);
        recompute(db.id(), made.stream().map(Segment::id).collect(Collectors.toSet()), false, p -> {});
        made.forEach(s -> access.changed(Resource.SEGMENTS, Action.WRITE, s.id(), null, s));
        return made;
    }

    /** Renames a segment or changes its definition (a new version). */
    public Segment update(String id, SegmentInput in) {
        access.require(Resource.SEGMENTS, Action.WRITE);
        Segment old = get(id);
        ClientDatabase db = checkInput(old.workspaceId(), new SegmentInput(old.databaseId(), in.name(), old.kind(), in.definition()), old);
        Condition definition = old.dynamic() ? check(db, in.definition(), id) : null;
        Segment s = new Segment(id, old.workspaceId(), old.databaseId(), in.name().strip(), old.kind(), definition,
                old.version() + 1, old.created(), clock.instant(), old.recomputed());
        return access.recorded(Resource.SEGMENTS, Action.WRITE, old, install(db, s));
    }

    private ClientDatabase checkInput(String workspaceId, SegmentInput in, Segment old) {
        List<FieldError> errors = new ArrayList<>();
        if (in.name() == null || !NAME.matcher(in.name().strip()).matches()) {
            errors.add(FieldError.of("name", in.name(), "must be 1-200 characters"));
        }
        ClientDatabase db = databases.resolve(workspaceId, in.databaseId()).orElse(null);
        if (db == null) {
            errors.add(FieldError.of("databaseId", in.databaseId(), "no such database in this workspace"));
        }
        Segment.Kind kind = old != null ? old.kind() : in.kind() == null ? Segment.Kind.DYNAMIC : in.kind();
        if (kind == Segment.Kind.DYNAMIC && in.definition() == null) {
            errors.add(FieldError.of("definition", null, "a dynamic segment needs a definition"));
        }
        if (kind == Segment.Kind.STATIC && in.definition() != null) {
            errors.add(FieldError.of("definition", null, "a static segment has no definition; add members instead"));
        }
        if (old == null && db != null && ofDatabase(db.id()).size() >= MAX_SEGMENTS_PER_DATABASE) {
            errors.add(FieldError.of("databaseId", db.id(), "a database has at most " + MAX_SEGMENTS_PER_DATABASE + " segments"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return db;
    }

    /** Checks a definition in a database (also for previews, which have no id yet). */
    public Condition check(ClientDatabase db, Condition definition, String selfId) {
        return SegmentCheck.check(definition, db.schema(), ref -> find(ref)
                .filter(s -> s.databaseId().equals(db.id()))
                .map(s -> Optional.ofNullable(s.definition()))
                .orElse(null), selfId);
    }

    /** Builds the rules with the new segment in place, then stores it; a failed build stores nothing. */
    private synchronized Segment install(ClientDatabase db, Segment s) {
        if (s.dynamic()) {
            List<Segment> all = new ArrayList<>(ofDatabase(db.id()).stream().filter(x -> !x.id().equals(s.id())).toList());
            all.add(s);
            try {
                rulesOf(db).update(db.schema(), definitions(all));
            } catch (SegmentRules.BuildException e) {
                throw new InvalidInputException("definition", null, e.getMessage());
            }
        }
        Set<String> before = behaviourTypes(db.id());
        segments.put(s);
        versions.put(s);
        if (s.dynamic()) {
            startKeeping(db, before);
            recompute(db.id(), Set.of(s.id()), false, p -> {});
            return get(s.id());
        }
        return s;
    }

    /** Deletes a segment and its memberships; refused while other segments refer to it. */
    public synchronized void delete(String id) {
        access.require(Resource.SEGMENTS, Action.DELETE);
        Segment s = get(id);
        List<String> users = ofDatabase(s.databaseId()).stream()
                .filter(o -> o.definition() != null && SegmentCheck.references(o.definition()).contains(id)).map(Segment::name).toList();
        if (!users.isEmpty()) {
            throw new InvalidInputException("id", id, "segments " + users + " refer to this one; change them first");
        }
        segments.delete(id);
        behaviourTypes.remove(s.databaseId());
        members.deleteMembers(List.of(id));
        if (s.dynamic()) {
            ClientDatabase db = databases.get(s.databaseId());
            rulesOf(db).update(db.schema(), definitions(ofDatabase(db.id())));
        }
        access.changed(Resource.SEGMENTS, Action.DELETE, id, s, null);
    }

    static List<SegmentRules.Definition> definitions(List<Segment> all) {
        return all.stream().filter(Segment::dynamic).map(s -> new SegmentRules.Definition(s.id(), s.version(), s.definition())).toList();
    }

    /** The rules of a database, built on first use and rebuilt when its schema changed (field types shape the rules). */
    SegmentRules rulesOf(ClientDatabase db) {
        SegmentRules r = rules.computeIfAbsent(db.id(), k -> {
            SegmentRules fresh = new SegmentRules();
            fresh.update(db.schema(), definitions(ofDatabase(db.id())));
            return fresh;
        });
        if (!r.schema().equals(db.schema())) {
            try {
                r.update(db.schema(), definitions(ofDatabase(db.id())));
            } catch (SegmentRules.BuildException e) {
                log.error("segments of database {} no longer build after its schema changed; the previous rules stay in use", db.id(), e);
            }
        }
        return r;
    }

    /** The Drools rule of a segment, as generated, for analysts to read. */
    public String drl(String id) {
        Segment s = get(id);
        if (!s.dynamic()) {
            return "";
        }
        return DrlWriter.single(s.id(), s.definition(), databases.get(s.databaseId()).schema());
    }

    // ---- memberships

    public long count(String id) {
        return members.countMembers(get(id).id());
    }

    public List<String> members(String id, String after, int limit) {
        return members.members(get(id).id(), after, limit);
    }

    /** Hands every member profile to an action, in id order, a page at a time (exports). */
    public void forEachMember(String id, Consumer<Profile> action) {
        Segment s = get(id);
        String after = null;
        while (true) {
            List<String> page = members.members(id, after, 1000);
            page.forEach(pid -> profiles.find(s.databaseId(), pid).ifPresent(action));
            if (page.size() < 1000) {
                return;
            }
            after = page.get(page.size() - 1);
        }
    }

    /** Segments (of this database) a profile belongs to. */
    public List<Segment> segmentsOf(String databaseId, String profileId) {
        Set<String> ids = members.segmentsOf(databaseId, profileId);
        return ofDatabase(databaseId).stream().filter(s -> ids.contains(s.id())).toList();
    }

    /**
     * The profile owning a value of a unique field; with no field given, the value may be a
     * profile id or a value of any unique field (what a person types: an email, a phone).
     *
     * @throws IllegalArgumentException when the value does not fit the given field
     */
    public Optional<String> ownerOf(ClientDatabase db, String field, Object value) {
        if (field == null) {
            String typed = String.valueOf(value).strip();
            if (profiles.find(db.id(), typed).isPresent()) {
                return Optional.of(typed);
            }
            for (FieldDefinition f : db.schema().uniqueFields()) {
                try {
                    Optional<String> owner = ownerOf(db, f.name(), typed);
                    if (owner.isPresent()) {
                        return owner;
                    }
                } catch (IllegalArgumentException e) {
                    // not a value of this field; try the next one
                }
            }
            return Optional.empty();
        }
        FieldDefinition f = db.schema().field(field).filter(FieldDefinition::unique)
                .orElseThrow(() -> new IllegalArgumentException(field + " is not a unique field of the database"));
        Object key = f.convert(value);
        return key == null ? Optional.empty() : profiles.findOwner(db.id(), new ProfileKey(f.name(), key.toString()));
    }

    /** Adds profiles to (or removes them from) a static segment; returns how many changed. */
    public int changeStatic(String id, Collection<String> profileIds, boolean add) {
        access.require(Resource.SEGMENTS, Action.WRITE);
        Segment s = get(id);
        if (s.dynamic()) {
            throw new InvalidInputException("id", id, "members of a dynamic segment follow its definition; freeze it to get a static copy");
        }
        List<MembershipChange> changes = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        int i = 0;
        for (String pid : profileIds) {
            if (pid == null || profiles.find(s.databaseId(), pid).isEmpty()) {
                errors.add(FieldError.of("profileIds[" + i + "]", pid, "no such profile in the segment's database"));
            } else {
                changes.add(new MembershipChange(id, pid, add));
            }
            i++;
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        List<MembershipChange> applied = members.applyMemberships(s.databaseId(), changes);
        record(s.databaseId(), applied, Map.of(id, s));
        touched(s.databaseId(), applied.stream().map(MembershipChange::profileId).toList());
        access.changed(Resource.SEGMENTS, Action.WRITE, id, null, Map.of(add ? "added" : "removed", applied.size()));
        return applied.size();
    }

    /** A static copy of a segment's current members. */
    public Segment freeze(String id, String name) {
        access.require(Resource.SEGMENTS, Action.WRITE);
        Segment source = get(id);
        Segment copy = create(source.workspaceId(), new SegmentInput(source.databaseId(),
                name == null || name.isBlank() ? source.name() + " (frozen " + clock.instant().toString().substring(0, 10) + ")" : name,
                Segment.Kind.STATIC, null));
        String after = null;
        while (true) {
            List<String> page = members.members(id, after, BATCH);
            if (page.isEmpty()) {
                break;
            }
            members.applyMemberships(source.databaseId(), page.stream().map(p -> new MembershipChange(copy.id(), p, true)).toList());
            after = page.get(page.size() - 1);
        }
        return copy;
    }

    // ---- evaluation

    /**
     * Re-evaluates profiles against their database's dynamic segments (the Drools rules) and
     * records what changed as memberships and {@code segment.entered} / {@code segment.left}
     * events. Returns the membership changes.
     */
    public List<MembershipChange> touched(String databaseId, Collection<String> profileIds) {
        Optional<ClientDatabase> found = databases.find(databaseId);
        if (found.isEmpty() || profileIds.isEmpty()) {
            return List.of();
        }
        ClientDatabase db = found.get();
        List<Segment> all = ofDatabase(db.id());
        Map<String, Segment> dynamic = new HashMap<>();
        all.stream().filter(Segment::dynamic).forEach(s -> dynamic.put(s.id(), s));
        if (dynamic.isEmpty()) {
            return List.of();
        }
        SegmentRules r = rulesOf(db);
        EventNeeds needs = EventNeeds.of(db.schema(), dynamic.values().stream().map(Segment::definition).toList());
        long now = clock.millis();
        List<String> ids = List.copyOf(new LinkedHashSet<>(profileIds));
        Function<String, List<MembershipChange>> evaluate = pid -> {
            Optional<Profile> p = profiles.find(db.id(), pid);
            Set<String> stored = members.segmentsOf(db.id(), pid);
            Set<String> matched = new HashSet<>();
            if (p.isPresent()) {
                Set<String> statics = new HashSet<>(stored);
                statics.removeAll(dynamic.keySet());
                ProfileFacts f = facts.of(db, p.get(), now, facts.recentEvents(db, pid, now, needs), statics);
                matched.addAll(r.evaluate(f));
            }
            List<MembershipChange> out = new ArrayList<>();
            diff(pid, stored, matched, dynamic.keySet(), out);
            return out;
        };
        List<MembershipChange> changes = new ArrayList<>();
        evaluators.map(ids, evaluate).forEach(changes::addAll);
        List<MembershipChange> applied = members.applyMemberships(db.id(), changes);
        record(db.id(), applied, dynamic);
        return applied;
    }

    private static void diff(String pid, Set<String> stored, Set<String> matched, Set<String> scope, List<MembershipChange> out) {
        for (String s : matched) {
            if (!stored.contains(s)) {
                out.add(new MembershipChange(s, pid, true));
            }
        }
        for (String s : stored) {
            if (scope.contains(s) && !matched.contains(s)) {
                out.add(new MembershipChange(s, pid, false));
            }
        }
    }

    private void record(String databaseId, List<MembershipChange> applied, Map<String, Segment> byId) {
        if (applied.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<Event> out = new ArrayList<>(applied.size());
        for (MembershipChange c : applied) {
            Segment s = byId.get(c.segmentId());
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("segment", c.segmentId());
            if (s != null) {
                props.put("name", s.name());
            }
            out.add(new Event(Ids.next(), databaseId, c.profileId(), c.member() ? ENTERED : LEFT, null, now, props));
        }
        events.append(out);
    }

    /** What a recompute did. */
    public record Recomputed(long profiles, long entered, long left, long millis) {}

    /**
     * Recomputes dynamic segments of a database over every profile (streamed, memory flat).
     *
     * @param only segments to recompute (null: all dynamic ones)
     * @param announce record {@code segment.entered}/{@code left} events for the changes (a
     *     scheduled recompute does; the first computation of a new or edited segment does not,
     *     so an edit does not look like thousands of people entering at once)
     */
    public Recomputed recompute(String databaseId, Set<String> only, boolean announce, Consumer<Long> progress) {
        long started = System.currentTimeMillis();
        ClientDatabase db = databases.get(databaseId);
        List<Segment> all = ofDatabase(db.id());
        Map<String, Segment> dynamic = new LinkedHashMap<>();
        all.stream().filter(Segment::dynamic).forEach(s -> dynamic.put(s.id(), s));
        Set<String> scope = only == null ? dynamic.keySet() : only;
        if (scope.isEmpty()) {
            return new Recomputed(0, 0, 0, 0);
        }
        PredicateSet predicates = new PredicateSet(db.schema(), definitions(new ArrayList<>(dynamic.values())));
        EventNeeds needs = EventNeeds.of(db.schema(), dynamic.values().stream().map(Segment::definition).toList());
        long now = clock.millis();
        long[] counts = new long[3];
        List<MembershipChange> pending = new ArrayList<>();
        Consumer<List<MembershipChange>> flush = batch -> {
            List<MembershipChange> applied = members.applyMemberships(db.id(), batch);
            for (MembershipChange c : applied) {
                counts[c.member() ? 1 : 2]++;
            }
            if (announce) {
                record(db.id(), applied, dynamic);
            }
        };
        ProfileWalk walk = new ProfileWalk(profiles, members, recent, db.id(), (p, evs, stored) -> {
            Set<String> statics = new HashSet<>(stored);
            statics.removeAll(dynamic.keySet());
            Set<String> matched = new HashSet<>(predicates.evaluate(facts.of(db, p, now, evs, statics)));
            matched.retainAll(scope);
            diff(p.id(), stored, matched, scope, pending);
            if (pending.size() >= BATCH) {
                flush.accept(List.copyOf(pending));
                pending.clear();
            }
            if (++counts[0] % 10_000 == 0) {
                progress.accept(counts[0]);
            }
        });
        walk.documents = ProfileWalk.readsDocuments(dynamic.values().stream().map(Segment::definition).toList());
        walk.run(needs, now);
        flush.accept(List.copyOf(pending));
        Instant at = clock.instant();
        for (String id : scope) {
            find(id).ifPresent(s -> segments.put(s.withRecomputed(at)));
        }
        Recomputed result = new Recomputed(counts[0], counts[1], counts[2], System.currentTimeMillis() - started);
        log.info("recomputed {} segments of {} over {} profiles: +{} -{} in {} ms", scope.size(), db.id(), counts[0], counts[1], counts[2],
                result.millis());
        return result;
    }

    /** Stops the evaluation threads. */
    @Override
    public void close() {
        evaluators.close();
    }
}
