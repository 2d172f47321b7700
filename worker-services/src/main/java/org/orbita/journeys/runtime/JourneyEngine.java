package org.orbita.journeys.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.orbita.journeys.Journey;

/**
 * The BPMN engine journeys run on, as the runtime uses it: deploy a journey's BPMN, start an
 * instance (from its start or at one of its elements), hand each node type's jobs to a worker,
 * deliver a profile's events to the instances waiting for them, cancel an instance. The runtime
 * keeps its own record of every instance (the journey ledger), so an engine may be restarted.
 */
public interface JourneyEngine extends AutoCloseable {

    /** One job of a node for one instance: the instance, the element, its variables, the node's headers and the tries left. */
    record Job(long instanceKey, String elementId, Map<String, Object> variables, Map<String, String> headers, int retries) {

        public Object variable(String name) {
            return variables.get(name);
        }
    }

    /**
     * What a node's worker does with one job: the variables it completes the job with (a
     * branching node sets {@code branch}); null when there is nothing to complete (the worker
     * cancelled the instance). A failure is retried by the engine with growing pauses, then an
     * incident.
     */
    @FunctionalInterface
    interface Worker {
        Map<String, Object> work(Job job) throws Exception;
    }

    /**
     * Whether the engine keeps its instances across restarts (in a database): then nothing is put
     * back from the ledger after a start. The in-process Zeebe engine keeps nothing.
     */
    default boolean durable() {
        return false;
    }

    /** Deploys the journey (validated, as BPMN); returns its definition key. */
    long deploy(Journey journey);

    /** Hands the jobs of a job type to a worker, up to {@code parallel} at once. */
    void worker(String jobType, int parallel, Worker worker);

    default void worker(String jobType, Worker worker) {
        worker(jobType, 32, worker);
    }

    /** Starts a deployed version from its start event; completes with the instance's key. */
    CompletionStage<Long> startAsync(long definitionKey, Map<String, Object> variables);

    /** Starts a deployed version at one of its elements: how an instance is put back where it was after a restart. */
    CompletionStage<?> startAtAsync(long definitionKey, String elementId, Map<String, Object> variables);

    /** Cancels a running instance (a stopped journey's, found at its next step). */
    void cancel(long instanceKey);

    /** A profile's event, to the instances waiting for it, kept {@code keep} for those not there yet. */
    void publish(String eventType, String profileId, Map<String, Object> variables, Duration keep);

    /** Moves the engine's clock (tests: a pause of a day without waiting a day); only an embedded engine can. */
    void advance(Duration d);

    @Override
    void close();
}
