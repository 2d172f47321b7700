package org.orbita.jobs;

/** One line of a job's error report: the input row, the field, the value and the rule broken. */
public record RowError(long row, String field, String value, String reason) {}
