package org.orbita.profiles;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One client in one database: field values by the database schema, channel
 * subscriptions, relations, and the ids of profiles merged into it.
 */
public record Profile(
        String id,
        String databaseId,
        Map<String, Object> fields,
        List<Subscription> subscriptions,
        List<Relation> relations,
        Status status,
        Instant created,
        Instant updated,
        List<String> mergedIds) {

    public Profile {
        fields = fields == null ? Map.of() : fields;
        subscriptions = subscriptions == null ? List.of() : List.copyOf(subscriptions);
        relations = relations == null ? List.of() : List.copyOf(relations);
        mergedIds = mergedIds == null ? List.of() : List.copyOf(mergedIds);
        status = status == null ? Status.ACTIVE : status;
    }

    public Object field(String name) {
        return fields.get(name);
    }

    /** Whether the profile may be messaged at all (subscriptions decide per channel). */
    public enum Status {
        ACTIVE, SUSPENDED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Status fromId(String id) {
            try {
                return valueOf(id.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("status must be active or suspended");
            }
        }
    }
}
