package org.orbita.profiles;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;

/** The fields of a client database, in display order. */
public record DatabaseSchema(List<FieldDefinition> fields) {

    public static final int MAX_FIELDS = 500;

    public DatabaseSchema {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    /** The schema a new database starts with when none is given: the usual identifiers and names. */
    public static DatabaseSchema starter() {
        return new DatabaseSchema(List.of(
                FieldDefinition.of("email", FieldType.EMAIL).asUnique(),
                FieldDefinition.of("phone", FieldType.PHONE).asUnique(),
                FieldDefinition.of("external_id", FieldType.STRING).asUnique(),
                FieldDefinition.of("first_name", FieldType.STRING),
                FieldDefinition.of("last_name", FieldType.STRING)));
    }

    public Optional<FieldDefinition> field(String name) {
        for (FieldDefinition f : fields) {
            if (f.name().equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public List<FieldDefinition> uniqueFields() {
        return fields.stream().filter(FieldDefinition::unique).toList();
    }

    /** Throws with every problem of the schema itself (names, types, duplicates, defaults). */
    public void validate() {
        List<FieldError> errors = new ArrayList<>();
        if (fields.size() > MAX_FIELDS) {
            errors.add(FieldError.of("fields", fields.size(), "at most " + MAX_FIELDS + " fields"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < fields.size(); i++) {
            FieldDefinition f = fields.get(i);
            if (f == null) {
                errors.add(FieldError.of("fields[" + i + "]", null, "must not be null"));
                continue;
            }
            errors.addAll(f.check("fields[" + i + "]"));
            if (f.name() != null && !seen.add(f.name())) {
                errors.add(FieldError.of("fields[" + i + "].name", f.name(), "is defined twice"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
