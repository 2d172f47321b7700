package org.orbita.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.orbita.common.FieldError;

/** Refusals said as a person points at them, not as API paths (outside a page the bundle keys stand in for the words). */
class ProblemsTest {

    @Test
    void conditionPathsBecomeNumberedConditions() {
        String said = Problems.said(FieldError.of("definition.conditions[1].conditions[0].value", "x", "must be a number"));
        assertThat(said).isEqualTo("problems.condition [2] › problems.condition [1] › value: must be a number (problems.given [x])");
        assertThat(said).doesNotContain("definition", "conditions[");
        assertThat(Problems.said(FieldError.of("name", null, "is required"))).isEqualTo("name: is required");
    }
}
