package org.orbita.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.orbita.common.Json;

class EventIngestTest {

    @Test
    void theLengthBoundIsNeverBelowTheRealJsonLength() {
        List<Object> samples = List.of(
                Map.of("url", "/catalog?q=\"shoes\"\n", "n", 12L, "ok", true),
                Map.of("items", List.of(Map.of("sku", "A\u0001B", "qty", 2L), Map.of("sku", "Ю", "price", new BigDecimal("10.50")))),
                Map.of("empty", Map.of(), "list", List.of()));
        for (Object sample : samples) {
            assertThat(EventIngest.jsonLengthBound(sample)).isGreaterThanOrEqualTo(Json.write(sample).length());
        }
    }
}
