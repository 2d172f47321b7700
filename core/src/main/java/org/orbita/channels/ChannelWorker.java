package org.orbita.channels;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orbita.common.Ids;
import org.orbita.common.Json;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.queues.SendQueue;
import org.orbita.sending.LedgerState;
import org.orbita.sending.SendChannel;
import org.orbita.sending.SendKind;
import org.orbita.sending.SendLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a channel's queue ({@code orbita.channel.<channel>}) and hands each message to the
 * channel's provider. The ledger entry moves {@code queued → sending} first (compare and set:
 * a second copy of the message finds it taken and is dropped), then to {@code delivered} or
 * {@code failed}; a message redelivered after a crash while it was {@code sending} is sent again
 * with the same idempotency key. Temporary refusals are tried again with growing waits (or the
 * service's own), up to {@code attempts}; what never works fails with the service's reason,
 * into the ledger and the profile's history ({@code message.delivered} / {@code message.failed}).
 */
public final class ChannelWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChannelWorker.class);

    /** Told when an address turned out gone (blocked bot, unknown number), to mark its subscription. */
    @FunctionalInterface
    public interface Unreachable {
        void gone(String databaseId, String profileId, String channel, String address, String reason);
    }

    private final ChannelProvider provider;
    private final SendLedger ledger;
    private final EventLog events;
    private final Unreachable unreachable;
    private final int attempts;
    private final Duration firstWait;
    private final Duration maxWait;
    private final SendQueue.Consumer consumer;
    private final long spacingNanos;
    private long nextCallNanos = System.nanoTime();

    public ChannelWorker(SendQueue queue, ChannelProvider provider, SendLedger ledger, EventLog events, Unreachable unreachable, int attempts,
                         Duration firstWait, Duration maxWait, int prefetch) {
        this(queue, provider, ledger, events, unreachable, attempts, firstWait, maxWait, prefetch, 0);
    }

    /** @param perSecond the provider's send rate (0: as fast as it answers): calls are spaced to stay under it */
    public ChannelWorker(SendQueue queue, ChannelProvider provider, SendLedger ledger, EventLog events, Unreachable unreachable, int attempts,
                         Duration firstWait, Duration maxWait, int prefetch, double perSecond) {
        this.spacingNanos = perSecond <= 0 ? 0 : (long) (1_000_000_000L / perSecond);
        this.provider = provider;
        this.ledger = ledger;
        this.events = events;
        this.unreachable = unreachable;
        this.attempts = attempts;
        this.firstWait = firstWait;
        this.maxWait = maxWait;
        provider.receipts(this::receipt);
        this.consumer = queue.consume(SendChannel.fromId(provider.channel()).workerQueue(), prefetch, this::handle);
        log.info("sending {} messages from {}", provider.channel(), SendChannel.fromId(provider.channel()).workerQueue());
    }

    @SuppressWarnings("unchecked")
    void handle(SendQueue.Message m) throws Exception {
        JsonNode j = Json.MAPPER.readTree(m.body());
        String run = j.path("run").asText();
        String entry = j.path("profile").asText() + "/" + provider.channel();
        // queued, or still pending when the worker is quicker than the sender's own mark
        if (!ledger.advance(run, entry, LedgerState.QUEUED, LedgerState.SENDING, null)
                && !ledger.advance(run, entry, LedgerState.PENDING, LedgerState.SENDING, null)
                && !(m.redelivered() && ledger.advance(run, entry, LedgerState.SENDING, LedgerState.SENDING, "sent again after a restart"))) {
            return; // handled already (a repeat of the message), or no longer to send
        }
        String key = j.path("key").asText();
        String address = j.path("address").asText();
        boolean test = run.startsWith(SendKind.TEST_RUN_PREFIX); // the ledger tells its sender; no history has it
        Map<String, Object> payload = Json.MAPPER.convertValue(j.path("payload"), Map.class);
        ChannelProvider.Result result = sendWithRetries(key, address, payload);
        Map<String, Object> attribution = attribution(run, j);
        Map<String, Object> props = new LinkedHashMap<>(attribution);
        props.put("address", address);
        String type;
        if (result instanceof ChannelProvider.Result.Accepted a) {
            ledger.advance(run, entry, LedgerState.SENDING, LedgerState.DELIVERED, a.id());
            if (a.id() != null) {
                props.put("provider_id", a.id());
                Sent sent = new Sent(j.path("database").asText(), j.path("profile").asText(), attribution, run, entry, address);
                synchronized (awaitingReceipt) {
                    for (String id : a.id().split(",")) {
                        awaitingReceipt.put(id, sent);
                    }
                }
            }
            type = "message.delivered";
        } else {
            ChannelProvider.Result.Failed f = result instanceof ChannelProvider.Result.Failed failed ? failed
                    : new ChannelProvider.Result.Failed("gave up after " + attempts + " tries: " + ((ChannelProvider.Result.Retry) result).reason(), false);
            ledger.advance(run, entry, LedgerState.SENDING, LedgerState.FAILED, f.reason());
            props.put("reason", f.reason());
            type = "message.failed";
            if (f.unreachable() && unreachable != null && !test) {
                unreachable.gone(j.path("database").asText(), j.path("profile").asText(), provider.channel(), address, f.reason());
            }
        }
        if (!test) {
            events.append(List.of(new Event(Ids.next(), j.path("database").asText(), j.path("profile").asText(), type, provider.channel(),
                    Instant.now(), props)));
        }
    }

    /** What a provider's later receipt is about. */
    private record Sent(String database, String profile, Map<String, Object> attribution, String run, String entry, String address) {}

    /** What the run's events say they belong to (the ledger's record of the run; a run from before it kept one names its campaign in the message). */
    private Map<String, Object> attribution(String run, JsonNode message) {
        return ledger.run(run).map(SendLedger.Run::attribution).orElseGet(() -> {
            Map<String, Object> props = new LinkedHashMap<>();
            if (message.hasNonNull("campaign")) {
                props.put("campaign", message.get("campaign").asText());
            }
            props.put("run", run);
            return props;
        });
    }

    /** The last sends with a provider id, for the receipts that follow them (the oldest forgotten first). */
    private final Map<String, Sent> awaitingReceipt = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Sent> eldest) {
            return size() > 200_000;
        }
    };

    /**
     * A provider's receipt ({@code message.receipt} in the history); a final failure also turns the
     * ledger's {@code delivered} into {@code failed} with the service's status, and {@code message.failed}.
     */
    void receipt(String providerId, boolean delivered, String status) {
        Sent s;
        synchronized (awaitingReceipt) {
            s = awaitingReceipt.remove(providerId);
        }
        if (s == null) {
            log.debug("a {} receipt for {} ({}), sent before this node started or long ago", provider.channel(), providerId, status);
            return;
        }
        Map<String, Object> props = new LinkedHashMap<>(s.attribution());
        props.put("provider_id", providerId);
        props.put("status", status);
        props.put("delivered", delivered);
        Instant now = Instant.now();
        List<Event> out = new ArrayList<>();
        out.add(new Event(Ids.next(), s.database(), s.profile(), "message.receipt", provider.channel(), now, props));
        if (!delivered && ledger.advance(s.run(), s.entry(), LedgerState.DELIVERED, LedgerState.FAILED, "receipt: " + status)) {
            Map<String, Object> failed = new LinkedHashMap<>(s.attribution());
            failed.put("address", s.address());
            failed.put("reason", "receipt: " + status);
            out.add(new Event(Ids.next(), s.database(), s.profile(), "message.failed", provider.channel(), now, failed));
        }
        if (!s.run().startsWith(SendKind.TEST_RUN_PREFIX)) {
            events.append(out);
        }
    }

    private ChannelProvider.Result sendWithRetries(String key, String address, Map<String, Object> payload) throws InterruptedException {
        Duration wait = firstWait;
        ChannelProvider.Result r = null;
        for (int i = 1; i <= attempts; i++) {
            pace();
            r = provider.send(key, address, payload);
            if (!(r instanceof ChannelProvider.Result.Retry retry) || i == attempts) {
                return r;
            }
            Duration pause = retry.after() != null ? retry.after() : wait;
            if (pause.compareTo(maxWait) > 0) {
                pause = maxWait;
            }
            log.info("{} to {}: {} — trying again in {}", provider.channel(), address, retry.reason(), pause);
            Thread.sleep(pause.toMillis());
            wait = wait.multipliedBy(2);
        }
        return r;
    }

    /** Waits for this worker's next slot under the provider's rate (one call at a time per slot). */
    private void pace() throws InterruptedException {
        if (spacingNanos == 0) {
            return;
        }
        synchronized (this) {
            long now = System.nanoTime();
            long wait = nextCallNanos - now;
            nextCallNanos = Math.max(now, nextCallNanos) + spacingNanos;
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
