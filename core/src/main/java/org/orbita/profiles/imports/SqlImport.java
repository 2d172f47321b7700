package org.orbita.profiles.imports;

import java.time.Instant;
import java.util.Map;

/**
 * A scheduled pull of rows from an external SQL database into a client database: the rows
 * of {@code query}, only those whose {@code watermarkColumn} is past the last value seen
 * (when a watermark column is set), mapped like a file import, on a cron schedule.
 * The password is stored for the connection and never shown by the API or logged.
 */
public record SqlImport(
        String id,
        String workspaceId,
        String databaseId,
        String name,
        String jdbcUrl,
        String user,
        String password,
        String query,
        String watermarkColumn,
        String lastWatermark,
        String lastWatermarkType,
        String cron,
        Map<String, String> mapping,
        String matching,
        String mode,
        boolean enabled,
        String lastJobId,
        Instant created) {

    public SqlImport {
        mapping = mapping == null ? Map.of() : mapping;
        mode = mode == null ? "upsert" : mode;
    }

    public SqlImport withRun(String jobId) {
        return new SqlImport(id, workspaceId, databaseId, name, jdbcUrl, user, password, query, watermarkColumn, lastWatermark,
                lastWatermarkType, cron, mapping, matching, mode, enabled, jobId, created);
    }

    public SqlImport withWatermark(String value, String type) {
        return new SqlImport(id, workspaceId, databaseId, name, jdbcUrl, user, password, query, watermarkColumn, value, type, cron,
                mapping, matching, mode, enabled, lastJobId, created);
    }
}
