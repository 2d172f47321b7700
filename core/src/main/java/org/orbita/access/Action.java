package org.orbita.access;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.orbita.common.InvalidInputException;

/** What may be done to a kind of thing. */
public enum Action {
    READ, WRITE, DELETE, LAUNCH, APPROVE, EXPORT;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Action::id).toList();
    }

    public static Action fromId(String field, String id) {
        return Arrays.stream(values()).filter(a -> a.id().equals(id)).findFirst()
                .orElseThrow(() -> new InvalidInputException(field, id, "must be one of " + ids()));
    }
}
