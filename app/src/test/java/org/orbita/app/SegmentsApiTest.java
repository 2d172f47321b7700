package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;
import static org.orbita.app.ApiTestSupport.send;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.orbita.app.ApiTestSupport.Reply;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Segments end to end over HTTP: rules, real-time entry, static lists, explain, preview, export, bad input. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentsApiTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
        registry.add("orbita.content.external.allowed-hosts", () -> "localhost");
    }

    String ann;
    String bob;

    @BeforeAll
    void data() {
        Reply r = json(port, "POST", "/api/v1/databases", Map.of("id", "crm", "name", "CRM", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true),
                Map.of("name", "city", "type", "string"),
                Map.of("name", "age", "type", "integer"))));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        ann = profile("ann@example.com", "Moscow", 41);
        bob = profile("bob@example.com", "Kazan", 25);
    }

    String profile(String email, String city, int age) {
        Reply r = json(port, "POST", "/api/v1/databases/crm/profiles",
                Map.of("matching", "email", "fields", Map.of("email", email, "city", city, "age", age)));
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        return r.json().at("/profile/id").asText();
    }

    JsonNode awaitCount(String segment, int expected) throws InterruptedException {
        JsonNode n = null;
        for (int i = 0; i < 100; i++) {
            n = json(port, "GET", "/api/v1/segments/" + segment + "/count", null).json();
            if (n.get("count").asInt() == expected) {
                return n;
            }
            Thread.sleep(100);
        }
        return n;
    }

    @Test
    void dynamicSegmentsFollowProfilesAndEventsInRealTime() throws InterruptedException {
        Map<String, Object> definition = Map.of("type", "group", "match", "all", "conditions", List.of(
                Map.of("type", "field", "field", "age", "op", "gte", "value", 30),
                Map.of("type", "event", "event", "purchase", "atLeast", 1, "window", Map.of("lastDays", 30),
                        "where", List.of(Map.of("property", "amount", "op", "gt", "value", 100)))));
        Reply created = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "crm", "name", "Buyers 30+", "definition", definition));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().at("/segment/id").asText();
        assertThat(created.json().get("count").asInt()).isZero();

        Reply rule = send(port, "GET", "/api/v1/segments/" + id + "/rule", ApiTestSupport.ADMIN_KEY, null, null);
        assertThat(rule.body()).contains("rule \"segment " + id + "\"").contains("number(\"age\") >= 30.0").contains("accumulate( EventFact(");

        Reply event = json(port, "POST", "/api/v1/events", Map.of("database", "crm", "matching", "email", "value", "ann@example.com",
                "type", "purchase", "properties", Map.of("amount", 250)));
        assertThat(event.status()).as(event.body()).isIn(200, 201, 202);
        assertThat(awaitCount(id, 1).get("count").asInt()).isEqualTo(1);
        JsonNode members = json(port, "GET", "/api/v1/segments/" + id + "/members", null).json();
        assertThat(members.at("/profiles/0/id").asText()).isEqualTo(ann);
        JsonNode history = json(port, "GET", "/api/v1/databases/crm/profiles/" + ann + "/history?types=segment.entered", null).json();
        assertThat(history.toString()).contains("segment.entered").contains(id);

        // a profile change makes Ann leave (too young now)
        json(port, "POST", "/api/v1/databases/crm/profiles", Map.of("matching", "email", "value", "ann@example.com", "fields", Map.of("age", 20)));
        assertThat(awaitCount(id, 0).get("count").asInt()).isZero();
        json(port, "POST", "/api/v1/databases/crm/profiles", Map.of("matching", "email", "value", "ann@example.com", "fields", Map.of("age", 41)));
        assertThat(awaitCount(id, 1).get("count").asInt()).isEqualTo(1);

        JsonNode why = json(port, "POST", "/api/v1/segments/" + id + "/explain/" + ann, null).json();
        assertThat(why.get("member").asBoolean()).isTrue();
        assertThat(why.get("matchesNow").asBoolean()).isTrue();
        assertThat(why.at("/conditions/children/0/actual").asText()).isEqualTo("41");
        assertThat(why.at("/conditions/children/1/actual").asText()).isEqualTo("1 times");
        JsonNode whyNot = json(port, "POST", "/api/v1/segments/" + id + "/explain/" + bob, null).json();
        assertThat(whyNot.get("matchesNow").asBoolean()).isFalse();
        assertThat(whyNot.at("/conditions/children/0/result").asBoolean()).isFalse();

        JsonNode ofAnn = json(port, "GET", "/api/v1/databases/crm/profiles/" + ann + "/segments", null).json();
        assertThat(ofAnn.findValuesAsText("id")).contains(id);

        Reply csv = send(port, "GET", "/api/v1/segments/" + id + "/export", ApiTestSupport.ADMIN_KEY, null, null);
        assertThat(csv.body()).contains("ann@example.com").doesNotContain("bob@example.com");

        // freeze: a static copy that no longer follows the definition
        Reply frozen = json(port, "POST", "/api/v1/segments/" + id + "/freeze", Map.of("name", "Buyers snapshot"));
        assertThat(frozen.status()).as(frozen.body()).isEqualTo(201);
        assertThat(frozen.json().get("count").asInt()).isEqualTo(1);
    }

    @Test
    void staticSegmentsPreviewAndReferences() {
        Reply list = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "crm", "name", "VIP list", "kind", "static"));
        assertThat(list.status()).as(list.body()).isEqualTo(201);
        String vip = list.json().at("/segment/id").asText();
        Reply added = json(port, "POST", "/api/v1/segments/" + vip + "/members", Map.of("matching", "email", "values", List.of("BOB@example.com")));
        assertThat(added.json().get("changed").asInt()).as(added.body()).isEqualTo(1);
        Reply unknown = json(port, "POST", "/api/v1/segments/" + vip + "/members", Map.of("matching", "email", "values", List.of("nobody@example.com")));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("values[0]");

        // a dynamic segment on top of the static list
        Reply onTop = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "crm", "name", "VIP in Kazan", "definition",
                Map.of("type", "group", "match", "all", "conditions", List.of(
                        Map.of("type", "segment", "segment", vip),
                        Map.of("type", "field", "field", "city", "op", "eq", "value", "Kazan")))));
        assertThat(onTop.status()).as(onTop.body()).isEqualTo(201);
        assertThat(onTop.json().get("count").asInt()).isEqualTo(1);
        Reply refused = send(port, "DELETE", "/api/v1/segments/" + vip, ApiTestSupport.ADMIN_KEY, null, null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("refer to this one");

        Reply preview = json(port, "POST", "/api/v1/segments/preview", Map.of("databaseId", "crm", "definition",
                Map.of("type", "field", "field", "city", "op", "starts_with", "value", "mos")));
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        assertThat(preview.json().get("matched").asInt()).isEqualTo(1);
        assertThat(preview.json().get("exact").asBoolean()).isTrue();
    }

    @Test
    void badDefinitionsAreProblemsNamingTheCondition() {
        Reply r = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "crm", "name", "Broken", "definition",
                Map.of("type", "group", "match", "all", "conditions", List.of(
                        Map.of("type", "field", "field", "age", "op", "gt", "value", "old"),
                        Map.of("type", "custom", "expression", "System.exit(1) == null")))));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body()).contains("definition.conditions[0].value").contains("definition.conditions[1].expression");
        assertThat(json(port, "GET", "/api/v1/segments", null).body()).doesNotContain("Broken");

        Reply unknownType = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "crm", "name", "X", "definition",
                Map.of("type", "magic")));
        assertThat(unknownType.status()).isEqualTo(400);
        assertThat(unknownType.contentType()).startsWith("application/problem+json");
    }

    @Test
    void syncsMembersIntoPostgresqlFullThenDelta() throws Exception {
        String table = "orbita_sync_" + Long.toHexString(System.nanoTime());
        Reply seg = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "crm", "name", "Adults", "definition",
                Map.of("type", "field", "field", "age", "op", "gte", "value", 18)));
        String id = seg.json().at("/segment/id").asText();
        Reply created = json(port, "POST", "/api/v1/segments/" + id + "/syncs", Map.of("jdbcUrl", "jdbc:postgresql://localhost:5432/test",
                "user", "postgres", "password", "not-shown", "table", table, "fields", List.of("email", "age"), "mode", "delta",
                "cron", "0 0 3 * * *"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("not-shown").contains("\"passwordSet\":true");
        String sync = created.json().get("id").asText();
        Reply bad = json(port, "POST", "/api/v1/segments/" + id + "/syncs", Map.of("jdbcUrl", "jdbc:oracle:thin:@x", "table", "x; drop",
                "fields", List.of("nope")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("jdbcUrl").contains("table").contains("fields[0]");

        JsonNode first = json(port, "POST", "/api/v1/segment-syncs/" + sync + "/run", null).json();
        long members = first.get("members").asLong();
        assertThat(members).isGreaterThanOrEqualTo(2);
        assertThat(first.get("written").asLong()).isEqualTo(members);
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
                var st = c.createStatement()) {
            var rs = st.executeQuery("SELECT count(*), max(age) FROM " + table + " WHERE email = 'bob@example.com'");
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getString(2)).isEqualTo("25");

            // nothing changed: nothing written; Bob changes, a new adult comes, a minor is not copied
            JsonNode again = json(port, "POST", "/api/v1/segment-syncs/" + sync + "/run", null).json();
            assertThat(again.get("written").asLong()).isZero();
            assertThat(again.get("unchanged").asLong()).isEqualTo(members);
            json(port, "POST", "/api/v1/databases/crm/profiles", Map.of("matching", "email", "value", "bob@example.com", "fields", Map.of("age", 26)));
            profile("carl@example.com", "Omsk", 30);
            profile("kid@example.com", "Omsk", 10);
            awaitCount(id, (int) members + 1);
            JsonNode delta = json(port, "POST", "/api/v1/segment-syncs/" + sync + "/run", null).json();
            assertThat(delta.get("written").asLong()).isEqualTo(2);
            rs = st.executeQuery("SELECT age FROM " + table + " WHERE email = 'bob@example.com'");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("26");
            rs = st.executeQuery("SELECT count(*) FROM " + table + " WHERE email = 'kid@example.com'");
            rs.next();
            assertThat(rs.getInt(1)).isZero();

            // Carl is no longer an adult: the delta deletes his row
            json(port, "POST", "/api/v1/databases/crm/profiles", Map.of("matching", "email", "value", "carl@example.com", "fields", Map.of("age", 12)));
            awaitCount(id, (int) members);
            JsonNode removal = json(port, "POST", "/api/v1/segment-syncs/" + sync + "/run", null).json();
            assertThat(removal.get("deleted").asLong()).isEqualTo(1);
            rs = st.executeQuery("SELECT count(*) FROM " + table);
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(members);
            st.executeUpdate("DROP TABLE " + table);
        }
    }

    @Test
    void eventsRecordedBeforeASegmentExistedCount() {
        Reply event = json(port, "POST", "/api/v1/events", Map.of("database", "crm", "matching", "email", "value", "bob@example.com",
                "type", "webinar_attended", "channel", "web", "properties", Map.of("topic", "CDP basics")));
        assertThat(event.status()).as(event.body()).isIn(200, 201, 202);
        Reply seg = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "crm", "name", "Webinar visitors", "definition",
                Map.of("type", "event", "event", "webinar_attended", "where",
                        List.of(Map.of("property", "topic", "op", "contains", "value", "cdp")))));
        assertThat(seg.status()).as(seg.body()).isEqualTo(201);
        assertThat(seg.json().get("count").asInt()).isEqualTo(1);
        Reply profileEvents = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "crm", "name", "Bad", "definition",
                Map.of("type", "event", "event", "profile.updated")));
        assertThat(profileEvents.status()).isEqualTo(400);
        assertThat(profileEvents.body()).contains("definition.event");
    }

    @Test
    void aSchemaChangeThatWouldBreakASegmentIsRefused() {
        Reply seg = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "crm", "name", "Kazan", "definition",
                Map.of("type", "field", "field", "city", "op", "eq", "value", "Kazan")));
        assertThat(seg.status()).as(seg.body()).isEqualTo(201);
        Reply change = json(port, "PUT", "/api/v1/databases/crm/schema", Map.of("fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true),
                Map.of("name", "age", "type", "integer"))));
        assertThat(change.status()).isEqualTo(400);
        assertThat(change.contentType()).startsWith("application/problem+json");
        assertThat(change.body()).contains("segment 'Kazan' would break").contains("no such field");
        assertThat(json(port, "GET", "/api/v1/databases/crm", null).body()).contains("\"city\"");
    }
}
