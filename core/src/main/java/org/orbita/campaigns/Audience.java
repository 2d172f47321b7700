package org.orbita.campaigns;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import org.orbita.audiences.SegmentMembers;

/**
 * The profiles of a send: members of any of the included segments and of none of the
 * excluded ones, in profile id order, read a page at a time (a merge of the segments' sorted
 * member lists), so a million-profile audience never sits in memory and a run can resume
 * after the last profile it finished.
 */
public final class Audience {

    private final SegmentMembers members;
    private final String databaseId;
    private final List<String> include;
    private final Set<String> exclude;

    public Audience(SegmentMembers members, String databaseId, Collection<String> include, Collection<String> exclude) {
        this.members = members;
        this.databaseId = databaseId;
        this.include = List.copyOf(include);
        this.exclude = Set.copyOf(exclude);
    }

    /** The next profile ids after {@code afterId} (null: from the start), at most {@code limit}, excluded ones left out. */
    public List<String> next(String afterId, int limit) {
        List<String> merged = new ArrayList<>();
        String cursor = afterId;
        while (merged.size() < limit) {
            // the smallest ids of every included segment after the cursor, merged without repeats
            TreeSet<String> page = new TreeSet<>();
            String bound = null;
            for (String segment : include) {
                List<String> ids = members.members(segment, cursor, limit);
                page.addAll(ids);
                if (ids.size() == limit) {
                    // this segment may have smaller ids than others' tails beyond its page: merge only up to its last
                    String last = ids.get(ids.size() - 1);
                    bound = bound == null || last.compareTo(bound) < 0 ? last : bound;
                }
            }
            if (page.isEmpty()) {
                break;
            }
            NavigableSet<String> safe = bound == null ? page : page.headSet(bound, true);
            List<String> candidates = new ArrayList<>(safe);
            if (!exclude.isEmpty() && !candidates.isEmpty()) {
                Map<String, Set<String>> of = members.segmentsOfRange(databaseId, candidates.get(0), candidates.get(candidates.size() - 1));
                candidates.removeIf(id -> of.getOrDefault(id, Set.of()).stream().anyMatch(exclude::contains));
            }
            for (String id : candidates) {
                if (merged.size() == limit) {
                    return merged;
                }
                merged.add(id);
            }
            cursor = safe.last();
        }
        return merged;
    }
}
