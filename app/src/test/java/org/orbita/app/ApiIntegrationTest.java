package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;
import static org.orbita.app.ApiTestSupport.multipart;
import static org.orbita.app.ApiTestSupport.send;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.orbita.common.Json;
import org.orbita.app.ApiTestSupport.Reply;
import org.orbita.app.security.Accounts;
import org.orbita.queues.SendQueue;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.orbita.jobs.Jobs;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    Accounts accounts;

    @Autowired
    Jobs jobs;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
        registry.add("orbita.imports.max-file-size", () -> "1MB");
        registry.add("orbita.content.external.allowed-hosts", () -> "localhost");
    }

    /** Polls a job until it has finished (10 s at most) and returns it. */
    private JsonNode awaitJob(String jobId) throws InterruptedException {
        JsonNode job = null;
        for (int i = 0; i < 100; i++) {
            job = json(port, "GET", "/api/v1/jobs/" + jobId, null).json();
            if (job.get("status").asText().matches("succeeded|failed")) {
                return job;
            }
            Thread.sleep(100);
        }
        return job;
    }

    @BeforeAll
    void createDatabase() {
        Reply r = json(port, "POST", "/api/v1/databases", Map.of("id", "shop", "name", "Shop", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true),
                Map.of("name", "phone", "type", "phone", "unique", true),
                Map.of("name", "name", "type", "string"),
                Map.of("name", "age", "type", "integer"),
                Map.of("name", "vip", "type", "boolean"))));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    @Test
    void journeysBecomeBpmnAndBackWithEveryProblemNamed() {
        Reply nodes = json(port, "GET", "/api/v1/journeys/nodes", null);
        assertThat(nodes.status()).isEqualTo(200);
        assertThat(nodes.body()).contains("\"id\":\"send-message\"").contains("\"id\":\"wait-event\"").contains("\"branches\":[\"yes\",\"no\"]");
        assertThat(json(port, "GET", "/api/v1/journeys/element-templates", null).body()).contains("\"id\" : \"orbita.http-request\"");
        Map<String, Object> journey = Map.of("id", "welcome", "name", "Welcome", "nodes", List.of(
                Map.of("id", "start", "type", "start", "name", "Signed up", "settings", Map.of("entry", "event", "event", "signup")),
                Map.of("id", "email", "type", "send-message", "name", "Hello", "settings", Map.of("messageId", "m1", "channels", "email")),
                Map.of("id", "end", "type", "exit", "name", "Done")),
                "links", List.of(Map.of("from", "start", "to", "email"), Map.of("from", "email", "to", "end")));
        Reply bpmn = json(port, "POST", "/api/v1/journeys/bpmn", journey);
        assertThat(bpmn.status()).as(bpmn.body()).isEqualTo(200);
        assertThat(bpmn.body()).contains("taskDefinition type=\"orbita.send-message\"");
        Reply back = ApiTestSupport.send(port, "POST", "/api/v1/journeys/parse", ApiTestSupport.ADMIN_KEY, "application/xml",
                bpmn.body().getBytes(StandardCharsets.UTF_8));
        assertThat(back.status()).as(back.body()).isEqualTo(200);
        assertThat(back.body()).contains("\"type\":\"send-message\"").contains("\"messageId\":\"m1\"");
        Reply bad = json(port, "POST", "/api/v1/journeys/bpmn", Map.of("id", "bad", "name", "Bad", "nodes", List.of(
                Map.of("id", "start", "type", "start", "settings", Map.of("entry", "api")),
                Map.of("id", "email", "type", "send-message", "settings", Map.of("channels", "email"))),
                "links", List.of(Map.of("from", "start", "to", "email"))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.body()).contains("nodes.email.messageId")
                .contains("is required").contains("nodes.email.links");
    }

    @Test
    void upsertsFindsByMatchingKeyAndServesHistory() {
        Reply created = json(port, "POST", "/api/v1/databases/shop/profiles",
                Map.of("matching", "email", "fields", Map.of("email", "Ann@Example.com", "name", "Ann", "age", 41),
                        "subscriptions", List.of(Map.of("channel", "email", "address", "ann@example.com"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().at("/profile/id").asText();

        Reply updated = json(port, "POST", "/api/v1/databases/shop/profiles",
                Map.of("matching", "email", "value", "ann@example.com", "fields", Map.of("vip", true)));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().at("/profile/id").asText()).isEqualTo(id);

        Reply filtered = json(port, "GET", "/api/v1/databases/shop/profiles?field=age&equals=41", null);
        assertThat(filtered.json().get("profiles")).extracting(p -> p.at("/fields/email").asText()).containsExactly("ann@example.com");
        assertThat(json(port, "GET", "/api/v1/databases/shop/profiles?field=age&equals=old", null).json().at("/errors/0/field")
                .asText()).isEqualTo("value");
        Reply found = json(port, "GET", "/api/v1/databases/shop/profiles?matching=email&value=ANN@example.com", null);
        assertThat(found.json().at("/fields/vip").asBoolean()).isTrue();
        assertThat(found.json().at("/fields/age").asLong()).isEqualTo(41);

        Reply event = json(port, "POST", "/api/v1/events", Map.of("database", "shop", "matching", "email", "value", "ann@example.com",
                "type", "purchase", "channel", "web", "properties", Map.of("amount", 1200)));
        assertThat(event.status()).as(event.body()).isEqualTo(202);
        Reply history = json(port, "GET", "/api/v1/databases/shop/profiles/" + id + "/history?type=purchase", null);
        assertThat(history.json().at("/events/0/type").asText()).isEqualTo("purchase");
        assertThat(history.json().at("/events/0/properties/amount").asLong()).isEqualTo(1200);
        Reply all = json(port, "GET", "/api/v1/databases/shop/profiles/" + id + "/history", null);
        // the profile's creation (from the API), its email subscription starting, the update, the purchase
        assertThat(all.json().get("events")).extracting(e -> e.get("type").asText())
                .containsExactly("purchase", "profile.updated", "subscription.subscribed", "profile.created");
        assertThat(all.json().at("/events/3/properties/source").asText()).isEqualTo("api");
    }

    @Test
    void badInputIsAProblemThatNamesTheFieldAndRule() {
        Reply wrongTypes = json(port, "POST", "/api/v1/databases/shop/profiles",
                Map.of("fields", Map.of("email", "b@x.io", "age", "old", "color", "red")));
        assertThat(wrongTypes.status()).isEqualTo(400);
        assertThat(wrongTypes.contentType()).startsWith("application/problem+json");
        assertThat(wrongTypes.json().get("errors")).extracting(e -> e.get("field").asText()).containsExactlyInAnyOrder("age", "color");

        Reply malformed = json(port, "POST", "/api/v1/databases/shop/profiles", "{\"fields\": {");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().at("/errors/0/field").asText()).isEqualTo("body");

        Reply shape = json(port, "POST", "/api/v1/databases/shop/profiles", "{\"fields\": \"nope\"}");
        assertThat(shape.status()).isEqualTo(400);
        assertThat(shape.json().at("/errors/0/field").asText()).isEqualTo("fields");

        Reply unknownDb = json(port, "GET", "/api/v1/databases/nowhere", null);
        assertThat(unknownDb.status()).isEqualTo(404);
        assertThat(unknownDb.contentType()).startsWith("application/problem+json");

        Reply badSchema = json(port, "POST", "/api/v1/databases", Map.of("id", "Bad Id", "name", ""));
        assertThat(badSchema.json().get("errors")).extracting(e -> e.get("field").asText()).containsExactly("id", "name");
    }

    @Test
    void batchesAreCappedAndEachItemIsAppliedWholeOrReported() {
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            tooMany.add(Map.of("fields", Map.of("email", "p" + i + "@x.io")));
        }
        Reply over = json(port, "POST", "/api/v1/databases/shop/profiles/batch", Map.of("profiles", tooMany));
        assertThat(over.status()).isEqualTo(400);
        assertThat(over.json().at("/errors/0/field").asText()).isEqualTo("profiles");
        assertThat(json(port, "GET", "/api/v1/databases/shop/profiles?matching=email&value=p1@x.io", null).status()).isEqualTo(404);

        Reply mixed = json(port, "POST", "/api/v1/databases/shop/profiles/batch", Map.of("matching", "email", "profiles", List.of(
                Map.of("fields", Map.of("email", "q1@x.io", "age", 20)),
                Map.of("fields", Map.of("email", "q2@x.io", "age", "twenty")),
                Map.of("fields", Map.of("email", "q3@x.io", "phone", "+79160000003")))));
        assertThat(mixed.status()).isEqualTo(200);
        assertThat(mixed.json().get("created").asInt()).isEqualTo(2);
        assertThat(mixed.json().at("/results/1/status").asText()).isEqualTo("error");
        assertThat(mixed.json().at("/results/1/errors/0/field").asText()).isEqualTo("age");
        assertThat(json(port, "GET", "/api/v1/databases/shop/profiles?matching=email&value=q2@x.io", null).status()).isEqualTo(404);
    }

    @Test
    void databaseIdsArePerWorkspaceAndTellNothingOfAnother() throws Exception {
        accounts.createWorkspace("tenant-b", "Tenant B");
        String b = accounts.createKey("tenant-b", "b", List.of("databases:read", "databases:write", "profiles:read", "profiles:write",
                "segments:read", "segments:write"));
        // "shop" is the demo workspace's; tenant B may have a "shop" of its own, and is told nothing of the other
        Reply created = send(port, "POST", "/api/v1/databases", b, "application/json",
                Json.MAPPER.writeValueAsBytes(Map.of("id", "shop", "name", "B's shop")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("id").asText()).isEqualTo("shop");
        Reply twice = send(port, "POST", "/api/v1/databases", b, "application/json",
                Json.MAPPER.writeValueAsBytes(Map.of("id", "shop", "name", "again")));
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.body()).contains("already exists");

        Reply written = send(port, "POST", "/api/v1/databases/shop/profiles", b, "application/json",
                Json.MAPPER.writeValueAsBytes(Map.of("fields", Map.of("email", "b-only@x.io"))));
        assertThat(written.status()).as(written.body()).isEqualTo(201);
        String id = written.json().at("/profile/id").asText(written.json().path("id").asText());
        Reply mine = send(port, "GET", "/api/v1/databases/shop/profiles?matching=email&value=b-only@x.io", b, null, null);
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.json().get("databaseId").asText()).isEqualTo("shop");
        // the demo workspace's shop has no such profile, and lists no database of B's
        assertThat(json(port, "GET", "/api/v1/databases/shop/profiles?matching=email&value=b-only@x.io", null).status()).isEqualTo(404);
        assertThat(json(port, "GET", "/api/v1/databases", null).json()).extracting(d -> d.get("name").asText()).doesNotContain("B's shop");
        assertThat(send(port, "GET", "/api/v1/databases", b, null, null).json()).extracting(d -> d.get("id").asText()).containsExactly("shop");

        // what refers to B's database says so by B's id
        Reply segment = send(port, "POST", "/api/v1/segments", b, "application/json", Json.MAPPER.writeValueAsBytes(Map.of("databaseId", "shop",
                "name", "B's people", "definition", Map.of("type", "field", "field", "email", "op", "eq", "value", "b-only@x.io"))));
        assertThat(segment.status()).as(segment.body()).isEqualTo(201);
        assertThat(segment.json().at("/segment/databaseId").asText()).isEqualTo("shop");
        assertThat(segment.json().get("count").asLong()).isEqualTo(1);
        assertThat(id).isNotBlank();
    }

    @Test
    void keysAreCheckedAndScoped() {
        assertThat(send(port, "GET", "/api/v1/databases", null, null, null).status()).isEqualTo(401);
        Reply badKey = send(port, "GET", "/api/v1/databases", "orb_00000000000000000000000000000000_" + "B".repeat(43), null, null);
        assertThat(badKey.status()).isEqualTo(401);
        assertThat(badKey.contentType()).startsWith("application/problem+json");
        String readOnly = accounts.createKey("demo", "reader", List.of("databases:read", "profiles:read"));
        assertThat(send(port, "GET", "/api/v1/databases", readOnly, null, null).status()).isEqualTo(200);
        Reply denied = send(port, "POST", "/api/v1/databases/shop/profiles", readOnly, "application/json",
                "{\"fields\":{\"email\":\"z@x.io\"}}".getBytes(StandardCharsets.UTF_8));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.contentType()).startsWith("application/problem+json");
        accounts.createWorkspace("other", "Other");
        String otherWorkspace = accounts.createKey("other", "other", List.of("databases:read"));
        assertThat(send(port, "GET", "/api/v1/databases/shop", otherWorkspace, null, null).status()).isEqualTo(404);
    }

    @Test
    void importsAFileAsAJobWithAPerRowReportAndExportsIt() throws InterruptedException {
        byte[] csv = "Email;Name;Age\nimp1@x.io;One;30\nnot-an-email;Two;31\nimp3@x.io;Three;x\n".getBytes(StandardCharsets.UTF_8);
        Reply started = multipart(port, "/api/v1/databases/shop/imports", "people.csv", csv,
                Map.of("mapping", "{\"Email\":\"email\",\"Name\":\"name\",\"Age\":\"age\"}", "matching", "email"));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String jobId = started.json().get("id").asText();
        JsonNode job = awaitJob(jobId);
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        assertThat(job.get("succeeded").asLong()).isEqualTo(1);
        assertThat(job.get("failed").asLong()).isEqualTo(2);
        Reply errors = json(port, "GET", "/api/v1/jobs/" + jobId + "/errors", null);
        assertThat(errors.json().get("errors")).extracting(e -> e.get("row").asLong() + ":" + e.get("field").asText())
                .containsExactly("3:email", "4:age");
        Reply errorsCsv = json(port, "GET", "/api/v1/jobs/" + jobId + "/errors?format=csv", null);
        assertThat(errorsCsv.body()).startsWith("row,field,value,reason\r\n3,email,not-an-email,");

        Reply tooLarge = multipart(port, "/api/v1/databases/shop/imports", "big.csv", new byte[1_500_000], Map.of());
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");
        assertThat(tooLarge.json().get("detail").asText()).contains("orbita.imports.max-file-size");

        Reply unknownField = multipart(port, "/api/v1/databases/shop/imports", "p.csv", csv, Map.of("mapping", "{\"Email\":\"mail\"}"));
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().at("/errors/0/field").asText()).isEqualTo("mapping.Email");

        Reply export = json(port, "GET", "/api/v1/databases/shop/exports?format=csv", null);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.body()).contains("imp1@x.io").doesNotContain("not-an-email");
        Reply xlsx = send(port, "GET", "/api/v1/databases/shop/exports?format=xlsx", ApiTestSupport.ADMIN_KEY, null, null);
        assertThat(xlsx.status()).isEqualTo(200);
        assertThat(json(port, "GET", "/api/v1/databases/shop/exports?format=pdf", null).status()).isEqualTo(400);
    }

    @Test
    void jobsAreCancelledWithTheScopeThatStartedThem() throws InterruptedException {
        // a queued import (not handed to the runner, so it stays queued until cancelled)
        String queued = jobs.create("demo", "import", Map.of("databaseId", "shop")).id();
        String readOnly = accounts.createKey("demo", "job watcher", List.of("jobs:read"));
        Reply denied = send(port, "POST", "/api/v1/jobs/" + queued + "/cancel", readOnly, null, null);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.contentType()).startsWith("application/problem+json");

        Reply cancelled = json(port, "POST", "/api/v1/jobs/" + queued + "/cancel", null);
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.json().get("cancelRequested").isNull()).isFalse();

        Reply again = json(port, "POST", "/api/v1/jobs/" + queued + "/cancel", null);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().at("/errors/0/field").asText()).isEqualTo("status");
        assertThat(again.json().at("/errors/0/rule").asText()).contains("only a queued or running job");
        assertThat(json(port, "POST", "/api/v1/jobs/nope/cancel", null).status()).isEqualTo(404);
    }

    @Test
    void eventBatchesStoreValidEventsAndReportInvalidOnes() {
        json(port, "POST", "/api/v1/databases/shop/profiles", Map.of("fields", Map.of("email", "ev@x.io")));
        Reply batch = json(port, "POST", "/api/v1/events/batch", Map.of("events", List.of(
                Map.of("database", "shop", "matching", "email", "value", "ev@x.io", "type", "page.view"),
                Map.of("database", "shop", "matching", "email", "value", "nobody@x.io", "type", "page.view"),
                Map.of("database", "shop", "matching", "email", "value", "ev@x.io", "type", "Bad Type"))));
        assertThat(batch.status()).isEqualTo(200);
        assertThat(batch.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(batch.json().get("rejected")).extracting(r -> r.get("index").asInt()).containsExactly(1, 2);
        assertThat(batch.json().at("/rejected/1/errors/0/field").asText()).isEqualTo("type");
    }

    @Test
    void anEventWithAnIdIsStoredOnceHoweverOftenItIsSent() {
        json(port, "POST", "/api/v1/databases/shop/profiles", Map.of("fields", Map.of("email", "idem@x.io")));
        Map<String, Object> order = Map.of("id", "order-7781", "database", "shop", "matching", "email", "value", "idem@x.io",
                "type", "purchase", "properties", Map.of("amount", 12));
        Reply first = json(port, "POST", "/api/v1/events", order);
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        assertThat(first.json().get("id").asText()).isEqualTo("order-7781");
        Reply retry = json(port, "POST", "/api/v1/events", order);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("repeat").asBoolean()).isTrue();

        Map<String, Object> other = Map.of("id", "order-7782", "database", "shop", "matching", "email", "value", "idem@x.io",
                "type", "purchase");
        Reply batch = json(port, "POST", "/api/v1/events/batch", Map.of("events", List.of(order, other, other)));
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        assertThat(batch.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(batch.json().get("repeats")).extracting(JsonNode::asInt).containsExactly(0, 2);

        String id = json(port, "GET", "/api/v1/databases/shop/profiles?matching=email&value=idem@x.io", null).json().get("id").asText();
        JsonNode history = json(port, "GET", "/api/v1/databases/shop/profiles/" + id + "/history?type=purchase", null).json();
        assertThat(history.findValues("id")).extracting(JsonNode::asText).containsExactlyInAnyOrder("order-7781", "order-7782");

        Reply badKey = json(port, "POST", "/api/v1/events", Map.of("id", "a b", "database", "shop", "matching", "email",
                "value", "idem@x.io", "type", "purchase"));
        assertThat(badKey.status()).isEqualTo(400);
        assertThat(badKey.json().at("/errors/0/field").asText()).isEqualTo("id");
    }

    @Test
    void copiesProfilesIntoAnotherDatabaseAsAJob() throws InterruptedException {
        json(port, "POST", "/api/v1/databases", Map.of("id", "archive", "name", "Archive", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "full_name", "type", "string"))));
        json(port, "POST", "/api/v1/databases/shop/profiles", Map.of("fields", Map.of("email", "copy1@x.io", "name", "Copy One"),
                "subscriptions", List.of(Map.of("channel", "email", "address", "copy1@x.io", "status", "unsubscribed"))));
        Reply started = json(port, "POST", "/api/v1/databases/shop/copy", Map.of("target", "archive", "matching", "email",
                "mapping", Map.of("email", "email", "name", "full_name")));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String jobId = started.json().get("id").asText();
        JsonNode job = awaitJob(jobId);
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        Reply copied = json(port, "GET", "/api/v1/databases/archive/profiles?matching=email&value=copy1@x.io", null);
        assertThat(copied.json().at("/fields/full_name").asText()).isEqualTo("Copy One");
        assertThat(copied.json().at("/subscriptions/0/status").asText()).isEqualTo("unsubscribed");

        Reply badMapping = json(port, "POST", "/api/v1/databases/shop/copy", Map.of("target", "archive",
                "mapping", Map.of("name", "nickname")));
        assertThat(badMapping.status()).isEqualTo(400);
        assertThat(badMapping.json().at("/errors/0/field").asText()).isEqualTo("mapping.name");
        assertThat(json(port, "POST", "/api/v1/databases/shop/copy", Map.of("target", "nowhere")).status()).isEqualTo(404);
    }

    @Test
    void runsAScheduledSqlImportFromPostgresAndNeverShowsItsPassword() throws Exception {
        String table = "orbita_api_" + Long.toHexString(System.nanoTime());
        // this machine's PostgreSQL, allowed by name in the test's configuration
        String url = "jdbc:postgresql://localhost:5432/test";
        try (var c = DriverManager.getConnection(url, "postgres", ""); var st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (email text, name text, updated timestamp)");
            st.execute("INSERT INTO " + table + " VALUES ('sql1@x.io', 'Sql One', now())");
        }
        try {
            Reply created = json(port, "POST", "/api/v1/databases/shop/sql-imports", Map.of("name", "nightly", "jdbcUrl", url,
                    "user", "postgres", "password", "s3cret-pw", "query", "SELECT email, name, updated FROM " + table,
                    "watermarkColumn", "updated", "cron", "0 0 3 * * *", "matching", "email"));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.body()).doesNotContain("s3cret-pw").contains("\"passwordSet\":true");
            Reply run = json(port, "POST", "/api/v1/databases/shop/sql-imports/" + created.json().get("id").asText() + "/run", null);
            assertThat(run.status()).isEqualTo(202);
            String jobId = run.json().get("id").asText();
            JsonNode job = awaitJob(jobId);
            assertThat(job.toString()).doesNotContain("s3cret-pw");
            assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
            assertThat(json(port, "GET", "/api/v1/databases/shop/profiles?matching=email&value=sql1@x.io", null)
                    .json().at("/fields/name").asText()).isEqualTo("Sql One");
            Reply list = json(port, "GET", "/api/v1/databases/shop/sql-imports", null);
            assertThat(list.body()).doesNotContain("s3cret-pw");
            Reply bad = json(port, "POST", "/api/v1/databases/shop/sql-imports", Map.of("name", "x", "jdbcUrl", "jdbc:h2:mem:",
                    "query", "DROP TABLE x", "cron", "whenever"));
            assertThat(bad.json().get("errors")).extracting(e -> e.get("field").asText()).contains("jdbcUrl", "query", "cron");
        } finally {
            try (var c = DriverManager.getConnection(url, "postgres", ""); var st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    @Autowired
    SendQueue sendQueue;

    @Test
    void theEmbeddedSendQueueStartsOnFirstUseAndDelivers() throws InterruptedException {
        var received = new LinkedBlockingQueue<String>();
        try (var consumer = sendQueue.consume("orbita.test.wiring", 5,
                m -> received.add(new String(m.body(), StandardCharsets.UTF_8)))) {
            sendQueue.publish("orbita.test.wiring", "hello".getBytes(StandardCharsets.UTF_8), Map.of());
            assertThat(received.poll(20, TimeUnit.SECONDS)).isEqualTo("hello");
        }
    }

    @Test
    void servesTheOpenApiDocumentAndHealth() {
        Reply doc = send(port, "GET", "/v3/api-docs", null, null, null);
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().get("paths").has("/api/v1/databases/{db}/profiles")).isTrue();
        // titled for people, with the bearer keys Swagger UI's Authorize button takes
        assertThat(doc.json().at("/info/title").asText()).isEqualTo("Orbita API");
        assertThat(doc.json().at("/components/securitySchemes/apiKey/scheme").asText()).isEqualTo("bearer");
        assertThat(doc.json().at("/security/0").has("apiKey")).isTrue();
        assertThat(doc.json().get("paths").has("/api/**")).as("the fallback for unknown paths is not an operation").isFalse();
        assertThat(send(port, "GET", "/actuator/health", null, null, null).body()).contains("UP");
    }

    @Test
    void rendersTemplatesForTooling() {
        Reply ok = json(port, "POST", "/api/v1/templates/render", Map.of(
                "template", "Hi {{ profile.first_name | default: 'friend' }}, {% render 'sig' %} {{ data.unknown }}",
                "data", Map.of("profile", Map.of("first_name", "Ann")),
                "snippets", Map.of("sig", "— Orbita")));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("output").asText()).isEqualTo("Hi Ann, — Orbita ");
        assertThat(ok.json().get("warnings").toString()).contains("data.unknown");

        Reply bad = json(port, "POST", "/api/v1/templates/render", Map.of("template", "line one\n{% for x in y %}\nno end"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().at("/errors/0/field").asText()).isEqualTo("template");
        assertThat(bad.json().at("/errors/0/value").asText()).startsWith("line ");
    }

    @Test
    void keepsAVersionedSnippetLibraryThatRendersUse() {
        Reply first = json(port, "PUT", "/api/v1/snippets/footer", Map.of("text", "Bye, {{ profile.first_name }}"));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        Reply second = json(port, "PUT", "/api/v1/snippets/footer", Map.of("text", "Regards, {{ profile.first_name }}"));
        assertThat(second.json().get("version").asInt()).isEqualTo(2);
        assertThat(json(port, "GET", "/api/v1/snippets/footer/versions", null).json()).hasSize(2);
        Reply bad = json(port, "PUT", "/api/v1/snippets/broken", Map.of("text", "{% if x %}never closed"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("line ");
        assertThat(json(port, "PUT", "/api/v1/snippets/Bad%20Name", Map.of("text", "x")).status()).isEqualTo(400);

        Reply rendered = json(port, "POST", "/api/v1/templates/render", Map.of("template", "{% render 'footer' %}",
                "data", Map.of("profile", Map.of("first_name", "Ann"))));
        assertThat(rendered.json().get("output").asText()).isEqualTo("Regards, Ann");
        assertThat(send(port, "DELETE", "/api/v1/snippets/footer", ApiTestSupport.ADMIN_KEY, null, null).status()).isEqualTo(204);
        assertThat(json(port, "POST", "/api/v1/templates/render", Map.of("template", "{% render 'footer' %}")).status()).isEqualTo(400);
    }

    @Test
    void messagesAreSavedVersionedAndRenderedForAProfileWithWorkingLinks() {
        Reply profile = json(port, "POST", "/api/v1/databases/shop/profiles", Map.of("matching", "email",
                "fields", Map.of("email", "kate@example.com", "name", "Kate"),
                "subscriptions", List.of(Map.of("channel", "email", "address", "kate@example.com"))));
        String profileId = profile.json().at("/profile/id").asText();
        assertThat(json(port, "PUT", "/api/v1/snippets/sign", Map.of("text", "Team {{ campaign.name }}")).status()).isEqualTo(200);

        Map<String, Object> message = Map.of("name", "Spring sale",
                "email", Map.of("subject", "{{ profile.name }}, sale", "fromAddress", "news@shop.example", "fromName", "Shop",
                        "html", "<style>p { color: red }</style><p>Hi {{ profile.name }}</p>"
                                + "<a href=\"{{ 'https://shop.example/sale' | tracked_link }}\">Sale</a>"
                                + "<a href=\"{{ links.view_in_browser }}\">web</a><a href=\"{{ links.unsubscribe }}\">unsubscribe</a>{% render 'sign' %}"),
                "sms", Map.of("text", "{{ profile.name }}: -20% today"));
        Reply created = json(port, "POST", "/api/v1/messages", message);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(json(port, "PUT", "/api/v1/messages/" + id, message).json().get("version").asInt()).isEqualTo(2);
        assertThat(json(port, "GET", "/api/v1/messages/" + id + "/versions", null).json()).hasSize(2);
        assertThat(json(port, "GET", "/api/v1/snippets/sign/messages", null).json()).extracting(n -> n.get("id").asText()).containsExactly(id);

        Reply rendered = json(port, "POST", "/api/v1/messages/" + id + "/render", Map.of("database", "shop", "profile", "kate@example.com",
                "campaign", Map.of("name", "Orbita")));
        assertThat(rendered.status()).as(rendered.body()).isEqualTo(200);
        assertThat(rendered.json().at("/email/subject").asText()).isEqualTo("Kate, sale");
        assertThat(rendered.json().at("/email/html").asText()).contains("<p style=\"color: red;\">Hi Kate</p>").contains("Team Orbita");
        assertThat(rendered.json().at("/email/text").asText()).contains("Hi Kate");
        assertThat(rendered.json().at("/sms/count/encoding").asText()).isEqualTo("gsm7");
        assertThat(rendered.json().at("/sms/count/parts").asInt()).isEqualTo(1);

        String html = rendered.json().at("/email/html").asText();
        // a render is no send: its links are the plain addresses (click links, which redirect, are made for sends only)
        assertThat(html).contains("href=\"https://shop.example/sale\"").doesNotContain("/t/c/");
        Reply tooling = json(port, "POST", "/api/v1/templates/render", Map.of("template", "{{ 'https://evil.example/x' | tracked_link }}"));
        assertThat(tooling.json().get("output").asText()).isEqualTo("https://evil.example/x");
        assertThat(send(port, "GET", "/t/c/eyJraW5kIjoiYyJ9.AAAA", null, null, null).status()).isEqualTo(404);
        String view = html.replaceAll("(?s).*href=\"(http://localhost:\\d+/t/v/[^\"]+)\".*", "$1");
        assertThat(view).doesNotStartWith("http://localhost:" + port + "/");
        Reply web = send(URI.create(view), "GET", null, null, null);
        assertThat(web.status()).isEqualTo(200);
        assertThat(web.body()).contains("Hi Kate");
        String unsubscribe = html.replaceAll("(?s).*href=\"http://localhost:\\d+(/t/u/[^\"]+)\".*", "$1");
        assertThat(send(port, "GET", unsubscribe, null, null, null).body()).contains("<form method=\"post\">");
        assertThat(json(port, "GET", "/api/v1/databases/shop/profiles/" + profileId, null).json().at("/subscriptions/0/status").asText())
                .isEqualTo("active");
        assertThat(send(port, "POST", unsubscribe, null, "application/x-www-form-urlencoded",
                "List-Unsubscribe=One-Click".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        assertThat(json(port, "GET", "/api/v1/databases/shop/profiles/" + profileId, null).json().at("/subscriptions/0/status").asText())
                .isEqualTo("unsubscribed");
        Reply history = json(port, "GET", "/api/v1/databases/shop/profiles/" + profileId + "/history", null);
        assertThat(history.body()).contains("message.viewed_online").contains("message.unsubscribed");

        Reply bad = json(port, "POST", "/api/v1/messages", Map.of("name", "x", "email", Map.of("subject", "s", "html", "{% if %}")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().at("/errors/0/field").asText()).isEqualTo("email.html");
        Reply unknown = json(port, "POST", "/api/v1/messages/" + id + "/render", Map.of("database", "shop", "profile", "nobody@example.com"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(json(port, "POST", "/api/v1/sms/count", Map.of("text", "Привет")).json().get("encoding").asText()).isEqualTo("ucs2");
    }

    @Test
    void dataSourcesNeverShowSecretsAndPrivateHostsAreRefused() {
        Reply saved = json(port, "PUT", "/api/v1/data-sources/recs", Map.of("kind", "http", "url", "http://127.0.0.1:9/recs?e={{ profile.email }}",
                "headers", Map.of("Authorization", "Bearer very-secret"), "timeoutMs", 500));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.body()).doesNotContain("very-secret");
        assertThat(json(port, "GET", "/api/v1/data-sources", null).body()).doesNotContain("very-secret");
        Reply refused = json(port, "POST", "/api/v1/templates/render", Map.of("template", "{% fetch 'recs' as r %}{{ r }}"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("may not be called").contains("127.0.0.1");
        Reply tried = json(port, "POST", "/api/v1/data-sources/recs/test", Map.of("profile", Map.of("email", "a@b.c")));
        assertThat(tried.status()).isEqualTo(400);
        assertThat(tried.json().at("/errors/0/rule").asText()).contains("may not be called");
        Reply bad = json(port, "PUT", "/api/v1/data-sources/q", Map.of("kind", "sql", "url", "jdbc:h2:mem:x", "query", "DROP TABLE x"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"url\"").contains("\"field\":\"query\"");
    }

    @Test
    void sqlSourcesAreGuardedOnEveryHostForDataSourcesImportsAndSyncs() {
        // the probe: an unanswering first host, then this machine's PostgreSQL as its superuser, reading a server file
        String probe = "jdbc:postgresql://192.0.2.1:5432,127.0.0.1:5432/test?connectTimeout=1";
        Reply saved = json(port, "PUT", "/api/v1/data-sources/files", Map.of("kind", "sql", "url", probe, "user", "postgres",
                "query", "SELECT pg_read_file('/etc/hostname') AS h", "timeoutMs", 3000));
        if (saved.status() == 200) {
            Reply tried = json(port, "POST", "/api/v1/data-sources/files/test", Map.of("profile", Map.of("email", "a@b.c")));
            assertThat(tried.status()).as(tried.body()).isEqualTo(400);
            assertThat(tried.body()).contains("127.0.0.1").contains("loopback or private");
        } else {
            assertThat(saved.status()).isEqualTo(400);
            assertThat(saved.body()).contains("127.0.0.1").contains("loopback or private");
        }
        Reply sqlImport = json(port, "POST", "/api/v1/databases/shop/sql-imports", Map.of("name", "probe", "jdbcUrl", probe,
                "user", "postgres", "query", "SELECT pg_read_file('/etc/hostname') AS email", "matching", "email"));
        assertThat(sqlImport.status()).as(sqlImport.body()).isEqualTo(400);
        assertThat(sqlImport.json().at("/errors/0/field").asText()).isEqualTo("jdbcUrl");
        assertThat(sqlImport.json().at("/errors/0/rule").asText()).contains("127.0.0.1");
        Reply driverClass = json(port, "POST", "/api/v1/databases/shop/sql-imports", Map.of("name", "probe",
                "jdbcUrl", "jdbc:postgresql://192.0.2.1/test?socketFactory=org.springframework.context.support.ClassPathXmlApplicationContext",
                "query", "SELECT 1 AS email", "matching", "email"));
        assertThat(driverClass.status()).isEqualTo(400);
        assertThat(driverClass.json().at("/errors/0/rule").asText()).contains("'socketFactory' is not allowed");

        Reply segment = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "shop", "name", "Probed",
                "definition", Map.of("type", "field", "field", "email", "op", "eq", "value", "nobody@x.io")));
        assertThat(segment.status()).as(segment.body()).isEqualTo(201);
        Reply sync = json(port, "POST", "/api/v1/segments/" + segment.json().at("/segment/id").asText() + "/syncs", Map.of("jdbcUrl", probe,
                "user", "postgres", "table", "probe", "fields", List.of("email")));
        assertThat(sync.status()).as(sync.body()).isEqualTo(400);
        assertThat(sync.body()).contains("127.0.0.1").contains("loopback or private");
    }
}
