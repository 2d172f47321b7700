package org.orbita.audiences;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.orbita.profiles.DatabaseSchema;

/**
 * A database's dynamic segments as plain Java tests, in reference order; evaluates a
 * profile against all of them without Drools (batch recomputes, live counts). Held equal to
 * {@link SegmentRules} by the differential test.
 */
public final class PredicateSet {

    private record Entry(String id, Predicates.Test test) {}

    private final List<Entry> entries = new ArrayList<>();

    public PredicateSet(DatabaseSchema schema, List<SegmentRules.Definition> segments) {
        for (SegmentRules.Definition d : SegmentRules.topological(segments)) {
            entries.add(new Entry(d.id(), Predicates.compile(d.condition(), schema)));
        }
    }

    public Set<String> evaluate(ProfileFacts p) {
        p.clearMatches();
        for (Entry e : entries) {
            if (e.test().test(p)) {
                p.match(e.id());
            }
        }
        return p.matched();
    }

    public int size() {
        return entries.size();
    }
}
