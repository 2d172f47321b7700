package org.orbita.campaigns;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.orbita.events.Event;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.SegmentMembers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live trigger campaigns watching the events as they are appended: an event of a campaign's
 * type (or its segment's {@code segment.entered}) for a profile of its database — and in its
 * segments, if it names any, and none of the excluded — queues a send for that profile, which
 * a worker thread makes (off the path that appends events). The list of live campaigns is
 * looked up again every two seconds. A full queue drops the newest triggers with a warning
 * rather than slowing event intake.
 */
public final class TriggerCampaigns implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TriggerCampaigns.class);

    private record Fire(Campaign campaign, Event event) {}

    private final Campaigns campaigns;
    private final CampaignSender sender;
    private final ProfileStore profiles;
    private final SegmentMembers members;
    private final BlockingQueue<Fire> fires = new ArrayBlockingQueue<>(100_000);
    private final Thread worker;
    private volatile List<Campaign> live = List.of();
    private volatile long liveAt;
    private volatile boolean closed;

    public TriggerCampaigns(Campaigns campaigns, CampaignSender sender, ProfileStore profiles, SegmentMembers members) {
        this.campaigns = campaigns;
        this.sender = sender;
        this.profiles = profiles;
        this.members = members;
        this.worker = Thread.ofPlatform().name("trigger-campaigns").daemon(true).start(this::work);
    }

    /** Looks at appended events; cheap when no trigger campaign is live. */
    public void appended(List<Event> events) {
        List<Campaign> now = live();
        if (now.isEmpty()) {
            return;
        }
        for (Event e : events) {
            if (e.profileId() == null) {
                continue;
            }
            for (Campaign c : now) {
                Campaign.Trigger t = c.trigger();
                boolean fires = c.database().equals(e.databaseId()) && (t.event() != null ? t.event().equals(e.type())
                        : "segment.entered".equals(e.type()) && t.segment().equals(e.properties().get("segment")));
                if (fires && !this.fires.offer(new Fire(c, e))) {
                    log.warn("trigger queue full: {} for profile {} not sent", c.id(), e.profileId());
                }
            }
        }
    }

    private List<Campaign> live() {
        if (System.nanoTime() - liveAt > 2_000_000_000L) {
            live = campaigns.liveTriggers();
            liveAt = System.nanoTime();
        }
        return live;
    }

    /** Takes what fired so far (up to 500 at once) and sends it as one batch. */
    private void work() {
        List<Fire> batch = new java.util.ArrayList<>();
        while (!closed) {
            try {
                Fire first = fires.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                fires.drainTo(batch, 499);
            } catch (InterruptedException e) {
                return;
            }
            try {
                List<CampaignSender.Fired> send = new java.util.ArrayList<>();
                for (Fire f : batch) {
                    Campaign c = f.campaign();
                    Optional<Profile> p = profiles.find(c.database(), f.event().profileId());
                    if (p.isPresent() && inAudience(c, p.get().id())) {
                        send.add(new CampaignSender.Fired(c, p.get(), f.event()));
                    }
                }
                sender.sendTriggered(send);
            } catch (RuntimeException e) {
                log.error("trigger campaigns: a batch of {} failed", batch.size(), e);
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * A live trigger campaign started by the API for one profile (Braze's API-triggered
     * campaigns): the campaign's audience rules and caps apply, {@code data} is {@code event} in
     * templates, and the same key never sends twice. Returns the run, or empty when the profile
     * is not in the campaign's audience.
     */
    public Optional<String> fire(Campaign c, org.orbita.profiles.Profile p, Map<String, Object> data, String key) {
        if (!Campaign.TRIGGER.equals(c.type()) || c.status() != Campaign.Status.SCHEDULED) {
            throw new org.orbita.common.InvalidInputException("status", c.status().id(), "only a live (launched) trigger campaign can be triggered");
        }
        if (!inAudience(c, p.id())) {
            return Optional.empty();
        }
        String id = "api-" + c.id() + "-" + (key == null ? org.orbita.common.Ids.next() : key);
        sender.sendTriggered(List.of(new CampaignSender.Fired(c, p, new Event(id, c.database(), p.id(), "campaign.triggered", "api",
                java.time.Instant.now(), data == null ? Map.of() : data))));
        return Optional.of("trg-" + id);
    }

    private boolean inAudience(Campaign c, String profileId) {
        if (c.segments().isEmpty() && c.excludeSegments().isEmpty()) {
            return true;
        }
        Set<String> of = members.segmentsOf(c.database(), profileId);
        return (c.segments().isEmpty() || c.segments().stream().anyMatch(of::contains)) && c.excludeSegments().stream().noneMatch(of::contains);
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
