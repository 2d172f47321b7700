package org.orbita.audiences;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.orbita.profiles.ProfileStore;
import org.orbita.reports.CohortQuery;
import org.orbita.reports.FunnelQuery;
import org.orbita.reports.Reports;

/**
 * Segments made from a report's cell (a cohort, its active profiles in one period, a funnel's drop-off): a static
 * segment in the report's database holding the profiles that still exist (merged and deleted
 * ones are left out), written in pages as the event log streams them; if a page cannot be
 * written the segment is deleted again, so none is left half-filled.
 */
public final class ReportSegments {

    static final int PAGE = 1000;

    private final Reports reports;
    private final Segments segments;
    private final ProfileStore profiles;

    public ReportSegments(Reports reports, Segments segments, ProfileStore profiles) {
        this.reports = reports;
        this.segments = segments;
        this.profiles = profiles;
    }

    /** What was made: the segment and how many profiles it holds. */
    public record Made(Segment segment, long profiles) {}

    /** A static segment of a cohort's profiles, or of those active in one period of it. */
    public Made fromCohort(String workspaceId, CohortQuery q, Instant cohort, Integer period, String name) {
        return fill(workspaceId, q.database(), name, ids -> reports.cohortMembers(workspaceId, q, cohort, period, ids));
    }

    /** A static segment of the profiles that reached a funnel's step before {@code step} but not it. */
    public Made fromFunnelDropOff(String workspaceId, FunnelQuery q, int step, String name) {
        return fill(workspaceId, q.database(), name, ids -> reports.funnelDropOff(workspaceId, q, step, ids));
    }

    /**
     * A static segment of the profiles {@code members} hands over (ids of other databases or of
     * profiles gone are skipped; one handed twice counts once) — a form's NPS detractors, say.
     */
    public Made fromProfiles(String workspaceId, String database, String name, Consumer<Consumer<String>> members) {
        return fill(workspaceId, database, name, members);
    }

    private Made fill(String workspaceId, String database, String name, Consumer<Consumer<String>> members) {
        Segment s = segments.create(workspaceId, new SegmentInput(database, name, Segment.Kind.STATIC, null));
        long[] added = {0};
        List<String> page = new ArrayList<>(PAGE);
        try {
            members.accept(id -> {
                if (profiles.find(s.databaseId(), id).isPresent()) {
                    page.add(id);
                }
                if (page.size() == PAGE) {
                    added[0] += segments.changeStatic(s.id(), page, true);
                    page.clear();
                }
            });
            if (!page.isEmpty()) {
                added[0] += segments.changeStatic(s.id(), page, true);
            }
        } catch (RuntimeException e) {
            try {
                segments.delete(s.id());
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        return new Made(segments.get(s.id()), added[0]);
    }
}
