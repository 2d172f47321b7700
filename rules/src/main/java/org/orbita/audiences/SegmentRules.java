package org.orbita.audiences;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.drools.model.codegen.ExecutableModelProject;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;
import org.orbita.profiles.DatabaseSchema;

/**
 * The Drools rules of one database's dynamic segments. Segments are grouped into a few
 * small KieBases ("buckets"): segments that refer to each other always share one, so a
 * bucket is self-contained. A change rebuilds only the buckets whose segments changed, off
 * to the side, and swaps the whole set in at once; a build that fails leaves the rules in
 * use untouched. (Drools' own in-place incremental update is not used: with the executable
 * model it kept stale rules; see ../shared/VERSIONS.md.)
 */
public final class SegmentRules {

    /** How many KieBases a database's segments are spread over. */
    public static final int BUCKETS = 4;
    private static final AtomicLong BUILDS = new AtomicLong();

    /** One dynamic segment as the rules need it: id, version and validated definition. */
    public record Definition(String id, long version, Condition condition) {}

    /**
     * One KieBase and a pool of stateful sessions reused across evaluations (facts inserted,
     * rules fired, every fact deleted again): far cheaper than a new session per profile.
     */
    private static final class Bucket {
        final String key;
        final String drl;
        final KieContainer container;
        final KieBase base;
        private final ConcurrentLinkedQueue<KieSession> idle = new ConcurrentLinkedQueue<>();
        private volatile boolean retired;

        Bucket(String key, String drl, KieContainer container, KieBase base) {
            this.key = key;
            this.drl = drl;
            this.container = container;
            this.base = base;
        }

        void evaluate(List<Object> facts) {
            KieSession session = idle.poll();
            if (session == null) {
                session = base.newKieSession();
            }
            boolean clean = false;
            try {
                for (Object f : facts) {
                    session.insert(f);
                }
                session.fireAllRules();
                for (FactHandle h : new ArrayList<FactHandle>(session.getFactHandles())) {
                    session.delete(h);
                }
                clean = true;
            } finally {
                if (clean && !retired) {
                    idle.offer(session);
                } else {
                    session.dispose();
                }
            }
        }

        void retire() {
            retired = true;
            for (KieSession s; (s = idle.poll()) != null; ) {
                s.dispose();
            }
            container.dispose();
        }
    }

    private record State(DatabaseSchema schema, Map<Integer, Bucket> buckets, Map<String, Integer> bucketOf) {}

    private volatile State state = new State(new DatabaseSchema(List.of()), Map.of(), Map.of());

    /** Thrown when Drools refuses to build the rules (the previous rules stay in use). */
    public static final class BuildException extends RuntimeException {
        public BuildException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Makes these the database's segments: rebuilds the buckets whose content changed and
     * swaps them in together.
     *
     * @throws BuildException when a bucket fails to build; nothing changes then
     */
    public synchronized void update(DatabaseSchema schema, List<Definition> segments) {
        Map<Integer, List<Definition>> grouped = group(segments);
        State old = state;
        boolean schemaChanged = !schema.equals(old.schema());
        Map<Integer, Bucket> buckets = new HashMap<>();
        Map<String, Integer> bucketOf = new HashMap<>();
        List<Bucket> replaced = new ArrayList<>();
        for (Map.Entry<Integer, List<Definition>> e : grouped.entrySet()) {
            List<Definition> defs = e.getValue();
            String key = key(defs);
            Bucket current = old.buckets().get(e.getKey());
            Bucket bucket;
            if (!schemaChanged && current != null && current.key.equals(key)) {
                bucket = current;
            } else {
                bucket = build(key, defs, schema);
                if (current != null) {
                    replaced.add(current);
                }
            }
            buckets.put(e.getKey(), bucket);
            defs.forEach(d -> bucketOf.put(d.id(), e.getKey()));
        }
        old.buckets().forEach((index, b) -> {
            if (!grouped.containsKey(index)) {
                replaced.add(b);
            }
        });
        state = new State(schema, Map.copyOf(buckets), Map.copyOf(bucketOf));
        replaced.forEach(Bucket::retire);
    }

    /** Which dynamic segments the profile matches now. */
    public Set<String> evaluate(ProfileFacts p) {
        State s = state;
        if (s.buckets().isEmpty()) {
            return Set.of();
        }
        List<Object> facts = facts(p);
        p.clearMatches();
        for (Bucket b : s.buckets().values()) {
            b.evaluate(facts);
        }
        return p.matched();
    }

    static List<Object> facts(ProfileFacts p) {
        List<Object> facts = new ArrayList<>(1 + p.events().size() + p.subscriptions().size() + p.related().size() + p.memberships().size());
        facts.add(p);
        facts.addAll(p.events());
        facts.addAll(p.subscriptions());
        facts.addAll(p.related());
        for (String m : p.memberships()) {
            facts.add(new MemberFact(m));
        }
        return facts;
    }

