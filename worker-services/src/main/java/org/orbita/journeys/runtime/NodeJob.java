package org.orbita.journeys.runtime;

import java.util.Map;
import org.orbita.journeys.Journey;
import org.orbita.journeys.JourneyDefinition;
import org.orbita.journeys.JourneyLedger;

/**
 * One node's job for one journey instance: the instance as the ledger has it, the journey
 * version it runs, the node with its settings, and the instance's variables (the data it was
 * started with, what earlier nodes added). {@link #key()} names the instance and node: what a
 * node does under this key it does once, however often Zeebe hands the job out.
 */
public record NodeJob(JourneyLedger.Instance instance, JourneyDefinition journey, Journey.Node node, Map<String, Object> variables) {

    public String key() {
        return instance.id() + "-" + node.id();
    }

    /** A setting of the node, stripped; null when not given. */
    public String setting(String name) {
        String v = node.settings().get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** What a node does with its job: the variables it adds ({@code branch} for a branching node). */
    @FunctionalInterface
    public interface Handler {
        Map<String, Object> work(NodeJob job) throws Exception;
    }
}
