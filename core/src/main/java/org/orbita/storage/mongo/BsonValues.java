package org.orbita.storage.mongo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.orbita.common.Json;

/** Converts Orbita's JSON values to BSON and back without losing exact decimals. */
public final class BsonValues {

    private BsonValues() {}

    @SuppressWarnings("unchecked")
    public static Document toDocument(Object value) {
        Map<String, Object> map = value instanceof Map<?, ?> m ? (Map<String, Object>) m : Json.MAPPER.convertValue(value, Map.class);
        return (Document) toBson(map);
    }

    private static Object toBson(Object value) {
        if (value instanceof Map<?, ?> map) {
            Document doc = new Document();
            map.forEach((k, v) -> doc.put(String.valueOf(k), toBson(v)));
            return doc;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(toBson(v)));
            return out;
        }
        if (value instanceof BigDecimal d) {
            return new Decimal128(d);
        }
        return value;
    }

    public static <T> T fromDocument(Document doc, Class<T> type) {
        return Json.MAPPER.convertValue(fromBson(doc), type);
    }

    public static Object fromBson(Object value) {
        if (value instanceof Document doc) {
            Map<String, Object> map = new LinkedHashMap<>();
            doc.forEach((k, v) -> map.put(k, fromBson(v)));
            return map;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(fromBson(v)));
            return out;
        }
        if (value instanceof Decimal128 d) {
            return d.bigDecimalValue();
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        return value;
    }
}
