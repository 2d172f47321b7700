package org.orbita.sending;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileZone;
import org.orbita.profiles.Subscription;

/** The send rules of the platform, each a small named policy. */
public final class SendPolicies {

    private SendPolicies() {}

    /**
     * A channel that needs a subscription reaches an active one — of {@code resource} when one is
     * named, else any (the {@code default} resource first); a webhook and the inbox reach everyone.
     */
    public static SendPolicy subscriptionNeeded(String resource) {
        return (p, channel, from) -> {
            if (!channel.needsSubscription()) {
                return Eligibility.ALLOWED;
            }
            return activeSubscription(p, channel, resource).<Eligibility>map(Eligibility.Allowed::new)
                    .orElseGet(() -> new Eligibility.Skipped("no active " + channel.id() + " subscription"
                            + (resource == null || resource.isBlank() ? "" : " to " + resource)));
        };
    }

    /** The active subscription a channel reaches in a profile (of {@code resource} when named). */
    public static Optional<Subscription> activeSubscription(Profile p, SendChannel channel, String resource) {
        return channel.subscription().flatMap(ch -> p.subscriptions().stream()
                .filter(x -> x.channel() == ch && x.status() == Subscription.Status.ACTIVE)
                .filter(x -> resource == null || resource.isBlank() || x.resource().equals(resource))
                .min(Comparator.comparing((Subscription x) -> !x.resource().equals(Subscription.DEFAULT_RESOURCE))));
    }

    /**
     * Transactional mail (a receipt, a password reset, a double opt-in's confirmation) reaches an
     * address that unsubscribed from marketing or waits for its confirmation, but never one that
     * bounced or is suspended.
     */
    public static SendPolicy reachableAddress() {
        return (p, channel, from) -> {
            if (!channel.needsSubscription()) {
                return Eligibility.ALLOWED;
            }
            return channel.subscription().flatMap(ch -> p.subscriptions().stream()
                            .filter(x -> x.channel() == ch && (x.status() == Subscription.Status.ACTIVE || x.status() == Subscription.Status.UNSUBSCRIBED
                                    || x.status() == Subscription.Status.PENDING))
                            .min(Comparator.comparing((Subscription x) -> x.status() != Subscription.Status.ACTIVE)))
                    .<Eligibility>map(Eligibility.Allowed::new)
                    .orElseGet(() -> new Eligibility.Skipped("no " + channel.id() + " address that can receive"));
        };
    }

    /** A suspended profile gets nothing. */
    public static SendPolicy suppression() {
        return (p, channel, from) -> p.status() == Profile.Status.SUSPENDED ? new Eligibility.Skipped("the profile is suspended") : Eligibility.ALLOWED;
    }

    /**
     * At most {@code max} messages in a channel in {@code days} days, counting every run but this
     * one ({@code runId}); the counts of a page of profiles are read at once.
     */
    public static SendPolicy frequencyCap(SendLedger ledger, int max, int days, Collection<String> profileIds, Collection<SendChannel> channels,
            Instant now, String runId) {
        Map<SendChannel, Map<String, Long>> sent = new EnumMap<>(SendChannel.class);
        for (SendChannel ch : channels) {
            sent.put(ch, ledger.sentSince(profileIds, ch, now.minus(Duration.ofDays(days)), runId));
        }
        return (p, channel, from) -> sent.getOrDefault(channel, Map.of()).getOrDefault(p.id(), 0L) >= max
                ? new Eligibility.Skipped("frequency cap: " + max + " " + channel.id() + " message(s) in " + days + " day(s) already")
                : Eligibility.ALLOWED;
    }

    /** Nothing between {@code quietFrom} and {@code quietTo} in the profile's time zone: those wait for the end. */
    public static SendPolicy quietHours(LocalTime quietFrom, LocalTime quietTo, String timezoneField, String timezone) {
        return (p, channel, from) -> {
            Instant allowed = quietEnd(from, ProfileZone.of(p, timezoneField, timezone), quietFrom, quietTo);
            return allowed.isAfter(from) ? new Eligibility.Held(allowed, "quiet hours until " + allowed) : Eligibility.ALLOWED;
        };
    }

    /** When a profile in a zone may next be sent to, at or after {@code now} (now itself outside quiet hours). */
    public static Instant quietEnd(Instant now, ZoneId zone, LocalTime quietFrom, LocalTime quietTo) {
        ZonedDateTime local = now.atZone(zone);
        LocalTime t = local.toLocalTime();
        boolean wraps = quietFrom.isAfter(quietTo); // 21:00–09:00 crosses midnight
        boolean quiet = wraps ? !t.isBefore(quietFrom) || t.isBefore(quietTo) : !t.isBefore(quietFrom) && t.isBefore(quietTo);
        if (!quiet) {
            return now;
        }
        ZonedDateTime end = local.with(quietTo);
        if (!end.isAfter(local)) {
            end = end.plusDays(1);
        }
        return end.toInstant();
    }

    /** The same wall-clock time {@code at} in each profile's own time zone. */
    public static SendPolicy localTime(LocalDateTime at, String timezoneField, String timezone) {
        return (p, channel, from) -> {
            ZoneId zone = ProfileZone.of(p, timezoneField, timezone);
            Instant local = at.atZone(zone).toInstant();
            return local.isAfter(from) ? new Eligibility.Held(local, at + " in " + zone + ": " + local) : Eligibility.ALLOWED;
        };
    }
}
