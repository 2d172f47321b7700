package org.orbita.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;

/**
 * What a workspace's new work starts with: its time zone (for profiles that have none and for
 * campaigns' local times and quiet hours), its quiet hours (given to each new campaign that
 * names none), and the public address its tracking links use (a domain of its own, such as
 * {@code https://click.shop.example}; none: the platform's). Read often (every link of every
 * message), so kept in memory and read again from the store every 30 seconds.
 */
public final class WorkspaceDefaults {

    /** A workspace's defaults; any may be null (none set). */
    public record Defaults(String workspaceId, String timeZone, LocalTime quietFrom, LocalTime quietTo, String trackingUrl, Instant updatedAt) {

        public ZoneId zone() {
            return timeZone == null ? null : ZoneId.of(timeZone);
        }
    }

    private record Cached(Defaults defaults, long readAt) {}

    private static final long FRESH_MILLIS = 30_000;

    private final Documents<Defaults> store;
    private final Access access;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public WorkspaceDefaults(SettingsStore settings, Access access) {
        this.access = access;
        this.store = new Documents<>(settings, "workspace-defaults", Defaults.class, Defaults::workspaceId);
    }

    public Defaults get(String workspaceId) {
        Cached c = cache.get(workspaceId);
        long now = System.currentTimeMillis();
        if (c == null || now - c.readAt() > FRESH_MILLIS) {
            c = new Cached(store.get(workspaceId).orElse(new Defaults(workspaceId, null, null, null, null, null)), now);
            cache.put(workspaceId, c);
        }
        return c.defaults();
    }

    /** The workspace's tracking address without a trailing slash, or null for the platform's. */
    public String trackingUrl(String workspaceId) {
        return workspaceId == null ? null : get(workspaceId).trackingUrl();
    }

    /** Saves a workspace's defaults; each value is checked and refused by name. */
    public Defaults save(String workspaceId, String timeZone, LocalTime quietFrom, LocalTime quietTo, String trackingUrl, Instant now) {
        access.require(Resource.SETTINGS, Action.WRITE);
        List<FieldError> errors = new ArrayList<>();
        String zone = timeZone == null || timeZone.isBlank() ? null : timeZone.strip();
        if (zone != null) {
            try {
                zone = ZoneId.of(zone).getId();
            } catch (DateTimeException e) {
                errors.add(FieldError.of("timeZone", timeZone, "must be a time zone such as Europe/Moscow or UTC"));
            }
        }
        if ((quietFrom == null) != (quietTo == null)) {
            errors.add(FieldError.of(quietFrom == null ? "quietFrom" : "quietTo", null, "quiet hours need both a start and an end"));
        } else if (quietFrom != null && quietFrom.equals(quietTo)) {
            errors.add(FieldError.of("quietTo", quietTo.toString(), "must differ from quietFrom"));
        }
        String url = trackingUrl == null || trackingUrl.isBlank() ? null : trackingUrl.strip().replaceAll("/+$", "");
        if (url != null) {
            try {
                URI u = new URI(url);
                if (u.getScheme() == null || !List.of("http", "https").contains(u.getScheme().toLowerCase(Locale.ROOT)) || u.getHost() == null
                        || u.getQuery() != null || u.getFragment() != null || u.getUserInfo() != null) {
                    errors.add(FieldError.of("trackingUrl", trackingUrl, "must be an http or https address such as https://click.shop.example"));
                }
            } catch (URISyntaxException e) {
                errors.add(FieldError.of("trackingUrl", trackingUrl, "must be an http or https address such as https://click.shop.example"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Defaults d = access.recorded(Resource.SETTINGS, Action.WRITE, store.get(workspaceId).orElse(null),
                store.put(new Defaults(workspaceId, zone, quietFrom, quietTo, url, now)));
        cache.put(workspaceId, new Cached(d, System.currentTimeMillis()));
        return d;
    }
}
