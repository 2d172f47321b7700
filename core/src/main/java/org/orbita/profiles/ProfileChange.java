package org.orbita.profiles;

import java.util.List;
import java.util.Map;

/**
 * What a caller wants to write to one profile: found by {@code matching} (a unique field
 * name, or {@code id}) with {@code matchingValue} (taken from the fields when absent).
 * Fields set to null are removed; subscriptions are added or have their status changed.
 */
public record ProfileChange(
        String matching,
        Object matchingValue,
        Map<String, Object> fields,
        List<SubscriptionInput> subscriptions,
        List<Relation> relations,
        Profile.Status status) {

    public ProfileChange {
        fields = fields == null ? Map.of() : fields;
        subscriptions = subscriptions == null ? List.of() : subscriptions;
        relations = relations == null ? List.of() : relations;
    }

    public static ProfileChange ofFields(String matching, Map<String, Object> fields) {
        return new ProfileChange(matching, null, fields, null, null, null);
    }

    /**
     * A subscription as given, before its address is normalized; {@code replaces}, when given, is
     * an address of the same channel and resource this one takes the place of (a device's refreshed
     * push token): the subscription keeps its place and history, only its address changes.
     */
    public record SubscriptionInput(String channel, Object address, String resource, String status, Object replaces) {

        public SubscriptionInput(String channel, Object address, String resource, String status) {
            this(channel, address, resource, status, null);
        }
    }
}