    /** The rule file a segment currently runs in (empty when it has none). */
    public String drlOf(String segmentId) {
        State s = state;
        Integer index = s.bucketOf().get(segmentId);
        return index == null ? "" : s.buckets().get(index).drl;
    }

    /** The schema the rules were last built with. */
    public DatabaseSchema schema() {
        return state.schema();
    }

    public int bucketCount() {
        return state.buckets().size();
    }

    /** How many KieBases were built since start (for tests of incremental rebuilds). */
    public static long builds() {
        return BUILDS.get();
    }

    /**
     * Groups segments into buckets: segments connected by references form a component, and a
     * component goes to the bucket its smallest id hashes to, so an edit moves nothing else.
     */
    static Map<Integer, List<Definition>> group(List<Definition> segments) {
        Map<String, Definition> byId = new LinkedHashMap<>();
        segments.forEach(d -> byId.put(d.id(), d));
        Map<String, String> parent = new HashMap<>();
        byId.keySet().forEach(id -> parent.put(id, id));
        for (Definition d : segments) {
            for (String ref : SegmentCheck.references(d.condition())) {
                if (byId.containsKey(ref)) {
                    union(parent, d.id(), ref);
                }
            }
        }
        Map<Integer, List<Definition>> out = new TreeMap<>();
        for (Definition d : segments) {
            String root = find(parent, d.id());
            out.computeIfAbsent(Math.floorMod(root.hashCode(), BUCKETS), k -> new ArrayList<>()).add(d);
        }
        out.values().forEach(list -> list.sort(Comparator.comparing(Definition::id)));
        return out;
    }

    private static String find(Map<String, String> parent, String id) {
        String p = parent.get(id);
        while (!p.equals(parent.get(p))) {
            p = parent.get(p);
        }
        parent.put(id, p);
        return p;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = find(parent, a);
        String rb = find(parent, b);
        if (!ra.equals(rb)) {
            // the smaller id is the root, so a component's bucket is that of its smallest id
            if (ra.compareTo(rb) < 0) {
                parent.put(rb, ra);
            } else {
                parent.put(ra, rb);
            }
        }
    }

    private static String key(List<Definition> defs) {
        StringBuilder k = new StringBuilder();
        defs.forEach(d -> k.append(d.id()).append('@').append(d.version()).append(';'));
        return k.toString();
    }

    private static Bucket build(String key, List<Definition> defs, DatabaseSchema schema) {
        Map<String, Integer> level = new HashMap<>();
        Map<String, Definition> byId = new HashMap<>();
        defs.forEach(d -> byId.put(d.id(), d));
        Set<String> referenced = new HashSet<>();
        for (Definition d : defs) {
            referenced.addAll(SegmentCheck.references(d.condition()));
        }
        List<DrlWriter.Rule> rules = new ArrayList<>();
        for (Definition d : defs) {
            rules.add(new DrlWriter.Rule(d.id(), d.condition(), 1000 - level(d.id(), byId, level, 0), referenced.contains(d.id())));
        }
        String drl = DrlWriter.file(rules, schema);
        KieServices ks = KieServices.get();
        ReleaseId release = ks.newReleaseId("org.orbita.audiences", "bucket", "1.0." + BUILDS.incrementAndGet());
        try {
            KieFileSystem files = ks.newKieFileSystem();
            files.generateAndWritePomXML(release);
            files.write("src/main/resources/orbita/segments/segments.drl", drl);
            KieBuilder builder = ks.newKieBuilder(files).buildAll(ExecutableModelProject.class);
            List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
            if (!errors.isEmpty()) {
                throw new BuildException("Drools refused the segment rules: " + errors.get(0).getText(), null);
            }
            KieContainer container = ks.newKieContainer(release);
            return new Bucket(key, drl, container, container.getKieBase());
        } catch (BuildException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BuildException("Drools failed to build the segment rules: " + e.getMessage(), e);
        } finally {
            ks.getRepository().removeKieModule(release);
        }
    }

    /** How deep a segment's references go (0 for none), for firing referenced segments first. */
    private static int level(String id, Map<String, Definition> byId, Map<String, Integer> memo, int depth) {
        Integer known = memo.get(id);
        if (known != null) {
            return known;
        }
        Definition d = byId.get(id);
        int l = 0;
        if (d != null && depth < 100) {
            for (String ref : SegmentCheck.references(d.condition())) {
                if (byId.containsKey(ref)) {
                    l = Math.max(l, 1 + level(ref, byId, memo, depth + 1));
                }
            }
        }
        memo.put(id, l);
        return l;
    }

    /** Segments in an order where every segment comes after the ones it refers to. */
    public static List<Definition> topological(List<Definition> segments) {
        Map<String, Definition> byId = new HashMap<>();
        segments.forEach(d -> byId.put(d.id(), d));
        Map<String, Integer> memo = new HashMap<>();
        List<Definition> out = new ArrayList<>(segments);
        out.sort(Comparator.comparingInt((Definition d) -> level(d.id(), byId, memo, 0)).thenComparing(Definition::id));
        return out;
    }

}
