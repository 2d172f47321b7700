package org.orbita.audiences;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/** One event of the profile as rules see it: type, channel, time, properties. */
public final class EventFact {

    private final String type;
    private final String channel;
    private final long time;
    private final Map<String, Object> properties;

    public EventFact(String type, String channel, long time, Map<String, Object> properties) {
        this.type = type;
        this.channel = channel;
        this.time = time;
        this.properties = properties == null ? Map.of() : properties;
    }

    public String getType() {
        return type;
    }

    public String getChannel() {
        return channel;
    }

    /** Milliseconds since the epoch. */
    public long getTime() {
        return time;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    public Double num(String property) {
        return FieldValues.asDouble(properties.get(property));
    }

    /** A scalar property as text (numbers and booleans too); null for absent, lists and objects. */
    public String text(String property) {
        Object v = properties.get(property);
        if (v == null || v instanceof Map<?, ?> || v instanceof Collection<?>) {
            return null;
        }
        if (v instanceof BigDecimal b) {
            return b.stripTrailingZeros().toPlainString();
        }
        return v.toString();
    }

    public String lower(String property) {
        String s = text(property);
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    /**
     * Whether some property may be this text — false without reading the properties when they are
     * still unread JSON that does not hold it (see {@link Predicates}: only for plain literals).
     */
    boolean mayHold(String literal) {
        return !(properties instanceof org.orbita.common.LazyJsonMap lazy) || lazy.mayContain(literal);
    }

    public boolean has(String property) {
        return properties.get(property) != null;
    }
}
