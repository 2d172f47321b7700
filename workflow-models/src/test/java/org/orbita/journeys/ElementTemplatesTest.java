package org.orbita.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ElementTemplatesTest {

    @Test
    void theShippedFileIsTheCatalogAndBindsEachSettingToAHeader() throws Exception {
        String shipped;
        try (InputStream in = getClass().getResourceAsStream("/element-templates/orbita-nodes.json")) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // regenerate with: java -cp … org.orbita.journeys.ElementTemplates workflow-models/src/main/resources/element-templates/orbita-nodes.json
        assertThat(shipped).isEqualTo(ElementTemplates.json());
        JsonNode templates = new ObjectMapper().readTree(shipped);
        long tasks = NodeCatalog.all().stream().filter(t -> t.jobType() != null).count();
        assertThat(templates.size()).isEqualTo((int) tasks);
        for (JsonNode t : templates) {
            NodeType type = NodeCatalog.byJobType(t.get("id").asText()).orElseThrow();
            assertThat(t.at("/properties/0/binding/type").asText()).isEqualTo("zeebe:taskDefinition");
            assertThat(t.at("/properties/0/value").asText()).isEqualTo(type.jobType());
            for (NodeType.Setting s : type.settings()) {
                JsonNode p = null;
                for (JsonNode candidate : t.get("properties")) {
                    if (s.name().equals(candidate.at("/binding/key").asText())) {
                        p = candidate;
                    }
                }
                assertThat(p).as(type.id() + "." + s.name()).isNotNull();
                assertThat(p.at("/binding/type").asText()).isEqualTo("zeebe:taskHeader");
                assertThat(p.at("/constraints/notEmpty").asBoolean()).isEqualTo(s.required());
            }
        }
    }
}
