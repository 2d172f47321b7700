package org.orbita.journeys;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.builder.AbstractFlowNodeBuilder;
import io.camunda.zeebe.model.bpmn.builder.ServiceTaskBuilder;
import io.camunda.zeebe.model.bpmn.instance.BaseElement;
import io.camunda.zeebe.model.bpmn.instance.CatchEvent;
import io.camunda.zeebe.model.bpmn.instance.EndEvent;
import io.camunda.zeebe.model.bpmn.instance.EventBasedGateway;
import io.camunda.zeebe.model.bpmn.instance.EventDefinition;
import io.camunda.zeebe.model.bpmn.instance.ExclusiveGateway;
import io.camunda.zeebe.model.bpmn.instance.ExtensionElements;
import io.camunda.zeebe.model.bpmn.instance.FlowNode;
import io.camunda.zeebe.model.bpmn.instance.IntermediateCatchEvent;
import io.camunda.zeebe.model.bpmn.instance.MessageEventDefinition;
import io.camunda.zeebe.model.bpmn.instance.Process;
import io.camunda.zeebe.model.bpmn.instance.SequenceFlow;
import io.camunda.zeebe.model.bpmn.instance.ServiceTask;
import io.camunda.zeebe.model.bpmn.instance.StartEvent;
import io.camunda.zeebe.model.bpmn.instance.TimerEventDefinition;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeHeader;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeProperties;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeProperty;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskHeaders;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.orbita.journeys.Journey.Link;
import org.orbita.journeys.Journey.Node;
import org.orbita.journeys.Journey.Problem;

/**
 * Journeys as BPMN 2.0 for Zeebe and back. A node becomes: a service task of job type
 * {@code orbita.<node>} with its settings as task headers; a branching node, that task and an
 * exclusive gateway {@code <id>_branch} whose flows test {@code branch}; a pause, a timer catch
 * event; a wait for an event, a message catch event ({@code orbita.event.<type>}, correlated by
 * {@code profileId}) — with a timeout, behind an event-based gateway beside a timer; the start,
 * a start event with its entry settings as properties; an exit, an end event. Reading takes
 * the same shapes back, also from Camunda Modeler with Orbita's element templates, and names
 * what is not an Orbita node.
 *
 * <p>Longer than the ~400 lines we aim for: both directions of the journey ⇄ BPMN mapping stay in
 * one file so they stay each other's inverse.
 */
public final class JourneyBpmn {

    /** A journey that cannot be made into BPMN, or BPMN that is not a journey: every problem named. */
    public static final class Invalid extends RuntimeException {
        private final List<Problem> problems;

        public Invalid(List<Problem> problems) {
            super(String.join("; ", problems.stream().map(Problem::toString).toList()));
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }

    public static final String MESSAGE_PREFIX = "orbita.event.";
    /**
     * The job type of the execution listeners on every timer, event and end: Orbita's journey
     * ledger follows each instance through the elements that have no worker of their own.
     */
    public static final String STEP_JOB_TYPE = "orbita.step";
    /**
     * The variable a restored instance carries ({@code {node, left}}): a timer of that node waits
     * {@code left} (an ISO-8601 duration) — what remained of it — instead of its full length.
     */
    public static final String RESUME_VARIABLE = "orbitaResume";
    private static final Pattern RESUMABLE = Pattern.compile(
            "=if " + RESUME_VARIABLE + " != null and " + RESUME_VARIABLE + "\\.node = \"[^\"]*\" then " + RESUME_VARIABLE + "\\.left else \"([^\"]*)\"");
    private static final String BRANCH_SUFFIX = "_branch";
    private static final String EVENT_SUFFIX = "_event";
    private static final String TIMEOUT_SUFFIX = "_timeout";
    /** After a best-time task: the timer that waits for the time it worked out ({@code bestTime}). */
    private static final String WAIT_SUFFIX = "_wait";

    private JourneyBpmn() {}

