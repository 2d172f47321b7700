package org.orbita.reports;

import java.time.Instant;
import java.util.List;

/**
 * A funnel as computed (N6): each step's profiles, its conversion from the first step and from
 * the one before, the drop-off before it and the median time it took from the step before; the
 * overall conversion and median time to convert; the same counts per breakdown value (the 20
 * largest; past 1,000 distinct values the rest count as "(other)"); the moment its data is as of.
 */
public record FunnelReport(FunnelQuery query, List<Step> steps, Double conversion, Long medianSecondsToConvert, List<Breakdown> breakdown,
                           Instant asOf) {

    /**
     * One step.
     *
     * @param profiles          profiles that reached it
     * @param fromFirst         profiles ÷ the first step's, in percent
     * @param fromPrevious      profiles ÷ the step before's, in percent
     * @param droppedOff        the step before's profiles that did not reach this one
     * @param medianSeconds     the median time from the step before to this one (null: first step, any order, or none reached)
     */
    public record Step(int number, String type, long profiles, Double fromFirst, Double fromPrevious, long droppedOff, Long medianSeconds) {}

    /** A breakdown value's profiles at each step. */
    public record Breakdown(String value, List<Long> profiles) {}
}
