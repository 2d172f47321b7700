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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orbita.channels.ChannelProvider.Result;
import org.orbita.common.Json;
import org.orbita.outbound.NetworkGuard;

/**
 * The HTTP SMS gateways against servers on loopback that answer as Infobip, SMSC.ru and a
 * described gateway do — their requests checked, their successes, refusals, account problems and
 * overloads mapped to accepted / failed / unreachable / tried again — and their delivery reports
 * told as receipts.
 */
class SmsGatewaysTest {

    record Call(String method, String path, Map<String, String> headers, String body) {}

    HttpServer server;
    final List<Call> calls = new CopyOnWriteArrayList<>();

    /** A server whose every answer is {@code answer(call)}: a status and a body. */
    private String serve(Function<Call, Object[]> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            Map<String, String> headers = new LinkedHashMap<>();
            x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            Call c = new Call(x.getRequestMethod(), x.getRequestURI().toString(), headers,
                    new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            calls.add(c);
            Object[] a = answer.apply(c);
            reply(x, (int) a[0], (String) a[1]);
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String infobipStatus(String to, String group, int groupId, String name) {
        return "{\"bulkId\":\"b-1\",\"messages\":[{\"to\":\"" + to + "\",\"status\":{\"groupId\":" + groupId + ",\"groupName\":\"" + group
                + "\",\"id\":26,\"name\":\"" + name + "\",\"description\":\"described\"},\"messageId\":\"ib-" + to + "\"}]}";
    }

    @Test
    void infobipTakesTheAdvancedCallAndItsReportsBecomeReceipts() throws IOException {
        String url = serve(c -> {
            JsonNode m = Json.read(c.body(), JsonNode.class).path("messages").path(0);
            String to = m.path("destinations").path(0).path("to").asText();
            return switch (to) {
                case "79001112233" -> new Object[] {200, infobipStatus(to, "PENDING", 1, "PENDING_ACCEPTED")};
                case "79000000000" -> new Object[] {200, infobipStatus(to, "REJECTED", 5, "REJECTED_DESTINATION")};
                case "79000000001" -> new Object[] {200, infobipStatus(to, "REJECTED", 5, "REJECTED_NOT_ENOUGH_CREDITS")};
                case "79000000002" -> new Object[] {401, "{\"requestError\":{\"serviceException\":{\"messageId\":\"UNAUTHORIZED\",\"text\":\"Invalid login details\"}}}"};
                default -> new Object[] {503, ""};
            };
        });
        InfobipSmsProvider p = new InfobipSmsProvider(url, "api-key-1", "Orbita", "https://orbita.example/t/sms/infobip/k");
        List<String> told = new ArrayList<>();
        p.receipts((id, delivered, status) -> told.add(id + " " + delivered + " " + status));

        Result ok = p.send("key-1", "+79001112233", Map.of("text", "Привет, Ann"));
        assertThat(ok).isEqualTo(new Result.Accepted("ib-79001112233"));
        Call c = calls.get(0);
        assertThat(c.method()).isEqualTo("POST");
        assertThat(c.path()).isEqualTo("/sms/2/text/advanced");
        assertThat(c.headers()).containsEntry("authorization", "App api-key-1");
        JsonNode sent = Json.read(c.body(), JsonNode.class).path("messages").path(0);
        assertThat(sent.path("from").asText()).isEqualTo("Orbita");
        assertThat(sent.path("text").asText()).isEqualTo("Привет, Ann");
        assertThat(sent.at("/destinations/0/messageId").asText()).isEqualTo("key-1");
        assertThat(sent.path("notifyUrl").asText()).isEqualTo("https://orbita.example/t/sms/infobip/k");

        assertThat(p.send("k2", "+79000000000", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Failed.class, f -> {
            assertThat(f.unreachable()).isTrue();
            assertThat(f.reason()).contains("REJECTED_DESTINATION");
        });
        assertThat(p.send("k3", "+79000000001", Map.of("text", "x"))).as("the account's credit: tried again").isInstanceOf(Result.Retry.class);
        assertThat(p.send("k4", "+79000000002", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Failed.class, f -> {
            assertThat(f.unreachable()).isFalse();
            assertThat(f.reason()).contains("UNAUTHORIZED").contains("Invalid login details");
        });
        assertThat(p.send("k5", "+79000000003", Map.of("text", "x"))).isInstanceOf(Result.Retry.class);
        assertThat(p.send("k6", "8-900-111", Map.of("text", "x"))).as("not E.164: refused before any call").isInstanceOf(Result.Failed.class);
        assertThat(calls).hasSize(5);

        int n = p.report("""
                {"results": [
                  {"bulkId": "b-1", "messageId": "ib-79001112233", "to": "79001112233", "status": {"groupId": 3, "groupName": "DELIVERED", "id": 5,
                   "name": "DELIVERED_TO_HANDSET"}, "error": {"groupId": 0, "groupName": "OK", "id": 0, "name": "NO_ERROR", "permanent": false}},
                  {"messageId": "ib-2", "status": {"groupId": 2, "groupName": "UNDELIVERABLE", "id": 9, "name": "UNDELIVERABLE_NOT_DELIVERED"},
                   "error": {"groupId": 1, "groupName": "HANDSET_ERRORS", "id": 27, "name": "EC_ABSENT_SUBSCRIBER", "permanent": false}},
                  {"messageId": "ib-3", "status": {"groupId": 1, "groupName": "PENDING", "id": 3, "name": "PENDING_WAITING_DELIVERY"}}
                ]}""");
        assertThat(n).isEqualTo(2);
        assertThat(told).containsExactly("ib-79001112233 true DELIVERED_TO_HANDSET", "ib-2 false UNDELIVERABLE_NOT_DELIVERED (EC_ABSENT_SUBSCRIBER)");
        assertThat(p.report("not json")).isZero();
    }

    @Test
    void smscTakesAFormPostAndItsErrorCodesAndStatusesAreMapped() throws IOException {
        String url = serve(c -> {
            Map<String, String> f = form(c.body());
            return switch (f.get("phones")) {
                case "79001112233" -> new Object[] {200, "{\"id\": 4311, \"cnt\": 1}"};
                case "79000000007" -> new Object[] {200, "{\"error\": \"invalid number\", \"error_code\": 7}"};
                case "79000000003" -> new Object[] {200, "{\"error\": \"no money\", \"error_code\": 3}"};
                case "79000000006" -> new Object[] {200, "{\"error\": \"message is denied\", \"error_code\": 6}"};
                case "79000000009" -> new Object[] {200, "{\"error\": \"duplicate request, wait a minute\", \"error_code\": 9}"};
                default -> new Object[] {502, "<html>bad gateway</html>"};
            };
        });
        SmscSmsProvider p = new SmscSmsProvider(url, "shop", "s3cret", "ShopName");
        List<String> told = new ArrayList<>();
        p.receipts((id, delivered, status) -> told.add(id + " " + delivered + " " + status));

        assertThat(p.send("k1", "+79001112233", Map.of("text", "Код: 1234 & всё"))).isEqualTo(new Result.Accepted("4311:79001112233"));
        Map<String, String> sent = form(calls.get(0).body());
        assertThat(calls.get(0).path()).isEqualTo("/sys/send.php");
        assertThat(sent).containsEntry("login", "shop").containsEntry("psw", "s3cret").containsEntry("phones", "79001112233")
                .containsEntry("mes", "Код: 1234 & всё").containsEntry("sender", "ShopName").containsEntry("fmt", "3").containsEntry("charset", "utf-8");
        assertThat(p.send("k", "+79000000007", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Failed.class, f -> assertThat(f.unreachable()).isTrue());
        assertThat(p.send("k", "+79000000006", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Failed.class, f -> {
            assertThat(f.unreachable()).isFalse();
            assertThat(f.reason()).isEqualTo("6: message is denied");
        });
        assertThat(p.send("k", "+79000000003", Map.of("text", "x"))).isInstanceOf(Result.Retry.class);
        assertThat(p.send("k", "+79000000009", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Retry.class,
                r -> assertThat(r.after()).isEqualTo(java.time.Duration.ofMinutes(1)));
        assertThat(p.send("k", "+79000000005", Map.of("text", "x"))).isInstanceOf(Result.Retry.class);

        assertThat(p.report(Map.of("id", "4311", "phone", "79001112233", "status", "1"))).isTrue();
        assertThat(p.report(Map.of("id", "4312", "phone", "+7 900 000-00-01", "status", "20", "err", "1"))).isTrue();
        assertThat(p.report(Map.of("id", "4313", "phone", "79000000002", "status", "0"))).as("on its way: not final").isFalse();
        assertThat(p.report(Map.of("id", "4313", "phone", "79000000002", "status", "x"))).isFalse();
        assertThat(told).containsExactly("4311:79001112233 true status 1", "4312:79000000001 false status 20, error 1");
    }

    @Test
    void aDescribedGatewayIsCalledByItsTemplatesAndReadByItsPatterns() throws IOException {
        String url = serve(c -> {
            JsonNode b = Json.read(c.body(), JsonNode.class);
            return switch (b.path("to").asText()) {
                case "79001112233" -> new Object[] {200, "{\"result\":\"OK\",\"msg_id\":\"gw-77\"}"};
                case "79000000000" -> new Object[] {200, "{\"result\":\"ERROR\",\"reason\":\"ABONENT_NOT_EXISTS\"}"};
                case "79000000001" -> new Object[] {429, "slow down"};
                default -> new Object[] {400, "{\"result\":\"ERROR\",\"reason\":\"BAD_SENDER\"}"};
            };
        });
        HttpSmsProvider p = new HttpSmsProvider(new HttpSmsProvider.Settings("POST", url + "/api/send?ref={key}", "application/json",
                "{\"to\":\"{phone}\",\"text\":\"{text}\",\"from\":\"{sender}\"}", Map.of("X-Token", "t-1"), "\"result\":\"OK\"",
                "\"msg_id\":\"([^\"]+)\"", "ABONENT_NOT_EXISTS", "Shop"), NetworkGuard.open());
        assertThat(p.send("key 1", "+79001112233", Map.of("text", "He said \"hi\"\nbye"))).isEqualTo(new Result.Accepted("gw-77"));
        Call c = calls.get(0);
        assertThat(c.path()).isEqualTo("/api/send?ref=key+1");
        assertThat(c.headers()).containsEntry("x-token", "t-1");
        JsonNode body = Json.read(c.body(), JsonNode.class);
        assertThat(body.path("text").asText()).as("escaped as JSON, read back whole").isEqualTo("He said \"hi\"\nbye");
        assertThat(body.path("from").asText()).isEqualTo("Shop");
        assertThat(p.send("k", "+79000000000", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Failed.class, f -> assertThat(f.unreachable()).isTrue());
        assertThat(p.send("k", "+79000000001", Map.of("text", "x"))).isInstanceOf(Result.Retry.class);
        assertThat(p.send("k", "+79000000002", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Failed.class, f -> {
            assertThat(f.unreachable()).isFalse();
            assertThat(f.reason()).contains("HTTP 400").contains("BAD_SENDER");
        });
        HttpSmsProvider guarded = new HttpSmsProvider(new HttpSmsProvider.Settings("GET", url + "/send?to={phone}", null, null, null, "OK", null, null,
                null), new NetworkGuard(false, List.of()));
        assertThat(guarded.send("k", "+79001112233", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Failed.class,
                f -> assertThat(f.reason()).contains("loopback or private address"));
    }

    /** SMS Traffic's replies as its API document shows them. */
    private static String reply(String result, int code, String description, String smsId) {
        return "<?xml version=\"1.0\" ?>\n<reply>\n  <result>" + result + "</result>\n  <code>" + code + "</code>\n  <description>" + description
                + "</description>\n" + (smsId == null ? "" : "  <message_infos>\n    <message_info>\n      <phone>79001112233</phone>\n      <sms_id>"
                + smsId + "</sms_id>\n    </message_info>\n  </message_infos>\n") + "</reply>";
    }

    @Test
    void smsTrafficSendsItsFormMapsItsCodesFailsOverAndPollsStatuses() throws IOException {
        String url = serve(c -> {
            Map<String, String> f = form(c.body());
            if ("status".equals(f.get("operation"))) {
                StringBuilder b = new StringBuilder("<reply>");
                for (String id : f.get("sms_id").split(",")) {
                    b.append(id.equals("1000472891") ? "<sms><error></error><submition_date>2026-12-07 14:11:39</submition_date><send_date>2026-12-07"
                            + " 14:11:39</send_date><last_status_change_date>2026-12-07 14:12:00</last_status_change_date><sms_id>" + id
                            + "</sms_id><status>Delivered</status></sms>"
                            : id.equals("1000472893") ? "<sms><error></error><sms_id>" + id + "</sms_id><status>Buffered SMSC</status></sms>"
                            : "<sms><error>no such message or this message does not belong to you</error><sms_id>" + id + "</sms_id></sms>");
                }
                return new Object[] {200, b.append("</reply>").toString()};
            }
            boolean failover = c.path().startsWith("/failover/");
            return switch (f.get("phones")) {
                case "79001112233" -> new Object[] {200, reply("OK", 0, "queued 1 messages", "1000472891")};
                case "79001112234" -> new Object[] {200, reply("OK", 0, "queued 1 messages", "1000472893")};
                case "79001112235" -> new Object[] {200, reply("OK", 0, "queued 1 messages", "1000472899")};
                case "79000000000" -> new Object[] {200, reply("ERROR", 430, "\"79000000000\": invalid phone. No messages has been sent", null)};
                case "79000000001" -> failover ? new Object[] {200, reply("OK", 0, "queued 1 messages", "1000472892")}
                        : new Object[] {200, reply("ERROR", 1000, "Temporary error", null)};
                case "79000000002" -> new Object[] {200, reply("ERROR", 415, "Not enough funds to complete the operation", null)};
                default -> new Object[] {200, reply("ERROR", 411, "Authentication failed", null)};
            };
        });
        SmsTrafficProvider p = new SmsTrafficProvider(url + "/multi.php", url + "/failover/multi.php", "shop", "pa$$", "Shop");
        List<String> told = new ArrayList<>();
        p.receipts((id, delivered, status) -> told.add(id + " " + delivered + " " + status));
        assertThat(p.send("k1", "+79001112233", Map.of("text", "Ваш код 4242"))).isEqualTo(new Result.Accepted("1000472891"));
        Map<String, String> sent = form(calls.get(0).body());
        assertThat(calls.get(0).path()).isEqualTo("/multi.php");
        assertThat(sent).containsEntry("login", "shop").containsEntry("password", "pa$$").containsEntry("phones", "79001112233")
                .containsEntry("message", "Ваш код 4242").containsEntry("originator", "Shop").containsEntry("rus", "5").containsEntry("want_sms_ids", "1");
        assertThat(p.send("k2", "+79000000000", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Failed.class, f -> {
            assertThat(f.reason()).startsWith("430: ");
            assertThat(f.unreachable()).isTrue();
        });
        // a temporary error: the failover server takes it
        assertThat(p.send("k3", "+79000000001", Map.of("text", "x"))).isEqualTo(new Result.Accepted("1000472892"));
        assertThat(calls.get(calls.size() - 1).path()).isEqualTo("/failover/multi.php");
        assertThat(p.send("k4", "+79000000002", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Retry.class,
                r -> assertThat(r.reason()).contains("Not enough funds"));
        assertThat(p.send("k5", "+79009999999", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo("411: Authentication failed");
            assertThat(f.unreachable()).isFalse();
        });
        p.send("k6", "+79001112234", Map.of("text", "x"));
        p.send("k7", "+79001112235", Map.of("text", "x"));
        assertThat(p.pending()).isEqualTo(4);
        // polling: one delivered, one still buffered, two SMS Traffic no longer knows
        assertThat(p.poll()).isEqualTo(1);
        assertThat(form(calls.get(calls.size() - 1).body())).containsEntry("operation", "status")
                .containsEntry("sms_id", "1000472891,1000472892,1000472893,1000472899");
        assertThat(told).containsExactly("1000472891 true Delivered");
        assertThat(p.pending()).as("the buffered one is asked again").isEqualTo(1);
        // the status callback
        assertThat(p.report(Map.of("sms_id", "1000472893", "status", "Non Delivered", "delivery_date", "2026-12-07 17:04:00"))).isTrue();
        assertThat(told).last().isEqualTo("1000472893 false Non Delivered");
        assertThat(p.report(Map.of("sms_id", "1", "status", "Buffered SMSC"))).isFalse();
        assertThat(p.pending()).isZero();
    }

    /** Devino's status answer (its table 7) for a part in this state. */
    private static String devinoState(int state, String description) {
        return "{\"State\":" + state + ",\"CreationDateUtc\":\"\\/Date(1765126800000)\\/\",\"SubmittedDateUtc\":null,\"ReportedDateUtc\":null,"
                + "\"TimeStampUtc\":\"\\/Date(1765126860000)\\/\",\"StateDescription\":\"" + description + "\",\"Price\":1.85}";
    }

    @Test
    void devinoSendsPartsAndAsksTheirStatesUntilFinal() throws IOException {
        Map<String, Integer> asked = new java.util.concurrent.ConcurrentHashMap<>();
        String url = serve(c -> {
            if (c.method().equals("GET") && c.path().startsWith("/rest/v2/Sms/State?")) {
                Map<String, String> q = form(c.path().substring(c.path().indexOf('?') + 1));
                if (!q.get("Login").equals("shop") || !q.get("Password").equals("pa$$")) {
                    return new Object[] {401, "{\"Code\":4,\"Desc\":\"Invalid user login or password\"}"};
                }
                int n = asked.merge(q.get("messageId"), 1, Integer::sum);
                return switch (q.get("messageId")) {
                    case "GW0261BBD6B3" -> new Object[] {200, n == 1 ? devinoState(-1, "Отправлено (передано в мобильную сеть)")
                            : devinoState(0, "Доставлено абоненту")};
                    case "SAR-GW01+79001112234-5f3b1972-2-1" -> new Object[] {200, devinoState(0, "Доставлено абоненту")};
                    case "SAR-GW01+79001112234-5f3b1972-2-2" -> new Object[] {200, devinoState(-2, "В очереди")};
                    case "GW0261BBD6C4" -> new Object[] {200, devinoState(11, "Неверно введен адрес получателя")};
                    default -> new Object[] {200, devinoState(255, "Неизвестный")};
                };
            }
            Map<String, String> f = form(c.body());
            if (!c.path().equals("/rest/v2/Sms/Send")) {
                return new Object[] {404, ""};
            }
            return switch (f.get("DestinationAddress")) {
                case "79001112233" -> new Object[] {200, "[\"GW0261BBD6B3\"]"};
                case "79001112234" -> new Object[] {200, "[\"SAR-GW01+79001112234-5f3b1972-2-1\",\"SAR-GW01+79001112234-5f3b1972-2-2\"]"};
                case "79001112235" -> new Object[] {200, "[\"GW0261BBD6C4\"]"};
                case "79001112236" -> new Object[] {200, "[\"GW0261BBD6C5\"]"};
                case "79000000005" -> new Object[] {403, "{\"Code\":5,\"Desc\":\"Not enough credits\"}"};
                case "79000000006" -> new Object[] {400, "{ Code: 6, Desc: \"Invalid source address\" }"}; // as its documentation writes it
                case "79000000009" -> new Object[] {500, "{\"Code\":9,\"Desc\":\"Internal server error\"}"};
                case "79000000010" -> new Object[] {502, "<html>Bad Gateway</html>"};
                default -> new Object[] {200, "<html>a captive portal</html>"};
            };
        });
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now = new java.util.concurrent.atomic.AtomicReference<>(
                java.time.Instant.parse("2026-12-07T16:00:00Z"));
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return now.get();
            }
        };
        DevinoSmsProvider p = new DevinoSmsProvider(url + "/rest/v2/", "shop", "pa$$", "DEVINO", clock);
        List<String> told = new ArrayList<>();
        p.receipts((id, delivered, status) -> told.add(id + " " + delivered + " " + status));

        assertThat(p.send("k1", "+79001112233", Map.of("text", "Ваш код 4242"))).isEqualTo(new Result.Accepted("GW0261BBD6B3"));
        assertThat(calls.get(0).method()).isEqualTo("POST");
        assertThat(calls.get(0).headers()).containsEntry("content-type", "application/x-www-form-urlencoded");
        assertThat(form(calls.get(0).body())).containsEntry("Login", "shop").containsEntry("Password", "pa$$").containsEntry("SourceAddress", "DEVINO")
                .containsEntry("DestinationAddress", "79001112233").containsEntry("Data", "Ваш код 4242");
        assertThat(p.send("k2", "+79001112234", Map.of("text", "long", "sender", "Shop"))).isEqualTo(new Result.Accepted("SAR-GW01+79001112234-5f3b1972-2-1"));
        assertThat(form(calls.get(1).body())).containsEntry("SourceAddress", "Shop");
        p.send("k3", "+79001112235", Map.of("text", "x"));
        p.send("k4", "+79001112236", Map.of("text", "x"));
        assertThat(p.send("k5", "+79000000005", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Retry.class, r -> {
            assertThat(r.reason()).isEqualTo("5: Not enough credits");
            assertThat(r.after()).isEqualTo(java.time.Duration.ofMinutes(5));
        });
        assertThat(p.send("k6", "+79000000006", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo("6: Invalid source address");
            assertThat(f.unreachable()).isFalse();
        });
        assertThat(p.send("k7", "+79000000009", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Retry.class,
                r -> assertThat(r.reason()).isEqualTo("9: Internal server error"));
        assertThat(p.send("k8", "+79000000010", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Retry.class,
                r -> assertThat(r.reason()).isEqualTo("HTTP 502"));
        assertThat(p.send("k9", "+79000000011", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Retry.class,
                r -> assertThat(r.reason()).startsWith("Devino answered what is not its list of ids"));
        assertThat(p.send("k10", "12345", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Failed.class, f -> assertThat(f.unreachable()).isTrue());
        assertThat(p.pending()).isEqualTo(4);

        // first poll: the wrong recipient fails; the first is still on its way; one part of two delivered
        assertThat(p.poll()).isEqualTo(1);
        assertThat(told).containsExactly("GW0261BBD6C4 false state 11: Неверно введен адрес получателя");
        assertThat(calls).filteredOn(c -> c.method().equals("GET")).allSatisfy(c -> assertThat(c.path()).contains("Login=shop&Password=pa%24%24"));
        // second poll: the first delivered; the delivered part is not asked again, the queued one is
        assertThat(p.poll()).isEqualTo(1);
        assertThat(told).last().isEqualTo("GW0261BBD6B3 true state 0: delivered");
        assertThat(asked).containsEntry("SAR-GW01+79001112234-5f3b1972-2-1", 1).containsEntry("SAR-GW01+79001112234-5f3b1972-2-2", 2);
        assertThat(p.pending()).isEqualTo(2);
        // a day on, both still asked; past Devino's 48 hours (it answers 255 then) both are forgotten, nothing told
        now.set(now.get().plus(java.time.Duration.ofHours(24)));
        assertThat(p.poll()).isZero();
        assertThat(p.pending()).isEqualTo(2);
        now.set(now.get().plus(java.time.Duration.ofHours(26)));
        assertThat(p.poll()).isZero();
        assertThat(p.pending()).isZero();
        assertThat(told).hasSize(2);
    }

    @Test
    void exolveSendsJsonWithItsKeyAndMapsItsErrors() throws IOException {
        String url = serve(c -> {
            if (!c.path().equals("/messaging/v1/SendSMS")) {
                return new Object[] {404, "{\"error\":{\"code\":5,\"message\":\"Not Found\"}}"};
            }
            if (!"Bearer EX-KEY".equals(c.headers().get("authorization"))) {
                return new Object[] {401, "{\"error\":{\"code\":16,\"message\":\"unauthenticated\"}}"};
            }
            JsonNode m = Json.read(c.body(), JsonNode.class);
            return switch (m.path("destination").asText()) {
                case "79001112233" -> new Object[] {200, "{\"message_id\":\"439166538239448536\",\"template_resource_id\":136519}"};
                case "7900123" -> new Object[] {400, "{\"error\":{\"code\":3,\"message\":\"invalid SendRequest.Destination: value does not match regex pattern \\\"^[0-9]{11}$\\\"\"}}"};
                case "79000000001" -> new Object[] {400, "{\"error\":{\"code\":3,\"message\":\"alpha name is not registered\"}}"};
                case "79000000002" -> new Object[] {429, "{\"error\":{\"code\":8,\"message\":\"too many requests\"}}"};
                default -> new Object[] {503, "upstream connect error"};
            };
        });
        ExolveSmsProvider p = new ExolveSmsProvider(url + "/messaging/v1", "EX-KEY", "79991112233");
        assertThat(p.send("k1", "+79001112233", Map.of("text", "Ваш код 4242"))).isEqualTo(new Result.Accepted("439166538239448536"));
        JsonNode body = Json.read(calls.get(0).body(), JsonNode.class);
        assertThat(body.path("number").asText()).isEqualTo("79991112233");
        assertThat(body.path("destination").asText()).isEqualTo("79001112233");
        assertThat(body.path("text").asText()).isEqualTo("Ваш код 4242");
        assertThat(calls.get(0).headers()).containsEntry("content-type", "application/json");
        assertThat(p.send("k2", "+7900123", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Failed.class, f -> {
            assertThat(f.reason()).startsWith("HTTP 400: invalid SendRequest.Destination");
            assertThat(f.unreachable()).isTrue();
        });
        assertThat(p.send("k3", "+79000000001", Map.of("text", "x", "sender", "Shop"))).isInstanceOfSatisfying(Result.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo("HTTP 400: alpha name is not registered");
            assertThat(f.unreachable()).isFalse();
        });
        assertThat(Json.read(calls.get(2).body(), JsonNode.class).path("number").asText()).isEqualTo("Shop");
        assertThat(p.send("k4", "+79000000002", Map.of("text", "x"))).isInstanceOf(Result.Retry.class);
        assertThat(p.send("k5", "+79000000003", Map.of("text", "x"))).isInstanceOfSatisfying(Result.Retry.class,
                r -> assertThat(r.reason()).isEqualTo("HTTP 503"));
        assertThat(new ExolveSmsProvider(url + "/messaging/v1/", "WRONG", "79991112233").send("k6", "+79001112233", Map.of("text", "x")))
                .isInstanceOfSatisfying(Result.Retry.class, r -> {
                    assertThat(r.reason()).isEqualTo("HTTP 401: unauthenticated");
                    assertThat(r.after()).isEqualTo(java.time.Duration.ofMinutes(5));
                });
        assertThat(p.pending()).as("Exolve's statuses are not asked for").isZero();
    }
}
