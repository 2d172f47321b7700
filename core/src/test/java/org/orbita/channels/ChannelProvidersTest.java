package org.orbita.channels;

import static org.assertj.core.api.Assertions.assertThat;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orbita.common.Json;
import org.orbita.outbound.NetworkGuard;

/** The providers against HTTP servers on loopback that answer as the services do, their errors included. */
class ChannelProvidersTest {

    HttpServer server;
    final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();

    int serve(String path, Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(path, x -> {
            byte[] in = x.getRequestBody().readAllBytes();
            bodies.add(in.length == 0 ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(in));
            headers.add(Map.of("signature", String.valueOf(x.getRequestHeaders().getFirst("X-Orbita-Signature")),
                    "key", String.valueOf(x.getRequestHeaders().getFirst("Idempotency-Key")),
                    "custom", String.valueOf(x.getRequestHeaders().getFirst("X-Shop")), "raw", new String(in, StandardCharsets.UTF_8),
                    "path", x.getRequestURI().getPath()));
            handler.handle(x, bodies.get(bodies.size() - 1));
        });
        server.start();
        return server.getAddress().getPort();
    }

    interface Handler {
        void handle(HttpExchange x, JsonNode body) throws IOException;
    }

    static void answer(HttpExchange x, int status, String body, String... header) throws IOException {
        for (int i = 0; i + 1 < header.length; i += 2) {
            x.getResponseHeaders().add(header[i], header[i + 1]);
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            x.getResponseBody().write(b);
        }
        x.close();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void webhooksAreSignedCarryTheirKeyAndSayWhichFailuresToTryAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        int port = serve("/hook", (x, body) -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                answer(x, 503, "busy", "Retry-After", "7");
            } else if (body.path("bad").asBoolean()) {
                answer(x, 422, "{\"error\":\"unknown customer\"}");
            } else {
                answer(x, 200, "{}", "X-Request-Id", "req-" + n);
            }
        });
        WebhookProvider webhook = new WebhookProvider("s3cret".getBytes(StandardCharsets.UTF_8),
                new NetworkGuard(false, List.of("127.0.0.1")), Duration.ofSeconds(5));
        Map<String, Object> payload = Map.of("method", "POST", "url", "http://127.0.0.1:" + port + "/hook", "headers", Map.of("X-Shop", "one"),
                "body", Map.of("name", "Ann", "total", 42));
        ChannelProvider.Result first = webhook.send("run1/p1/webhook", "p1", payload);
        assertThat(first).isEqualTo(new ChannelProvider.Result.Retry("HTTP 503: busy", Duration.ofSeconds(7)));
        assertThat(webhook.send("run1/p1/webhook", "p1", payload)).isEqualTo(new ChannelProvider.Result.Accepted("req-2"));
        Map<String, String> h = headers.get(1);
        assertThat(h.get("key")).isEqualTo("run1/p1/webhook");
        assertThat(h.get("custom")).isEqualTo("one");
        assertThat(h.get("signature")).isEqualTo("sha256=" + webhook.sign(h.get("raw").getBytes(StandardCharsets.UTF_8)));
        assertThat(bodies.get(1).get("name").asText()).isEqualTo("Ann");
        ChannelProvider.Result refused = webhook.send("k", "p", Map.of("url", "http://127.0.0.1:" + port + "/hook", "body", Map.of("bad", true)));
        assertThat(refused).isInstanceOf(ChannelProvider.Result.Failed.class);
        assertThat(((ChannelProvider.Result.Failed) refused).reason()).contains("422").contains("unknown customer");
        // loopback is refused unless allowed
        WebhookProvider guarded = new WebhookProvider("s".getBytes(StandardCharsets.UTF_8), new NetworkGuard(false, List.of()), Duration.ofSeconds(5));
        assertThat(guarded.send("k", "p", payload)).isInstanceOfSatisfying(ChannelProvider.Result.Failed.class,
                f -> assertThat(f.reason()).contains("loopback or private"));
        assertThat(guarded.send("k", "p", Map.of("url", "file:///etc/passwd"))).isInstanceOf(ChannelProvider.Result.Failed.class);
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void telegramSpeaksTheBotApiAndReadsItsErrors() throws Exception {
        int port = serve("/botTOKEN123/", (x, body) -> {
            String chat = body.path("chat_id").asText();
            switch (chat) {
                case "429" -> answer(x, 429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 3\","
                        + "\"parameters\":{\"retry_after\":3}}");
                case "403" -> answer(x, 403, "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}");
                case "404" -> answer(x, 400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}");
                case "500" -> answer(x, 502, "<html>Bad Gateway</html>");
                default -> answer(x, 200, "{\"ok\":true,\"result\":{\"message_id\":777,\"chat\":{\"id\":" + chat + "},\"text\":\"x\"}}");
            }
        });
        TelegramProvider telegram = new TelegramProvider("http://127.0.0.1:" + port, "TOKEN123");
        Map<String, Object> payload = Map.of("text", "<b>Sale</b>", "parseMode", "HTML", "buttons", List.of(
                Map.of("title", "Shop", "link", "https://shop.example", "row", 0), Map.of("title", "Help", "link", "https://help.example", "row", 1),
                Map.of("title", "Call", "link", "https://call.example", "row", 0)));
        assertThat(telegram.send("k", "1001", payload)).isEqualTo(new ChannelProvider.Result.Accepted("777"));
        JsonNode sent = bodies.get(0);
        assertThat(headers.get(0).get("path")).isEqualTo("/botTOKEN123/sendMessage");
        assertThat(sent.get("chat_id").asText()).isEqualTo("1001");
        assertThat(sent.get("parse_mode").asText()).isEqualTo("HTML");
        assertThat(sent.at("/reply_markup/inline_keyboard/0/1/text").asText()).isEqualTo("Call");
        assertThat(sent.at("/reply_markup/inline_keyboard/1/0/url").asText()).isEqualTo("https://help.example");
        assertThat(telegram.send("k", "1002", Map.of("text", "caption", "image", "https://img.example/a.png"))).isInstanceOf(ChannelProvider.Result.Accepted.class);
        assertThat(headers.get(1).get("path")).isEqualTo("/botTOKEN123/sendPhoto");
        assertThat(bodies.get(1).get("caption").asText()).isEqualTo("caption");

        assertThat(telegram.send("k", "429", payload)).isEqualTo(new ChannelProvider.Result.Retry("Too Many Requests: retry after 3", Duration.ofSeconds(3)));
        assertThat(telegram.send("k", "403", payload)).isEqualTo(new ChannelProvider.Result.Failed("Forbidden: bot was blocked by the user", true));
        assertThat(telegram.send("k", "404", payload)).isEqualTo(new ChannelProvider.Result.Failed("Bad Request: chat not found", true));
        assertThat(telegram.send("k", "500", payload)).isEqualTo(new ChannelProvider.Result.Retry("HTTP 502", null));
        server.stop(0);
        server = null;
        assertThat(telegram.send("k", "1", payload)).isInstanceOf(ChannelProvider.Result.Retry.class);
    }

    @Test
    void smsGoesThroughTwiliosApiAndItsErrorCodesDecide() throws Exception {
        List<Map<String, String>> forms = new CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/2010-04-01/Accounts/AC123/Messages.json", x -> {
            String auth = x.getRequestHeaders().getFirst("Authorization");
            Map<String, String> form = new HashMap<>();
            for (String pair : new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            forms.add(form);
            if (!("Basic " + Base64.getEncoder().encodeToString("AC123:tok".getBytes(StandardCharsets.UTF_8))).equals(auth)) {
                answer(x, 401, "{\"code\":20003,\"message\":\"Authenticate\",\"status\":401}");
                return;
            }
            switch (form.get("To")) {
                case "+79990000001" -> answer(x, 400, "{\"code\":21614,\"message\":\"'To' number is not a valid mobile number\",\"status\":400}");
                case "+79990000002" -> answer(x, 429, "{\"code\":20429,\"message\":\"Too Many Requests\",\"status\":429}", "Retry-After", "2");
                case "+79990000003" -> answer(x, 400, "{\"code\":21606,\"message\":\"The From phone number is not a valid, SMS-capable number\",\"status\":400}");
                default -> answer(x, 201, "{\"sid\":\"SM" + forms.size() + "\",\"status\":\"queued\"}");
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        TwilioSmsProvider sms = new TwilioSmsProvider(url, "AC123", "tok", "+15550001111");
        assertThat(sms.send("k", "+79161234567", Map.of("text", "Привет, Ann: -40%", "sender", "SHOP"))).isEqualTo(new ChannelProvider.Result.Accepted("SM1"));
        assertThat(forms.get(0)).containsEntry("To", "+79161234567").containsEntry("From", "SHOP").containsEntry("Body", "Привет, Ann: -40%");
        assertThat(sms.send("k", "+79161234567", Map.of("text", "t"))).isInstanceOf(ChannelProvider.Result.Accepted.class);
        assertThat(forms.get(1)).containsEntry("From", "+15550001111");
        assertThat(sms.send("k", "+79990000001", Map.of("text", "t")))
                .isEqualTo(new ChannelProvider.Result.Failed("21614: 'To' number is not a valid mobile number", true));
        assertThat(sms.send("k", "+79990000002", Map.of("text", "t"))).isEqualTo(new ChannelProvider.Result.Retry("Too Many Requests", Duration.ofSeconds(2)));
        assertThat(sms.send("k", "+79990000003", Map.of("text", "t"))).isInstanceOfSatisfying(ChannelProvider.Result.Failed.class,
                f -> assertThat(f.unreachable()).isFalse());
        // not E.164: refused before any call
        int calls = forms.size();
        assertThat(sms.send("k", "89161234567", Map.of("text", "t"))).isInstanceOfSatisfying(ChannelProvider.Result.Failed.class,
                f -> assertThat(f.reason()).contains("E.164"));
        assertThat(forms).hasSize(calls);
        assertThat(new TwilioSmsProvider(url, "AC123", "wrong", "+1").send("k", "+79161234567", Map.of("text", "t")))
                .isEqualTo(new ChannelProvider.Result.Failed("20003: Authenticate", false));
    }
}
