package org.orbita.common;

import java.util.List;

/** Input that breaks a rule; carries every field error found, never a partial write. */
public class InvalidInputException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidInputException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).reduce((a, b) -> a + "; " + b).orElse("invalid input"));
        this.errors = List.copyOf(errors);
    }

    public InvalidInputException(String field, Object value, String rule) {
        this(List.of(FieldError.of(field, value, rule)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