    /** The journey as BPMN XML (validated: Orbita's rules, then Zeebe's). */
    public static String toXml(Journey j) {
        List<Problem> problems = JourneyValidation.check(j);
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        return build(j, true);
    }

    /**
     * The journey as the builder draws it while it is being made: the nodes reached from the
     * start, settings not yet given left empty, nothing validated; empty when it cannot be drawn
     * (no start, a link to a node that is not there). Never for an engine.
     */
    public static java.util.Optional<String> sketch(Journey j) {
        try {
            return java.util.Optional.of(build(j, false));
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static String build(Journey j, boolean validate) {
        Map<String, Node> byId = new LinkedHashMap<>();
        j.nodes().forEach(n -> byId.put(n.id(), n));
        Map<String, List<Link>> outgoing = new HashMap<>();
        for (Link l : j.links()) {
            outgoing.computeIfAbsent(l.from(), k -> new ArrayList<>()).add(l);
        }
        Node start = j.nodes().stream().filter(n -> n.type().equals("start")).findFirst().orElseThrow();
        AbstractFlowNodeBuilder<?, ?> builder = Bpmn.createExecutableProcess(j.id()).name(j.name()).startEvent(start.id()).name(start.name());
        Set<String> created = new HashSet<>(List.of(start.id()));
        Set<String> reported = reportedExits(j);
        Deque<Node> pending = new ArrayDeque<>(List.of(start));
        while (!pending.isEmpty()) {
            Node n = pending.removeFirst();
            NodeType t = NodeCatalog.find(n.type()).orElseThrow();
            List<Link> links = new ArrayList<>(outgoing.getOrDefault(n.id(), List.of()));
            links.sort(Comparator.comparing((Link l) -> t.branches().indexOf(l.branch())));
            for (Link l : links) {
                AbstractFlowNodeBuilder<?, ?> from = builder.moveToNode(exitOf(n, t, l.branch()));
                if (t.shape() == NodeType.Shape.BRANCHING_TASK) {
                    from = (AbstractFlowNodeBuilder<?, ?>) from.condition(l.branch(), "=branch = \"" + l.branch() + "\"");
                }
                if (created.add(l.to())) {
                    builder = create(from, byId.get(l.to()), reported);
                    pending.addLast(byId.get(l.to()));
                } else {
                    builder = from.connectTo(l.to());
                }
            }
        }
        BpmnModelInstance model = builder.done();
        startProperties(model, start);
        if (validate) {
            Bpmn.validateModel(model);
        }
        return Bpmn.convertToString(model);
    }

    /** The element a node's link leaves from, for a branch. */
    private static String exitOf(Node n, NodeType t, String branch) {
        return switch (t.shape()) {
            case BRANCHING_TASK -> n.id() + BRANCH_SUFFIX;
            case EVENT_WAIT -> JourneyValidation.branchesOf(n, t).isEmpty() ? n.id() : n.id() + ("timeout".equals(branch) ? TIMEOUT_SUFFIX : EVENT_SUFFIX);
            default -> t.id().equals("best-time") ? n.id() + WAIT_SUFFIX : n.id();
        };
    }

    /**
     * The exits the ledger's listener must report: those reached from a timer, an event or the
     * start. An exit reached only from tasks is recorded by the task's worker as it completes
     * (one job less per instance).
     */
    public static Set<String> reportedExits(Journey j) {
        Map<String, String> typeOf = new HashMap<>();
        j.nodes().forEach(n -> typeOf.put(n.id(), n.type()));
        Set<String> out = new HashSet<>();
        for (Link l : j.links()) {
            NodeType from = NodeCatalog.find(typeOf.get(l.from())).orElse(null);
            if ("exit".equals(typeOf.get(l.to())) && (from == null || from.jobType() == null || from.id().equals("best-time"))) {
                out.add(l.to());
            }
        }
        return out;
    }

    private static AbstractFlowNodeBuilder<?, ?> create(AbstractFlowNodeBuilder<?, ?> from, Node n, Set<String> reportedExits) {
        NodeType t = NodeCatalog.find(n.type()).orElseThrow();
        String name = n.name() == null || n.name().isBlank() ? t.label() : n.name();
        switch (t.shape()) {
            case EXIT -> {
                var end = from.endEvent(n.id()).name(name);
                return reportedExits.contains(n.id()) ? end.zeebeStartExecutionListener(STEP_JOB_TYPE) : end;
            }
            case TIMER -> {
                String duration = n.settings().get("duration");
                var e = from.intermediateCatchEvent(n.id()).name(name).zeebeEndExecutionListener(STEP_JOB_TYPE);
                return duration != null && !duration.isBlank() ? e.timerWithDuration(resumable(n.id(), duration.strip()))
                        : e.timerWithDate(n.settings().get("until").strip());
            }
            case EVENT_WAIT -> {
                String message = MESSAGE_PREFIX + n.settings().get("event").strip();
                if (JourneyValidation.branchesOf(n, t).isEmpty()) {
                    return from.intermediateCatchEvent(n.id()).name(name).zeebeEndExecutionListener(STEP_JOB_TYPE)
                            .message(m -> m.name(message).zeebeCorrelationKeyExpression("profileId"));
                }
                AbstractFlowNodeBuilder<?, ?> g = from.eventBasedGateway(n.id()).name(name);
                g.intermediateCatchEvent(n.id() + EVENT_SUFFIX).name(n.settings().get("event").strip()).zeebeEndExecutionListener(STEP_JOB_TYPE)
                        .message(m -> m.name(message).zeebeCorrelationKeyExpression("profileId"));
                return g.moveToNode(n.id()).intermediateCatchEvent(n.id() + TIMEOUT_SUFFIX).name("timeout").zeebeEndExecutionListener(STEP_JOB_TYPE)
                        .timerWithDuration(resumable(n.id(), n.settings().get("timeout").strip()));
            }
            default -> {
                ServiceTaskBuilder task = from.serviceTask(n.id()).name(name).zeebeJobType(t.jobType());
                for (NodeType.Setting s : t.settings()) {
                    String v = n.settings().get(s.name());
                    if (v != null && !v.isBlank()) {
                        task = task.zeebeTaskHeader(s.name(), v);
                    }
                }
                if (t.id().equals("best-time")) {
                    return task.intermediateCatchEvent(n.id() + WAIT_SUFFIX).name(name + " (wait)").zeebeEndExecutionListener(STEP_JOB_TYPE)
                            .timerWithDate("=bestTime");
                }
                return t.shape() == NodeType.Shape.BRANCHING_TASK ? task.exclusiveGateway(n.id() + BRANCH_SUFFIX).name(name + "?") : task;
            }
        }
    }

    /** A timer's duration that a restored instance shortens to what was left of it (see {@link #RESUME_VARIABLE}). */
    private static String resumable(String node, String duration) {
        return "=if " + RESUME_VARIABLE + " != null and " + RESUME_VARIABLE + ".node = \"" + node + "\" then " + RESUME_VARIABLE + ".left else \""
                + duration + "\"";
    }

    /** The duration a timer was given in the builder: the literal inside {@link #resumable}, or the text as it is (Camunda Modeler). */
    private static String durationOf(TimerEventDefinition timer) {
        String text = timer.getTimeDuration().getTextContent().strip();
        Matcher m = RESUMABLE.matcher(text);
        return m.matches() ? m.group(1) : text;
    }

    /** The journey node a BPMN element belongs to, and the branch it stands for (an arm of a wait with a timeout). */
    public record Element(String node, String branch) {}

    /** Which node (and branch) a BPMN element of {@link #toXml}'s output is: {@code w_timeout} → node w, branch timeout. */
    public static Element elementOf(String elementId) {
        for (String suffix : List.of(EVENT_SUFFIX, TIMEOUT_SUFFIX, BRANCH_SUFFIX, WAIT_SUFFIX)) {
            if (elementId.endsWith(suffix)) {
                String branch = suffix.equals(BRANCH_SUFFIX) || suffix.equals(WAIT_SUFFIX) ? null : suffix.substring(1);
                return new Element(elementId.substring(0, elementId.length() - suffix.length()), branch);
            }
        }
        return new Element(elementId, null);
    }

    private static void startProperties(BpmnModelInstance model, Node start) {
        if (start.settings().isEmpty()) {
            return;
        }
        StartEvent e = model.getModelElementById(start.id());
        ExtensionElements ext = e.getExtensionElements();
        if (ext == null) {
            ext = model.newInstance(ExtensionElements.class);
            e.setExtensionElements(ext);
        }
        ZeebeProperties props = model.newInstance(ZeebeProperties.class);
        new TreeMap<>(start.settings()).forEach((k, v) -> {
            ZeebeProperty p = model.newInstance(ZeebeProperty.class);
            p.setName(k);
            p.setValue(v);
            props.addChildElement(p);
        });
        ext.addChildElement(props);
    }

    /** A journey from BPMN XML (made here, or in Camunda Modeler with Orbita's element templates). */
    public static Journey fromXml(String xml) {
        BpmnModelInstance model;
        try {
            model = Bpmn.readModelFromStream(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            throw new Invalid(List.of(new Problem(null, "bpmn", "not BPMN 2.0 XML: " + e.getMessage())));
        }
        Collection<Process> processes = model.getModelElementsByType(Process.class);
        if (processes.size() != 1) {
            throw new Invalid(List.of(new Problem(null, "bpmn", "a journey is one process; this has " + processes.size())));
        }
        Process process = processes.iterator().next();
        List<Problem> problems = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        Map<String, String> nodeOf = new HashMap<>(); // BPMN element → the journey node it belongs to
        for (FlowNode f : process.getChildElementsByType(FlowNode.class)) {
            String id = f.getId();
            if (f instanceof StartEvent s) {
                nodes.add(new Node(id, "start", s.getName(), properties(s)));
                nodeOf.put(id, id);
            } else if (f instanceof EndEvent) {
                nodes.add(new Node(id, "exit", f.getName(), Map.of()));
                nodeOf.put(id, id);
            } else if (f instanceof ServiceTask task) {
                ZeebeTaskDefinition def = extension(task, ZeebeTaskDefinition.class);
                NodeType t = def == null ? null : NodeCatalog.byJobType(def.getType()).orElse(null);
                if (t == null) {
                    problems.add(new Problem(id, "type", "service task '" + task.getName() + "' has job type " + (def == null ? "none" : def.getType())
                            + ", not one of Orbita's nodes (orbita.<node>)"));
                    continue;
                }
                Map<String, String> settings = new LinkedHashMap<>();
                ZeebeTaskHeaders headers = extension(task, ZeebeTaskHeaders.class);
                if (headers != null) {
                    for (ZeebeHeader h : headers.getHeaders()) {
                        settings.put(h.getKey(), h.getValue());
                    }
                }
                nodes.add(new Node(id, t.id(), task.getName(), settings));
                nodeOf.put(id, id);
            } else if (f instanceof ExclusiveGateway && id.endsWith(BRANCH_SUFFIX)) {
                nodeOf.put(id, id.substring(0, id.length() - BRANCH_SUFFIX.length()));
            } else if (f instanceof EventBasedGateway g) {
                String event = null;
                String timeout = null;
                for (SequenceFlow out : g.getOutgoing()) {
                    FlowNode target = out.getTarget();
                    nodeOf.put(target.getId(), id);
                    TimerEventDefinition timer = definition(target, TimerEventDefinition.class);
                    MessageEventDefinition message = definition(target, MessageEventDefinition.class);
                    if (timer != null && timer.getTimeDuration() != null) {
                        timeout = durationOf(timer);
                    } else if (message != null && message.getMessage() != null) {
                        event = eventOf(message.getMessage().getName());
                    }
                }
                Map<String, String> settings = new LinkedHashMap<>();
                settings.put("event", event);
                settings.put("timeout", timeout);
                nodes.add(new Node(id, "wait-event", g.getName(), settings));
                nodeOf.put(id, id);
            } else if (f instanceof IntermediateCatchEvent c) {
                if (!c.getIncoming().isEmpty() && c.getIncoming().iterator().next().getSource() instanceof EventBasedGateway) {
                    continue; // one arm of a wait with a timeout, read with its gateway
                }
                if (id.endsWith(WAIT_SUFFIX) && !c.getIncoming().isEmpty() && c.getIncoming().iterator().next().getSource() instanceof ServiceTask task
                        && task.getId().equals(id.substring(0, id.length() - WAIT_SUFFIX.length()))) {
                    nodeOf.put(id, task.getId()); // a best-time task's wait
                    continue;
                }
                TimerEventDefinition timer = definition(c, TimerEventDefinition.class);
                MessageEventDefinition message = definition(c, MessageEventDefinition.class);
                if (timer != null) {
                    Map<String, String> settings = new LinkedHashMap<>();
                    if (timer.getTimeDuration() != null) {
                        settings.put("duration", durationOf(timer));
                    }
                    if (timer.getTimeDate() != null) {
                        settings.put("until", timer.getTimeDate().getTextContent());
                    }
                    nodes.add(new Node(id, "pause", c.getName(), settings));
                } else if (message != null && message.getMessage() != null) {
                    nodes.add(new Node(id, "wait-event", c.getName(), Map.of("event", eventOf(message.getMessage().getName()))));
                } else {
                    problems.add(new Problem(id, "type", "a catch event that is neither a timer nor a message"));
                    continue;
                }
                nodeOf.put(id, id);
            } else {
                problems.add(new Problem(id, "type", f.getElementType().getTypeName() + " '" + f.getName() + "' is not an Orbita node"));
            }
        }
        List<Link> links = new ArrayList<>();
        for (SequenceFlow s : process.getChildElementsByType(SequenceFlow.class)) {
            String from = nodeOf.get(s.getSource().getId());
            String to = nodeOf.get(s.getTarget().getId());
            if (from == null || to == null || from.equals(to)) {
                continue; // inside a node (task → its gateway, gateway → its arms) or about an element already named
            }
            String branch = null;
            if (s.getSource() instanceof ExclusiveGateway) {
                branch = s.getName();
            } else if (!s.getSource().getId().equals(from)) {
                // an arm of a wait with a timeout: the timer's flow is the timeout branch, the message's the event branch
                branch = definition(s.getSource(), TimerEventDefinition.class) != null ? "timeout" : "event";
            }
            links.add(new Link(from, to, branch));
        }
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        return new Journey(process.getId(), process.getName(), nodes, links);
    }

    private static String eventOf(String messageName) {
        return messageName != null && messageName.startsWith(MESSAGE_PREFIX) ? messageName.substring(MESSAGE_PREFIX.length()) : messageName;
    }

    private static Map<String, String> properties(StartEvent s) {
        ZeebeProperties props = extension(s, ZeebeProperties.class);
        Map<String, String> out = new LinkedHashMap<>();
        if (props != null) {
            for (ZeebeProperty p : props.getProperties()) {
                out.put(p.getName(), p.getValue());
            }
        }
        return out;
    }

    private static <T extends ModelElementInstance> T extension(BaseElement e, Class<T> type) {
        ExtensionElements ext = e.getExtensionElements();
        if (ext == null) {
            return null;
        }
        Collection<T> found = ext.getChildElementsByType(type);
        return found.isEmpty() ? null : found.iterator().next();
    }

    private static <T extends EventDefinition> T definition(FlowNode node, Class<T> type) {
        if (node instanceof CatchEvent c) {
            for (EventDefinition d : c.getEventDefinitions()) {
                if (type.isInstance(d)) {
                    return type.cast(d);
                }
            }
        }
        return null;
    }
}
