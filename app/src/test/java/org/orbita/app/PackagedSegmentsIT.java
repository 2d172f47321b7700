package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real-time segments in the packaged application, from a fresh start: the first rules session
 * is made while batches of changed profiles are evaluated on several threads. On the JDK's
 * common pool (whose threads cannot see the jar's classes) that failed about one start in two,
 * and every evaluation and explanation after it. Two fresh starts, each checked.
 */
class PackagedSegmentsIT {

    Process app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.destroyForcibly();
        }
    }

    @Test
    void realTimeEvaluationWorksFromTheFirstBatchOnEveryStart() throws Exception {
        for (int start = 0; start < 2; start++) {
            Path data = Files.createTempDirectory("orbita-segments-it-");
            int port = ApiTestSupport.freePort();
            app = PackagedApp.start(data, port);
            assertThat(ApiTestSupport.json(port, "POST", "/api/v1/databases", Map.of("id", "d", "name", "D", "fields", List.of(
                    Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "n", "type", "integer")))).status()).isEqualTo(201);
            List<String> segments = new ArrayList<>();
            for (int s = 1; s <= 3; s++) {
                ApiTestSupport.Reply r = ApiTestSupport.json(port, "POST", "/api/v1/segments", Map.of("databaseId", "d", "name", "Over " + s * 10,
                        "definition", Map.of("type", "group", "match", "all", "conditions",
                                List.of(Map.of("type", "field", "field", "n", "op", "gt", "value", s * 10)))));
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                segments.add(r.json().at("/segment/id").asText());
            }
            // batches of changed profiles: each is evaluated on several threads at once
            for (int b = 0; b < 10; b++) {
                List<Map<String, Object>> batch = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    batch.add(Map.of("fields", Map.of("email", "p" + b + "_" + i + "@x.io", "n", i)));
                }
                assertThat(ApiTestSupport.json(port, "POST", "/api/v1/databases/d/profiles/batch", Map.of("matching", "email", "profiles", batch))
                        .status()).isEqualTo(200);
            }
            JsonNode last = ApiTestSupport.json(port, "GET", "/api/v1/databases/d/profiles?matching=email&value=p9_59@x.io", null).json();
            long count = 0;
            for (int i = 0; i < 100 && count != 490; i++) {
                count = ApiTestSupport.json(port, "GET", "/api/v1/segments/" + segments.get(0), null).json().path("count").asLong();
                Thread.sleep(100);
            }
            assertThat(count).as("start " + start + ": members of 'over 10' (49 of each batch of 60)").isEqualTo(490);
            ApiTestSupport.Reply why = ApiTestSupport.json(port, "POST", "/api/v1/segments/" + segments.get(0) + "/explain/" + last.get("id").asText(), null);
            assertThat(why.status()).as(why.body()).isEqualTo(200);
            assertThat(why.json().path("member").asBoolean()).isTrue();
            String log = Files.readString(data.resolveSibling(data.getFileName() + "-" + port + ".log"));
            assertThat(log).doesNotContain("Missing runtime").doesNotContain("real-time segment evaluation of");
            app.destroy();
            app.waitFor();
            app = null;
        }
    }
}
