package org.orbita.jobs;

import java.util.List;
import org.orbita.common.InvalidInputException;

/** One line of a job's error report: the input row, the field, the value and the rule broken. */
public record RowError(long row, String field, String value, String reason) {

    /** One line per broken rule of an input row. */
    public static List<RowError> of(long row, InvalidInputException e) {
        return e.errors().stream().map(fe -> new RowError(row, fe.field(), fe.value(), fe.rule())).toList();
    }
}
