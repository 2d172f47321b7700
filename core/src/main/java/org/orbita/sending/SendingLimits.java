package org.orbita.sending;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.profiles.Profile;
import org.orbita.profiles.Subscription;
import org.orbita.settings.CachedDocuments;
import org.orbita.settings.SettingsStore;

/**
 * Sending policies (X6): how many messages a recipient gets, set for a workspace and for a
 * database, beside each campaign's own cap. Three caps: per recipient and channel ("at most 3
 * emails in 7 days"), per recipient across every channel ("at most 5 messages in 7 days"), and
 * per address and channel across profiles ("one inbox gets at most 4 emails in 7 days", however
 * many profiles, in however many databases, share it; counted from other runs than the one
 * sending and within the page being sent).
 * The narrowest level that sets a cap wins: a campaign's over its database's, a database's over
 * its workspace's. They apply to every send path that markets — campaigns, trigger campaigns and
 * journeys' sends; transactional messages (a receipt, a password reset) and message tests are
 * not limited, as in Braze and Customer.io. A send past a cap is skipped with its reason in the
 * send ledger.
 */
public final class SendingLimits {

    /** At most {@code max} messages in {@code days} days. */
    public record Cap(int max, int days) {}

    /** One level's caps (workspace: {@code ws:<id>}; database: {@code db:<key>}); a null cap sets nothing at this level. */
    public record Limits(String scope, String workspaceId, Cap perChannel, Cap allChannels, Cap perAddress, Instant updated) {}

    /** What applies to one send: the narrowest level's caps. */
    public record Effective(Cap perChannel, Cap allChannels, Cap perAddress) {

        public Effective(Cap perChannel, Cap allChannels) {
            this(perChannel, allChannels, null);
        }
    }

    /** None set anywhere. */
    public static final SendingLimits NONE = new SendingLimits(null, Access.SYSTEM, Clock.systemUTC());

    private final CachedDocuments<Limits> limits;
    private final Access access;
    private final Clock clock;

    public SendingLimits(SettingsStore settings, Access access, Clock clock) {
        // read at every page of a campaign and every trigger: kept for a few seconds
        this.limits = settings == null ? null : new CachedDocuments<>(settings, "sending_limits", Limits.class, Limits::scope, Duration.ofSeconds(10), clock);
        this.access = access;
        this.clock = clock;
    }

    private Optional<Limits> at(String scope) {
        return limits == null ? Optional.empty() : limits.get(scope);
    }

    public Optional<Limits> ofWorkspace(String workspaceId) {
        access.require(Resource.SETTINGS, Action.READ);
        return at("ws:" + workspaceId);
    }

    public Optional<Limits> ofDatabase(String workspaceId, String databaseKey) {
        access.require(Resource.DATABASES, Action.READ);
        return at("db:" + databaseKey).filter(l -> workspaceId.equals(l.workspaceId()));
    }

    public Limits saveWorkspace(String workspaceId, Cap perChannel, Cap allChannels, Cap perAddress) {
        access.require(Resource.SETTINGS, Action.WRITE);
        return save("ws:" + workspaceId, workspaceId, perChannel, allChannels, perAddress);
    }

    /** A database's caps; the database (by its storage key) was found in the caller's sight. */
    public Limits saveDatabase(String workspaceId, String databaseKey, Cap perChannel, Cap allChannels, Cap perAddress) {
        access.require(Resource.DATABASES, Action.WRITE);
        return save("db:" + databaseKey, workspaceId, perChannel, allChannels, perAddress);
    }

