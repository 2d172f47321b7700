package org.orbita.campaigns;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orbita.content.Message;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.Subscription;
import org.orbita.sending.Eligibility;
import org.orbita.sending.LedgerState;
import org.orbita.sending.Send;
import org.orbita.sending.SendChannel;
import org.orbita.sending.SendKind;
import org.orbita.sending.SendLedger;
import org.orbita.sending.SendOrigin;
import org.orbita.sending.SendPipeline;
import org.orbita.sending.SendPolicies;
import org.orbita.sending.SendPolicy;
import org.orbita.sending.SendingLimits;

/**
 * One page of a campaign run's audience through the send pipeline: per profile and channel,
 * the campaign's rules decide (frequency cap, suppression, subscription, a variant's send time,
 * local time, quiet hours) and the ledger keeps the decision — skipped with the reason,
 * waiting until its moment, or pending; the pending ones are rendered and published. Also the
 * copies of a run's message for the observer database.
 */
final class CampaignPages {

    private final ProfileStore profiles;
    private final SendPipeline pipeline;

    CampaignPages(ProfileStore profiles, SendPipeline pipeline) {
        this.profiles = profiles;
        this.pipeline = pipeline;
    }

    static SendLedger.Run run(String runId, Campaign c) {
        return new SendLedger.Run(runId, SendKind.CAMPAIGN, c.workspaceId(), c.database(), c.id(), null);
    }

    /** A campaign's own per-channel cap, or null. */
    static SendingLimits.Cap ownCap(Campaign c) {
        return c.limits() == null || c.limits().frequency() == null ? null
                : new SendingLimits.Cap(c.limits().frequency().max(), c.limits().frequency().days());
    }

    static List<SendChannel> channels(Campaign c) {
        return c.channels().stream().map(SendChannel::fromId).toList();
    }

    /** Who may get the campaign at all: its frequency cap (the page's counts read at once), suppression, the subscription. */
    private List<SendPolicy> gates(String runId, Campaign c, Collection<Profile> page, Instant at) {
        List<SendPolicy> rules = new ArrayList<>();
        // the campaign's cap, else its database's, else its workspace's; the caps across channels and per address (sending policies)
        rules.addAll(pipeline.limits().policies(pipeline.limits().effective(c.workspaceId(), c.database(), ownCap(c)), pipeline.ledger(), page,
                channels(c), at, runId));
        rules.add(SendPolicies.suppression());
        rules.add(SendPolicies.subscriptionNeeded(c.resource()));
        return rules;
    }

    /** When: after a variant's send time, at the local time asked, out of quiet hours — each from the moment the one before set. */
    private static List<SendPolicy> timing(Campaign c, AbChooser.Choice choice) {
        List<SendPolicy> rules = new ArrayList<>();
        rules.add(variantTime(choice));
        if (c.local() != null) {
            rules.add(SendPolicies.localTime(c.local().at(), c.local().timezoneField(), c.local().timezone()));
        }
        Campaign.Limits limits = c.limits();
        if (limits != null && limits.quietHours() != null) {
            Campaign.QuietHours q = limits.quietHours();
            rules.add(SendPolicies.quietHours(q.from(), q.to(), q.timezoneField(), q.timezone()));
        }
        return rules;
    }

    /** A variant's send time holds its share back. */
    private static SendPolicy variantTime(AbChooser.Choice choice) {
        return (p, channel, from) -> choice.message() != null && choice.holdUntil() != null && choice.holdUntil().isAfter(from)
                ? new Eligibility.Held(choice.holdUntil(), "variant " + choice.variant() + "'s send time: " + choice.holdUntil())
                : Eligibility.ALLOWED;
    }

