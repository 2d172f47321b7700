package org.orbita.audiences;

import java.util.Map;

/** A profile related to the evaluated one, by relation type, with its fields. */
public final class RelatedFact extends FieldValues {

    private final String relation;

    public RelatedFact(String relation, Map<String, Object> fields, long today) {
        super(fields, today);
        this.relation = relation;
    }

    public String getRelation() {
        return relation;
    }
}
