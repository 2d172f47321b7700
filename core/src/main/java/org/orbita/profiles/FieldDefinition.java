package org.orbita.profiles;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.orbita.common.FieldError;

/** One user-defined field of a client database: its name, type and rules. */
public record FieldDefinition(
        String name, FieldType type, String label, boolean required, boolean unique, Object defaultValue, List<String> values) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    /** Names the platform keeps for itself on every profile. */
    public static final Set<String> SYSTEM_NAMES =
            Set.of("id", "created", "updated", "status", "subscriptions", "relations", "database", "merged_ids");

    public FieldDefinition {
        values = values == null ? List.of() : List.copyOf(values);
    }

    public static FieldDefinition of(String name, FieldType type) {
        return new FieldDefinition(name, type, null, false, false, null, null);
    }

    public FieldDefinition asUnique() {
        return new FieldDefinition(name, type, label, required, true, defaultValue, values);
    }

    public FieldDefinition asRequired() {
        return new FieldDefinition(name, type, label, true, unique, defaultValue, values);
    }

    /** Converts a raw value to this field's stored form, or throws with the broken rule. */
    public Object convert(Object raw) {
        return type.convert(raw, values);
    }

    /** Checks the definition itself; {@code path} prefixes field names in errors. */
    List<FieldError> check(String path) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            errors.add(FieldError.of(path + ".name", name,
                    "must start with a lower-case latin letter and use only a-z, 0-9 and _ (at most 64)"));
        } else if (SYSTEM_NAMES.contains(name)) {
            errors.add(FieldError.of(path + ".name", name, "is a system field name: " + SYSTEM_NAMES));
        }
        if (type == null) {
            errors.add(FieldError.of(path + ".type", null, "is required"));
            return errors;
        }
        if (unique && !type.canBeUnique()) {
            errors.add(FieldError.of(path + ".unique", type.id(), "only string, integer, email and phone fields can be unique"));
        }
        if (type == FieldType.ENUM && values.isEmpty()) {
            errors.add(FieldError.of(path + ".values", null, "an enum field needs at least one value"));
        }
        if (unique && defaultValue != null) {
            errors.add(FieldError.of(path + ".defaultValue", defaultValue, "a unique field cannot have a default"));
        }
        if (defaultValue != null) {
            try {
                convert(defaultValue);
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of(path + ".defaultValue", defaultValue, e.getMessage()));
            }
        }
        return errors;
    }
}
