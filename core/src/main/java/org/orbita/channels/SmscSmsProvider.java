package org.orbita.channels;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.orbita.common.Json;

/**
 * SMS through SMSC.ru's HTTP API: a form POST to {@code /sys/send.php} with {@code login},
 * {@code psw}, {@code phones}, {@code mes}, {@code sender}, {@code charset=utf-8} and {@code fmt=3}
 * (answers in JSON: {@code {"id", "cnt"}}, or {@code {"error", "error_code"}}). Its error codes:
 * 1 parameters, 5 date, 6 forbidden text or sender — failed; 7 a malformed number, 8 a number it
 * cannot deliver to — failed, unreachable; 2 login, 3 funds, 4 the address blocked for a while,
 * 9 too many identical requests — tried again. Status notices SMSC posts to the account's handler
 * ({@code id}, {@code phone}, {@code status}, {@code err}) are read by {@link #report}: 1 delivered,
 * 2 read, 4 a link opened — delivered; 3 expired, 20 undeliverable, 22 a wrong number, 23
 * forbidden, 24 no funds, 25 unavailable — a final failure; -1 and 0 (on the way) are left.
 */
public final class SmscSmsProvider extends SmsGateway {

    private static final Set<Integer> RETRY = Set.of(2, 3, 4, 9);
    private static final Set<Integer> UNREACHABLE = Set.of(7, 8);
    private static final Set<Integer> DELIVERED = Set.of(1, 2, 4);
    private static final Set<Integer> FINAL_FAILURE = Set.of(3, 20, 22, 23, 24, 25);

    private final String apiUrl;
    private final String login;
    private final String password;
    private final String defaultSender;

    public SmscSmsProvider(String apiUrl, String login, String password, String defaultSender) {
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.login = login;
        this.password = password;
        this.defaultSender = defaultSender;
    }

    @Override
    public Result send(String key, String phone, Map<String, Object> payload) {
        Result.Failed wrong = SmsNumbers.refusal(phone);
        if (wrong != null) {
            return wrong;
        }
        String from = SmsNumbers.sender(payload, defaultSender);
        String form = "login=" + enc(login) + "&psw=" + enc(password) + "&phones=" + enc(phone.substring(1)) + "&mes="
                + enc(String.valueOf(payload.getOrDefault("text", ""))) + (from == null || from.isBlank() ? "" : "&sender=" + enc(from))
                + "&charset=utf-8&fmt=3";
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + "/sys/send.php")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return ProviderCalls.call(http, () -> request, r -> {
            if (r.statusCode() == 429 || r.statusCode() >= 500) {
                return new Result.Retry("HTTP " + r.statusCode(), r.headers().firstValue("Retry-After").map(ChannelProvider::retryAfter).orElse(null));
            }
            JsonNode answer = ProviderCalls.json(r.body()).orElse(null);
            if (answer == null) {
                return new Result.Retry("SMSC answered HTTP " + r.statusCode() + " without JSON", null);
            }
            if (answer.has("error_code")) {
                int code = answer.path("error_code").asInt();
                String reason = code + ": " + answer.path("error").asText("");
                if (RETRY.contains(code)) {
                    return new Result.Retry(reason, code == 9 ? Duration.ofMinutes(1) : code == 4 ? Duration.ofMinutes(10) : Duration.ofMinutes(5));
                }
                return new Result.Failed(reason, UNREACHABLE.contains(code));
            }
            if (!answer.has("id")) {
                return new Result.Retry("SMSC's answer has no id: " + Json.write(answer), null);
            }
            // SMSC's statuses are per id and number: the receipt is found by both
            return new Result.Accepted(answer.path("id").asText() + ":" + phone.substring(1));
        });
    }

    /** A status notice SMSC posted (form fields): told to the receipts when final; whether it was. */
    public boolean report(Map<String, String> fields) {
        Receipts to = receiptsTo();
        String id = fields.get("id");
        String phone = fields.get("phone");
        int status;
        try {
            status = Integer.parseInt(fields.getOrDefault("status", ""));
        } catch (NumberFormatException e) {
            return false;
        }
        if (to == null || id == null || phone == null || !(DELIVERED.contains(status) || FINAL_FAILURE.contains(status))) {
            return false;
        }
        String err = fields.get("err");
        to.receipt(id + ":" + phone.replaceAll("[^0-9]", ""), DELIVERED.contains(status),
                "status " + status + (err == null || err.isBlank() || err.equals("0") ? "" : ", error " + err));
        return true;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
