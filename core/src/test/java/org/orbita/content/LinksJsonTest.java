package org.orbita.content;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.orbita.common.Json;

class LinksJsonTest {

    @Test
    void theFactsAreWrittenAsJacksonWritesThem() {
        for (Links.Facts f : new Links.Facts[] {
                new Links.Facts("c", "ws", "db", "p1", "m1", 3L, "email", "https://shop.example/a?b=\"c\"&d=\u00e9\n", "camp"),
                new Links.Facts("u", "ws", null, null, null, null, null, null, null),
                new Links.Facts("o", "ws\\x", "db", "p\u0001", "m", 0L, "sms", null, null)}) {
            assertThat(Links.json(f)).isEqualTo(Json.write(f));
            assertThat(Json.read(Links.json(f), Links.Facts.class)).isEqualTo(f);
        }
    }
}
