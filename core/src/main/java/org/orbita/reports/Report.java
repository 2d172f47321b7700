package org.orbita.reports;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A report as computed: its query, the figures' columns (metrics, then rates), a row per group
 * with its keys (and their names where the key is an object's id), the totals over every row,
 * the period before's totals when asked, and the moment its data is as of.
 */
public record Report(ReportKind kind, ReportQuery query, List<Metric> metrics, List<Rate> rates, List<Row> rows, Map<String, Double> totals,
                     Map<String, Double> previousTotals, boolean truncated, Instant asOf) {

    /**
     * One group: its keys in grouping order (a time bucket as an ISO instant), their labels, the
     * figures by metric or rate id (a rate is null where its base is zero), and the same group's
     * figures in the period before (when compared and not grouped by time).
     */
    public record Row(List<String> keys, List<String> labels, Map<String, Double> values, Map<String, Double> previous) {}
}
