package org.orbita.campaigns;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orbita.audiences.SegmentMembers;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.events.Event;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;

/**
 * Live trigger campaigns reacting to appended events (an asynchronous listener of the event
 * bus): an event of a campaign's type (or its segment's {@code segment.entered}) for a profile
 * of its database — and in its segments, if it names any, and none of the excluded — sends to
 * that profile. The list of live campaigns is looked up again every two seconds.
 */
public final class TriggerCampaigns {

    private final Campaigns campaigns;
    private final CampaignSender sender;
    private final ProfileStore profiles;
    private final SegmentMembers members;
    private volatile List<Campaign> live = List.of();
    private volatile long liveAt;

    public TriggerCampaigns(Campaigns campaigns, CampaignSender sender, ProfileStore profiles, SegmentMembers members) {
        this.campaigns = campaigns;
        this.sender = sender;
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
        List<CampaignSender.Fired> send = new ArrayList<>();
        List<Campaign> now = live();
        for (Event e : events) {
            if (e.profileId() == null) {
                continue;
            }
            for (Campaign c : now) {
                if (fires(c, e)) {
                    profiles.find(c.database(), e.profileId()).filter(p -> inAudience(c, p.id()))
                            .ifPresent(p -> send.add(new CampaignSender.Fired(c, p, e)));
                }
            }
        }
        if (!send.isEmpty()) {
            sender.sendTriggered(send);
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
        if (!Campaign.TRIGGER.equals(c.type()) || c.status() != Campaign.Status.SCHEDULED) {
            throw new InvalidInputException("status", c.status().id(), "only a live (launched) trigger campaign can be triggered");
        }
        if (!inAudience(c, p.id())) {
            return Optional.empty();
        }
        String id = "api-" + c.id() + "-" + (key == null ? Ids.next() : key);
        sender.sendTriggered(List.of(new CampaignSender.Fired(c, p, new Event(id, c.database(), p.id(), "campaign.triggered", "api",
                Instant.now(), data == null ? Map.of() : data))));
        return Optional.of("trg-" + id);
    }

    private boolean inAudience(Campaign c, String profileId) {
        if (c.segments().isEmpty() && c.excludeSegments().isEmpty()) {
            return true;
        }
        Set<String> of = members.segmentsOf(c.database(), profileId);
        return (c.segments().isEmpty() || c.segments().stream().anyMatch(of::contains)) && c.excludeSegments().stream().noneMatch(of::contains);
    }
}
