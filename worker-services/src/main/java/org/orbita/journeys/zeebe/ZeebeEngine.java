package org.orbita.journeys.zeebe;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.response.ProcessInstanceEvent;
import io.camunda.client.api.worker.JobWorker;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.orbita.journeys.Journey;
import org.orbita.journeys.JourneyBpmn;
import org.orbita.journeys.runtime.JourneyEngine;

/**
 * Journeys on Zeebe, only through {@code camunda-client-java} (gRPC): deploy a journey's BPMN,
 * start an instance for a profile, hand a node's jobs to a worker, publish a profile's events to
 * the instances waiting for them. {@link #remote(URI)} talks to a Camunda 8 cluster
 * ({@code orbita.journeys.engine=zeebe}); tests and the benchmark run Zeebe's in-process engine
 * through {@link #on} (that engine is under Camunda's licence: never in the shipped application).
 */
public final class ZeebeEngine implements JourneyEngine {

    /**
     * Job push (gRPC job streaming), with a slow poll behind it for what a stream missed;
     * {@code -Dorbita.zeebe.stream=false} polls alone. Every poll is a command the engine
     * processes (and the in-process engine copies its state for it): an idle worker should not
     * poll often.
     */
    private static final boolean STREAM = Boolean.parseBoolean(System.getProperty("orbita.zeebe.stream", "true"));

    private final AutoCloseable embedded;
    private final java.util.function.Consumer<Duration> clock;
    private final CamundaClient client;
    private final List<JobWorker> workers = new CopyOnWriteArrayList<>();

    private ZeebeEngine(AutoCloseable embedded, java.util.function.Consumer<Duration> clock, CamundaClient client) {
        this.embedded = embedded;
        this.clock = clock;
        this.client = client;
    }

    /** A Camunda 8 cluster's gateway ({@code orbita.zeebe.gateway}, e.g. {@code http://zeebe:26500}). */
    public static ZeebeEngine remote(URI gateway) {
        return new ZeebeEngine(null, null, client(gateway));
    }

    /** An engine at a gRPC address that {@code owner} runs (closed with it) and whose clock {@code advance} moves: the in-process engine of tests. */
    public static ZeebeEngine on(URI grpc, AutoCloseable owner, java.util.function.Consumer<Duration> advance) {
        return new ZeebeEngine(owner, advance, client(grpc));
    }

    private static CamundaClient client(URI grpc) {
        // the in-process engine has no REST API: gRPC only
        // job handlers write to the ledger and the stores: several at once, jobs pushed to the workers as they are made
        return CamundaClient.newClientBuilder().grpcAddress(grpc).preferRestOverGrpc(false).defaultRequestTimeout(Duration.ofSeconds(10))
                .numJobWorkerExecutionThreads(Math.max(4, Runtime.getRuntime().availableProcessors() * 2))
                .defaultJobWorkerStreamEnabled(STREAM).build();
    }

