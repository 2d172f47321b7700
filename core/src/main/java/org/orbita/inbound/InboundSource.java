package org.orbita.inbound;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A system that posts to Orbita (a CRM, a landing-page builder, a payment service): what its
 * calls become — a profile upsert matched by a unique field, and/or an event — each value read
 * from the body by a path ({@code contact.email}, {@code $.items[0].sku}). Kept as a settings
 * document; its URL's key is derived from its id and the platform's secret, never stored.
 *
 * @param matching      the database's unique field the profile is found by (or {@code id})
 * @param matchingPath  where its value is in the body
 * @param fields        profile field → path (written on the profile)
 * @param subscriptions channel (email, sms, push…) → path of the address subscribed
 * @param event         the event recorded per call (null: none), its properties name → path
 * @param idPath        where the body's own id is (a resent call counts once), or null (the {@code webhook-id} / {@code Idempotency-Key} header)
 * @param snsTopics     the Amazon SNS topics (ARNs) it takes, when it is an SNS subscription's endpoint: then only messages SNS
 *                      signed for one of them are taken, and paths read the message's envelope with its {@code Message} parsed
 */
public record InboundSource(String workspaceId, String id, String name, String database, String matching, String matchingPath,
                            Map<String, String> fields, Map<String, String> subscriptions, String event, Map<String, String> properties,
                            String idPath, boolean enabled, Instant created, Instant updated, List<String> snsTopics) {

    public InboundSource {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
        subscriptions = subscriptions == null ? Map.of() : Map.copyOf(subscriptions);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        snsTopics = snsTopics == null ? List.of() : List.copyOf(snsTopics);
    }

    public boolean sns() {
        return !snsTopics.isEmpty();
    }
}
