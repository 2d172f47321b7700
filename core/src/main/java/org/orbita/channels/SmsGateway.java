package org.orbita.channels;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the HTTP SMS gateways with delivery reports share: their client, their channel, where their
 * reports go, and — for gateways whose statuses are asked for — the sent messages still owed one.
 */
public abstract class SmsGateway implements ChannelProvider {

    /** At most this many messages wait for a status; the oldest is forgotten past it. */
    private static final int MAX_AWAITING = 100_000;

    /** A sent message still owed a final status: its parts (as the gateway numbers them) not yet final, since when. */
    protected record Awaiting(String id, List<String> parts, Instant since) {}

    protected final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private volatile Receipts receipts;
    private final Map<String, Awaiting> awaiting = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Awaiting> eldest) {
            return size() > MAX_AWAITING;
        }
    };

    SmsGateway() {}

    @Override
    public final String channel() {
        return "sms";
    }

    @Override
    public final void receipts(Receipts to) {
        this.receipts = to;
    }

    /**
     * Asks the gateway for the statuses still owed and tells the final ones as receipts; how many
     * it told. Gateways that only post their reports ask nothing.
     */
    public int poll() {
        return 0;
    }

    /** How many sent messages wait for a final status that will be asked for. */
    public final int pending() {
        synchronized (awaiting) {
            return awaiting.size();
        }
    }

    /** Where reports go now (the channel's worker), or null while nothing listens. */
    protected final Receipts receiptsTo() {
        return receipts;
    }

    /** Remembers a sent message (with its parts) to ask its status later. */
    protected final void await(String id, List<String> parts, Instant now) {
        synchronized (awaiting) {
            awaiting.put(id, new Awaiting(id, List.copyOf(parts), now));
        }
    }

    /** The messages still owed a status, oldest first. */
    protected final List<Awaiting> awaiting() {
        synchronized (awaiting) {
            return new ArrayList<>(awaiting.values());
        }
    }

    /** A message whose parts now left to hear of are these (still owed a status). */
    protected final void stillAwaiting(Awaiting a, List<String> parts) {
        synchronized (awaiting) {
            awaiting.computeIfPresent(a.id(), (k, v) -> new Awaiting(k, List.copyOf(parts), v.since()));
        }
    }

    /** Tells a message's final status as its receipt and stops asking for it; true. */
    protected final boolean tell(String id, boolean delivered, String status) {
        forget(id);
        Receipts to = receiptsTo();
        if (to != null) {
            to.receipt(id, delivered, status);
        }
        return true;
    }

    /** Stops asking for a message's status (the gateway no longer knows it). */
    protected final void forget(String id) {
        synchronized (awaiting) {
            awaiting.remove(id);
        }
    }
}
