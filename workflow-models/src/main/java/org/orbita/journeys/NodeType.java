package org.orbita.journeys;

import java.util.List;

/**
 * One kind of journey node: what it is called, the BPMN it becomes, the settings it takes and,
 * for a node that branches, the names of its branches.
 *
 * @param id the node's name in journeys and in its job type ({@code orbita.<id>})
 */
public record NodeType(String id, String label, Shape shape, List<Setting> settings, List<String> branches, String description) {

    /** The BPMN a node becomes. */
    public enum Shape {
        /** The start event: how profiles enter. */
        START,
        /** An end event. */
        EXIT,
        /** A service task with job type {@code orbita.<id>}, its settings as task headers. */
        TASK,
        /** A service task that sets {@code branch}, followed by an exclusive gateway with a flow per branch. */
        BRANCHING_TASK,
        /** A timer catch event (a duration, or a date). */
        TIMER,
        /** A message catch event correlated by profile; with a timeout, an event-based gateway and a timer beside it. */
        EVENT_WAIT
    }

    /** One setting of a node: a task header (or the timer's / message's own field). */
    public record Setting(String name, String label, String type, boolean required, List<String> choices, String description) {
        static Setting required(String name, String label, String type, String description) {
            return new Setting(name, label, type, true, List.of(), description);
        }

        static Setting optional(String name, String label, String type, String description) {
            return new Setting(name, label, type, false, List.of(), description);
        }

        static Setting choice(String name, String label, boolean required, List<String> choices, String description) {
            return new Setting(name, label, "choice", required, List.copyOf(choices), description);
        }
    }

    /** The job type its workers take ({@code orbita.send-message}); null for nodes that are native BPMN. */
    public String jobType() {
        return shape == Shape.TASK || shape == Shape.BRANCHING_TASK ? "orbita." + id : null;
    }
}
