package org.orbita.common;

/** One rejected value: which field, what was given, and the rule it broke. */
public record FieldError(String field, String value, String rule) {

    public static FieldError of(String field, Object value, String rule) {
        String shown = value == null ? null : String.valueOf(value);
        if (shown != null && shown.length() > 200) {
            shown = shown.substring(0, 200) + "…";
        }
        return new FieldError(field, shown, rule);
    }

    @Override
    public String toString() {
        return field + ": " + rule + (value == null ? "" : " (got '" + value + "')");
    }
}
