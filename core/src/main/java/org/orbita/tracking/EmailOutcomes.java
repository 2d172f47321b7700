package org.orbita.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orbita.common.Ids;
import org.orbita.common.Json;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.profiles.Channel;
import org.orbita.profiles.Subscription;
import org.orbita.queues.SendQueue;
import org.orbita.sending.SendLedger;
import org.orbita.sending.LedgerState;
import org.orbita.sending.SendKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the MTA nodes report for each recipient ({@code email.delivered}, {@code email.bounced},
 * {@code email.complained} from feedback reports; deferrals are not history) back into the
 * platform, whatever sent the mail — a campaign, a trigger, a journey, a transactional call:
 * the message's key ({@code run/profile/channel}) names the run, whose ledger record says
 * where it went and what it belongs to. The outcome goes into the profile's history as
 * {@code message.delivered} / {@code message.bounced} / {@code message.complained}; a hard
 * bounce (not an expiry or a purge) marks that email subscription {@code bounced} and a
 * complaint unsubscribes it, so nothing reaches the address again. Outcomes of mail the
 * platform did not send (no key, a run it does not know) are logged and left alone.
 */
public final class EmailOutcomes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmailOutcomes.class);
    private static final Set<String> NOT_THE_ADDRESS = Set.of("expired", "purged");
    private static final Set<String> TYPES = Set.of("email.delivered", "email.bounced", "email.complained");

    private final SendLedger ledger;
    private final SubscriptionMarks marks;
    private final EventLog events;
    private final SendQueue.Consumer consumer;

    public EmailOutcomes(SendQueue queue, String eventsQueue, SendLedger ledger, SubscriptionMarks marks, EventLog events) {
        this.ledger = ledger;
        this.marks = marks;
        this.events = events;
        this.consumer = queue.consume(eventsQueue, 200, m -> handle(Json.MAPPER.readTree(m.body())));
        log.info("reading email outcomes from {}", eventsQueue);
    }

    void handle(JsonNode e) {
        String type = e.path("type").asText();
        String key = e.path("key").asText(null);
        if (key == null || !TYPES.contains(type)) {
            return;
        }
        String[] parts = key.split("/");
        if (parts.length != 3) {
            log.warn("an outcome {} with a key that is not run/profile/channel: {}", type, key);
            return;
        }
        Optional<SendLedger.Run> run = ledger.run(parts[0]);
        if (run.isEmpty()) {
            log.warn("an outcome {} for run {}, which the send ledger does not know: not recorded", type, parts[0]);
            return;
        }
        String database = run.get().databaseId();
        String profileId = parts[1];
        if (run.get().kind() == SendKind.TEST) {
            // a test from an editor: its sender reads the outcome in the ledger; no profile's history has it
            boolean delivered = type.equals("email.delivered");
            String detail = delivered ? e.path("reply").asText("") : e.path("kind").asText("") + " " + e.path("reason").asText("") + ": " + e.path("reply").asText("");
            ledger.advance(parts[0], profileId + "/email", LedgerState.QUEUED, delivered ? LedgerState.DELIVERED : LedgerState.FAILED, detail.strip());
            return;
        }
        Map<String, Object> props = new LinkedHashMap<>(run.get().attribution());
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
            marks.mark(database, profileId, Channel.EMAIL, e.path("recipient").asText(), Subscription.Status.BOUNCED);
        }
        if (complained) {
            // a spam report: the person does not want this mail
            marks.mark(database, profileId, Channel.EMAIL, e.path("recipient").asText(), Subscription.Status.UNSUBSCRIBED);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
