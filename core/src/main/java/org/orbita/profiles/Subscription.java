package org.orbita.profiles;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;

/** One channel address of a profile for one resource (mailing list), with its own status. */
public record Subscription(Channel channel, String address, String resource, Status status, Instant updated) {

    public static final String DEFAULT_RESOURCE = "default";

    public Subscription {
        resource = resource == null || resource.isBlank() ? DEFAULT_RESOURCE : resource;
        status = status == null ? Status.ACTIVE : status;
    }

    /** Same channel, address and resource: the same subscription, whatever its status. */
    public boolean sameTarget(Subscription other) {
        return channel == other.channel && address.equals(other.address) && resource.equals(other.resource);
    }

    /** The same subscription at another address. */
    public Subscription at(String otherAddress) {
        return new Subscription(channel, otherAddress, resource, status, updated);
    }

    /**
     * Subscription states as the channels and the MTA set them; {@code PENDING}: asked for by a
     * form with double opt-in, waiting for its owner to confirm (nothing is sent to it but the
     * confirmation; asking again never takes back an active one).
     */
    public enum Status {
        ACTIVE, UNSUBSCRIBED, SUSPENDED, BOUNCED, PENDING;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Status fromId(String id) {
            try {
                return valueOf(id.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("status must be one of active, unsubscribed, suspended, bounced, pending");
            }
        }
    }
}
