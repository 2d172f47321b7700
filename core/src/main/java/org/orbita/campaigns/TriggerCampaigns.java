package org.orbita.campaigns;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orbita.audiences.SegmentMembers;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.events.Event;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
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

/**
 * Live trigger campaigns reacting to appended events (an asynchronous listener of the event
 * bus): an event of a campaign's type (or its segment's {@code segment.entered}) for a profile
 * of its database — and in its segments, if it names any, and none of the excluded — sends to
 * that profile. Each firing is a run of its own, {@code trg-<event id>}, so the same event never
 * sends twice; the campaign's frequency cap applies, and templates see the event's properties
 * as {@code event}. The list of live campaigns is looked up again every two seconds.
 */
public final class TriggerCampaigns {

    /** One firing: the campaign, the profile and the event. */
    record Fired(Campaign campaign, Profile profile, Event event) {}

    private final Campaigns campaigns;
    private final Messages messages;
    private final SendPipeline pipeline;
    private final ProfileStore profiles;
    private final SegmentMembers members;
    private volatile List<Campaign> live = List.of();
    private volatile long liveAt;

    public TriggerCampaigns(Campaigns campaigns, Messages messages, SendPipeline pipeline, ProfileStore profiles, SegmentMembers members) {
        this.campaigns = campaigns;
        this.messages = messages;
        this.pipeline = pipeline;
        this.profiles = profiles;
        this.members = members;
    }

    /** Whether an event could fire a live trigger campaign: cheap, asked on the appending thread. */
    public boolean wants(Event e) {
        if (e.profileId() == null) {
            return false;
        }
        for (Campaign c : live()) {
            if (fires(c, e)) {
                return true;
            }
        }
        return false;
    }

    private static boolean fires(Campaign c, Event e) {
        Campaign.Trigger t = c.trigger();
        return c.database().equals(e.databaseId()) && (t.event() != null ? t.event().equals(e.type())
                : SegmentMembers.ENTERED.equals(e.type()) && t.segment().equals(e.properties().get("segment")));
    }

    /** Sends what the events fire, as one batch. */
    public void appended(List<Event> events) {
        List<Fired> fired = new ArrayList<>();
        List<Campaign> now = live();
        for (Event e : events) {
            if (e.profileId() == null) {
                continue;
            }
            for (Campaign c : now) {
                if (fires(c, e)) {
                    profiles.find(c.database(), e.profileId()).filter(p -> inAudience(c, p.id())).ifPresent(p -> fired.add(new Fired(c, p, e)));
                }
            }
        }
        if (!fired.isEmpty()) {
            send(fired);
        }
    }

    private List<Campaign> live() {
        if (System.nanoTime() - liveAt > 2_000_000_000L) {
            live = campaigns.liveTriggers();
            liveAt = System.nanoTime();
        }
        return live;
    }

    /**
     * A live trigger campaign started by the API for one profile (Braze's API-triggered
     * campaigns): the campaign's audience rules and caps apply, {@code data} is {@code event} in
     * templates, and the same key never sends twice. Returns the run, or empty when the profile
     * is not in the campaign's audience.
     */
    public Optional<String> fire(Campaign c, Profile p, Map<String, Object> data, String key) {
        if (c.type() != Campaign.Kind.TRIGGER || c.status() != Campaign.Status.SCHEDULED) {
            throw new InvalidInputException("status", c.status().id(), "only a live (launched) trigger campaign can be triggered");
        }
        if (!inAudience(c, p.id())) {
            return Optional.empty();
        }
        String id = "api-" + c.id() + "-" + (key == null ? Ids.next() : key);
        send(List.of(new Fired(c, p, new Event(id, c.database(), p.id(), "campaign.triggered", "api", Instant.now(), data == null ? Map.of() : data))));
        return Optional.of(runOf(id));
    }

    private static String runOf(String eventId) {
        return "trg-" + eventId;
    }

    private boolean inAudience(Campaign c, String profileId) {
        if (c.segments().isEmpty() && c.excludeSegments().isEmpty()) {
            return true;
        }
        Set<String> of = members.segmentsOf(c.database(), profileId);
        return (c.segments().isEmpty() || c.segments().stream().anyMatch(of::contains)) && c.excludeSegments().stream().noneMatch(of::contains);
    }

    /** A batch of firings through the pipeline: rendered on every processor, published with one wait for the broker's confirms. */
    private void send(List<Fired> batch) {
        Map<String, Message> byId = new LinkedHashMap<>();
        List<Send> sends = new ArrayList<>();
        Instant now = pipeline.clock().instant();
        for (Fired f : batch) {
            Campaign c = f.campaign();
            Profile p = f.profile();
            SendLedger.Run run = new SendLedger.Run(runOf(f.event().id()), SendKind.TRIGGER, c.workspaceId(), c.database(), c.id(), null);
            Map<String, Object> event = new LinkedHashMap<>(f.event().properties());
            event.put("type", f.event().type());
            event.put("time", f.event().time().toString());
            SendOrigin origin = new SendOrigin(c.workspaceId(), c.database(), c.id(), c.name(), null, event);
            List<SendChannel> channels = CampaignPages.channels(c);
            List<SendPolicy> rules = new ArrayList<>();
            rules.addAll(pipeline.limits().policies(pipeline.limits().effective(c.workspaceId(), c.database(), CampaignPages.ownCap(c)),
                    pipeline.ledger(), List.of(p), channels, now, run.id()));
            rules.add(SendPolicies.suppression());
            rules.add(SendPolicies.subscriptionNeeded(c.resource()));
            List<SendLedger.Entry> wanted = new ArrayList<>();
            Map<String, Eligibility.Allowed> allowed = new LinkedHashMap<>();
            for (SendChannel channel : channels) {
                switch (SendPolicy.decide(rules, p, channel, now)) {
                    case Eligibility.Allowed a -> {
                        allowed.put(p.id() + "/" + channel.id(), a);
                        wanted.add(SendLedger.Entry.pending(p.id(), channel, a.target() == null ? null : a.target().address()));
                    }
                    case Eligibility.Skipped s -> wanted.add(new SendLedger.Entry(p.id(), channel, LedgerState.SKIPPED, s.reason()));
                    case Eligibility.Held h -> wanted.add(new SendLedger.Entry(p.id(), channel, LedgerState.SKIPPED, h.reason()));
                }
            }
            Message message = byId.computeIfAbsent(c.messageId(), id -> messages.get(c.workspaceId(), id));
            Map<String, Object> props = Map.of("trigger", f.event().type());
            for (SendLedger.Entry e : pipeline.reserve(run, wanted).values()) {
                if (e.state() == LedgerState.PENDING && allowed.containsKey(e.key())) {
                    sends.add(new Send(run, e, p, allowed.get(e.key()).target(), message, origin, props));
                }
            }
        }
        pipeline.send(sends);
    }
}
