package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.orbita.app.ApiTestSupport.Reply;
import org.orbita.channels.WebPushKeys;
import org.orbita.queues.SendQueue;
import org.orbita.sending.EmailEnvelope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A one-time email campaign over HTTP: checks, launch, every recipient once on the MTA's queue, the ledger and history. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CampaignsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    SendQueue queue;

    /** Telegram's Bot API and a webhook receiver, on loopback, as the services answer. */
    static HttpServer services;
    static final List<JsonNode> telegramCalls = new CopyOnWriteArrayList<>();
    static final List<Long> telegramTimes = new CopyOnWriteArrayList<>();
    static final List<JsonNode> hookCalls = new CopyOnWriteArrayList<>();
    static final List<String> smsCalls = new CopyOnWriteArrayList<>();
    static final List<JsonNode> pushCalls = new CopyOnWriteArrayList<>();
    static final List<String> webpushCalls = new CopyOnWriteArrayList<>();
    static final AtomicInteger hookFailures = new AtomicInteger(1);

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
        services = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        services.createContext("/botT0KEN/", x -> {
            JsonNode body = JSON.readTree(x.getRequestBody().readAllBytes());
            telegramCalls.add(body);
            telegramTimes.add(System.nanoTime());
            boolean blocked = body.get("chat_id").asText().equals("666");
            byte[] answer = (blocked ? "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}"
                    : "{\"ok\":true,\"result\":{\"message_id\":" + telegramCalls.size() + "}}").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(blocked ? 403 : 200, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        services.createContext("/hook", x -> {
            JsonNode body = JSON.readTree(x.getRequestBody().readAllBytes());
            int status = hookFailures.getAndDecrement() > 0 ? 500 : 204; // the first call fails: tried again
            if (status == 204) {
                hookCalls.add(body);
            }
            x.sendResponseHeaders(status, -1);
            x.close();
        });
        services.createContext("/2010-04-01/Accounts/ACtest/Messages.json", x -> {
            smsCalls.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = ("{\"sid\":\"SM" + smsCalls.size() + "\",\"status\":\"queued\"}").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(201, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        services.createContext("/v1/projects/rs-1/messages:send", x -> {
            JsonNode m = JSON.readTree(x.getRequestBody().readAllBytes()).path("message");
            pushCalls.add(m);
            boolean stale = m.path("token").asText().equals("stale");
            byte[] answer = (stale ? "{\"error\":{\"code\":404,\"message\":\"token not found\",\"status\":\"NOT_FOUND\"}}" : "{}")
                    .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(stale ? 404 : 200, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        services.createContext("/wp/", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            webpushCalls.add(x.getRequestURI().getPath() + " " + x.getRequestHeaders().getFirst("Content-Encoding") + " "
                    + x.getRequestHeaders().getFirst("Authorization").startsWith("vapid t=") + " " + (body.length > 86));
            x.sendResponseHeaders(201, -1);
            x.close();
        });
        services.start();
        registry.add("orbita.channels.push.rustore.project-id", () -> "rs-1");
        registry.add("orbita.channels.push.rustore.service-token", () -> "svc");
        registry.add("orbita.channels.push.rustore.api-url", () -> "http://127.0.0.1:" + services.getAddress().getPort());
        registry.add("orbita.channels.sms.account-sid", () -> "ACtest");
        registry.add("orbita.channels.sms.auth-token", () -> "secret");
        registry.add("orbita.channels.sms.from", () -> "+15550001111");
        registry.add("orbita.channels.sms.api-url", () -> "http://127.0.0.1:" + services.getAddress().getPort());
        registry.add("orbita.channels.telegram.bot-token", () -> "T0KEN");
        registry.add("orbita.channels.telegram.api-url", () -> "http://127.0.0.1:" + services.getAddress().getPort());
        registry.add("orbita.channels.retry.first-wait", () -> "100ms");
        registry.add("orbita.campaigns.approval-threshold", () -> "100");
        registry.add("orbita.channels.rates.telegram", () -> "4"); // the bot's calls at most 4 a second
        registry.add("orbita.content.external.allowed-hosts", () -> "127.0.0.1");
    }

    @AfterAll
    void stopServices() {
        services.stop(0);
    }

    @Test
    void aLaunchIsCheckedFirstForItsAudienceAndWhatCannotDeliver() {
        Reply db = json(port, "POST", "/api/v1/databases", Map.of("id", "chk", "name", "Check", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true))));
        assertThat(db.status()).as(db.body()).isEqualTo(201);
        List<Map<String, Object>> people = List.of(
                Map.of("fields", Map.of("email", "on@x.io"), "subscriptions", List.of(Map.of("channel", "email", "address", "on@x.io", "status", "active"))),
                Map.of("fields", Map.of("email", "off@x.io"), "subscriptions", List.of(Map.of("channel", "email", "address", "off@x.io", "status", "unsubscribed"))),
                Map.of("fields", Map.of("email", "held@x.io"), "status", "suspended",
                        "subscriptions", List.of(Map.of("channel", "email", "address", "held@x.io", "status", "active"))));
        Reply written = json(port, "POST", "/api/v1/databases/chk/profiles/batch", Map.of("matching", "email", "profiles", people));
        assertThat(written.json().get("created").asInt()).as(written.body()).isEqualTo(3);
        String everyone = segment("chk", "Everyone", Map.of("type", "field", "field", "email", "op", "contains", "value", "@"));
        String message = json(port, "POST", "/api/v1/messages", Map.of("name", "Check", "email", Map.of("subject", "Hi",
                "fromAddress", "news@shop.example", "html", "<p>Hi</p>"))).json().get("id").asText();
        Reply campaign = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Checked", "database", "chk", "segments", List.of(everyone),
                "messageId", message, "channels", List.of("email")));
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);

        Reply check = json(port, "GET", "/api/v1/campaigns/" + campaign.json().get("id").asText() + "/launch-check", null);
        assertThat(check.status()).as(check.body()).isEqualTo(200);
        assertThat(check.json().get("profiles").asLong()).isEqualTo(3);
        assertThat(check.json().at("/reachable/email").asLong()).isEqualTo(1);
        assertThat(check.json().at("/skipped/no active email subscription").asLong()).isEqualTo(1);
        assertThat(check.json().at("/skipped/the profile is suspended").asLong()).isEqualTo(1);
        // no mail sender reads this test's email queue (the app's own node is off in tests)
        assertThat(check.json().get("warnings").toString()).contains("no mail sender reads the email queue");
        assertThat(json(port, "GET", "/api/v1/campaigns/nope/launch-check", null).status()).isEqualTo(404);
    }

    @Test
    void telegramAndWebhookCampaignsGoThroughTheirProvidersOnceEach() throws Exception {
        Reply db = json(port, "POST", "/api/v1/databases", Map.of("id", "bot", "name", "Bot", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "name", "type", "string"))));
        assertThat(db.status()).as(db.body()).isEqualTo(201);
        for (String[] p : new String[][] {{"ann@example.com", "Ann", "101", "+79161234567"}, {"bob@example.com", "Bob", "666", null},
                {"cid@example.com", "Cid", null, "+79161234568"}}) {
            Map<String, Object> profile = new HashMap<>(Map.of("matching", "email", "fields", Map.of("email", p[0], "name", p[1])));
            List<Map<String, Object>> subs = new ArrayList<>();
            if (p[2] != null) {
                subs.add(Map.of("channel", "telegram", "address", p[2]));
            }
            if (p[3] != null) {
                subs.add(Map.of("channel", "sms", "address", p[3]));
            }
            profile.put("subscriptions", subs);
            assertThat(json(port, "POST", "/api/v1/databases/bot/profiles", profile).status()).isEqualTo(201);
        }
        String all = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "bot", "name", "All", "definition", Map.of("type", "group",
                "match", "all", "conditions", List.of(Map.of("type", "field", "field", "email", "op", "is_set"))))).json().at("/segment/id").asText();
        Reply message = json(port, "POST", "/api/v1/messages", Map.of("name", "Bot news", "sms", Map.of("text", "{{ profile.name }}, -40%"),
                "telegram", Map.of("text", "<b>Hi {{ profile.name }}</b>", "parseMode", "HTML",
                        "buttons", List.of(Map.of("title", "Open", "link", "https://shop.example", "row", 0))),
                "webhook", Map.of("method", "POST", "url", "http://127.0.0.1:" + services.getAddress().getPort() + "/hook",
                        "body", "{\"who\": {{ profile.name | json }}}")));
        assertThat(message.status()).as(message.body()).isEqualTo(201);
        Reply campaign = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Bot news", "database", "bot", "segments", List.of(all),
                "messageId", message.json().get("id").asText(), "channels", List.of("telegram", "webhook", "sms")));
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
        String id = campaign.json().get("id").asText();
        assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(200);
        JsonNode ledger = ledgerOnce(id, 6, 1);
        // telegram: Ann delivered, Bob blocked the bot, Cid has no chat; webhooks: all three (the first call was retried);
        // SMS: Ann and Cid, Bob has no number
        assertThat(ledger.toString()).isEqualTo("{\"delivered\":6,\"failed\":1,\"skipped\":2}");
        assertThat(smsCalls).hasSize(2).anySatisfy(f -> assertThat(URLDecoder.decode(f, StandardCharsets.UTF_8))
                .contains("To=+79161234567").contains("From=+15550001111").contains("Body=Ann, -40%"));
        assertThat(telegramCalls).anySatisfy(c -> {
            assertThat(c.get("chat_id").asText()).isEqualTo("101");
            assertThat(c.get("text").asText()).isEqualTo("<b>Hi Ann</b>");
            assertThat(c.at("/reply_markup/inline_keyboard/0/0/url").asText()).matches("http://localhost:\\d+/t/c/.+");
        });
        assertThat(hookCalls).extracting(h -> h.get("who").asText()).containsExactlyInAnyOrder("Ann", "Bob", "Cid");
        assertThat(telegramTimes).hasSize(2);
        assertThat(telegramTimes.get(1) - telegramTimes.get(0)).as("spaced by the channel's rate (250 ms; the first call also opens the connection, so it may land later)").isGreaterThanOrEqualTo(125_000_000L);
        String bob = json(port, "GET", "/api/v1/databases/bot/profiles?matching=email&value=bob@example.com", null).json().get("id").asText();
        JsonNode bobProfile = json(port, "GET", "/api/v1/databases/bot/profiles/" + bob, null).json();
        assertThat(bobProfile.at("/subscriptions/0/status").asText()).isEqualTo("unsubscribed");
        Reply history = json(port, "GET", "/api/v1/databases/bot/profiles/" + bob + "/history", null);
        assertThat(history.body()).contains("message.failed").contains("bot was blocked by the user").contains("message.delivered");
    }

    /** A database of {@code n} profiles {@code <id><i>@example.com}, each with an active email subscription, and a segment of them all. */
    String subscribers(String id, String name, int n) {
        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", id, "name", name, "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true)))).status()).isEqualTo(201);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(Map.of("fields", Map.of("email", id + i + "@example.com"),
                    "subscriptions", List.of(Map.of("channel", "email", "address", id + i + "@example.com"))));
        }
        assertThat(json(port, "POST", "/api/v1/databases/" + id + "/profiles/batch", Map.of("matching", "email", "profiles", batch)).status())
                .isEqualTo(200);
        return segment(id, "Everyone", Map.of("type", "field", "field", "email", "op", "is_set"));
    }

    /** The run's ledger counts once so many entries are delivered and failed (or after 60 s — a loaded machine — for the assertion to show). */
    JsonNode ledgerOnce(String campaignId, int delivered, int failed) throws Exception {
        JsonNode ledger = null;
        for (int i = 0; i < 600; i++) {
            ledger = json(port, "GET", "/api/v1/campaigns/" + campaignId + "/report", null).json().get("ledger");
            if (ledger != null && ledger.path("delivered").asInt() == delivered && ledger.path("failed").asInt() == failed) {
                break;
            }
            Thread.sleep(100);
        }
        return ledger;
    }

    @Test
    void anObserverDatabaseGetsACopyOfEachRunOutsideTheFigures() throws Exception {
        for (String id : new String[] {"obsmain", "seeds"}) {
            assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", id, "name", id, "fields", List.of(
                    Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "name", "type", "string")))).status()).isEqualTo(201);
        }
        for (String[] p : new String[][] {{"obsmain", "c1@example.com", "Carl"}, {"obsmain", "c2@example.com", "Cleo"},
                {"seeds", "seed@agency.example", "Seed"}, {"seeds", "noemail@agency.example", null}}) {
            Map<String, Object> profile = new HashMap<>(Map.of("matching", "email", "fields", p[2] == null ? Map.of("email", p[1])
                    : Map.of("email", p[1], "name", p[2])));
            profile.put("subscriptions", p[2] == null ? List.of() : List.of(Map.of("channel", "email", "address", p[1])));
            assertThat(json(port, "POST", "/api/v1/databases/" + p[0] + "/profiles", profile).status()).isEqualTo(201);
        }
        String all = segment("obsmain", "Everyone", Map.of("type", "field", "field", "email", "op", "is_set"));
        String message = json(port, "POST", "/api/v1/messages", Map.of("name", "Seeded", "email", Map.of("subject", "Hello {{ profile.name }}",
                "fromAddress", "news@shop.example", "html", "<p>Hi <a href=\"https://shop.example\">shop</a></p>"))).json().get("id").asText();
        Map<String, Object> draft = new HashMap<>(Map.of("name", "Seeded", "database", "obsmain", "segments", List.of(all),
                "messageId", message, "channels", List.of("email"), "observers", "nope"));
        Reply bad = json(port, "POST", "/api/v1/campaigns", draft);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("\"observers\"").contains("no such database");
        draft.put("observers", "obsmain");
        assertThat(json(port, "POST", "/api/v1/campaigns", draft).body()).contains("not the campaign's own database");
        draft.put("observers", "seeds");
        String id = json(port, "POST", "/api/v1/campaigns", draft).json().get("id").asText();
        List<JsonNode> seedCopies = new CopyOnWriteArrayList<>();
        List<JsonNode> published = new CopyOnWriteArrayList<>();
        try (SendQueue.Consumer consumer = queue.consume("orbita.email", 100, m -> {
            JsonNode j = EmailEnvelope.read(m.body());
            if (j.at("/to/0").asText().equals("seed@agency.example")) {
                seedCopies.add(j);
            } else if (j.at("/headers/X-Orbita-Campaign").asText().equals(id)) {
                published.add(j);
            }
        })) {
            assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(200);
            for (int i = 0; i < 100 && (published.size() < 2 || seedCopies.isEmpty()); i++) {
                Thread.sleep(100);
            }
            Thread.sleep(300);
        }
        assertThat(published).hasSize(2);
        assertThat(seedCopies).hasSize(1);
        assertThat(seedCopies.get(0).get("subject").asText()).isEqualTo("Hello Seed");
        assertThat(seedCopies.get(0).get("id").asText()).contains(".observers/");
        JsonNode report = json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json();
        assertThat(report.at("/stats/sent").asLong()).isEqualTo(2); // the copy is not one of the campaign's sends
        assertThat(report.at("/job/result/observers").asLong()).as(report.toString()).isEqualTo(1);
        String seed = json(port, "GET", "/api/v1/databases/seeds/profiles?matching=email&value=seed@agency.example", null).json().get("id").asText();
        assertThat(json(port, "GET", "/api/v1/databases/seeds/profiles/" + seed + "/history", null).body()).contains("observer_of").contains(id);
    }

    @Test
    void pushWebPushAndTheInAppInboxShareThePushVariant() throws Exception {
        Reply db = json(port, "POST", "/api/v1/databases", Map.of("id", "app", "name", "App", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "name", "type", "string"))));
        assertThat(db.status()).as(db.body()).isEqualTo(201);
        Reply channels = json(port, "GET", "/api/v1/channels", null);
        assertThat(channels.json().get("channels").toString()).contains("\"push\"").contains("\"webpush\"").contains("\"inapp\"");
        String vapid = channels.json().get("webpushPublicKey").asText();
        assertThat(json(port, "GET", "/t/webpush/key", null).json().get("publicKey").asText()).isEqualTo(vapid).hasSize(87);
        byte[] auth = new byte[16];
        new SecureRandom().nextBytes(auth);
        String browser = "{\"endpoint\":\"http://127.0.0.1:" + services.getAddress().getPort() + "/wp/ann\",\"keys\":{\"p256dh\":\""
                + WebPushKeys.generate()[0] + "\",\"auth\":\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(auth) + "\"}}";
        Object[][] people = {{"ann@example.com", "Ann", List.of(Map.of("channel", "push", "address", "rustore:tok-ann"),
                Map.of("channel", "webpush", "address", browser))},
                {"bob@example.com", "Bob", List.of(Map.of("channel", "push", "address", "rustore:stale"))},
                {"cid@example.com", "Cid", List.of()}};
        for (Object[] p : people) {
            Reply r = json(port, "POST", "/api/v1/databases/app/profiles", Map.of("matching", "email", "fields", Map.of("email", p[0], "name", p[1]),
                    "subscriptions", p[2]));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }
        String all = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "app", "name", "All", "definition", Map.of("type", "group",
                "match", "all", "conditions", List.of(Map.of("type", "field", "field", "email", "op", "is_set"))))).json().at("/segment/id").asText();
        Reply smsOnly = json(port, "POST", "/api/v1/messages", Map.of("name", "Only SMS", "sms", Map.of("text", "hi")));
        Reply refused = json(port, "POST", "/api/v1/campaigns", Map.of("name", "x", "database", "app", "segments", List.of(all),
                "messageId", smsOnly.json().get("id").asText(), "channels", List.of("inapp")));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("the message has no push variant (inapp sends it)");
        Reply message = json(port, "POST", "/api/v1/messages", Map.of("name", "App news", "push", Map.of("title", "Hi {{ profile.name }}",
                "body", "Your -20% is waiting", "deepLink", "https://shop.example/sale")));
        assertThat(message.status()).as(message.body()).isEqualTo(201);
        Reply campaign = json(port, "POST", "/api/v1/campaigns", Map.of("name", "App news", "database", "app", "segments", List.of(all),
                "messageId", message.json().get("id").asText(), "channels", List.of("push", "webpush", "inapp")));
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
        String id = campaign.json().get("id").asText();
        assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(200);
        JsonNode ledger = ledgerOnce(id, 5, 1);
        // push: Ann delivered, Bob's token gone, Cid none; web push: Ann only; the inbox: all three
        assertThat(ledger.toString()).isEqualTo("{\"delivered\":5,\"failed\":1,\"skipped\":3}");
        assertThat(pushCalls).anySatisfy(m -> {
            assertThat(m.path("token").asText()).isEqualTo("tok-ann");
            assertThat(m.at("/notification/title").asText()).isEqualTo("Hi Ann");
            assertThat(m.at("/data/link").asText()).matches("http://localhost:\\d+/t/c/.+");
        });
        assertThat(webpushCalls).containsExactly("/wp/ann aes128gcm true true");
        String bob = json(port, "GET", "/api/v1/databases/app/profiles?matching=email&value=bob@example.com", null).json().get("id").asText();
        assertThat(json(port, "GET", "/api/v1/databases/app/profiles/" + bob, null).json().at("/subscriptions/0/status").asText()).isEqualTo("suspended");

        String cid = json(port, "GET", "/api/v1/databases/app/profiles?matching=email&value=cid@example.com", null).json().get("id").asText();
        JsonNode inbox = json(port, "GET", "/api/v1/databases/app/profiles/" + cid + "/inbox", null).json();
        assertThat(inbox.get("unread").asInt()).isEqualTo(1);
        JsonNode item = inbox.at("/messages/0");
        assertThat(item.get("title").asText()).isEqualTo("Hi Cid");
        assertThat(item.get("campaign").asText()).isEqualTo(id);
        assertThat(item.get("link").asText()).matches("http://localhost:\\d+/t/c/.+");
        String itemId = item.get("id").asText();
        assertThat(json(port, "POST", "/api/v1/databases/app/profiles/" + cid + "/inbox/" + itemId + "/read", null).status()).isEqualTo(204);
        assertThat(json(port, "POST", "/api/v1/databases/app/profiles/" + cid + "/inbox/" + itemId + "/read", null).status()).isEqualTo(204);
        assertThat(json(port, "GET", "/api/v1/databases/app/profiles/" + cid + "/inbox?unread=true", null).json().get("unread").asInt()).isZero();
        assertThat(json(port, "GET", "/api/v1/databases/app/profiles/" + cid + "/inbox", null).json().at("/messages/0/read").asBoolean()).isTrue();
        JsonNode report = json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json();
        assertThat(report.at("/stats/uniqueOpened").asLong()).as(report.toString()).isEqualTo(1);
        // per channel: the push to Bob failed, web push reached Ann, the inbox all three (Cid read his)
        JsonNode byChannel = report.get("byChannel");
        assertThat(byChannel.at("/push/sent").asLong()).isEqualTo(2);
        assertThat(byChannel.at("/push/delivered").asLong()).isEqualTo(1);
        assertThat(byChannel.at("/push/failed").asLong()).isEqualTo(1);
        assertThat(byChannel.at("/webpush/sent").asLong()).isEqualTo(1);
        assertThat(byChannel.at("/inapp/sent").asLong()).isEqualTo(3);
        assertThat(byChannel.at("/inapp/opened").asLong()).isEqualTo(1);
        assertThat(json(port, "POST", "/api/v1/databases/app/profiles/" + cid + "/inbox/nope/read", null).status()).isEqualTo(404);
        assertThat(json(port, "GET", "/api/v1/databases/app/profiles/" + cid + "/inbox?limit=0", null).body()).contains("limit");
        assertThat(json(port, "DELETE", "/api/v1/databases/app/profiles/" + cid + "/inbox/" + itemId, null).status()).isEqualTo(204);
        assertThat(json(port, "GET", "/api/v1/databases/app/profiles/" + cid + "/inbox", null).json().get("messages")).isEmpty();
    }

    @Test
    void aOneTimeCampaignQueuesOnePersonalMessagePerActiveSubscriberAndKeepsALedger() throws Exception {
        Reply db = json(port, "POST", "/api/v1/databases", Map.of("id", "shop", "name", "Shop", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true),
                Map.of("name", "name", "type", "string"),
                Map.of("name", "city", "type", "string"),
                Map.of("name", "vip", "type", "boolean"))));
        assertThat(db.status()).as(db.body()).isEqualTo(201);
        for (int i = 0; i < 30; i++) {
            String email = "c" + i + "@example.com";
            String status = i % 10 == 3 ? "unsubscribed" : "active";
            Map<String, Object> profile = Map.of("matching", "email", "fields", Map.of("email", email, "name", "Client " + i,
                    "city", i < 25 ? "Moscow" : "Kazan", "vip", i % 10 == 7),
                    "subscriptions", i == 5 ? List.of() : List.of(Map.of("channel", "email", "address", email, "status", status)));
            Reply r = json(port, "POST", "/api/v1/databases/shop/profiles", profile);
            assertThat(r.status()).as(r.body()).isIn(200, 201);
        }
        String moscow = segment("Moscow", Map.of("type", "field", "field", "city", "op", "eq", "value", "Moscow"));
        String vip = segment("VIP", Map.of("type", "field", "field", "vip", "op", "eq", "value", true));
        Reply message = json(port, "POST", "/api/v1/messages", Map.of("name", "Autumn sale", "email", Map.of(
                "subject", "Осенняя распродажа, {{ profile.name }}", "fromName", "Shop", "fromAddress", "news@shop.example",
                "html", "<p>Hello {{ profile.name }}!</p><a href=\"https://shop.example/sale\">Sale</a>")));
        assertThat(message.status()).as(message.body()).isEqualTo(201);
        String messageId = message.json().get("id").asText();

        // every wrong field at once
        Reply bad = json(port, "POST", "/api/v1/campaigns", Map.of("name", " ", "database", "shop", "segments", List.of("nope"),
                "channels", List.of("email", "fax")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.body()).contains("\"name\"").contains("segments[0]").contains("channels[1]").contains("messageId");

        List<JsonNode> published = new CopyOnWriteArrayList<>();
        String[] campaignId = {null};
        // other tests' campaigns may have left mail in the queue: only this campaign's counts
        try (SendQueue.Consumer consumer = campaignMail(campaignId, published)) {
            Reply created = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Autumn sale", "database", "shop",
                    "segments", List.of(moscow), "excludeSegments", List.of(vip), "messageId", messageId, "channels", List.of("email")));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String id = created.json().get("id").asText();
            campaignId[0] = id;
            assertThat(created.json().get("status").asText()).isEqualTo("draft");

            Reply launched = json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null);
            assertThat(launched.status()).as(launched.body()).isEqualTo(200);
            JsonNode report = null;
            for (int i = 0; i < 200; i++) {
                report = json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json();
                if (report.get("status").asText().equals("sent")) {
                    break;
                }
                Thread.sleep(100);
            }
            // Moscow: c0..c24; VIP excluded: c7, c17; unsubscribed: c3, c13, c23; no subscription: c5
            assertThat(report.get("status").asText()).as(report.toString()).isEqualTo("sent");
            assertThat(report.at("/ledger/queued").asInt()).isEqualTo(19);
            assertThat(report.at("/ledger/skipped").asInt()).isEqualTo(4);
            for (int i = 0; i < 100 && published.size() < 19; i++) {
                Thread.sleep(100);
            }
            assertThat(published).hasSize(19);
            List<String> to = new ArrayList<>();
            published.forEach(p -> to.add(p.at("/to/0").asText()));
            assertThat(to).doesNotHaveDuplicates().contains("c0@example.com", "c24@example.com")
                    .doesNotContain("c7@example.com", "c3@example.com", "c5@example.com", "c25@example.com");
            JsonNode first = published.stream().filter(p -> p.at("/to/0").asText().equals("c1@example.com")).findFirst().orElseThrow();
            assertThat(first.get("subject").asText()).isEqualTo("Осенняя распродажа, Client 1");
            assertThat(first.at("/headers/Subject").asText()).startsWith("=?UTF-8?B?");
            assertThat(first.at("/headers/From").asText()).isEqualTo("\"Shop\" <news@shop.example>");
            assertThat(first.at("/headers/List-Unsubscribe").asText()).contains("/t/u/");
            assertThat(first.at("/headers/List-Unsubscribe-Post").asText()).isEqualTo("List-Unsubscribe=One-Click");
            assertThat(first.get("html").asText()).contains("Hello Client 1!");
            assertThat(first.get("id").asText()).isEqualTo(report.get("run").asText() + "/" + first.get("id").asText().split("/")[1] + "/email");
            assertThat(first.get("from").asText()).isEqualTo("news@shop.example");

            Reply ledger = json(port, "GET", "/api/v1/campaigns/" + id + "/ledger?limit=1000", null);
            assertThat(ledger.body()).contains("no active email subscription");
            assertThat(ledger.json()).hasSize(23);

            // a sent campaign is not launched twice
            Reply again = json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null);
            assertThat(again.status()).isEqualTo(400);
            assertThat(again.body()).contains("status");

            // opens (a person's mail client, then Apple's privacy proxy) and a click on a link the send made trackable
            String html = first.get("html").asText();
            assertThat(html).contains("/t/o/").doesNotContain("href=\"https://shop.example/sale\"");
            String pixel = path(html, "/t/o/");
            assertThat(get(pixel, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36").statusCode()).isEqualTo(200);
            HttpResponse<byte[]> apple = get(pixel, "Mozilla/5.0");
            assertThat(apple.statusCode()).isEqualTo(200);
            assertThat(apple.headers().firstValue("Content-Type").orElse("")).startsWith("image/gif");
            assertThat(get(pixel.substring(0, pixel.length() - 3) + "AAA", "Mozilla/5.0").statusCode()).isEqualTo(404);
            HttpResponse<byte[]> click = get(path(html, "/t/c/"), "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148");
            assertThat(click.statusCode()).isEqualTo(302);
            assertThat(click.headers().firstValue("Location").orElse("")).isEqualTo("https://shop.example/sale");
            JsonNode stats = null;
            for (int i = 0; i < 50; i++) {
                stats = json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json().get("stats");
                if (stats.get("clicked").asInt() == 1) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(stats.get("sent").asInt()).isEqualTo(19);
            assertThat(stats.get("opened").asInt()).isEqualTo(2);
            assertThat(stats.get("uniqueOpened").asInt()).isEqualTo(1);
            assertThat(stats.get("machineOpened").asInt()).isEqualTo(1);
            assertThat(stats.get("clicked").asInt()).isEqualTo(1);
            assertThat(stats.get("machineClicked").asInt()).isZero();

            // the channel report agrees with the campaign's own figures (machine opens left out of both)
            Reply channels = json(port, "GET", "/api/v1/reports/channels?campaign=" + id + "&groupBy=channel,campaign", null);
            assertThat(channels.status()).as(channels.body()).isEqualTo(200);
            assertThat(channels.json().at("/totals/sent").asInt()).isEqualTo(stats.get("sent").asInt());
            assertThat(channels.json().at("/totals/opened").asInt()).isEqualTo(stats.get("uniqueOpened").asInt());
            assertThat(channels.json().at("/totals/clicks").asInt()).isEqualTo(stats.get("clicked").asInt());
            assertThat(channels.json().at("/rows/0/keys").toString()).isEqualTo("[\"email\",\"" + id + "\"]");
            assertThat(channels.json().at("/rows/0/labels/1").asText()).isEqualTo(json(port, "GET", "/api/v1/campaigns/" + id, null).json()
                    .get("name").asText());
            Reply csv = json(port, "GET", "/api/v1/reports/channels?campaign=" + id + "&format=csv", null);
            assertThat(csv.status()).isEqualTo(200);
            assertThat(csv.body()).contains("channel,sent,delivered").contains("email,19,").contains("Total,19,");
            // filtered by segment: its current members' events only
            assertThat(json(port, "GET", "/api/v1/reports/channels?segment=" + moscow, null).json().at("/totals/sent").asInt()).isEqualTo(19);
            assertThat(json(port, "GET", "/api/v1/reports/channels?segment=" + vip, null).json().at("/totals/sent").asInt()).isZero();
            assertThat(json(port, "GET", "/api/v1/reports/channels?segment=nope", null).status()).isEqualTo(404);
            Reply badGroup = json(port, "GET", "/api/v1/reports/bounces?groupBy=link", null);
            assertThat(badGroup.status()).isEqualTo(400);
            assertThat(badGroup.body()).contains("groupBy").contains("the bounces report groups by");
            assertThat(json(port, "GET", "/api/v1/reports/nothing", null).status()).isEqualTo(404);
            assertThat(json(port, "GET", "/api/v1/reports?lang=ru", null).body()).contains("Люди, открывшие сообщение");
            // kept to open again: the last 7 days of this campaign, rolling
            Reply kept = json(port, "POST", "/api/v1/reports/saved", Map.of("name", "This campaign", "kind", "channels", "days", 7,
                    "campaign", id, "groupBy", List.of("channel")));
            assertThat(kept.status()).as(kept.body()).isEqualTo(201);
            String savedId = kept.json().get("id").asText();
            assertThat(json(port, "GET", "/api/v1/reports/saved", null).json().findValuesAsText("name")).contains("This campaign");
            assertThat(json(port, "GET", "/api/v1/reports/saved/" + savedId, null).json().at("/totals/sent").asInt()).isEqualTo(19);
            Reply noPeriod = json(port, "POST", "/api/v1/reports/saved", Map.of("name", "x", "kind", "channels"));
            assertThat(noPeriod.status()).isEqualTo(400);
            assertThat(noPeriod.body()).contains("days");
            assertThat(json(port, "DELETE", "/api/v1/reports/saved/" + savedId, null).status()).isEqualTo(204);
            assertThat(json(port, "GET", "/api/v1/reports/saved/" + savedId, null).status()).isEqualTo(404);

            // growth: the 30 profiles came by the API; 26 active subscriptions (three arrived unsubscribed: never gained, never lost)
            Reply growth = json(port, "GET", "/api/v1/reports/growth?database=shop&groupBy=source", null);
            assertThat(growth.status()).as(growth.body()).isEqualTo(200);
            assertThat(growth.json().at("/totals/new_profiles").asInt()).isEqualTo(30);
            assertThat(growth.json().at("/totals/subscribed").asInt()).isEqualTo(26);
            assertThat(growth.json().at("/rows/0/keys/0").asText()).isEqualTo("api");
            // their cohort: today's 30, of whom one person opened (the proxy's open is a machine's); that cell becomes a segment
            Reply cohorts = json(port, "GET", "/api/v1/reports/cohorts?database=shop&grain=day&periods=1&active=message.opened", null);
            assertThat(cohorts.status()).as(cohorts.body()).isEqualTo(200);
            JsonNode cohort = cohorts.json().at("/report/cohorts/0");
            assertThat(cohort.get("size").asInt()).as(cohorts.body()).isEqualTo(growth.json().at("/totals/new_profiles").asInt());
            assertThat(cohort.at("/cells/0/active").asInt()).isEqualTo(1);
            assertThat(cohorts.json().get("figures").findValuesAsText("id")).contains("retention", "ltv", "engaged_days");
            Reply openers = json(port, "POST", "/api/v1/reports/cohorts/segment", Map.of("name", "Opened on day one", "database", "shop",
                    "grain", "day", "periods", 1, "active", List.of("message.opened"), "cohort", cohort.get("start").asText(), "period", 0));
            assertThat(openers.status()).as(openers.body()).isEqualTo(201);
            assertThat(openers.json().get("profiles").asInt()).isEqualTo(1);
            assertThat(json(port, "GET", "/api/v1/segments/" + openers.json().get("segmentId").asText() + "/count", null).body()).contains("1");
            Reply noCohort = json(port, "POST", "/api/v1/reports/cohorts/segment", Map.of("name", "x", "database", "shop"));
            assertThat(noCohort.status()).isEqualTo(400);
            assertThat(noCohort.body()).contains("cohort");
            // the campaign's funnel: 19 sent, one person opened and clicked; the 18 who never opened become a segment
            Map<String, Object> funnel = Map.of("database", "shop", "steps", List.of(Map.of("type", "message.sent", "where", Map.of("campaign", id)),
                    Map.of("type", "message.opened"), Map.of("type", "message.clicked")), "windowHours", 72);
            Reply f = json(port, "POST", "/api/v1/reports/funnel", funnel);
            assertThat(f.status()).as(f.body()).isEqualTo(200);
            assertThat(f.json().get("steps").findValuesAsText("profiles")).containsExactly("19", "1", "1");
            assertThat(f.json().at("/steps/1/droppedOff").asInt()).isEqualTo(18);
            Reply dropped = json(port, "POST", "/api/v1/reports/funnel/segment", Map.of("name", "Never opened", "funnel", funnel, "step", 2));
            assertThat(dropped.status()).as(dropped.body()).isEqualTo(201);
            assertThat(dropped.json().get("profiles").asInt()).isEqualTo(18);
            // the click map: the sale link marked with its one person and one click (all of the message's clicks)
            Reply map = json(port, "GET", "/api/v1/reports/click-map?message=" + messageId, null);
            assertThat(map.status()).as(map.body()).isEqualTo(200);
            assertThat(map.json().at("/links/0/url").asText()).isEqualTo("https://shop.example/sale");
            assertThat(map.json().at("/links/0/clicks").asInt()).isEqualTo(1);
            assertThat(map.json().at("/links/0/share").asDouble()).isEqualTo(100.0);
            assertThat(map.json().get("html").asText()).contains("data-orbita-clicks=\"1\"").contains("1 · 1 · 100.0 %");
            assertThat(json(port, "GET", "/api/v1/reports/click-map?message=nope", null).status()).isEqualTo(404);
            // by device: the click came from a phone
            assertThat(json(port, "GET", "/api/v1/reports/click-map?device=mobile&message=" + messageId, null).json().get("clicks").asInt()).isEqualTo(1);
            assertThat(json(port, "GET", "/api/v1/reports/click-map?device=desktop&message=" + messageId, null).json().get("clicks").asInt()).isZero();
            Reply badDevice = json(port, "GET", "/api/v1/reports/click-map?device=toaster&message=" + messageId, null);
            assertThat(badDevice.status()).isEqualTo(400);
            assertThat(badDevice.body()).contains("device").contains("desktop, mobile, tablet, unknown");
            // traffic: every hit with the device, system and browser it came from, the privacy proxy's open as a machine's
            Reply traffic = json(port, "GET", "/api/v1/reports/traffic?campaign=" + id + "&groupBy=device,os,browser", null);
            assertThat(traffic.status()).as(traffic.body()).isEqualTo(200);
            assertThat(traffic.json().at("/totals/open_hits").asInt()).isEqualTo(2);
            assertThat(traffic.json().at("/totals/click_hits").asInt()).isEqualTo(1);
            List<String> hits = new java.util.ArrayList<>();
            traffic.json().get("rows").forEach(row -> hits.add(row.get("keys") + " " + row.at("/values/open_hits").asInt() + "/"
                    + row.at("/values/click_hits").asInt()));
            assertThat(hits).containsExactlyInAnyOrder("[\"desktop\",\"Windows\",\"Chrome\"] 1/0", "[\"machine\",\"Other\",\"Other\"] 1/0",
                    "[\"mobile\",\"iOS\",\"Mobile Safari UI/WKWebView\"] 0/1");
            Reply badFunnel = json(port, "POST", "/api/v1/reports/funnel", Map.of("steps", List.of(Map.of("type", "x")), "mode", "sideways"));
            assertThat(badFunnel.status()).isEqualTo(400);
            assertThat(badFunnel.body()).contains("steps").contains("mode");

            // the send is in the recipient's history
            String profileId = first.get("id").asText().split("/")[1];
            Reply history = json(port, "GET", "/api/v1/databases/shop/profiles/" + profileId + "/history", null);
            assertThat(history.body()).contains("message.sent").contains(id);
        }
    }

    @Test
    void frequencyCapsSkipAndQuietHoursHoldBackInTheProfilesTimeZone() throws Exception {
        Reply db = json(port, "POST", "/api/v1/databases", Map.of("id", "caps", "name", "Caps", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "tz", "type", "string"))));
        assertThat(db.status()).as(db.body()).isEqualTo(201);
        for (String[] p : new String[][] {{"x@example.com", "UTC"}, {"y@example.com", "Asia/Tokyo"}}) {
            assertThat(json(port, "POST", "/api/v1/databases/caps/profiles", Map.of("matching", "email", "fields", Map.of("email", p[0], "tz", p[1]),
                    "subscriptions", List.of(Map.of("channel", "email", "address", p[0])))).status()).isEqualTo(201);
        }
        String all = segment("caps", "Everyone", Map.of("type", "field", "field", "email", "op", "is_set"));
        String messageId = json(port, "POST", "/api/v1/messages", Map.of("name", "Caps", "email", Map.of("subject", "s",
                "fromAddress", "news@shop.example", "text", "t"))).json().get("id").asText();
        // quiet hours around now in UTC: x waits a few seconds; y's evening in Tokyo is not quiet
        LocalTime now = LocalTime.now(ZoneOffset.UTC).withNano(0);
        Map<String, Object> quiet = Map.of("from", now.minusMinutes(1).toString(), "to", now.plusSeconds(4).toString(), "timezoneField", "tz");
        JsonNode first = run("caps", all, messageId, Map.of("quietHours", quiet), true);
        assertThat(first.toString()).isEqualTo("{\"queued\":2}");
        // at most one email in 7 days: a second campaign finds both at the cap
        JsonNode second = run("caps", all, messageId, Map.of("frequency", Map.of("max", 1, "days", 7)), false);
        assertThat(second.toString()).isEqualTo("{\"skipped\":2}");
        Reply bad = json(port, "POST", "/api/v1/campaigns", Map.of("name", "x", "database", "caps", "segments", List.of(all), "messageId", messageId,
                "limits", Map.of("frequency", Map.of("max", 0, "days", 7), "quietHours", Map.of("from", "21:00", "to", "21:00", "timezone", "Mars/Base"))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("limits.frequency").contains("limits.quietHours").contains("limits.quietHours.timezone");
    }

    /** Sending policies (X6): the database's and the workspace's caps apply to every campaign; the narrowest level that sets one wins. */
    @Test
    void sendingPoliciesCapEveryCampaignAndTheNarrowestLevelWins() throws Exception {
        Reply db = json(port, "POST", "/api/v1/databases", Map.of("id", "pol", "name", "Pol", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true))));
        assertThat(db.status()).as(db.body()).isEqualTo(201);
        for (String e : List.of("p1@example.com", "p2@example.com")) {
            assertThat(json(port, "POST", "/api/v1/databases/pol/profiles", Map.of("matching", "email", "fields", Map.of("email", e),
                    "subscriptions", List.of(Map.of("channel", "email", "address", e)))).status()).isEqualTo(201);
        }
        String all = segment("pol", "Everyone", Map.of("type", "field", "field", "email", "op", "is_set"));
        String messageId = json(port, "POST", "/api/v1/messages", Map.of("name", "Pol", "email", Map.of("subject", "s",
                "fromAddress", "news@shop.example", "text", "t"))).json().get("id").asText();
        Reply bad = json(port, "PUT", "/api/v1/databases/pol/sending-limits", Map.of("perChannel", Map.of("max", 0, "days", 7),
                "allChannels", Map.of("max", 3, "days", 400)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsText("field")).containsExactly("perChannel.max", "allChannels.days");
        try {
            // the database: one message a week across channels — the second campaign finds both at it
            assertThat(json(port, "PUT", "/api/v1/databases/pol/sending-limits", Map.of("allChannels", Map.of("max", 1, "days", 7))).status())
                    .isEqualTo(200);
            assertThat(run("pol", all, messageId, Map.of(), false).toString()).isEqualTo("{\"queued\":2}");
            assertThat(run("pol", all, messageId, Map.of(), false).toString()).isEqualTo("{\"skipped\":2}");
            // the database allows five; the workspace one email a week: the workspace's per-channel cap applies
            assertThat(json(port, "PUT", "/api/v1/databases/pol/sending-limits", Map.of("allChannels", Map.of("max", 5, "days", 7))).status())
                    .isEqualTo(200);
            assertThat(json(port, "PUT", "/api/v1/settings/sending-limits", Map.of("perChannel", Map.of("max", 1, "days", 7))).status())
                    .isEqualTo(200);
            assertThat(run("pol", all, messageId, Map.of(), false).toString()).isEqualTo("{\"skipped\":2}");
            // a campaign's own cap is narrower than its workspace: three a week for this one
            assertThat(run("pol", all, messageId, Map.of("frequency", Map.of("max", 3, "days", 7)), false).toString()).isEqualTo("{\"queued\":2}");
            Reply ledger = json(port, "GET", "/api/v1/databases/pol/sending-limits", null);
            assertThat(ledger.json().at("/allChannels/max").asInt()).isEqualTo(5);
            // per address across profiles: p1's inbox is also a profile of another database, which has no cap of its own
            assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", "pol2", "name", "Pol2", "fields", List.of(
                    Map.of("name", "email", "type", "email", "unique", true)))).status()).isEqualTo(201);
            for (String e : List.of("p1@example.com", "p3@example.com")) {
                assertThat(json(port, "POST", "/api/v1/databases/pol2/profiles", Map.of("matching", "email", "fields", Map.of("email", e),
                        "subscriptions", List.of(Map.of("channel", "email", "address", e)))).status()).isEqualTo(201);
            }
            Reply perAddress = json(port, "PUT", "/api/v1/settings/sending-limits", Map.of("perAddress", Map.of("max", 2, "days", 7)));
            assertThat(perAddress.json().at("/perAddress/max").asInt()).as(perAddress.body()).isEqualTo(2);
            String all2 = segment("pol2", "Everyone", Map.of("type", "field", "field", "email", "op", "is_set"));
            // p1@example.com had two emails from pol: its profile in pol2 is skipped, p3 is not
            assertThat(run("pol2", all2, messageId, Map.of(), false).toString()).isEqualTo("{\"queued\":1,\"skipped\":1}");
        } finally {
            json(port, "PUT", "/api/v1/settings/sending-limits", new java.util.HashMap<>());
        }
    }

    /**
     * A profile's time zone is read one way everywhere: a campaign's quiet hours that name no
     * field read the profile's {@code timezone} field, as a journey's best time does.
     */
    @Test
    void quietHoursThatNameNoFieldReadTheProfilesTimezoneFieldAsJourneysDo() throws Exception {
        Reply db = json(port, "POST", "/api/v1/databases", Map.of("id", "tzf", "name", "Tzf", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "timezone", "type", "string"))));
        assertThat(db.status()).as(db.body()).isEqualTo(201);
        Map<String, String> ids = new HashMap<>();
        for (String[] p : new String[][] {{"utc@example.com", "UTC"}, {"tokyo@example.com", "Asia/Tokyo"}}) {
            Reply r = json(port, "POST", "/api/v1/databases/tzf/profiles", Map.of("matching", "email", "fields", Map.of("email", p[0], "timezone", p[1]),
                    "subscriptions", List.of(Map.of("channel", "email", "address", p[0]))));
            assertThat(r.status()).isEqualTo(201);
            ids.put(p[0], r.json().at("/profile/id").asText());
        }
        String all = segment("tzf", "Everyone", Map.of("type", "field", "field", "email", "op", "is_set"));
        String messageId = json(port, "POST", "/api/v1/messages", Map.of("name", "Tz", "email", Map.of("subject", "s",
                "fromAddress", "news@shop.example", "text", "t"))).json().get("id").asText();
        // quiet around now in UTC, no field named: the UTC profile waits; it is evening in Tokyo, not quiet
        LocalTime now = LocalTime.now(ZoneOffset.UTC).withNano(0);
        Reply created = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Quiet", "database", "tzf", "segments", List.of(all),
                "messageId", messageId, "limits", Map.of("quietHours", Map.of("from", now.minusMinutes(1).toString(), "to", now.plusSeconds(5).toString()))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(200);
        Set<String> waited = new HashSet<>();
        JsonNode report = null;
        for (int i = 0; i < 300; i++) {
            for (JsonNode e : json(port, "GET", "/api/v1/campaigns/" + id + "/ledger", null).json()) {
                if (e.path("state").asText().equals("waiting")) {
                    waited.add(e.path("profileId").asText());
                }
            }
            report = json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json();
            if (report.get("status").asText().equals("sent")) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(report.get("ledger").toString()).isEqualTo("{\"queued\":2}");
        assertThat(waited).containsExactly(ids.get("utc@example.com"));
    }

    @Test
    void aTransactionalMessageIsQueuedBeforeTheReplyOncePerKeyAndReachesAnUnsubscribedAddress() throws Exception {
        Reply db = json(port, "POST", "/api/v1/databases", Map.of("id", "tx", "name", "Tx", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "name", "type", "string"))));
        assertThat(db.status()).as(db.body()).isEqualTo(201);
        assertThat(json(port, "POST", "/api/v1/databases/tx/profiles", Map.of("matching", "email", "fields", Map.of("email", "rc@example.com", "name", "Rc"),
                "subscriptions", List.of(Map.of("channel", "email", "address", "rc@example.com", "status", "unsubscribed")))).status()).isEqualTo(201);
        String messageId = json(port, "POST", "/api/v1/messages", Map.of("name", "Receipt", "email", Map.of("subject", "Order {{ data.order }}",
                "fromAddress", "shop@shop.example", "text", "Thanks, {{ profile.name }}: {{ data.total }}"))).json().get("id").asText();
        List<JsonNode> published = new CopyOnWriteArrayList<>();
        try (SendQueue.Consumer consumer = queue.consume("orbita.email", 100, m -> {
            JsonNode j = EmailEnvelope.read(m.body());
            if (j.get("id").asText().startsWith("tx-order-77/")) {
                published.add(j);
            }
        })) {
            Map<String, Object> body = Map.of("database", "tx", "profile", "rc@example.com", "matchBy", "email",
                    "data", Map.of("order", 77, "total", "1 990 ₽"), "idempotencyKey", "order-77");
            Reply first = json(port, "POST", "/api/v1/messages/" + messageId + "/send", body);
            assertThat(first.status()).as(first.body()).isEqualTo(202);
            assertThat(first.json().at("/results/0/state").asText()).isEqualTo("queued");
            Reply again = json(port, "POST", "/api/v1/messages/" + messageId + "/send", body);
            assertThat(again.json().at("/results/0/state").asText()).isEqualTo("queued");
            assertThat(again.json().at("/results/0/detail").asText()).isEqualTo("already sent with this key");
            for (int i = 0; i < 50 && published.isEmpty(); i++) {
                Thread.sleep(100);
            }
            Thread.sleep(300);
            assertThat(published).hasSize(1);
            assertThat(published.get(0).get("subject").asText()).isEqualTo("Order 77");
            assertThat(published.get(0).get("text").asText()).isEqualTo("Thanks, Rc: 1 990 ₽");
        }
        Reply bad = json(port, "POST", "/api/v1/messages/" + messageId + "/send", Map.of("database", "tx", "channels", List.of("sms"),
                "idempotencyKey", "no spaces please"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("\"profile\"").contains("channels[0]").contains("idempotencyKey");
        Reply nobody = json(port, "POST", "/api/v1/messages/" + messageId + "/send", Map.of("database", "tx", "profile", "who@example.com",
                "matchBy", "email"));
        assertThat(nobody.status()).isEqualTo(404);
    }

    @Test
    void aLargeAudienceWaitsForApprovalAndTheSendRateHoldsTheRunBack() throws Exception {
        String all = subscribers("big", "Big", 120);
        String message = json(port, "POST", "/api/v1/messages", Map.of("name", "Big", "email", Map.of("subject", "Hello",
                "fromAddress", "news@shop.example", "html", "<p>Hi</p>"))).json().get("id").asText();
        Reply bad = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Big", "database", "big", "segments", List.of(all), "messageId", message,
                "channels", List.of("email"), "limits", Map.of("rate", Map.of("perMinute", 0, "perHour", 0, "perDay", 0),
                        "warmup", Map.of("firstDay", 0, "growth", 20))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("limits.rate").contains("limits.warmup");
        Map<String, Object> draft = Map.of("name", "Big", "database", "big", "segments", List.of(all), "messageId", message,
                "channels", List.of("email"), "limits", Map.of("rate", Map.of("perMinute", 50, "perHour", 0, "perDay", 0)));
        String id = json(port, "POST", "/api/v1/campaigns", draft).json().get("id").asText();

        Reply unapproved = json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null);
        assertThat(unapproved.status()).isEqualTo(400);
        assertThat(unapproved.body()).contains("\"field\":\"approval\"").contains("120 profiles").contains("campaigns:approve");
        Reply approved = json(port, "POST", "/api/v1/campaigns/" + id + "/approve", null);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().get("audience").asLong()).isEqualTo(120);
        // a change after the approval needs a new one
        assertThat(json(port, "PUT", "/api/v1/campaigns/" + id, Map.of("name", "Big!", "database", "big", "segments", List.of(all),
                "messageId", message, "channels", List.of("email"), "limits", Map.of("rate", Map.of("perMinute", 50, "perHour", 0, "perDay", 0))))
                .status()).isEqualTo(200);
        assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(400);
        assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/approve", null).status()).isEqualTo(200);
        assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(200);

        JsonNode report = null;
        for (int i = 0; i < 100; i++) {
            report = json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json();
            if (report.at("/ledger/queued").asInt() >= 50) {
                break;
            }
            Thread.sleep(100);
        }
        Thread.sleep(1500);
        report = json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json();
        // 50 a minute: one minute's worth (two when the run began just before a minute's end), never all 120 at once
        assertThat(report.at("/ledger/queued").asInt()).as(report.toString()).isIn(50, 100);
        assertThat(json(port, "GET", "/api/v1/campaigns/" + id, null).json().get("status").asText()).isEqualTo("sending");
        assertThat(report.at("/approval/by").asText()).startsWith("key ");
        assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/cancel", null).status()).isEqualTo(200);
    }

    @Test
    void aSendAtEachProfilesLocalTimeWaitsWhereThatTimeHasNotComeYet() throws Exception {
        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", "tz", "name", "TZ", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "tz", "type", "string")))).status()).isEqualTo(201);
        for (String[] p : new String[][] {{"kiri@example.com", "Pacific/Kiritimati"}, {"ny@example.com", "America/New_York"}, {"none@example.com", null}}) {
            Map<String, Object> fields = new HashMap<>(Map.of("email", p[0]));
            if (p[1] != null) {
                fields.put("tz", p[1]);
            }
            assertThat(json(port, "POST", "/api/v1/databases/tz/profiles", Map.of("matching", "email", "fields", fields,
                    "subscriptions", List.of(Map.of("channel", "email", "address", p[0])))).status()).isEqualTo(201);
        }
        String all = segment("tz", "Everyone", Map.of("type", "field", "field", "email", "op", "is_set"));
        String message = json(port, "POST", "/api/v1/messages", Map.of("name", "Local", "email", Map.of("subject", "Good morning",
                "fromAddress", "news@shop.example", "text", "Hi"))).json().get("id").asText();
        Reply bad = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Local", "database", "tz", "segments", List.of(all), "messageId", message,
                "type", "regular", "cron", "0 0 9 * * MON", "local", Map.of("at", "2026-12-01T10:00", "timezone", "Mars/Olympus")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("\"local\"").contains("local.timezone");
        // two hours from now on the wall clock: long past on Kiritimati (UTC+14), still to come in New York and in UTC
        String at = LocalDateTime.now(ZoneOffset.UTC).plusHours(2).withSecond(0).withNano(0).toString();
        String id = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Local", "database", "tz", "segments", List.of(all),
                "messageId", message, "local", Map.of("at", at, "timezoneField", "tz", "timezone", "UTC"))).json().get("id").asText();
        assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null).json().at("/campaign/status").asText()).isEqualTo("sending");
        JsonNode ledger = null;
        for (int i = 0; i < 100; i++) {
            ledger = json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json().get("ledger");
            if (ledger != null && ledger.path("queued").asInt() + ledger.path("waiting").asInt() == 3) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(ledger.toString()).isEqualTo("{\"queued\":1,\"waiting\":2}");
        String entries = json(port, "GET", "/api/v1/campaigns/" + id + "/ledger?limit=10", null).body();
        assertThat(entries).contains(at + " in America/New_York").contains(at + " in UTC");
        assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/cancel", null).status()).isEqualTo(200);
    }

    @Test
    void goalEventsAfterASendAreCountedAsConversionsWithTheirRevenue() throws Exception {
        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", "conv", "name", "Conv", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true)))).status()).isEqualTo(201);
        for (String email : List.of("buyer@example.com", "browser@example.com", "nomail@example.com")) {
            assertThat(json(port, "POST", "/api/v1/databases/conv/profiles", Map.of("matching", "email", "fields", Map.of("email", email),
                    "subscriptions", email.startsWith("nomail") ? List.of() : List.of(Map.of("channel", "email", "address", email)))).status())
                    .isEqualTo(201);
        }
        String all = segment("conv", "Everyone", Map.of("type", "field", "field", "email", "op", "is_set"));
        String message = json(port, "POST", "/api/v1/messages", Map.of("name", "Sale", "email", Map.of("subject", "Sale",
                "fromAddress", "news@shop.example", "text", "Buy"))).json().get("id").asText();
        Reply bad = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Sale", "database", "conv", "segments", List.of(all), "messageId", message,
                "conversion", Map.of("event", "message.clicked", "days", 0)));
        assertThat(bad.body()).contains("conversion.event").contains("conversion.days");
        String id = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Sale", "database", "conv", "segments", List.of(all), "messageId", message,
                "conversion", Map.of("event", "purchase", "valueProperty", "amount", "days", 3))).json().get("id").asText();
        assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(200);
        for (int i = 0; i < 100 && json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json().at("/ledger/queued").asInt() < 2; i++) {
            Thread.sleep(100);
        }
        // the buyer buys twice; the profile the campaign never reached buys too; a signup is no goal
        for (Object[] e : new Object[][] {{"buyer@example.com", "purchase", 100}, {"buyer@example.com", "purchase", 49.5},
                {"nomail@example.com", "purchase", 999}, {"browser@example.com", "signup", 1}}) {
            assertThat(json(port, "POST", "/api/v1/events", Map.of("database", "conv", "matching", "email", "value", e[0], "type", e[1],
                    "properties", Map.of("amount", e[2]))).status()).isIn(200, 201, 202);
        }
        JsonNode stats = null;
        for (int i = 0; i < 100; i++) {
            stats = json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json().get("stats");
            if (stats.get("revenue").decimalValue().compareTo(new BigDecimal("149.5")) == 0) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(stats.get("converted").asLong()).as(stats.toString()).isEqualTo(1);
        assertThat(stats.get("revenue").decimalValue()).isEqualByComparingTo("149.5");
        String buyer = json(port, "GET", "/api/v1/databases/conv/profiles?matching=email&value=buyer@example.com", null).json().get("id").asText();
        assertThat(json(port, "GET", "/api/v1/databases/conv/profiles/" + buyer + "/history?type=message.converted", null).body())
                .contains("\"goal\":\"purchase\"").contains(id);
    }

    @Test
    void aSendTimeVariantHoldsItsShareBackUntilItsTime() throws Exception {
        String all = subscribers("mvt", "MVT", 40);
        String a = json(port, "POST", "/api/v1/messages", Map.of("name", "Morning", "email", Map.of("subject", "Morning",
                "fromAddress", "news@shop.example", "html", "<p>A</p>"))).json().get("id").asText();
        String b = json(port, "POST", "/api/v1/messages", Map.of("name", "Evening", "email", Map.of("subject", "Evening",
                "fromAddress", "news@shop.example", "html", "<p>B</p>"))).json().get("id").asText();
        Reply bad = json(port, "POST", "/api/v1/campaigns", Map.of("name", "MVT", "database", "mvt", "segments", List.of(all),
                "abTest", Map.of("variants", List.of(Map.of("name", "A", "messageId", a, "weight", 50),
                        Map.of("name", "B", "messageId", b, "delayMinutes", -5)), "testPercent", 100, "metric", "opens", "waitMinutes", 60)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("abTest.variants[1].weight").contains("abTest.variants[1].delayMinutes");
        String id = json(port, "POST", "/api/v1/campaigns", Map.of("name", "MVT", "database", "mvt", "segments", List.of(all),
                "abTest", Map.of("variants", List.of(Map.of("name", "A", "messageId", a, "weight", 50),
                        Map.of("name", "B", "messageId", b, "weight", 50, "delayMinutes", 30)), "testPercent", 100, "metric", "opens",
                        "waitMinutes", 60))).json().get("id").asText();
        assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(200);
        JsonNode ledger = null;
        for (int i = 0; i < 100; i++) {
            ledger = json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json().get("ledger");
            if (ledger != null && ledger.path("queued").asInt() + ledger.path("waiting").asInt() == 40) {
                break;
            }
            Thread.sleep(100);
        }
        // A went out at once; B's share waits for its send time, half an hour after the start. The split is a hash of campaign
        // and profile (AbTestSplitTest checks the shares over 20,000), so over 40 only "both got some, nobody lost" is certain
        assertThat(ledger.path("queued").asInt()).as(ledger.toString()).isPositive();
        assertThat(ledger.path("waiting").asInt()).isPositive().isEqualTo(40 - ledger.path("queued").asInt());
        JsonNode entries = json(port, "GET", "/api/v1/campaigns/" + id + "/ledger?limit=100", null).json();
        int waiting = 0;
        for (JsonNode e : entries) {
            if (e.path("state").asText().equalsIgnoreCase("waiting")) {
                waiting++;
                assertThat(e.path("detail").asText()).as(e.toString()).contains("variant B's send time");
            }
        }
        assertThat(waiting).isEqualTo(ledger.path("waiting").asInt());
        assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/cancel", null).status()).isEqualTo(200);
    }

    @Test
    void anAbTestSplitsATestGroupAndSendsTheVariantPeopleOpenedMoreToTheRest() throws Exception {
        Reply db = json(port, "POST", "/api/v1/databases", Map.of("id", "ab", "name", "AB", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true))));
        assertThat(db.status()).as(db.body()).isEqualTo(201);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            batch.add(Map.of("fields", Map.of("email", "ab" + i + "@example.com"),
                    "subscriptions", List.of(Map.of("channel", "email", "address", "ab" + i + "@example.com"))));
        }
        assertThat(json(port, "POST", "/api/v1/databases/ab/profiles/batch", Map.of("matching", "email", "profiles", batch)).status()).isEqualTo(200);
        String all = segment("ab", "Everyone", Map.of("type", "field", "field", "email", "op", "is_set"));
        String a = json(port, "POST", "/api/v1/messages", Map.of("name", "Subject A", "email", Map.of("subject", "A: sale",
                "fromAddress", "news@shop.example", "html", "<p>A</p>"))).json().get("id").asText();
        String b = json(port, "POST", "/api/v1/messages", Map.of("name", "Subject B", "email", Map.of("subject", "B: sale",
                "fromAddress", "news@shop.example", "html", "<p>B</p>"))).json().get("id").asText();
        Reply bad = json(port, "POST", "/api/v1/campaigns", Map.of("name", "AB", "database", "ab", "segments", List.of(all),
                "abTest", Map.of("variants", List.of(Map.of("name", "A", "messageId", a), Map.of("name", "A", "messageId", a)),
                        "testPercent", 0, "metric", "revenue")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("abTest.variants[1].name").contains("abTest.variants[1].messageId").contains("abTest.testPercent")
                .contains("abTest.metric");

        List<JsonNode> published = new CopyOnWriteArrayList<>();
        String[] campaignId = {null};
        try (SendQueue.Consumer consumer = campaignMail(campaignId, published)) {
            Reply created = json(port, "POST", "/api/v1/campaigns", Map.of("name", "AB", "database", "ab", "segments", List.of(all),
                    "abTest", Map.of("variants", List.of(Map.of("name", "A", "messageId", a), Map.of("name", "B", "messageId", b)),
                            "testPercent", 50, "metric", "opens", "waitMinutes", 1)));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String id = created.json().get("id").asText();
            campaignId[0] = id;
            assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(200);
            // the test group gets A or B; the rest waits for the winner
            JsonNode report = null;
            for (int i = 0; i < 100; i++) {
                report = json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json();
                if (report.path("ledger").has("waiting") && report.at("/ledger/queued").asInt() > 0) {
                    break;
                }
                Thread.sleep(100);
            }
            int tested = report.at("/ledger/queued").asInt();
            int waiting = report.at("/ledger/waiting").asInt();
            assertThat(tested + waiting).isEqualTo(60);
            assertThat(tested).isBetween(15, 45);
            for (int i = 0; i < 50 && published.size() < tested; i++) {
                Thread.sleep(100);
            }
            // people open every B and no A
            int opened = 0;
            for (JsonNode m : published) {
                if (m.get("subject").asText().startsWith("B")) {
                    assertThat(get(path(m.get("html").asText(), "/t/o/"), "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15")
                            .statusCode()).isEqualTo(200);
                    opened++;
                }
            }
            assertThat(opened).isPositive();
            for (int i = 0; i < 900; i++) {
                report = json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json();
                if (report.get("status").asText().equals("sent")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(report.get("status").asText()).as(report.toString()).isEqualTo("sent");
            assertThat(report.at("/abTest/winner").asText()).isEqualTo("B");
            assertThat(report.at("/abTest/standing/leader").asText()).isEqualTo("B");
            assertThat(report.at("/ledger/queued").asInt()).isEqualTo(60);
            for (int i = 0; i < 50 && published.size() < 60; i++) {
                Thread.sleep(100);
            }
            assertThat(published).hasSize(60);
            assertThat(published.stream().filter(m -> m.get("subject").asText().startsWith("B")).count()).isEqualTo(60 - (tested - opened));
        }
    }

    @Test
    void aRegularCampaignRunsOnItsScheduleEachTimeToTheAudienceOfThatMoment() throws Exception {
        Reply db = json(port, "POST", "/api/v1/databases", Map.of("id", "reg", "name", "Reg", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true))));
        assertThat(db.status()).as(db.body()).isEqualTo(201);
        assertThat(json(port, "POST", "/api/v1/databases/reg/profiles", Map.of("matching", "email", "fields", Map.of("email", "r1@example.com"),
                "subscriptions", List.of(Map.of("channel", "email", "address", "r1@example.com")))).status()).isEqualTo(201);
        String all = segment("reg", "Everyone", Map.of("type", "field", "field", "email", "op", "is_set"));
        String messageId = json(port, "POST", "/api/v1/messages", Map.of("name", "Digest", "email", Map.of("subject", "Digest",
                "fromAddress", "news@shop.example", "text", "t"))).json().get("id").asText();
        Reply bad = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Digest", "type", "regular", "database", "reg",
                "segments", List.of(all), "messageId", messageId, "cron", "every monday"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("\"cron\"");
        Reply fortnightly = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Digest", "type", "regular", "database", "reg",
                "segments", List.of(all), "messageId", messageId, "cron", "FREQ=WEEKLY;BYDAY=MO;INTERVAL=2"));
        assertThat(fortnightly.body()).contains("a recurrence rule: INTERVAL above 1");
        Reply weekly = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Weekly", "type", "regular", "database", "reg",
                "segments", List.of(all), "messageId", messageId, "cron", "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9"));
        assertThat(weekly.status()).as(weekly.body()).isEqualTo(201);
        Reply weeklyLaunched = json(port, "POST", "/api/v1/campaigns/" + weekly.json().get("id").asText() + "/launch", null);
        Instant next = Instant.parse(weeklyLaunched.json().at("/campaign/sendAt").asText());
        assertThat(next.atZone(ZoneOffset.UTC).getHour()).isEqualTo(9);
        assertThat(next.atZone(ZoneOffset.UTC).getDayOfWeek()).isIn(DayOfWeek.MONDAY, DayOfWeek.THURSDAY);
        json(port, "POST", "/api/v1/campaigns/" + weekly.json().get("id").asText() + "/cancel", null);
        List<String> runs = new CopyOnWriteArrayList<>();
        String[] campaignId = {null};
        try (SendQueue.Consumer consumer = queue.consume("orbita.email", 100, m -> {
            JsonNode j = EmailEnvelope.read(m.body());
            if (j.at("/headers/X-Orbita-Campaign").asText().equals(campaignId[0])) {
                runs.add(j.get("id").asText().split("/")[0]);
            }
        })) {
            Reply created = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Digest", "type", "regular", "database", "reg",
                    "segments", List.of(all), "messageId", messageId, "cron", "*/3 * * * * *"));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String id = created.json().get("id").asText();
            campaignId[0] = id;
            Reply launched = json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null);
            assertThat(launched.json().at("/campaign/status").asText()).isEqualTo("scheduled");
            assertThat(launched.json().at("/campaign/sendAt").asText()).isNotEmpty();
            // a second profile joins between runs: the next run reaches it too
            for (int i = 0; i < 150 && runs.isEmpty(); i++) {
                Thread.sleep(100);
            }
            assertThat(json(port, "POST", "/api/v1/databases/reg/profiles", Map.of("matching", "email", "fields", Map.of("email", "r2@example.com"),
                    "subscriptions", List.of(Map.of("channel", "email", "address", "r2@example.com")))).status()).isEqualTo(201);
            for (int i = 0; i < 250 && new HashSet<>(runs).size() < 3; i++) {
                Thread.sleep(100);
            }
            assertThat(new HashSet<>(runs)).hasSizeGreaterThanOrEqualTo(3);
            // each run sent each member once; later runs reached the newcomer
            Map<String, Long> perRun = runs.stream().collect(Collectors.groupingBy(r -> r, Collectors.counting()));
            assertThat(perRun.values()).allSatisfy(n -> assertThat(n).isBetween(1L, 2L));
            assertThat(perRun.values()).contains(2L);
            // the calendar shows the runs that started and the cron's coming times
            Instant now = Instant.now();
            Reply calendar = json(port, "GET", "/api/v1/campaigns/calendar?from=" + now.minusSeconds(600) + "&to=" + now.plusSeconds(30), null);
            assertThat(calendar.status()).as(calendar.body()).isEqualTo(200);
            List<String> kinds = new ArrayList<>();
            calendar.json().forEach(e -> {
                if (e.get("campaignId").asText().equals(id)) {
                    kinds.add(e.get("kind").asText());
                }
            });
            assertThat(kinds).contains("run").contains("scheduled");
            assertThat(kinds.stream().filter("scheduled"::equals).count()).isBetween(9L, 11L); // every 3 s for 30 s
            assertThat(json(port, "GET", "/api/v1/campaigns/calendar?from=tomorrow&to=" + now, null).body()).contains("\"from\"");
            Reply stopped = json(port, "POST", "/api/v1/campaigns/" + id + "/cancel", null);
            assertThat(stopped.json().get("status").asText()).isIn("draft", "cancelled");
        }
    }

    @Test
    void aTriggerCampaignSendsToTheProfileWhoseEventFiredWithTheEventInTheTemplate() throws Exception {
        Reply db = json(port, "POST", "/api/v1/databases", Map.of("id", "trg", "name", "Trg", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true))));
        assertThat(db.status()).as(db.body()).isEqualTo(201);
        for (String email : List.of("t1@example.com", "t2@example.com")) {
            assertThat(json(port, "POST", "/api/v1/databases/trg/profiles", Map.of("matching", "email", "fields", Map.of("email", email),
                    "subscriptions", List.of(Map.of("channel", "email", "address", email)))).status()).isEqualTo(201);
        }
        String messageId = json(port, "POST", "/api/v1/messages", Map.of("name", "Cart", "email", Map.of("subject", "You left {{ event.item }}",
                "fromAddress", "news@shop.example", "text", "Come back"))).json().get("id").asText();
        Reply bad = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Loop", "type", "trigger", "database", "trg", "messageId", messageId,
                "trigger", Map.of("event", "message.sent")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("trigger.event");
        List<JsonNode> published = new CopyOnWriteArrayList<>();
        String[] campaignId = {null};
        try (SendQueue.Consumer consumer = campaignMail(campaignId, published)) {
            Reply created = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Abandoned cart", "type", "trigger", "database", "trg",
                    "messageId", messageId, "trigger", Map.of("event", "cart.abandoned")));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String id = created.json().get("id").asText();
            campaignId[0] = id;
            assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null).json().at("/campaign/status").asText()).isEqualTo("scheduled");
            Thread.sleep(2_500); // the live list is looked up again every two seconds
            assertThat(json(port, "POST", "/api/v1/events", Map.of("database", "trg", "matching", "email", "value", "t1@example.com",
                    "type", "purchase", "properties", Map.of("item", "Hat"))).status()).isIn(200, 201, 202);
            assertThat(json(port, "POST", "/api/v1/events", Map.of("database", "trg", "matching", "email", "value", "t2@example.com",
                    "type", "cart.abandoned", "properties", Map.of("item", "Boots"))).status()).isIn(200, 201, 202);
            for (int i = 0; i < 100 && published.isEmpty(); i++) {
                Thread.sleep(50);
            }
            Thread.sleep(300);
            assertThat(published).hasSize(1);
            assertThat(published.get(0).at("/to/0").asText()).isEqualTo("t2@example.com");
            assertThat(published.get(0).get("subject").asText()).isEqualTo("You left Boots");
            // started from the API for one profile, its data as the event; the same key twice sends once
            Map<String, Object> call = Map.of("profile", "t1@example.com", "matchBy", "email", "data", Map.of("item", "Gloves"),
                    "idempotencyKey", "cart-991");
            Reply fired = json(port, "POST", "/api/v1/campaigns/" + id + "/trigger", call);
            assertThat(fired.status()).as(fired.body()).isEqualTo(202);
            assertThat(fired.json().get("sent").asBoolean()).isTrue();
            assertThat(fired.json().at("/ledger/queued").asInt()).isEqualTo(1);
            assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/trigger", call).json().at("/ledger/queued").asInt()).isEqualTo(1);
            for (int i = 0; i < 50 && published.size() < 2; i++) {
                Thread.sleep(100);
            }
            Thread.sleep(300);
            assertThat(published).hasSize(2);
            assertThat(published.get(1).get("subject").asText()).isEqualTo("You left Gloves");
            assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/trigger", Map.of("profile", "nobody@example.com", "matchBy", "email"))
                    .status()).isEqualTo(404);
            // cancelled: events and API calls no longer send
            assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/cancel", null).json().get("status").asText()).isEqualTo("draft");
            assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/trigger", Map.of("profile", "t1@example.com", "matchBy", "email")).body())
                    .contains("only a live (launched) trigger campaign");
            Thread.sleep(2_500);
            json(port, "POST", "/api/v1/events", Map.of("database", "trg", "matching", "email", "value", "t1@example.com", "type", "cart.abandoned",
                    "properties", Map.of("item", "Scarf")));
            Thread.sleep(1_000);
            assertThat(published).hasSize(2);
        }
    }

    /** This campaign's mail as it reaches the MTA's queue (other tests' campaigns may have left theirs there). */
    private SendQueue.Consumer campaignMail(String[] campaignId, List<JsonNode> into) {
        return queue.consume("orbita.email", 100, m -> {
            JsonNode j = EmailEnvelope.read(m.body());
            if (j.at("/headers/X-Orbita-Campaign").asText().equals(campaignId[0])) {
                into.add(j);
            }
        });
    }

    /** Makes and launches a campaign, waits for it to be sent; the run's ledger counts (having seen a waiting entry when asked). */
    private JsonNode run(String database, String segment, String messageId, Map<String, Object> limits, boolean expectWaiting) throws Exception {
        Reply created = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Limited", "database", database, "segments", List.of(segment),
                "messageId", messageId, "limits", limits));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(json(port, "POST", "/api/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(200);
        boolean sawWaiting = false;
        JsonNode report = null;
        for (int i = 0; i < 300; i++) {
            report = json(port, "GET", "/api/v1/campaigns/" + id + "/report", null).json();
            sawWaiting |= report.path("ledger").has("waiting");
            if (report.get("status").asText().equals("sent")) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(report.get("status").asText()).isEqualTo("sent");
        assertThat(sawWaiting).as("an entry waited for quiet hours").isEqualTo(expectWaiting);
        if (expectWaiting) {
            Reply ledger = json(port, "GET", "/api/v1/campaigns/" + id + "/ledger", null);
            assertThat(ledger.json()).hasSize(2);
        }
        return report.get("ledger");
    }

    private String segment(String database, String name, Map<String, Object> condition) {
        Reply r = json(port, "POST", "/api/v1/segments", Map.of("databaseId", database, "name", name,
                "definition", Map.of("type", "group", "match", "all", "conditions", List.of(condition))));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().at("/segment/id").asText();
    }

    private String segment(String name, Map<String, Object> condition) {
        Reply r = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "shop", "name", name,
                "definition", Map.of("type", "group", "match", "all", "conditions", List.of(condition))));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().at("/segment/id").asText();
    }

    /** The first link of a kind in the HTML ({@code /t/o/…}), as a recipient gets it: on the public origin. */
    private static String path(String html, String kind) {
        Matcher m = Pattern.compile("(https?://[^/\"]+" + kind + "[^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a " + kind + " link in " + html).isTrue();
        return m.group(1);
    }

    private HttpResponse<byte[]> get(String url, String userAgent) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("User-Agent", userAgent).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
