package org.orbita.audiences;

/** One subscription of the profile: channel, resource and status ids as stored. */
public record SubscriptionFact(String channel, String resource, String status) {

    public String getChannel() {
        return channel;
    }

    public String getResource() {
        return resource;
    }

    public String getStatus() {
        return status;
    }
}
