package org.orbita.tracking;

import org.orbita.channels.ChannelWorker;
import org.orbita.profiles.Subscription;
import org.orbita.sending.SendChannel;

/**
 * A channel's provider said an address is gone: a person who blocked the bot or replied STOP
 * (Twilio's error 21610) said no — unsubscribed; a device token a push service no longer knows
 * (uninstalled, expired) is suspended — the app subscribes it again with a fresh token; an address
 * that does not exist bounced.
 */
public final class UnreachableAddresses implements ChannelWorker.Unreachable {

    private final SubscriptionMarks marks;

    public UnreachableAddresses(SubscriptionMarks marks) {
        this.marks = marks;
    }

    @Override
    public void gone(String databaseId, String profileId, String channel, String address, String reason) {
        SendChannel sent = SendChannel.fromId(channel);
        sent.subscription().ifPresent(ch -> marks.mark(databaseId, profileId, ch, address,
                sent == SendChannel.TELEGRAM || reason.startsWith("21610") ? Subscription.Status.UNSUBSCRIBED
                        : sent == SendChannel.PUSH ? Subscription.Status.SUSPENDED : Subscription.Status.BOUNCED));
    }
}
