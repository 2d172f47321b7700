package org.orbita.sending;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.orbita.profiles.Channel;

/**
 * A channel messages are sent in: which variant of a message it carries, and which
 * subscription it needs (a webhook and the in-app inbox reach every profile of an audience).
 */
public enum SendChannel {
    EMAIL("email", Channel.EMAIL),
    SMS("sms", Channel.SMS),
    PUSH("push", Channel.PUSH),
    WEBPUSH("push", Channel.WEBPUSH),
    INAPP("push", null),
    TELEGRAM("telegram", Channel.TELEGRAM),
    WEBHOOK("webhook", null);

    private final String variant;
    private final Channel subscription;

    SendChannel(String variant, Channel subscription) {
        this.variant = variant;
        this.subscription = subscription;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static SendChannel fromId(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("channel must be one of "
                + Arrays.stream(values()).map(SendChannel::id).toList()));
    }

    public static Optional<SendChannel> find(String id) {
        return Arrays.stream(values()).filter(c -> c.id().equals(id)).findFirst();
    }

    /** The message variant it carries (web push and the inbox carry the push variant). */
    public String variant() {
        return variant;
    }

    /** The subscription channel a profile needs to be reached here; empty when every profile is reached. */
    public Optional<Channel> subscription() {
        return Optional.ofNullable(subscription);
    }

    public boolean needsSubscription() {
        return subscription != null;
    }

    /** The queue a channel worker takes this channel's messages from (email goes to the MTA nodes' queue instead). */
    public String workerQueue() {
        return "orbita.channel." + id();
    }
}
