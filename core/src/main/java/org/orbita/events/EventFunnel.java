package org.orbita.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A funnel's question to the event log: for each profile with a first step's event in the period,
 * its events that match any step (each as a bit mask of the steps it matches) in time order, up
 * to the period's end plus the conversion window, and the breakdown property's value on its
 * first first-step event. The funnel itself (order modes, windows) is walked in Java
 * ({@code FunnelWalk}), the same for every store. Machines' opens and clicks and observers' copies never count.
 *
 * @param databases the databases whose events count (at least one)
 * @param from      a first step from here (inclusive)
 * @param to        … up to here (exclusive)
 * @param window    how long after the first step the last may come
 * @param steps     the steps in order (2 to 10)
 * @param breakdown a property of the first step's event to break the funnel down by, or null
 */
public record EventFunnel(Set<String> databases, Instant from, Instant to, Duration window, List<Step> steps, String breakdown) {

    /** A step: events of a type whose properties have these values (property name → text). */
    public record Step(String type, Map<String, String> where) {
        public Step {
            where = Map.copyOf(where == null ? Map.of() : where);
            for (String name : where.keySet()) {
                EventFunnel.checkName(name);
            }
        }
    }

    /** One profile's events that match a step: each one's steps (bit i: step i) and time, in time order. */
    public record Path(String profileId, int[] masks, long[] times, String breakdown) {}

    public EventFunnel {
        if (databases.isEmpty() || steps.size() < 2 || steps.size() > 10) {
            throw new IllegalArgumentException("a funnel needs a database and 2 to 10 steps");
        }
        if (breakdown != null) {
            checkName(breakdown);
        }
        databases = Set.copyOf(databases);
        steps = List.copyOf(steps);
    }

    private static void checkName(String name) {
        if (!name.matches("[A-Za-z0-9_]{1,64}")) {
            throw new IllegalArgumentException("a property name is letters, digits and underscores, not " + name);
        }
    }
}
