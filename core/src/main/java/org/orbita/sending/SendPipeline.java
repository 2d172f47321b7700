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
import org.orbita.promo.PromoPools;
import org.orbita.promo.PromoStore;
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

    /**
     * What a publish did: messages queued, entries failed, why each render the message refused was
     * refused, and why each send skipped before its render was skipped (a promo code it could not get), by message key.
     */
    public record Result(long queued, long failed, Map<String, String> refused, Map<String, String> skipped) {}

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
    private volatile PromoIssuer promo = (ws, pool, claims) -> new PromoPools.Issued(Map.of(), "promo codes are not available here");

    /** Hands out promo codes to the sends whose message names a pool ({@link PromoPools#issue}). */
    @FunctionalInterface
    public interface PromoIssuer {
        PromoPools.Issued issue(String workspaceId, String poolId, List<PromoStore.Claim> claims);
    }

    public void usePromo(PromoIssuer promo) {
        this.promo = promo;
    }

    /** An order as templates see it, by workspace and order id (the market's {@code templateOrder}); null when none. */
    @FunctionalInterface
    public interface OrderData {
        Map<String, Object> order(String workspaceId, String orderId);
    }

    private volatile OrderData orders = (ws, id) -> null;

    /** Gives sends about an order — triggered by an {@code order.*} event, or given {@code data.order_id} — the order as {@code order}. */
    public void useOrders(OrderData orders) {
        this.orders = orders;
    }

    /** A profile's cart as templates see it (the market's {@code templateCart}); null when empty. */
    @FunctionalInterface
    public interface CartData {
        Map<String, Object> cart(String workspaceId, String databaseId, String profileId);
    }

    private volatile CartData carts = (ws, db, id) -> null;

    /** Gives sends whose message mentions {@code cart} the profile's cart. */
    public void useCarts(CartData carts) {
        this.carts = carts;
    }

    /** The send's order (see {@link #useOrders}) and the profile's cart (see {@link #useCarts}) added to what templates see. */
    private Map<String, Object> withMarket(Send s, Map<String, Object> extra, Map<Object, Boolean> mentionsCart) {
        SendOrigin o = s.origin();
        Object id = o.event() != null && String.valueOf(o.event().get("type")).startsWith("order.") ? o.event().get("order")
                : o.data() != null ? o.data().get("order_id") : null;
        Map<String, Object> order = id == null ? null : orders.order(o.workspaceId(), String.valueOf(id));
        Map<String, Object> cart = mentionsCart.computeIfAbsent(s.message(), m -> s.message().usesCart())
                ? carts.cart(o.workspaceId(), o.database(), s.profile().id()) : null;
        if (order == null && cart == null) {
            return extra;
        }
        Map<String, Object> out = new LinkedHashMap<>(extra);
        if (order != null) {
            out.put("order", order);
        }
        if (cart != null) {
            out.put("cart", cart);
        }
        return out;
    }

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
        private final Map<String, String> skipped = new LinkedHashMap<>();

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

    /**
     * Starts rendering (on the render threads); the order of the sends is kept. Sends whose
     * message uses a promo code get theirs first, all of a pool's in one call, under the send's
     * run and profile (a retried send gets the same code, the email and the SMS of one send the same one); a send the pool cannot serve is skipped with the reason.
     */
    public Batch render(List<Send> sends) {
        Map<String, Map<String, Object>> codes = new LinkedHashMap<>();
        Map<String, String> refused = new LinkedHashMap<>();
        promoCodes(sends, codes, refused);
        List<Send> kept = new ArrayList<>(sends.size());
        List<Future<SendQueue.Message>> rendered = new ArrayList<>(sends.size());
        List<Send> skipped = new ArrayList<>();
        // whether a message mentions the cart, looked at once per message of the batch (by identity), not per send
        Map<Object, Boolean> mentionsCart = new java.util.IdentityHashMap<>();
        for (Send s : sends) {
            String why = refused.get(promoKey(s));
            if (why != null) {
                skipped.add(s);
                continue;
            }
            Map<String, Object> extra = withMarket(s, codes.getOrDefault(promoKey(s), Map.of()), mentionsCart);
            kept.add(s);
            rendered.add(renderers.submit(() -> composer.compose(s, extra)));
        }
        Batch batch = new Batch(List.copyOf(kept), rendered);
        for (Send s : skipped) {
            batch.mark(s.runId(), s.entry().now(LedgerState.SKIPPED, refused.get(promoKey(s))));
            batch.skipped.put(s.key(), refused.get(promoKey(s)));
        }
        return batch;
    }

    /** A run gives a profile one code, whatever channels carry it. */
    private static String promoKey(Send s) {
        return s.runId() + "/" + s.profile().id();
    }

    private void promoCodes(List<Send> sends, Map<String, Map<String, Object>> codes, Map<String, String> refused) {
        Map<String, List<Send>> byPool = new LinkedHashMap<>();
        for (Send s : sends) {
            if (s.message().usesPromo()) {
                byPool.computeIfAbsent(s.origin().workspaceId() + "/" + s.message().promoPool(), k -> new ArrayList<>()).add(s);
            }
        }
        for (List<Send> group : byPool.values()) {
            Send first = group.get(0);
            List<PromoStore.Claim> claims = new ArrayList<>(group.size());
            for (Send s : group) {
                claims.add(new PromoStore.Claim(promoKey(s), s.origin().database(), s.profile().id()));
            }
            PromoPools.Issued issued = promo.issue(first.origin().workspaceId(), first.message().promoPool(), claims);
            for (Send s : group) {
                PromoStore.Code code = issued.codes().get(promoKey(s));
                if (code == null) {
                    refused.put(promoKey(s), "promo: " + issued.refusal());
                } else {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("code", code.code());
                    data.put("pool", code.poolId());
                    codes.put(promoKey(s), Map.of("promo", data));
                }
            }
        }
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
        return new Result(queued, failed, refused, batch.skipped);
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