    private Limits save(String scope, String workspaceId, Cap perChannel, Cap allChannels, Cap perAddress) {
        List<FieldError> errors = new ArrayList<>();
        check("perChannel", perChannel, errors);
        check("allChannels", allChannels, errors);
        check("perAddress", perAddress, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Optional<Limits> old = at(scope);
        return access.recorded(Resource.SETTINGS, Action.WRITE, old.orElse(null),
                limits.put(new Limits(scope, workspaceId, perChannel, allChannels, perAddress, clock.instant())));
    }

    private static void check(String field, Cap cap, List<FieldError> errors) {
        if (cap == null) {
            return;
        }
        if (cap.max() < 1 || cap.max() > 10_000) {
            errors.add(FieldError.of(field + ".max", String.valueOf(cap.max()), "must be between 1 and 10000 messages"));
        }
        if (cap.days() < 1 || cap.days() > 365) {
            errors.add(FieldError.of(field + ".days", String.valueOf(cap.days()), "must be between 1 and 365 days"));
        }
    }

    /** The caps of one send: a campaign's own per-channel cap (null: none), else the database's, else the workspace's. */
    public Effective effective(String workspaceId, String databaseKey, Cap campaignPerChannel) {
        Optional<Limits> db = databaseKey == null ? Optional.empty() : at("db:" + databaseKey);
        Optional<Limits> ws = workspaceId == null ? Optional.empty() : at("ws:" + workspaceId);
        Cap perChannel = campaignPerChannel != null ? campaignPerChannel
                : db.map(Limits::perChannel).or(() -> ws.map(Limits::perChannel)).orElse(null);
        Cap allChannels = db.map(Limits::allChannels).or(() -> ws.map(Limits::allChannels)).orElse(null);
        Cap perAddress = db.map(Limits::perAddress).or(() -> ws.map(Limits::perAddress)).orElse(null);
        return new Effective(perChannel, allChannels, perAddress);
    }

    /**
     * The rules of one page of sends: the caps counted from the send ledger for every profile of
     * the page at once, leaving out the run being sent ({@code runId}).
     */
    public List<SendPolicy> policies(Effective e, SendLedger ledger, Collection<Profile> profiles, Collection<SendChannel> channels,
                                     Instant now, String runId) {
        List<SendPolicy> rules = new ArrayList<>();
        List<String> profileIds = profiles.stream().map(Profile::id).toList();
        if (e.perChannel() != null) {
            rules.add(SendPolicies.frequencyCap(ledger, e.perChannel().max(), e.perChannel().days(), profileIds, channels, now, runId));
        }
        if (e.allChannels() != null) {
            Instant since = now.minus(Duration.ofDays(e.allChannels().days()));
            Map<String, Long> sent = new HashMap<>();
            for (SendChannel ch : EnumSet.allOf(SendChannel.class)) {
                ledger.sentSince(profileIds, ch, since, runId).forEach((id, n) -> sent.merge(id, n, Long::sum));
            }
            int max = e.allChannels().max();
            rules.add((p, channel, from) -> sent.getOrDefault(p.id(), 0L) >= max
                    ? new Eligibility.Skipped("sending policy: " + max + " message(s) across channels in " + e.allChannels().days() + " day(s) already")
                    : Eligibility.ALLOWED);
        }
        if (e.perAddress() != null) {
            rules.add(perAddress(e.perAddress(), ledger, profiles, channels, now, runId));
        }
        return rules;
    }

    /**
     * The cap per address: what each of the page's addresses got from other runs, read at once
     * per channel, plus what this page has let through to it so far (two profiles of one page
     * sharing an inbox count as two).
     */
    private static SendPolicy perAddress(Cap cap, SendLedger ledger, Collection<Profile> profiles, Collection<SendChannel> channels,
                                         Instant now, String runId) {
        Instant since = now.minus(Duration.ofDays(cap.days()));
        Map<SendChannel, Map<String, Long>> sent = new EnumMap<>(SendChannel.class);
        for (SendChannel ch : channels) {
            List<String> addresses = profiles.stream().flatMap(p -> addresses(p, ch).stream()).distinct().toList();
            sent.put(ch, new HashMap<>(ledger.sentToAddressesSince(addresses, ch, since, runId)));
        }
        return (p, channel, from) -> {
            Map<String, Long> counts = sent.computeIfAbsent(channel, k -> new HashMap<>());
            List<String> mine = addresses(p, channel);
            for (String a : mine) {
                if (counts.getOrDefault(a, 0L) >= cap.max()) {
                    return new Eligibility.Skipped("sending policy: " + cap.max() + " message(s) to " + a + " in " + cap.days()
                            + " day(s) already, across profiles");
                }
            }
            mine.forEach(a -> counts.merge(a, 1L, Long::sum));
            return Eligibility.ALLOWED;
        };
    }

    /** A profile's active addresses in a channel (none for channels without subscriptions). */
    private static List<String> addresses(Profile p, SendChannel channel) {
        return channel.subscription().map(c -> p.subscriptions().stream().filter(s -> s.channel() == c && s.status() == Subscription.Status.ACTIVE)
                .map(Subscription::address).toList()).orElse(List.of());
    }
}
