package org.orbita.content;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named outside data source templates read with {@code {% fetch 'name' as var %}}.
 * {@code http}: a GET of {@code url} (a Liquid template over the render's data) answering JSON.
 * {@code sql}: {@code query} on {@code url} (a JDBC URL), with {@code :profile.email}-style
 * parameters bound from the render's data; the rows come back as a list of maps.
 * Each call is bounded by {@code timeoutMs}, results are cached {@code cacheSeconds}, and
 * when a call fails the {@code fallback} value (if any) stands in.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataSource(String workspaceId, String name, String kind, String url, Map<String, String> headers,
                         String user, String password, String query, Integer timeoutMs, Integer cacheSeconds,
                         Object fallback, Instant updated) {

    public static final String HIDDEN = "********";

    /** As the API and the UI show it: the password and header values hidden. */
    public DataSource withoutSecrets() {
        Map<String, String> shown = null;
        if (headers != null) {
            shown = new LinkedHashMap<>();
            for (String k : headers.keySet()) {
                shown.put(k, HIDDEN);
            }
        }
        return new DataSource(workspaceId, name, kind, url, shown, user, password == null ? null : HIDDEN, query,
                timeoutMs, cacheSeconds, fallback, updated);
    }

    String key() {
        return workspaceId + ":" + name;
    }
}
