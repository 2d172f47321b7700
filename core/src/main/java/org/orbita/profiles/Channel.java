package org.orbita.profiles;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** The channels a profile can be subscribed in; each says how its addresses are normalized. */
public enum Channel {
    EMAIL(FieldType.EMAIL), SMS(FieldType.PHONE), WHATSAPP(FieldType.PHONE), VIBER(FieldType.PHONE),
    TELEGRAM(FieldType.STRING), PUSH(FieldType.STRING), WEBPUSH(FieldType.STRING), CUSTOM(FieldType.STRING);

    private final FieldType addressType;

    Channel(FieldType addressType) {
        this.addressType = addressType;
    }

    /** Normalizes an address of this channel (email lower-cased, phones to E.164). */
    public String normalize(Object address) {
        Object value = addressType.convert(address, null);
        if (value == null) {
            throw new IllegalArgumentException("must not be empty");
        }
        return value.toString();
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Channel fromId(String id) {
        try {
            return valueOf(id.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("channel must be one of "
                    + Arrays.stream(values()).map(Channel::id).toList());
        }
    }
}