    /** Deploys the journey (validated, as BPMN); returns its process definition key. */
    @Override
    public long deploy(Journey journey) {
        String xml = JourneyBpmn.toXml(journey);
        // the in-process engine has answered a deployment without its process (once, in a full test run, JourneysApiTest);
        // deploying the same resource again is harmless (a duplicate keeps its key), so it is asked again
        for (int attempt = 1; ; attempt++) {
            var processes = client.newDeployResourceCommand().addResourceString(xml, StandardCharsets.UTF_8, journey.id() + ".bpmn")
                    .send().join().getProcesses();
            if (!processes.isEmpty()) {
                return processes.get(0).getProcessDefinitionKey();
            }
            if (attempt == 3) {
                throw new IllegalStateException("the journey engine deployed no process for journey " + journey.id() + " (asked 3 times)");
            }
            try {
                Thread.sleep(200L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while deploying journey " + journey.id(), e);
            }
        }
    }

    /** Starts the journey's latest version for a profile, with the data given; returns the instance's key. */
    public long start(String journeyId, String profileId, Map<String, Object> data) {
        return client.newCreateInstanceCommand().bpmnProcessId(journeyId).latestVersion().variables(withProfile(profileId, data)).send().join()
                .getProcessInstanceKey();
    }

    /**
     * Starts a deployed version at one of its elements (Zeebe's start instructions), with the
     * variables given: how a journey instance is put back where it was after a restart.
     */
    public long startAt(long processDefinitionKey, String elementId, Map<String, Object> variables) {
        return client.newCreateInstanceCommand().processDefinitionKey(processDefinitionKey).variables(variables).startBeforeElement(elementId)
                .send().join().getProcessInstanceKey();
    }

    /** The same, not waiting for the engine's answer: restores send many and wait for them a batch at a time. */
    @Override
    public CompletionStage<?> startAtAsync(long processDefinitionKey, String elementId, Map<String, Object> variables) {
        return client.newCreateInstanceCommand().processDefinitionKey(processDefinitionKey).variables(variables).startBeforeElement(elementId)
                .send();
    }

    /** Starts a deployed version (by its key) from its start event, not waiting for the engine's answer. */
    @Override
    public CompletionStage<Long> startAsync(long processDefinitionKey, Map<String, Object> variables) {
        return client.newCreateInstanceCommand().processDefinitionKey(processDefinitionKey).variables(variables).send()
                .thenApply(ProcessInstanceEvent::getProcessInstanceKey);
    }

    /** Starts a deployed version (by its key) from its start event. */
    public long start(long processDefinitionKey, Map<String, Object> variables) {
        return client.newCreateInstanceCommand().processDefinitionKey(processDefinitionKey).variables(variables).send().join().getProcessInstanceKey();
    }

    private static Map<String, Object> withProfile(String profileId, Map<String, Object> data) {
        Map<String, Object> variables = new HashMap<>(data == null ? Map.of() : data);
        variables.put("profileId", profileId);
        return variables;
    }

    /** Hands the jobs of a node type ({@code orbita.<node>}) to a worker; a worker's failure is retried by Zeebe, then an incident. */
    @Override
    public void worker(String jobType, int parallel, Worker worker) {
        workers.add(client.newWorker().jobType(jobType).handler((jobs, job) -> {
            try {
                Map<String, Object> out = worker.work(job(job));
                if (out != null) {
                    jobs.newCompleteCommand(job.getKey()).variables(out).send().join();
                }
            } catch (Exception e) {
                // retried with a growing pause (1 s, 2 s, 4 s…); with no retries left Zeebe raises an incident
                int retries = Math.max(0, job.getRetries() - 1);
                jobs.newFailCommand(job.getKey()).retries(retries).retryBackoff(Duration.ofSeconds(1L << Math.min(6, Math.max(0, 2 - retries))))
                        .errorMessage(e.getClass().getSimpleName() + ": " + e.getMessage()).send().join();
            }
        }).maxJobsActive(parallel).pollInterval(STREAM ? Duration.ofSeconds(1) : Duration.ofMillis(100)).open());
    }

    private static Job job(ActivatedJob job) {
        return new Job(job.getProcessInstanceKey(), job.getElementId(), job.getVariablesAsMap(), job.getCustomHeaders(), job.getRetries());
    }

    /** Cancels a running instance (a stopped journey's, found at its next step). */
    @Override
    public void cancel(long processInstanceKey) {
        client.newCancelInstanceCommand(processInstanceKey).send().join();
    }

    /** A profile's event, to the instances waiting for it ({@code wait-event} nodes), kept a while for those not there yet. */
    @Override
    public void publish(String eventType, String profileId, Map<String, Object> variables, Duration keep) {
        client.newPublishMessageCommand().messageName(JourneyBpmn.MESSAGE_PREFIX + eventType).correlationKey(profileId)
                .variables(variables == null ? Map.of() : variables).timeToLive(keep).send().join();
    }

    /** Moves the embedded engine's clock (tests: a pause of a day without waiting a day). */
    @Override
    public void advance(Duration d) {
        if (clock == null) {
            throw new IllegalStateException("only an in-process engine's clock can be moved");
        }
        clock.accept(d);
    }

    @Override
    public void close() {
        workers.forEach(JobWorker::close);
        client.close();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (Exception e) {
                throw new IllegalStateException("the in-process engine did not stop", e);
            }
        }
    }
}
