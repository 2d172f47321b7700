package org.orbita.sites;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.events.Event;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.EventIngest;
import org.orbita.profiles.EventInput;

/**
 * Goals reached, reported by a back end (Altcraft's {@code goals/register}): the profile found by
 * a matching key, the goal's name (or a site's goal by id), its value, when, up to 1 KB of what
 * the page was, and whether it may start triggers. Recorded as {@code site.goal} in the profile's
 * history, as the snippet's goals are — so segments, trigger campaigns, journeys, conversions
 * and reports see both alike.
 */
public final class GoalRegistrations {

    public static final int MAX_PAGE_DATA = 1024;

    /** A goal as a back end reports it. */
    public record GoalInput(String id, String database, String matching, Object value, String goal, String site, Double goalValue,
                            Instant time, Map<String, Object> pageData, Boolean skipTriggers) {}

    private final Sites sites;
    private final EventIngest ingest;

    public GoalRegistrations(Sites sites, EventIngest ingest) {
        this.sites = sites;
        this.ingest = ingest;
    }

    /** Records the goal; the answer is the ingest's (repeat of an id already stored: stored nothing). */
    public EventIngest.Outcome register(String workspaceId, GoalInput in, Function<String, Optional<ClientDatabase>> databases) {
        if (in == null) {
            throw new InvalidInputException("goal", null, "is required");
        }
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> props = new LinkedHashMap<>();
        Site site = null;
        if (in.site() != null) {
            site = sites.list(workspaceId).stream().filter(s -> s.id().equals(in.site())).findFirst().orElse(null);
            if (site == null) {
                errors.add(FieldError.of("site", in.site(), "no such site in this workspace"));
            }
        }
        Site.Goal defined = site == null || in.goal() == null ? null : site.goal(in.goal()).orElse(null);
        if (in.goal() == null || in.goal().isBlank() || in.goal().length() > 100) {
            errors.add(FieldError.of("goal", in.goal(), "is required: the goal's name (1 to 100 characters), or a site goal's id with site"));
        }
        double value = in.goalValue() != null ? in.goalValue() : defined != null ? defined.value() : 0;
        if (!Double.isFinite(value) || value < 0) {
            errors.add(FieldError.of("goalValue", in.goalValue(), "must be a number from 0"));
        }
        if (in.pageData() != null && Json.write(in.pageData()).length() > MAX_PAGE_DATA) {
            errors.add(FieldError.of("pageData", null, "must be at most " + MAX_PAGE_DATA + " characters as JSON"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (site != null) {
            props.put("website", site.id());
        }
        props.put("goal", defined != null ? defined.id() : in.goal().strip());
        props.put("goal_name", defined != null ? defined.name() : in.goal().strip());
        props.put("value", value);
        if (in.pageData() != null) {
            props.put("page_data", in.pageData());
        }
        if (Boolean.TRUE.equals(in.skipTriggers())) {
            props.put(Event.SKIP_TRIGGERS, true);
        }
        EventIngest.Outcome outcome = ingest.ingest(List.of(new EventInput(in.id(), in.database(), in.matching(), in.value(), "site.goal", "web",
                in.time(), props)), databases);
        if (!outcome.rejected().isEmpty()) {
            throw new InvalidInputException(outcome.rejected().get(0).errors());
        }
        return outcome;
    }
}
