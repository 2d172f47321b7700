package org.orbita.common;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object read only when first looked into: most events a segment recompute reads are
 * counted by type and time and never have their properties opened.
 */
public final class LazyJsonMap extends AbstractMap<String, Object> {

    private final String json;
    private Map<String, Object> parsed;

    public LazyJsonMap(String json) {
        this.json = json;
    }

    /**
     * False only when the JSON, not read yet, cannot hold this text as a string value: a cheap
     * "no" before parsing, for literals that are written as they are (no quote, backslash or
     * control character; see the callers).
     */
    public boolean mayContain(String literal) {
        return parsed != null || json.contains(literal);
    }

    private Map<String, Object> map() {
        if (parsed == null) {
            parsed = Json.readMap(json);
        }
        return parsed;
    }

    @Override
    public Object get(Object key) {
        return map().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return map().containsKey(key);
    }

    @Override
    public int size() {
        return map().size();
    }

    @Override
    public boolean isEmpty() {
        return map().isEmpty();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return map().entrySet();
    }
}
