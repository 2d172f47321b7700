package org.orbita.campaigns;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * A send of one message to an audience: profiles of a database in any of {@code segments} and
 * in none of {@code excludeSegments}, each reached in every channel of {@code channels} where
 * it has an active subscription (of {@code resource} when given, else any). A one-time campaign goes out now or at
 * {@code sendAt}; a regular one on its {@code cron} schedule, each run to the audience of that moment; each launch is a run (a job), whose send ledger keeps every profile and
 * channel to exactly one message across crashes. {@code observers} names an observer database
 * (a seed list): each of its profiles gets a copy of every run's message (each variant of an A/B
 * test) in the campaign's channels, rendered with its own data and not counted in the figures.
 */
public record Campaign(
        String id,
        String workspaceId,
        String name,
        Kind type,
        String database,
        List<String> segments,
        List<String> excludeSegments,
        String messageId,
        List<String> channels,
        String resource,
        Instant sendAt,
        Status status,
        String runId,
        Instant created,
        Instant updated,
        Limits limits,
        AbTest abTest,
        String cron,
        Trigger trigger,
        String observers,
        LocalSend local,
        Conversion conversion) {

    /** What kind of send a campaign is (transactional messages are sent through the API: {@code POST /messages/{id}/send}). */
    public enum Kind {
        /** Sent once: now, at {@code sendAt}, or at a local time. */
        ONE_TIME,
        /** Sent on a schedule ({@code cron}), each run to the audience as it is then; {@code sendAt} is the next run. */
        REGULAR,
        /** Sent to one profile when its trigger happens, while the campaign is live (launched: {@code scheduled}). */
        TRIGGER;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Kind fromId(String id) {
            for (Kind k : values()) {
                if (k.id().equals(id)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("must be one_time, regular or trigger (transactional sends: POST /messages/{id}/send)");
        }
    }

    public Campaign {
        segments = segments == null ? List.of() : List.copyOf(segments);
        excludeSegments = excludeSegments == null ? List.of() : List.copyOf(excludeSegments);
        channels = channels == null ? List.of() : List.copyOf(channels);
        status = status == null ? Status.DRAFT : status;
        type = type == null ? Kind.ONE_TIME : type;
    }

    Campaign with(Status status, String runId, Instant now) {
        return new Campaign(id, workspaceId, name, type, database, segments, excludeSegments, messageId, channels, resource, sendAt,
                status, runId, created, now, limits, abTest, cron, trigger, observers, local, conversion);
    }

    /** The same campaign with its next run at {@code next}. */
    Campaign nextAt(Instant next, Status status, Instant now) {
        return new Campaign(id, workspaceId, name, type, database, segments, excludeSegments, messageId, channels, resource, next,
                status, runId, created, now, limits, abTest, cron, trigger, observers, local, conversion);
    }

    /**
     * The campaign's goal: an event of type {@code event} from a profile it reached within
     * {@code days} after the send is a conversion, worth the event's {@code valueProperty}
     * (revenue) when it has one.
     */
    public record Conversion(String event, String valueProperty, int days) {}

    /**
     * A send at the same wall-clock time for everyone, in each profile's own time zone: its
     * {@code timezoneField}, else {@code timezone}, else UTC. The run starts when the first zone
     * reaches {@code at}; each profile waits until {@code at} where it lives (sent at once when
     * that moment has passed by the time the run reaches it).
     */
    public record LocalSend(LocalDateTime at, String timezoneField, String timezone) {
        /** The first moment any zone reaches {@code at} (UTC+14). */
        public Instant earliest() {
            return at.atOffset(ZoneOffset.ofHours(14)).toInstant();
        }
    }

    /**
     * What starts a trigger campaign for one profile: an event of type {@code event} (its
     * properties are {@code event} in templates), or entering segment {@code segment}.
     */
    public record Trigger(String event, String segment) {}

    /**
     * An A/B/n test: {@code testPercent} of the audience is split evenly between the variants
     * (each a message); after {@code waitMinutes} the variant with the best rate of unique
     * {@code metric} ({@code opens} or {@code clicks}) per message sent wins and goes to the rest.
     * With {@code testPercent} 100 the whole audience is split and no winner is sent.
     */
    public record AbTest(List<Variant> variants, int testPercent, String metric, int waitMinutes) {
        public AbTest {
            variants = variants == null ? List.of() : List.copyOf(variants);
            metric = metric == null ? "opens" : metric;
        }

        /**
         * The variant of a profile in the test group: by a stable hash of campaign and profile, in
         * even shares, or in proportion to the variants' weights when they have them.
         */
        public Variant variantOf(String campaignId, String profileId, int bucket) {
            if (variants.stream().allMatch(v -> v.weight() == null)) {
                return variants.get(bucket % variants.size());
            }
            int total = variants.stream().mapToInt(v -> v.weight() == null ? 0 : v.weight()).sum();
            int point = Math.floorMod((campaignId + "/variant/" + profileId).hashCode(), total);
            for (Variant v : variants) {
                point -= v.weight() == null ? 0 : v.weight();
                if (point < 0) {
                    return v;
                }
            }
            return variants.get(variants.size() - 1);
        }

        /** The latest variant's delay: the winner is chosen {@code waitMinutes} after the last variant went out. */
        public int longestDelay() {
            return variants.stream().mapToInt(Variant::delay).max().orElse(0);
        }
    }

    /**
     * One arm of a test: its message, its share of the test group ({@code weight}; all empty: even
     * shares) and its send time ({@code delayMinutes} after the run starts; a test of send times
     * and messages together is a multivariate test).
     */
    public record Variant(String name, String messageId, Integer weight, Integer delayMinutes) {
        public Variant(String name, String messageId) {
            this(name, messageId, null, null);
        }

        int delay() {
            return delayMinutes == null ? 0 : delayMinutes;
        }
    }

    /**
     * What holds a send back: {@code frequency} — a profile gets at most {@code max} messages in a
     * channel (from any campaign) in {@code days} days; {@code quietHours} — nothing is sent between
     * {@code from} and {@code to} in the profile's time zone (its {@code timezoneField}, else
     * {@code timezone}): those profiles wait for the end of the quiet hours.
     */
    /** Per profile: a frequency cap and quiet hours; per run: a send rate and a warm-up ramp. */
    public record Limits(Frequency frequency, QuietHours quietHours, Rate rate, Warmup warmup) {
        public Limits(Frequency frequency, QuietHours quietHours) {
            this(frequency, quietHours, null, null);
        }
    }

    /** At most so many messages a minute, an hour, a day (UTC calendar windows; 0 = no limit). */
    public record Rate(int perMinute, int perHour, int perDay) {}

    /** A warm-up ramp: {@code firstDay} messages on the run's first day, then {@code growth} times the day before, each day. */
    public record Warmup(int firstDay, double growth) {
        /** The day's quota, day 0 being the run's first. */
        public long quota(long day) {
            double q = firstDay * Math.pow(growth, day);
            return q >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) q;
        }
    }

    public record Frequency(int max, int days) {}

    public record QuietHours(LocalTime from, LocalTime to, String timezoneField, String timezone) {}

    /** Where a campaign is in its life. */
    public enum Status {
        DRAFT, SCHEDULED, SENDING, SENT, CANCELLED, FAILED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Status fromId(String id) {
            try {
                return valueOf(id.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("status must be one of draft, scheduled, sending, sent, cancelled, failed");
            }
        }
    }
}
