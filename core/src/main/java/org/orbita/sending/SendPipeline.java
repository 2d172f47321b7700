package org.orbita.sending;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.queues.SendQueue;

/**
 * The one way a message leaves the platform, for campaigns, triggers, journeys and
 * transactional sends alike: the sender decides who gets what (its eligibility rules) and
 * {@link #reserve reserves} the entries in the send ledger; the pending ones are
 * {@link #render rendered} on every processor; {@link #publish} hands them to their queues
 * (returning once the broker confirmed each), marks the ledger {@code queued} and records
 * {@code message.sent}. A crash between any two steps leaves pending entries that a retry
 * publishes again under the same key, which receivers drop when they have it: nobody is sent
 * twice and nobody skipped.
 */
public final class SendPipeline implements AutoCloseable {

    /** What a publish did: messages queued, entries failed, and why each render the message refused was refused (by message key). */
    public record Result(long queued, long failed, Map<String, String> refused) {}

    private final SendLedger ledger;
    private final SendQueue queue;
    private final String emailQueue;
    private final MessageComposer composer;
    private final EventLog events;
    private final Clock clock;
    /** Renders run here, as many at once as there are processors. */
    private final ExecutorService renderers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
            Thread.ofPlatform().name("send-render-", 0).daemon(true).factory());

    /**
     * @param queue the broker (published to lazily: the embedded one starts with the first send)
     * @param emailQueue where email goes: the MTA nodes' queue ({@code orbita.queue.email-queue})
     */
    public SendPipeline(SendLedger ledger, SendQueue queue, String emailQueue, MessageComposer composer, EventLog events, Clock clock) {
        this.ledger = ledger;
        this.queue = queue;
        this.emailQueue = emailQueue;
        this.composer = composer;
        this.events = events;
        this.clock = clock;
    }

    public SendLedger ledger() {
        return ledger;
    }

    private volatile SendingLimits limits = SendingLimits.NONE;

    /** The workspace's and databases' sending policies every marketing sender applies (none until the platform gives them). */
    public SendingLimits limits() {
        return limits;
    }

    public void useLimits(SendingLimits limits) {
        this.limits = limits;
    }

    public Clock clock() {
        return clock;
    }

    /** The queue a channel's messages go to. */
    public String queueOf(SendChannel channel) {
        return channel == SendChannel.EMAIL ? emailQueue : channel.workerQueue();
    }

    /** Records the run and the entries a sender wants (see {@link SendLedger#reserve}); the entries as they stand. */
    public Map<String, SendLedger.Entry> reserve(SendLedger.Run run, List<SendLedger.Entry> wanted) {
        return ledger.reserve(run, wanted);
    }

    /** Sends whose messages are being rendered, and the ledger marks to make with them. */
    public static final class Batch {
        private final List<Send> sends;
        private final List<Future<SendQueue.Message>> rendered;
        private final Map<String, List<SendLedger.Entry>> marks = new LinkedHashMap<>();

        private Batch(List<Send> sends, List<Future<SendQueue.Message>> rendered) {
            this.sends = sends;
            this.rendered = rendered;
        }

        /** Another entry of a run to mark when the batch is published (one that is not sent: skipped, waiting, failed). */
        public Batch mark(String runId, SendLedger.Entry entry) {
            marks.computeIfAbsent(runId, r -> new ArrayList<>()).add(entry);
            return this;
        }

        public List<Send> sends() {
            return sends;
        }
    }

    /** Starts rendering (on the render threads); the order of the sends is kept. */
    public Batch render(List<Send> sends) {
        List<Future<SendQueue.Message>> rendered = new ArrayList<>(sends.size());
        for (Send s : sends) {
            rendered.add(renderers.submit(() -> composer.compose(s)));
        }
        return new Batch(List.copyOf(sends), rendered);
    }

    /**
     * Waits for the batch's renders, publishes them (each queue confirmed), marks the ledger and
     * records {@code message.sent}. A render the message refuses ({@link InvalidInputException})
     * fails its entry with the reason; any other failure ends the publish before anything is sent
     * (the entries stay pending, for a retry).
     */
    public Result publish(Batch batch) {
        Map<String, List<SendQueue.Message>> out = new LinkedHashMap<>();
        Map<String, List<SendLedger.Entry>> marks = new LinkedHashMap<>();
        List<Event> sent = new ArrayList<>();
        Instant now = clock.instant();
        long failed = 0;
        long queued = 0;
        Map<String, String> refused = new LinkedHashMap<>();
        for (int i = 0; i < batch.sends.size(); i++) {
            Send s = batch.sends.get(i);
            SendLedger.Entry e = s.entry();
            try {
                SendQueue.Message m = batch.rendered.get(i).get();
                out.computeIfAbsent(queueOf(e.channel()), q -> new ArrayList<>()).add(m);
                marks.computeIfAbsent(s.runId(), r -> new ArrayList<>()).add(e.now(LedgerState.QUEUED, null));
                if (s.run().kind() != SendKind.TEST) {
                    sent.add(sentEvent(s, now));
                }
                queued++;
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof InvalidInputException invalid)) {
                    throw ex.getCause() instanceof RuntimeException r ? r : new IllegalStateException("rendering " + s.key(), ex.getCause());
                }
                marks.computeIfAbsent(s.runId(), r -> new ArrayList<>()).add(e.now(LedgerState.FAILED, "render: " + invalid.getMessage()));
                refused.put(s.key(), "render: " + invalid.getMessage());
                failed++;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while rendering", ex);
            }
        }
        for (Map.Entry<String, List<SendLedger.Entry>> m : batch.marks.entrySet()) {
            marks.computeIfAbsent(m.getKey(), r -> new ArrayList<>()).addAll(m.getValue());
            failed += m.getValue().stream().filter(x -> x.state() == LedgerState.FAILED).count();
        }
        // each returns once the broker confirmed every message
        out.forEach(queue::publishAll);
        marks.forEach(ledger::mark);
        if (!sent.isEmpty()) {
            events.append(sent);
        }
        return new Result(queued, failed, refused);
    }

    /** Renders and publishes at once. */
    public Result send(List<Send> sends) {
        return publish(render(sends));
    }

    private static Event sentEvent(Send s, Instant now) {
        Map<String, Object> props = s.run().attribution();
        props.putAll(s.sentProperties());
        props.put("message_id", s.message().id());
        props.put("message_version", s.message().version());
        return new Event(Ids.next(), s.origin().database(), s.profile().id(), "message.sent", s.entry().channel().id(), now, props);
    }

    @Override
    public void close() {
        renderers.shutdownNow();
    }
}
