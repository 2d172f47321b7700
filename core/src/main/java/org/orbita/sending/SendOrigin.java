package org.orbita.sending;

import java.util.Map;

/**
 * Where a send comes from, as templates and tracking links see it: the workspace and database,
 * the campaign (its id and name as {@code campaign} in templates; its id in the links, so clicks
 * and opens count for it), the caller's {@code data} and the triggering {@code event}.
 */
public record SendOrigin(String workspaceId, String database, String campaignId, String campaignName, Map<String, Object> data,
                         Map<String, Object> event) {

    public static SendOrigin of(String workspaceId, String database) {
        return new SendOrigin(workspaceId, database, null, null, null, null);
    }

    /** Adds what templates see of the origin to their data. */
    public void addTo(Map<String, Object> templateData) {
        if (campaignId != null) {
            templateData.put("campaign", Map.of("id", campaignId, "name", campaignName));
        }
        if (data != null) {
            templateData.put("data", data);
        }
        if (event != null) {
            templateData.put("event", event);
        }
    }
}
