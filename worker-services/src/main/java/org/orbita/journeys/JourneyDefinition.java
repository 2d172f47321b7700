package org.orbita.journeys;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;

/**
 * A journey as the workspace keeps it: the draft being edited ({@code journey}), its database,
 * its state and the last version published. A live journey runs its published version; editing
 * the draft changes nothing until it is published again as the next version (instances already
 * in the journey finish on the version they entered).
 */
public record JourneyDefinition(String id, String workspaceId, String name, String databaseId, Status status, int version, Journey journey,
                                Instant created, Instant updated) {

    public enum Status {
        DRAFT, LIVE, STOPPED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Status fromId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    /** The draft with the journey's own id (the BPMN process id). */
    public JourneyDefinition {
        if (journey != null && !id.equals(journey.id())) {
            journey = new Journey(id, journey.name() == null ? name : journey.name(), journey.nodes(), journey.links(), journey.layout());
        }
    }

    public JourneyDefinition with(Status newStatus, int newVersion, Instant now) {
        return new JourneyDefinition(id, workspaceId, name, databaseId, newStatus, newVersion, journey, created, now);
    }

    public JourneyDefinition withDraft(String newName, Journey draft, Instant now) {
        return new JourneyDefinition(id, workspaceId, newName, databaseId, status, version, draft, created, now);
    }

    /** The start node's setting (entry, event, segment, schedule, reentry, reentryDays), or null. */
    public String startSetting(String name) {
        return journey.nodes().stream().filter(n -> n.type().equals("start")).findFirst().map(n -> n.settings().get(name)).orElse(null);
    }
}
