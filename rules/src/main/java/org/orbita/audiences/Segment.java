package org.orbita.audiences;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;

/**
 * An audience of one client database: dynamic (members are the profiles its definition
 * matches, kept current) or static (an explicit list). Every edit of a definition makes a
 * new version; earlier ones are kept.
 */
public record Segment(
        String id,
        String workspaceId,
        String databaseId,
        String name,
        Kind kind,
        Condition definition,
        long version,
        Instant created,
        Instant updated,
        Instant recomputed) {

    public enum Kind {
        DYNAMIC, STATIC;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Kind of(String id) {
            return Condition.Operator.parse(Kind.class, id, "kind");
        }
    }

    public boolean dynamic() {
        return kind == Kind.DYNAMIC;
    }

    Segment withRecomputed(Instant at) {
        return new Segment(id, workspaceId, databaseId, name, kind, definition, version, created, updated, at);
    }
}
