package org.orbita.app.campaigns;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orbita.campaigns.Campaign;
import org.orbita.campaigns.Campaigns;
import org.orbita.common.Ids;
import org.orbita.common.Json;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.jobs.Job;
import org.orbita.jobs.Jobs;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.Subscription;
import org.orbita.profiles.WriteMode;
import org.orbita.queues.SendQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the MTA nodes report for each recipient ({@code email.delivered}, {@code email.bounced},
 * {@code email.complained} from feedback reports, which unsubscribes the address;
 * deferrals are not history) back into the platform: the outcome goes into the profile's
 * history as {@code message.delivered} / {@code message.bounced} with the campaign and run,
 * found by the message's key ({@code run/profile/channel}); a hard bounce (not an expiry or a
 * purge) marks that email subscription {@code bounced}, so no campaign reaches it again.
 * Outcomes of mail the platform did not send (no key) are acknowledged and left alone.
 */
public final class EmailOutcomes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmailOutcomes.class);
    private static final Set<String> NOT_THE_ADDRESS = Set.of("expired", "purged");

    private final Jobs jobs;
    private final Campaigns campaigns;
    private final ClientDatabases databases;
    private final ProfileStore profiles;
    private final ProfileWriting writing;
    private final EventLog events;
    private final SendQueue.Consumer consumer;

    public EmailOutcomes(SendQueue queue, String eventsQueue, Jobs jobs, Campaigns campaigns, ClientDatabases databases, ProfileStore profiles,
                         ProfileWriting writing, EventLog events) {
        this.jobs = jobs;
        this.campaigns = campaigns;
        this.databases = databases;
        this.profiles = profiles;
        this.writing = writing;
        this.events = events;
        this.consumer = queue.consume(eventsQueue, 200, m -> handle(Json.MAPPER.readTree(m.body())));
        log.info("reading email outcomes from {}", eventsQueue);
    }

    void handle(JsonNode e) {
        String type = e.path("type").asText();
        String key = e.path("key").asText(null);
        if (key == null || !(type.equals("email.delivered") || type.equals("email.bounced") || type.equals("email.complained"))) {
            return;
        }
        String[] parts = key.split("/");
        if (parts.length != 3) {
            return;
        }
        Optional<Job> run = jobs.find(parts[0]);
        Optional<Campaign> campaign = run.flatMap(j -> campaigns.find(j.workspaceId(), String.valueOf(j.params().get("campaignId"))));
        if (campaign.isEmpty()) {
            log.debug("an outcome for run {} that is not a campaign here", parts[0]);
            return;
        }
        String database = campaign.get().database();
        String profileId = parts[1];
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("campaign", campaign.get().id());
        props.put("run", parts[0]);
        props.put("recipient", e.path("recipient").asText());
        props.put("site", e.path("site").asText());
        props.put("reply", e.path("reply").asText(""));
        boolean bounced = type.equals("email.bounced");
        boolean complained = type.equals("email.complained");
        if (bounced || complained) {
            props.put("kind", e.path("kind").asText());
            props.put("reason", e.path("reason").asText());
            props.put("status", e.path("status").asText());
        }
        Instant at = e.hasNonNull("at") ? Instant.parse(e.get("at").asText()) : Instant.now();
        events.append(List.of(new Event(Ids.next(), database, profileId,
                complained ? "message.complained" : bounced ? "message.bounced" : "message.delivered", "email", at, props)));
        if (bounced && "hard".equals(e.path("kind").asText()) && !NOT_THE_ADDRESS.contains(e.path("reason").asText())) {
            mark(database, profileId, e.path("recipient").asText(), Subscription.Status.BOUNCED);
        }
        if (complained) {
            // a spam report: the person does not want this mail
            mark(database, profileId, e.path("recipient").asText(), Subscription.Status.UNSUBSCRIBED);
        }
    }

    private void mark(String databaseId, String profileId, String address, Subscription.Status status) {
        Optional<ClientDatabase> db = databases.find(databaseId);
        Optional<Profile> p = db.flatMap(d -> profiles.find(d.id(), profileId));
        if (p.isEmpty()) {
            return;
        }
        List<ProfileChange.SubscriptionInput> bounced = p.get().subscriptions().stream()
                .filter(s -> s.channel() == org.orbita.profiles.Channel.EMAIL && s.address().equalsIgnoreCase(address)
                        && s.status() == Subscription.Status.ACTIVE)
                .map(s -> new ProfileChange.SubscriptionInput("email", s.address(), s.resource(), status.id()))
                .toList();
        if (!bounced.isEmpty()) {
            writing.write(db.get(), new ProfileChange("id", profileId, null, bounced, null, null), WriteMode.UPDATE);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
