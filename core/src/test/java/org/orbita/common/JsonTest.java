package org.orbita.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static final String EDGES = "\u0000\u0001\u0007\b\t\n\u000b\f\r\u001b\u001f \"\\/'<>&\u007f\u0080\u00e9\u044f\u2028\u2029\ufeff\ud83d\ude00\ud800\udfff";

    private static String text(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(rnd.nextInt(3) == 0 ? (char) ('a' + rnd.nextInt(26)) : EDGES.charAt(rnd.nextInt(EDGES.length())));
        }
        return sb.toString();
    }

    private static Object value(Random rnd) {
        return switch (rnd.nextInt(9)) {
            case 0 -> null;
            case 1 -> text(rnd);
            case 2 -> rnd.nextLong();
            case 3 -> rnd.nextInt(2000) - 1000;
            case 4 -> new BigDecimal(BigInteger.valueOf(rnd.nextLong() % 1_000_000_000L), rnd.nextInt(20) - 8); // negative scales: 1.2E+5
            case 5 -> rnd.nextBoolean();
            case 6 -> new BigDecimal(rnd.nextInt(100_000)).movePointLeft(rnd.nextInt(5));
            case 7 -> rnd.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
            default -> (short) rnd.nextInt(Short.MAX_VALUE);
        };
    }

    @Test
    void flatMapsAreWrittenByHandExactlyAsJacksonWritesThem() throws Exception {
        Random rnd = new Random(20261207);
        int byHand = 0;
        for (int i = 0; i < 200_000; i++) {
            Map<String, Object> m = rnd.nextBoolean() ? new LinkedHashMap<>() : new HashMap<>();
            int n = rnd.nextInt(9);
            for (int k = 0; k < n; k++) {
                m.put(text(rnd), value(rnd));
            }
            String jackson = Json.MAPPER.writeValueAsString(m);
            assertThat(Json.flat(m)).as("map %s", m).isEqualTo(jackson);
            assertThat(Json.write(m)).isEqualTo(jackson);
            byHand++;
        }
        assertThat(byHand).isEqualTo(200_000);
    }

    @Test
    void whatIsNotFlatIsLeftToJackson() throws Exception {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("a", 1.5d);
        assertThat(Json.flat(nested)).as("doubles: Jackson's").isNull();
        nested.put("a", List.of(1, 2));
        assertThat(Json.flat(nested)).isNull();
        nested.put("a", Map.of("b", 1));
        assertThat(Json.flat(nested)).isNull();
        assertThat(Json.write(nested)).isEqualTo("{\"a\":{\"b\":1}}");
        Map<Object, Object> numberKeys = new LinkedHashMap<>();
        numberKeys.put(1, "x");
        assertThat(Json.flat(numberKeys)).isNull();
        assertThat(Json.write(numberKeys)).isEqualTo(Json.MAPPER.writeValueAsString(numberKeys));
        assertThat(Json.write(Map.of())).isEqualTo("{}");
    }
}
