package org.orbita.channels;

import java.time.Clock;
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

/**
 * The in-app inbox ({@code inapp}): a message "sent" here is kept as an {@code inbox.message}
 * event in the profile's history, which a client app or a personal account page reads through
 * the inbox API; reading one records {@code inbox.read} (and {@code message.opened} for the
 * campaign's figures), removing one {@code inbox.removed}. A message delivered twice after a
 * crash shows once: the inbox keeps the first of each idempotency key.
 */
public final class InboxProvider implements ChannelProvider {

    public static final String MESSAGE = "inbox.message";
    public static final String READ = "inbox.read";
    public static final String REMOVED = "inbox.removed";
    /** How far back the inbox looks (events of the three kinds, newest first). */
    static final int SCAN = 2000;

    /** One message of a profile's inbox. */
    public record Item(String id, String campaign, String title, String body, String image, String link, Object actions, Instant sent, boolean read) {}

    private final EventLog events;
    private final Clock clock;

    public InboxProvider(EventLog events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @Override
    public String channel() {
        return "inapp";
    }

    @Override
    public Result send(String key, String profileId, Map<String, Object> payload) {
        Object database = payload.get("database");
        if (database == null) {
            return new Result.Failed("an inbox message needs its database", false);
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("key", key);
        for (String k : new String[] {"campaign", "title", "body", "image", "link", "actions"}) {
            if (payload.get(k) != null) {
                props.put(k, payload.get(k));
            }
        }
        String id = Ids.next();
        events.append(List.of(new Event(id, database.toString(), profileId, MESSAGE, "inapp", clock.instant(), props)));
        return new Result.Accepted(id);
    }

    /** The profile's inbox, newest first, at most {@code limit} messages. */
    public List<Item> inbox(String databaseId, String profileId, int limit, boolean unreadOnly) {
        List<Event> history = events.history(new HistoryQuery(databaseId, profileId, Set.of(MESSAGE, READ, REMOVED), null, null, null, null, null, SCAN));
        Set<String> read = new HashSet<>();
        Set<String> removed = new HashSet<>();
        for (Event e : history) {
            if (e.type().equals(READ)) {
                read.add(String.valueOf(e.properties().get("message")));
            } else if (e.type().equals(REMOVED)) {
                removed.add(String.valueOf(e.properties().get("message")));
            }
        }
        // the first copy of each key is the message; a later copy (a redelivery) is left out
        Map<String, Event> firstByKey = new LinkedHashMap<>();
        for (int i = history.size() - 1; i >= 0; i--) {
            Event e = history.get(i);
            if (e.type().equals(MESSAGE)) {
                firstByKey.putIfAbsent(String.valueOf(e.properties().getOrDefault("key", e.id())), e);
            }
        }
        List<Item> out = new ArrayList<>();
        List<Event> messages = new ArrayList<>(firstByKey.values());
        for (int i = messages.size() - 1; i >= 0 && out.size() < limit; i--) {
            Event e = messages.get(i);
            boolean isRead = read.contains(e.id());
            if (removed.contains(e.id()) || (unreadOnly && isRead)) {
                continue;
            }
            Map<String, Object> p = e.properties();
            out.add(new Item(e.id(), str(p.get("campaign")), str(p.get("title")), str(p.get("body")), str(p.get("image")), str(p.get("link")),
                    p.get("actions"), e.time(), isRead));
        }
        return out;
    }

    /** Marks a message read (once; a second read changes nothing); false when the profile has no such message. */
    public boolean read(String databaseId, String profileId, String messageId) {
        Item item = find(databaseId, profileId, messageId);
        if (item == null) {
            return false;
        }
        if (!item.read()) {
            Instant now = clock.instant();
            List<Event> out = new ArrayList<>();
            out.add(new Event(Ids.next(), databaseId, profileId, READ, "inapp", now, Map.of("message", messageId)));
            if (item.campaign() != null) {
                out.add(new Event(Ids.next(), databaseId, profileId, "message.opened", "inapp", now, Map.of("campaign", item.campaign())));
            }
            events.append(out);
        }
        return true;
    }

    /** Removes a message from the inbox; false when the profile has no such message. */
    public boolean remove(String databaseId, String profileId, String messageId) {
        if (find(databaseId, profileId, messageId) == null) {
            return false;
        }
        events.append(List.of(new Event(Ids.next(), databaseId, profileId, REMOVED, "inapp", clock.instant(), Map.of("message", messageId))));
        return true;
    }

    private Item find(String databaseId, String profileId, String messageId) {
        return inbox(databaseId, profileId, Integer.MAX_VALUE, false).stream().filter(i -> i.id().equals(messageId)).findFirst().orElse(null);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
