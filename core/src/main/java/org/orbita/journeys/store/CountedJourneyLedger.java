package org.orbita.journeys.store;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.orbita.journeys.JourneyLedger;

/** What both journey ledgers read alike: their counters and live instances, made into the figures by {@link LedgerCounts}. */
abstract class CountedJourneyLedger implements JourneyLedger {

    /** Every counter of the journey. */
    protected abstract List<LedgerCounts.Count> counts(String journeyId);

    /** The journey's live instances counted by a field of theirs ({@code node} or {@code version}). */
    protected abstract Map<String, Long> liveBy(String field, String journeyId);

    @Override
    public final Map<String, NodeStats> stats(String journeyId) {
        return LedgerCounts.nodeStats(counts(journeyId), liveBy("node", journeyId));
    }

    @Override
    public final List<LinkStats> links(String journeyId) {
        return LedgerCounts.links(counts(journeyId));
    }

    @Override
    public final List<VersionStats> versions(String journeyId) {
        Map<Integer, Long> live = new TreeMap<>();
        liveBy("version", journeyId).forEach((v, n) -> live.put(Integer.parseInt(v), n));
        return LedgerCounts.versions(counts(journeyId), live);
    }
}
