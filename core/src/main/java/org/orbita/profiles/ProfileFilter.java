package org.orbita.profiles;

import org.orbita.common.InvalidInputException;

/**
 * Which profiles a list shows: those whose stored text contains {@code text}
 * (case-insensitive; empty for all) and, when {@code field} is set, whose field equals
 * {@code value} (in its stored form; for tags, holds it).
 */
public record ProfileFilter(String text, String field, Object value) {

    public ProfileFilter {
        text = text == null ? "" : text.strip();
    }

    public static ProfileFilter text(String text) {
        return new ProfileFilter(text, null, null);
    }

    public boolean hasField() {
        return field != null && value != null;
    }

    /** A filter on a field of the database, its value converted by the field's type. */
    public static ProfileFilter of(ClientDatabase db, String text, String field, String rawValue) {
        if (field == null || field.isBlank()) {
            return text(text);
        }
        FieldDefinition def = db.schema().field(field).orElseThrow(() ->
                new InvalidInputException("field", field, "is not a field of database '" + db.id() + "'"));
        Object value;
        try {
            value = def.type() == FieldType.TAGS ? (rawValue == null ? null : rawValue.strip()) : def.convert(rawValue);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("value", rawValue, e.getMessage());
        }
        return new ProfileFilter(text, field, value);
    }
}
