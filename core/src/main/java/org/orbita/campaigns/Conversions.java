package org.orbita.campaigns;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orbita.common.Ids;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.events.HistoryQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attributes goal events to campaigns as they are appended: an event of a campaign's
 * {@code conversion.event} type from a profile the campaign sent to within {@code days} before
 * becomes {@code message.converted} in that profile's history (the campaign, the goal event, its
 * value), once per goal event and campaign — what the campaign's figures count as converted and
 * sum as revenue.
 */
public final class Conversions {

    private static final Logger log = LoggerFactory.getLogger(Conversions.class);
    public static final String CONVERTED = "message.converted";

    private final Campaigns campaigns;
    private final EventLog events;
    private volatile List<Campaign> goals = List.of();
    private volatile long goalsAt = -1;

    public Conversions(Campaigns campaigns, EventLog events) {
        this.campaigns = campaigns;
        this.events = events;
    }

    /** Whether an event is a goal of some campaign: cheap, asked on the appending thread. */
    public boolean wants(Event e) {
        if (e.profileId() == null || e.type().startsWith("message.")) {
            return false;
        }
        for (Campaign c : goals()) {
            if (c.database().equals(e.databaseId()) && c.conversion().event().equals(e.type())) {
                return true;
            }
        }
        return false;
    }

    /** Attributes goal events (an asynchronous listener of the event bus: off the intake path). */
    public void appended(List<Event> appended) {
        attribute(goals(), appended);
    }

    void attribute(List<Campaign> now, List<Event> appended) {
        List<Event> out = new ArrayList<>();
        for (Event e : appended) {
            if (e.profileId() == null || e.type().startsWith("message.")) {
                continue;
            }
            for (Campaign c : now) {
                if (!c.database().equals(e.databaseId()) || !c.conversion().event().equals(e.type())) {
                    continue;
                }
                try {
                    if (reached(c, e)) {
                        Map<String, Object> props = new LinkedHashMap<>();
                        props.put("campaign", c.id());
                        props.put("goal_event", e.id());
                        props.put("goal", e.type());
                        Object value = c.conversion().valueProperty() == null ? null : e.properties().get(c.conversion().valueProperty());
                        if (value instanceof Number || (value != null && String.valueOf(value).matches("-?\\d+(\\.\\d+)?"))) {
                            props.put("value", new BigDecimal(String.valueOf(value)));
                        }
                        out.add(new Event(Ids.next(), e.databaseId(), e.profileId(), CONVERTED, null, e.time(), props));
                    }
                } catch (RuntimeException ex) {
                    log.warn("conversion of {} for campaign {} not recorded: {}", e.id(), c.id(), ex.toString());
                }
            }
        }
        if (!out.isEmpty()) {
            events.append(out);
        }
    }

    /** Whether the campaign sent to the event's profile within its window before the event. */
    private boolean reached(Campaign c, Event e) {
        Instant from = e.time().minus(Duration.ofDays(c.conversion().days()));
        List<Event> sent = events.history(new HistoryQuery(e.databaseId(), e.profileId(), Set.of("message.sent", CONVERTED), null, from, e.time().plusMillis(1),
                null, null, 500));
        boolean reached = false;
        for (Event s : sent) {
            if (!c.id().equals(s.properties().get("campaign"))) {
                continue;
            }
            if (s.type().equals(CONVERTED) && e.id().equals(s.properties().get("goal_event"))) {
                return false; // counted already (the same event seen twice)
            }
            reached |= s.type().equals("message.sent");
        }
        return reached;
    }

    private List<Campaign> goals() {
        long v = campaigns.version();
        if (v != goalsAt) {
            goals = campaigns.withGoals();
            goalsAt = v;
        }
        return goals;
    }

    /** Converted profiles (unique), conversions and their summed value for a campaign, streamed from the log. */
    public static long[] count(EventLog events, Campaign c, BigDecimal[] revenue) {
        long[] n = new long[2];
        Set<String> profiles = new HashSet<>();
        BigDecimal[] sum = {BigDecimal.ZERO};
        events.scan(c.database(), c.created(), Set.of(CONVERTED), e -> {
            if (c.id().equals(e.properties().get("campaign"))) {
                n[0]++;
                profiles.add(e.profileId());
                Object v = e.properties().get("value");
                if (v != null) {
                    sum[0] = sum[0].add(new BigDecimal(String.valueOf(v)));
                }
            }
        });
        n[1] = profiles.size();
        revenue[0] = sum[0];
        return n;
    }
}
