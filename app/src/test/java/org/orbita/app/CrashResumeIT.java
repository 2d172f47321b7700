package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orbita.sending.EmailEnvelope;

/**
 * The packaged application killed with SIGKILL in the middle of an import: after a restart
 * the job resumes after its last committed batch and ends with every row applied once.
 */
class CrashResumeIT {

    static final int ROWS = 120_000;
    Process app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.destroyForcibly();
        }
    }

    private Process start(Path data, int port, String... extra) throws IOException {
        return PackagedApp.start(data, port, extra);
    }

    /** A one-time email campaign to a segment's members, launched: its id and its run's job id. */
    private static String[] launchToEveryone(int port, String segmentId) {
        var message = ApiTestSupport.json(port, "POST", "/api/v1/messages", Map.of("name", "M", "email", Map.of("subject", "Hi {{ profile.n }}",
                "fromAddress", "news@shop.example", "html", "<p>Number {{ profile.n }}</p>")));
        var campaign = ApiTestSupport.json(port, "POST", "/api/v1/campaigns", Map.of("name", "Everyone", "database", "crm",
                "segments", List.of(segmentId), "messageId", message.json().get("id").asText()));
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
        String id = campaign.json().get("id").asText();
        return new String[] {id, ApiTestSupport.json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null).json().at("/job/id").asText()};
    }

    /** Kills the app with SIGKILL once its run has processed {@code atLeast} profiles, and checks it was mid-send. */
    private void killMidSend(int port, String run, long atLeast, int profiles) throws InterruptedException {
        long processedAtKill = 0;
        for (int i = 0; i < 1500 && processedAtKill < atLeast; i++) {
            processedAtKill = ApiTestSupport.json(port, "GET", "/api/v1/jobs/" + run, null).json().get("processed").asLong();
            sleep(20);
        }
        app.destroyForcibly().waitFor();
        assertThat(processedAtKill).as("killed mid-send").isGreaterThan(0).isLessThan(profiles);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anImportKilledMidwayResumesAndAppliesEveryRowOnce() throws Exception {
        Path data = Files.createTempDirectory("orbita-crash-");
        int port = ApiTestSupport.freePort();
        app = start(data, port);
        assertThat(ApiTestSupport.json(port, "POST", "/api/v1/databases", Map.of("id", "crm", "name", "CRM", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "n", "type", "integer")))).status())
                .isEqualTo(201);
        Path csv = data.resolveSibling(data.getFileName() + ".csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("email,n\n");
            for (int i = 0; i < ROWS; i++) {
                w.write("c" + i + "@x.io," + i + "\n");
            }
        }
        var started = ApiTestSupport.multipart(port, "/api/v1/databases/crm/imports", "c.csv", Files.readAllBytes(csv), Map.of());
        String jobId = started.json().get("id").asText();

        long processedAtKill = 0;
        for (int i = 0; i < 600 && processedAtKill == 0; i++) {
            processedAtKill = ApiTestSupport.json(port, "GET", "/api/v1/jobs/" + jobId, null).json().get("processed").asLong();
            sleep(50);
        }
        app.destroyForcibly().waitFor();
        assertThat(processedAtKill).as("killed after the first batch committed").isGreaterThan(0).isLessThan(ROWS);

        app = start(data, port);
        JsonNode job = null;
        for (int i = 0; i < 1200; i++) {
            job = ApiTestSupport.json(port, "GET", "/api/v1/jobs/" + jobId, null).json();
            if (job.get("status").asText().matches("succeeded|failed")) {
                break;
            }
            sleep(100);
        }
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        assertThat(job.get("processed").asLong()).isEqualTo(ROWS);
        assertThat(job.get("succeeded").asLong()).isEqualTo(ROWS);
        assertThat(job.get("failed").asLong()).isZero();
        assertThat(ApiTestSupport.json(port, "GET", "/api/v1/databases/crm", null).json().get("profiles").asLong()).isEqualTo(ROWS);
        assertThat(ApiTestSupport.json(port, "GET", "/api/v1/databases/crm/profiles?matching=email&value=c" + (ROWS - 1) + "@x.io",
                null).json().at("/fields/n").asLong()).isEqualTo(ROWS - 1);
    }

    /**
     * A campaign to 12,000 profiles killed with SIGKILL mid-send, on the production queue path
     * (the local RabbitMQ): after a restart the run resumes from its ledger and every recipient
     * is on the MTA's queue under its key; the only repeats are pending entries of the page in
     * flight, re-published with the same key, which the MTA drops ({@code MtaTest}).
     */
    @Test
    void aCampaignKilledMidSendResumesAndQueuesEveryRecipientOnce() throws Exception {
        int profiles = 12_000;
        String queue = "orbita.email.crash." + System.nanoTime();
        Path data = Files.createTempDirectory("orbita-campaign-crash-");
        int port = ApiTestSupport.freePort();
        String[] rabbit = {"--orbita.queue.kind=rabbitmq", "--orbita.queue.email-queue=" + queue};
        app = start(data, port, rabbit);
        assertThat(ApiTestSupport.json(port, "POST", "/api/v1/databases", Map.of("id", "crm", "name", "CRM", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "n", "type", "integer")))).status())
                .isEqualTo(201);
        for (int from = 0; from < profiles; from += 6_000) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = from; i < from + 6_000; i++) {
                String email = "c" + i + "@x.io";
                batch.add(Map.of("fields", Map.of("email", email, "n", i),
                        "subscriptions", List.of(Map.of("channel", "email", "address", email, "status", "active"))));
            }
            var r = ApiTestSupport.json(port, "POST", "/api/v1/databases/crm/profiles/batch", Map.of("matching", "email", "profiles", batch));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        var segment = ApiTestSupport.json(port, "POST", "/api/v1/segments", Map.of("databaseId", "crm", "name", "Everyone",
                "definition", Map.of("type", "group", "match", "all", "conditions", List.of(Map.of("type", "field", "field", "n", "op", "gte", "value", 0)))));
        assertThat(segment.status()).as(segment.body()).isEqualTo(201);
        String segmentId = segment.json().at("/segment/id").asText();
        for (int i = 0; i < 600 && ApiTestSupport.json(port, "GET", "/api/v1/segments/" + segmentId + "/count", null).json().get("count").asInt() < profiles; i++) {
            sleep(100);
        }
        String[] launched = launchToEveryone(port, segmentId);
        String id = launched[0];
        String run = launched[1];
        killMidSend(port, run, 1_000, profiles);

        app = start(data, port, rabbit);
        JsonNode report = null;
        for (int i = 0; i < 1200; i++) {
            report = ApiTestSupport.json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json();
            if (!report.get("status").asText().equals("sending")) {
                break;
            }
            sleep(100);
        }
        assertThat(report.get("status").asText()).as(report.toString()).isEqualTo("sent");
        assertThat(report.at("/ledger/queued").asLong()).isEqualTo(profiles);
        assertThat(report.at("/ledger/pending").isMissingNode()).isTrue();

        ConnectionFactory f = new ConnectionFactory();
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            Map<String, Integer> byKey = new HashMap<>();
            Set<String> recipients = new HashSet<>();
            ObjectMapper json = new ObjectMapper();
            for (GetResponse r; (r = ch.basicGet(queue, true)) != null; ) {
                JsonNode m = EmailEnvelope.read(r.getBody());
                byKey.merge(m.get("id").asText(), 1, Integer::sum);
                recipients.add(m.at("/to/0").asText());
            }
            ch.queueDelete(queue);
            assertThat(recipients).hasSize(profiles);
            assertThat(byKey).hasSize(profiles).allSatisfy((k, n) -> assertThat(k).startsWith(run + "/"));
            long repeats = byKey.values().stream().mapToLong(n -> n - 1).sum();
            assertThat(repeats).as("re-published pending entries of the page in flight").isLessThanOrEqualTo(500);
        }
    }

    /**
     * The embedded platform — broker and mail sender in the app's process — killed with SIGKILL
     * in the middle of a campaign while the receiving server is down, so what was queued sits
     * in the broker and the sender's spool: after a restart, once the server is up, every
     * recipient gets the message exactly once. (A message the receiver had taken in the very
     * moment of the kill, its "250" not yet read, would come twice, as SMTP has it; the receiver
     * being down at the kill keeps that window out of this test.)
     */
    @Test
    void anEmbeddedCampaignKilledMidSendDeliversEveryRecipientOnceAfterRestart() throws Exception {
        int profiles = 3_000;
        Path data = Files.createTempDirectory("orbita-embedded-crash-");
        int port = ApiTestSupport.freePort();
        int sinkPort = ApiTestSupport.freePort();
        Path mtaConfig = data.resolveSibling(data.getFileName() + "-mta.properties");
        Files.writeString(mtaConfig, "mta.route.*=127.0.0.1:" + sinkPort + "\nmta.smtp.port=" + ApiTestSupport.freePort()
                + "\nmta.http.port=" + ApiTestSupport.freePort() + "\nmta.delivery.retry-base=1s\nmta.delivery.retry-max=2s\n"
                + "mta.hostname=sender.test\n");
        Map<String, String> env = Map.of("ORBITA_ADMIN_PASSWORD", ApiTestSupport.ADMIN_PASSWORD, "ORBITA_ADMIN_API_KEY", ApiTestSupport.ADMIN_KEY,
                "ORBITA_MTA_CONFIG", mtaConfig.toString());
        String embedded = "--orbita.queue.embedded-mta=true";
        app = PackagedApp.startWith(data, port, env, embedded);
        assertThat(ApiTestSupport.json(port, "POST", "/api/v1/databases", Map.of("id", "crm", "name", "CRM", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "n", "type", "integer")))).status())
                .isEqualTo(201);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < profiles; i++) {
            String email = "e" + i + "@x.io";
            batch.add(Map.of("fields", Map.of("email", email, "n", i),
                    "subscriptions", List.of(Map.of("channel", "email", "address", email, "status", "active"))));
        }
        var written = ApiTestSupport.json(port, "POST", "/api/v1/databases/crm/profiles/batch", Map.of("matching", "email", "profiles", batch));
        assertThat(written.status()).as(written.body()).isEqualTo(200);
        var segment = ApiTestSupport.json(port, "POST", "/api/v1/segments", Map.of("databaseId", "crm", "name", "Everyone",
                "definition", Map.of("type", "field", "field", "n", "op", "gte", "value", 0)));
        assertThat(segment.status()).as(segment.body()).isEqualTo(201);
        String segmentId = segment.json().at("/segment/id").asText();
        String[] launched = launchToEveryone(port, segmentId);
        String id = launched[0];
        killMidSend(port, launched[1], 600, profiles);

        try (SmtpSink sink = new SmtpSink(sinkPort)) {
            app = PackagedApp.startWith(data, port, env, embedded);
            for (int i = 0; i < 1800 && sink.received.size() < profiles; i++) {
                sleep(100);
            }
            sleep(3_000); // time for a second copy of anything, were one coming
            assertThat(sink.received).as("every recipient, each once").hasSize(profiles);
            assertThat(sink.received.values().stream().filter(n -> n.get() != 1).count()).as("recipients given the message twice").isZero();
            JsonNode report = ApiTestSupport.json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json();
            assertThat(report.get("status").asText()).as(report.toString()).isEqualTo("sent");
        }
    }

    /**
     * Journeys with the app killed with SIGKILL while 300 profiles are on their way (some marked,
     * most in a pause): after a restart every instance is put back where the ledger has it, the
     * pause keeps its due time, and each profile gets the journey's webhook exactly once — none
     * lost, none repeated — and leaves.
     */
    @Test
    void aJourneyKilledMidwayGoesOnForEveryProfileFromWhereItWas() throws Exception {
        int profiles = 300;
        ConcurrentHashMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        HttpServer hooks = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hooks.createContext("/hook", x -> {
            String who = new ObjectMapper().readTree(x.getRequestBody().readAllBytes()).path("who").asText();
            calls.computeIfAbsent(who, k -> new AtomicInteger()).incrementAndGet();
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        hooks.start();
        try {
            Path data = Files.createTempDirectory("orbita-journey-crash-");
            int port = ApiTestSupport.freePort();
            String[] props = {"--orbita.content.external.allowed-hosts=127.0.0.1", "--orbita.zeebe.engines=4"};
            app = start(data, port, props);
            assertThat(ApiTestSupport.json(port, "POST", "/api/v1/databases", Map.of("id", "crm", "name", "CRM", "fields", List.of(
                    Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "stage", "type", "string")))).status()).isEqualTo(201);
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < profiles; i++) {
                batch.add(Map.of("fields", Map.of("email", "j" + i + "@x.io")));
            }
            assertThat(ApiTestSupport.json(port, "POST", "/api/v1/databases/crm/profiles/batch", Map.of("matching", "email", "profiles", batch))
                    .status()).isEqualTo(200);
            var message = ApiTestSupport.json(port, "POST", "/api/v1/messages", Map.of("name", "Hook", "webhook", Map.of("method", "POST",
                    "url", "http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook", "body", "{\"who\": {{ profile.email | json }}}")));
            assertThat(message.status()).as(message.body()).isEqualTo(201);
            var journey = ApiTestSupport.json(port, "POST", "/api/v1/journeys", Map.of("name", "Crash", "databaseId", "crm", "journey", Map.of(
                    "nodes", List.of(Map.of("id", "start", "type", "start", "settings", Map.of("entry", "api")),
                            Map.of("id", "mark", "type", "update-profile", "settings", Map.of("fields", "{\"stage\": \"marked\"}")),
                            Map.of("id", "wait", "type", "pause", "settings", Map.of("duration", "PT25S")),
                            Map.of("id", "hook", "type", "send-message", "settings", Map.of("messageId", message.json().get("id").asText(),
                                    "channels", "webhook")),
                            Map.of("id", "end", "type", "exit", "settings", Map.of())),
                    "links", List.of(Map.of("from", "start", "to", "mark"), Map.of("from", "mark", "to", "wait"), Map.of("from", "wait", "to", "hook"),
                            Map.of("from", "hook", "to", "end")))));
            String id = journey.json().at("/definition/id").asText();
            assertThat(ApiTestSupport.json(port, "POST", "/api/v1/journeys/" + id + "/publish", null).status()).isEqualTo(200);
            List<Map<String, Object>> entering = new ArrayList<>();
            for (int i = 0; i < profiles; i++) {
                entering.add(Map.of("profile", "j" + i + "@x.io", "matchBy", "email"));
            }
            var entered = ApiTestSupport.json(port, "POST", "/api/v1/journeys/" + id + "/start", Map.of("profiles", entering));
            assertThat(entered.json().path("entered").asInt()).as(entered.body()).isEqualTo(profiles);
            // killed while the profiles are being marked and waiting
            long waiting = 0;
            for (int i = 0; i < 400 && waiting < 20; i++) {
                waiting = ApiTestSupport.json(port, "GET", "/api/v1/journeys/" + id + "/stats", null).json().at("/nodes/wait/waiting").asLong();
                sleep(50);
            }
            app.destroyForcibly().waitFor();
            assertThat(waiting).as("some profiles in the pause when the app died").isGreaterThan(0);
            assertThat(calls).as("the pause was not over yet").isEmpty();

            app = start(data, port, props);
            JsonNode stats = null;
            for (int i = 0; i < 1200; i++) {
                stats = ApiTestSupport.json(port, "GET", "/api/v1/journeys/" + id + "/stats", null).json();
                if (stats.path("exited").asLong() >= profiles) {
                    break;
                }
                sleep(100);
            }
            // the webhooks follow the journey through the channel's queue and worker
            for (int i = 0; i < 300 && calls.size() < profiles; i++) {
                sleep(100);
            }
            sleep(1000);
            assertThat(stats.path("exited").asLong()).as(stats.toString()).isEqualTo(profiles);
            assertThat(stats.path("live").asLong()).isZero();
            assertThat(calls).hasSize(profiles);
            assertThat(calls.values().stream().mapToInt(AtomicInteger::get).max().orElse(0)).as("no profile twice").isEqualTo(1);
            assertThat(ApiTestSupport.json(port, "GET", "/api/v1/databases/crm/profiles?matching=email&value=j7@x.io", null).json()
                    .at("/fields/stage").asText()).isEqualTo("marked");
        } finally {
            hooks.stop(0);
        }
    }
}
