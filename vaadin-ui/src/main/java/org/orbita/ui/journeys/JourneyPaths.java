package org.orbita.ui.journeys;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.events.HistoryQuery;

/** The paths a profile took through its journeys, node by node, from its history ({@code journey.entered/step/exited}). */
public final class JourneyPaths {

    /** One node on a path: its id and the name it had. */
    public record Step(String node, String name) {}

    private JourneyPaths() {}

    /** By journey instance, the nodes passed in order (the latest 500 journey events of the profile). */
    public static Map<String, List<Step>> of(EventLog events, String databaseId, String profileId) {
        Map<String, List<Step>> paths = new HashMap<>();
        for (Event e : events.history(new HistoryQuery(databaseId, profileId, Set.of("journey.entered", "journey.step", "journey.exited"),
                null, null, null, null, null, 500))) {
            String node = String.valueOf(e.properties().get("node"));
            paths.computeIfAbsent(String.valueOf(e.properties().get("instance")), k -> new ArrayList<>())
                    .add(0, new Step(node, String.valueOf(e.properties().getOrDefault("node_name", node))));
        }
        return paths;
    }
}