    /**
     * The first half of a page: its ledger entries reserved (skipped and waiting ones with their
     * reason) and its pending messages handed to the renderers.
     */
    SendPipeline.Batch start(String runId, Campaign c, AbChooser chooser, List<String> ids) {
        Instant at = pipeline.clock().instant();
        Map<String, Optional<Profile>> found = new LinkedHashMap<>();
        for (String id : ids) {
            found.put(id, profiles.find(c.database(), id));
        }
        List<SendPolicy> gates = gates(runId, c, found.values().stream().flatMap(Optional::stream).toList(), at);
        List<SendLedger.Entry> wanted = new ArrayList<>();
        Map<String, Profile> byId = new LinkedHashMap<>();
        Map<String, Subscription> target = new LinkedHashMap<>();
        for (String id : ids) {
            Optional<Profile> p = found.get(id);
            for (SendChannel channel : channels(c)) {
                if (p.isEmpty()) {
                    wanted.add(new SendLedger.Entry(id, channel, LedgerState.SKIPPED, "the profile was deleted"));
                    continue;
                }
                AbChooser.Choice choice = chooser.choose(id);
                List<SendPolicy> mine = new ArrayList<>(gates);
                mine.addAll(timing(c, choice));
                switch (SendPolicy.decide(mine, p.get(), channel, at)) {
                    case Eligibility.Skipped skipped -> wanted.add(new SendLedger.Entry(id, channel, LedgerState.SKIPPED, skipped.reason()));
                    case Eligibility.Held held when choice.message() != null -> wanted.add(new SendLedger.Entry(id, channel, LedgerState.WAITING,
                            held.reason(), held.until()));
                    case Eligibility.Held held -> wanted.add(waitForWinner(id, channel, choice, held.until()));
                    case Eligibility.Allowed allowed -> {
                        byId.put(id, p.get());
                        target.put(id + "/" + channel.id(), allowed.target());
                        wanted.add(choice.message() == null ? waitForWinner(id, channel, choice, at)
                                : SendLedger.Entry.pending(id, channel, allowed.target() == null ? null : allowed.target().address()));
                    }
                }
            }
        }
        SendLedger.Run run = run(runId, c);
        Map<String, SendLedger.Entry> standing = pipeline.reserve(run, wanted);
        SendOrigin origin = new SendOrigin(c.workspaceId(), c.database(), c.id(), c.name(), null, null);
        List<Send> sends = new ArrayList<>();
        List<SendLedger.Entry> notSent = new ArrayList<>();
        Instant now = pipeline.clock().instant();
        for (SendLedger.Entry e : standing.values()) {
            if (e.state() != LedgerState.PENDING) {
                continue; // queued before a restart, skipped, or waiting
            }
            if (byId.get(e.profileId()) == null || !target.containsKey(e.key())) {
                // pending from a crashed attempt, but no longer sendable (unsubscribed since): say why
                notSent.add(e.now(LedgerState.SKIPPED, "no active " + e.channel().id() + " subscription"));
                continue;
            }
            AbChooser.Choice choice = chooser.choose(e.profileId());
            if (choice.message() == null) {
                // pending from before a restart, but its A/B winner is not chosen yet: back to waiting
                notSent.add(waitForWinner(e.profileId(), e.channel(), choice, now));
                continue;
            }
            Map<String, Object> props = choice.variant() == null ? Map.of() : Map.of("variant", choice.variant());
            sends.add(new Send(run, e, byId.get(e.profileId()), target.get(e.key()), choice.message(), origin, props));
        }
        SendPipeline.Batch batch = pipeline.render(sends);
        notSent.forEach(e -> batch.mark(runId, e));
        return batch;
    }

    /** No message for this profile yet (an A/B test's winner is not chosen): it waits, at least a second more. */
    private static SendLedger.Entry waitForWinner(String id, SendChannel channel, AbChooser.Choice choice, Instant allowed) {
        Instant until = choice.holdUntil() != null && choice.holdUntil().isAfter(allowed) ? choice.holdUntil() : allowed.plusSeconds(1);
        return new SendLedger.Entry(id, channel, LedgerState.WAITING, "A/B test: waits for the winner until " + until, until);
    }

    /** Observer databases are seed lists: at most this many of their profiles get copies. */
    static final int MAX_OBSERVERS = 1000;

    /**
     * The observers' copies of a run: every profile of the observer database (the first
     * {@value #MAX_OBSERVERS}) gets each message (each A/B variant) in each of the campaign's
     * channels where it can receive, rendered with its own data. Their ledger is the run's id with
     * {@code .observers[.variant]}, so a resumed run sends no copy twice; the copies are recorded in
     * the observers' histories as {@code message.sent} with {@code observer_of}, outside the
     * campaign's figures (their links are not attributed to the campaign). Returns the copies queued.
     */
    long sendToObservers(String runId, Campaign c, Map<String, Message> byVariant) {
        List<Profile> observers = profiles.page(c.observers(), null, MAX_OBSERVERS);
        long queued = 0;
        SendOrigin origin = new SendOrigin(c.workspaceId(), c.observers(), null, c.name(), null, null);
        List<SendPolicy> rules = List.of(SendPolicies.subscriptionNeeded(null));
        for (Map.Entry<String, Message> variant : byVariant.entrySet()) {
            String run = runId + ".observers" + (variant.getKey().isEmpty() ? "" : "." + variant.getKey());
            List<SendLedger.Entry> wanted = new ArrayList<>();
            Map<String, Subscription> target = new LinkedHashMap<>();
            Map<String, Profile> byId = new LinkedHashMap<>();
            for (Profile p : observers) {
                byId.put(p.id(), p);
                for (SendChannel channel : channels(c)) {
                    if (SendPolicy.decide(rules, p, channel, pipeline.clock().instant()) instanceof Eligibility.Allowed allowed) {
                        target.put(p.id() + "/" + channel.id(), allowed.target());
                        wanted.add(new SendLedger.Entry(p.id(), channel, LedgerState.PENDING, null));
                    } else {
                        wanted.add(new SendLedger.Entry(p.id(), channel, LedgerState.SKIPPED, "the observer has no active " + channel.id() + " subscription"));
                    }
                }
            }
            Map<String, Object> props = variant.getKey().isEmpty() ? Map.of() : Map.of("variant", variant.getKey());
            List<Send> sends = new ArrayList<>();
            SendLedger.Run observersRun = new SendLedger.Run(run, SendKind.OBSERVERS, c.workspaceId(), c.observers(), c.id(), null);
            for (SendLedger.Entry e : pipeline.reserve(observersRun, wanted).values()) {
                if (e.state() == LedgerState.PENDING && target.containsKey(e.key())) {
                    sends.add(new Send(observersRun, e, byId.get(e.profileId()), target.get(e.key()), variant.getValue(), origin, props));
                }
            }
            queued += pipeline.send(sends).queued();
        }
        return queued;
    }
}
