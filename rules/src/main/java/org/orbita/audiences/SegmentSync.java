package org.orbita.audiences;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A copy of a segment's members kept in a table of an external SQL database (PostgreSQL,
 * MariaDB, MySQL): one row per member with the chosen fields. {@code full} rewrites the
 * table in one transaction; {@code delta} writes only rows that are new or changed and
 * deletes those of profiles that left. Runs on its cron (UTC) or on demand.
 */
public record SegmentSync(
        String id,
        String workspaceId,
        String segmentId,
        String jdbcUrl,
        String user,
        String password,
        String table,
        List<String> fields,
        String mode,
        String cron,
        boolean enabled,
        Instant lastRun,
        Map<String, Object> lastResult) {

    public SegmentSync {
        fields = fields == null ? List.of() : List.copyOf(fields);
        lastResult = lastResult == null ? Map.of() : lastResult;
    }

    SegmentSync ran(Instant at, Map<String, Object> result) {
        return new SegmentSync(id, workspaceId, segmentId, jdbcUrl, user, password, table, fields, mode, cron, enabled, at, result);
    }

    /** As the API shows it: the password never leaves. */
    public Map<String, Object> view() {
        var m = new LinkedHashMap<String, Object>();
        m.put("id", id);
        m.put("segmentId", segmentId);
        m.put("jdbcUrl", jdbcUrl);
        m.put("user", user);
        m.put("passwordSet", password != null && !password.isEmpty());
        m.put("table", table);
        m.put("fields", fields);
        m.put("mode", mode);
        m.put("cron", cron);
        m.put("enabled", enabled);
        m.put("lastRun", lastRun);
        m.put("lastResult", lastResult);
        return m;
    }
}
