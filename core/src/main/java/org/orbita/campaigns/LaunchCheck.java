package org.orbita.campaigns;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.orbita.audiences.SegmentMembers;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
import org.orbita.sending.Eligibility;
import org.orbita.sending.SendChannel;
import org.orbita.sending.SendPolicies;
import org.orbita.sending.SendPolicy;

/**
 * What a launch would do, told before it starts: how many profiles the audience holds, how
 * many each chosen channel reaches (an active subscription, the profile not suspended), how
 * many no channel reaches and why, and what would keep a channel from delivering at all (no
 * provider configured, no mail sender reading the email queue); for a trigger campaign only the
 * latter (it sends to one profile at a time, as they come). Frequency caps, quiet hours
 * and local time are applied by the run itself, at send time. Up to {@link #EXAMINED}
 * profiles are looked at; beyond that the shares are those of the first ones.
 */
public final class LaunchCheck {

    /** How many of the audience's profiles are looked at, at most. */
    public static final int EXAMINED = 100_000;
    private static final int PAGE = 1_000;

    /** The summary: counts per channel and per reason a profile is skipped, and warnings. */
    public record Summary(long profiles, long examined, Map<String, Long> reachable, Map<String, Long> skipped, List<Warning> warnings) {
        public boolean estimated() {
            return examined < profiles;
        }
    }

    /** What would keep a launch from delivering: a code (for a UI's words), the channel it is about (or null), and in words. */
    public record Warning(String code, String channel, String text) {}

    private final SegmentMembers members;
    private final ProfileStore profiles;
    private final Supplier<Set<String>> channelsWithProvider;
    private final LongSupplier emailConsumers;
    private final Clock clock;

    /**
     * @param channelsWithProvider the channels a provider is configured for
     * @param emailConsumers how many mail sender nodes read the email queue now (negative: unknown)
     */
    public LaunchCheck(SegmentMembers members, ProfileStore profiles, Supplier<Set<String>> channelsWithProvider, LongSupplier emailConsumers,
                       Clock clock) {
        this.members = members;
        this.profiles = profiles;
        this.channelsWithProvider = channelsWithProvider;
        this.emailConsumers = emailConsumers;
        this.clock = clock;
    }

    public Summary check(Campaign c) {
        List<SendChannel> channels = c.channels().isEmpty() ? List.of(SendChannel.EMAIL)
                : c.channels().stream().map(SendChannel::fromId).toList();
        List<Warning> warnings = new ArrayList<>();
        for (SendChannel ch : channels) {
            if (!channelsWithProvider.get().contains(ch.id())) {
                warnings.add(new Warning("no-provider", ch.id(), "no provider is configured for " + ch.id() + ": nothing will be sent in it"));
            }
        }
        if (channels.contains(SendChannel.EMAIL) && emailConsumers.getAsLong() == 0) {
            warnings.add(new Warning("no-mail-sender", SendChannel.EMAIL.id(), "no mail sender reads the email queue: email will wait in it until one does"));
        }
        if (c.type() == Campaign.Kind.TRIGGER) {
            return new Summary(0, 0, Map.of(), Map.of(), warnings); // each trigger sends to its one profile, when it fires
        }
        List<SendPolicy> rules = List.of(SendPolicies.suppression(), SendPolicies.subscriptionNeeded(c.resource()));
        Map<String, Long> reachable = new LinkedHashMap<>();
        channels.forEach(ch -> reachable.put(ch.id(), 0L));
        Map<String, Long> skipped = new TreeMap<>();
        Audience audience = new Audience(members, c.database(), c.segments(), c.excludeSegments());
        long examined = 0;
        long total = 0;
        String cursor = null;
        for (List<String> ids = audience.next(null, PAGE); !ids.isEmpty(); ids = audience.next(cursor, PAGE)) {
            cursor = ids.get(ids.size() - 1);
            total += ids.size();
            for (String id : ids) {
                if (examined >= EXAMINED) {
                    break;
                }
                Optional<Profile> found = profiles.find(c.database(), id);
                if (found.isEmpty()) {
                    continue; // deleted since it entered the segment
                }
                examined++;
                String why = null;
                boolean any = false;
                for (SendChannel ch : channels) {
                    Eligibility e = SendPolicy.decide(rules, found.get(), ch, clock.instant());
                    if (e instanceof Eligibility.Skipped s) {
                        why = why == null ? s.reason() : why;
                    } else {
                        reachable.merge(ch.id(), 1L, Long::sum);
                        any = true;
                    }
                }
                if (!any) {
                    skipped.merge(why, 1L, Long::sum);
                }
            }
        }
        if (total == 0) {
            warnings.add(new Warning("empty-audience", null, "the audience is empty: nobody would get the message"));
        }
        return new Summary(total, examined, reachable, skipped, warnings);
    }
}
