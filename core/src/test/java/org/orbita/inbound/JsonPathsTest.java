package org.orbita.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.orbita.common.Json;

/** The inbound sources' paths: names joined by dots, elements by [n], a leading $. — and null for whatever is not there. */
class JsonPathsTest {

    private final Object body = Json.read("""
            {"contact": {"email": "vera@camp.example", "first-name": "Vera", "@id": 7},
             "deal": {"items": [{"sku": "TENT-2"}, {"sku": "MAT", "tags": [["a", "b"], ["c"]]}]},
             "list": [1, 2]}""", Object.class);

    @Test
    void pathsWalkNamesAndElements() {
        assertThat(JsonPaths.read(body, "contact.email")).isEqualTo("vera@camp.example");
        assertThat(JsonPaths.read(body, "$.contact.email")).isEqualTo("vera@camp.example");
        assertThat(JsonPaths.read(body, "contact.first-name")).isEqualTo("Vera");
        assertThat(JsonPaths.read(body, "contact.@id")).isEqualTo(7L);
        assertThat(JsonPaths.read(body, "deal.items[1].sku")).isEqualTo("MAT");
        assertThat(JsonPaths.read(body, "deal.items[1].tags[0][1]")).isEqualTo("b");
        assertThat(JsonPaths.read(body, "list[1]")).isEqualTo(2L);
        assertThat(JsonPaths.read(body, "contact")).isInstanceOf(Map.class);
    }

    @Test
    void whatIsNotThereIsNull() {
        assertThat(JsonPaths.read(body, "contact.phone")).isNull();
        assertThat(JsonPaths.read(body, "deal.items[2].sku")).as("past the end").isNull();
        assertThat(JsonPaths.read(body, "deal.items[-1]")).isNull();
        assertThat(JsonPaths.read(body, "deal.items[x]")).isNull();
        assertThat(JsonPaths.read(body, "deal.items[]")).isNull();
        assertThat(JsonPaths.read(body, "contact.email.domain")).as("a name under a text").isNull();
        assertThat(JsonPaths.read(body, "contact[0]")).as("an element of an object").isNull();
        assertThat(JsonPaths.read(body, "contact..email")).isNull();
        assertThat(JsonPaths.valid("contact..email")).isFalse();
        assertThat(JsonPaths.valid("deal.items[0].sku")).isTrue();
    }
}
