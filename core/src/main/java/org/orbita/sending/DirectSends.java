package org.orbita.sending;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orbita.common.Ids;
import org.orbita.content.Message;
import org.orbita.profiles.Profile;
import org.orbita.profiles.Subscription;

/**
 * Sends to one profile now, through the send pipeline: a transactional message (the API) and a
 * journey's send-message node. The run id makes a repeat send nothing: the caller's idempotency
 * key, or the journey instance and node.
 */
public final class DirectSends {

    /** What became of one channel of a direct send. */
    public record Sent(SendChannel channel, LedgerState state, String detail) {}

    private final SendPipeline pipeline;

    public DirectSends(SendPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * A transactional message: one profile, now, in the given channels, with the caller's data
     * (templates see it as {@code data}). Calling again with the same key sends nothing twice. It
     * reaches an unsubscribed address (a receipt, a password reset) but never one that bounced.
     */
    public List<Sent> transactional(String workspaceId, String databaseId, Message message, Profile p, List<SendChannel> channels,
                                    Map<String, Object> data, String idempotencyKey) {
        SendLedger.Run run = new SendLedger.Run("tx-" + (idempotencyKey == null ? Ids.next() : idempotencyKey), SendKind.TRANSACTIONAL,
                workspaceId, databaseId, null, null);
        return send(run, new SendOrigin(workspaceId, databaseId, null, null, data, null), message, p, channels,
                List.of(SendPolicies.reachableAddress()), Map.of());
    }

    /**
     * A journey's send-message node: the profile's active subscriptions (in {@code resource} when
     * named), the journey's data as {@code data} in templates. {@code runId} names the instance and
     * node, so a job the engine hands out again never sends twice.
     */
    public List<Sent> journey(String workspaceId, String journeyId, String node, Message message, Profile p, List<SendChannel> channels,
                              String resource, Map<String, Object> data, String runId) {
        SendLedger.Run run = new SendLedger.Run(runId, SendKind.JOURNEY, workspaceId, p.databaseId(), null, journeyId);
        List<SendPolicy> rules = new ArrayList<>(pipeline.limits().policies(pipeline.limits().effective(workspaceId, p.databaseId(), null),
                pipeline.ledger(), List.of(p), channels, pipeline.clock().instant(), runId));
        rules.add(SendPolicies.suppression());
        rules.add(SendPolicies.subscriptionNeeded(resource));
        return send(run, new SendOrigin(workspaceId, p.databaseId(), null, null, data, null), message, p, channels, rules, Map.of("node", node));
    }

    /**
     * A test of a message from its editor: each channel to the address typed for it (an email
     * address, a phone, a chat id, a device token; webhook and inbox need none), rendered with the
     * data of {@code dataFrom} (a profile chosen to preview with) or with none. Nothing is recorded
     * in any profile's history; the address need not belong to a profile.
     */
    public Test test(String workspaceId, String databaseId, Message message, Profile dataFrom, Map<SendChannel, String> to) {
        String id = SendKind.TEST_RUN_PREFIX + Ids.next();
        List<Subscription> subscriptions = new ArrayList<>();
        for (Map.Entry<SendChannel, String> e : to.entrySet()) {
            if (e.getKey().needsSubscription()) {
                org.orbita.profiles.Channel channel = e.getKey().subscription().orElseThrow();
                String address;
                try {
                    address = e.getValue() == null || e.getValue().isBlank() ? null : channel.normalize(e.getValue().strip());
                } catch (IllegalArgumentException ex) {
                    address = null;
                }
                if (address == null) {
                    throw new org.orbita.common.InvalidInputException("to." + e.getKey().id(), e.getValue(),
                            "must be " + (e.getKey() == SendChannel.EMAIL ? "an email address" : e.getKey() == SendChannel.SMS
                                    ? "a phone number in international form (+…)" : "the address to send the test to"));
                }
                subscriptions.add(new Subscription(channel, address, null, Subscription.Status.ACTIVE, pipeline.clock().instant()));
            }
        }
        Profile p = new Profile(id, databaseId, dataFrom == null ? Map.of() : dataFrom.fields(), subscriptions, List.of(), Profile.Status.ACTIVE,
                null, null, null);
        SendLedger.Run run = new SendLedger.Run(id, SendKind.TEST, workspaceId, databaseId, null, null);
        return new Test(id, send(run, new SendOrigin(workspaceId, databaseId, null, null, Map.of(), null), message, p, List.copyOf(to.keySet()),
                List.of(SendPolicies.reachableAddress()), Map.of()));
    }

    /** The address a send goes to (none for channels without subscriptions). */
    static String address(Subscription target) {
        return target == null ? null : target.address();
    }

    /** A test's id (its run's) and what became of each channel at once. */
    public record Test(String id, List<Sent> sent) {}

    private List<Sent> send(SendLedger.Run run, SendOrigin origin, Message message, Profile p, List<SendChannel> channels, List<SendPolicy> rules,
                            Map<String, Object> sentProperties) {
        List<SendLedger.Entry> wanted = new ArrayList<>();
        Map<String, Subscription> target = new LinkedHashMap<>();
        for (SendChannel channel : channels) {
            switch (SendPolicy.decide(rules, p, channel, pipeline.clock().instant())) {
                case Eligibility.Skipped skipped -> wanted.add(new SendLedger.Entry(p.id(), channel, LedgerState.SKIPPED, skipped.reason()));
                case Eligibility.Held held -> wanted.add(new SendLedger.Entry(p.id(), channel, LedgerState.SKIPPED, held.reason()));
                case Eligibility.Allowed allowed -> {
                    target.put(p.id() + "/" + channel.id(), allowed.target());
                    wanted.add(SendLedger.Entry.pending(p.id(), channel, address(allowed.target())));
                }
            }
        }
        Map<String, SendLedger.Entry> standing = pipeline.reserve(run, wanted);
        List<Send> sends = new ArrayList<>();
        for (SendLedger.Entry e : standing.values()) {
            if (e.state() == LedgerState.PENDING && target.containsKey(e.key())) {
                sends.add(new Send(run, e, p, target.get(e.key()), message, origin, sentProperties));
            }
        }
        SendPipeline.Result result = pipeline.send(sends);
        Map<String, String> refused = result.refused();
        List<Sent> out = new ArrayList<>();
        for (SendLedger.Entry e : standing.values()) {
            if (e.state() != LedgerState.PENDING || !target.containsKey(e.key())) {
                out.add(new Sent(e.channel(), e.state(), e.state() == LedgerState.SKIPPED ? e.detail() : "already sent with this key"));
            } else {
                String key = SendLedger.messageKey(run.id(), e);
                String skipped = result.skipped().get(key);
                String why = refused.get(key);
                out.add(skipped != null ? new Sent(e.channel(), LedgerState.SKIPPED, skipped)
                        : new Sent(e.channel(), why == null ? LedgerState.QUEUED : LedgerState.FAILED, why));
            }
        }
        return out;
    }
}
