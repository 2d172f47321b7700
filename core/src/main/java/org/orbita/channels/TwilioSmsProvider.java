package org.orbita.channels;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.orbita.common.Json;

/**
 * SMS through Twilio's Messages API (and the many gateways that speak it): a form POST to
 * {@code /2010-04-01/Accounts/{sid}/Messages.json} with Basic auth, {@code To} in E.164,
 * {@code From} the message's sender or the configured number, {@code Body}. 201 with a {@code sid}
 * is accepted; 429 and 5xx are tried again; Twilio's error codes for numbers that cannot receive
 * (21211 invalid, 21614 not mobile, 21610 replied STOP, 21612 not reachable) make the address
 * unreachable; other 4xx fail with Twilio's message. A number that is not E.164 is refused here.
 */
public final class TwilioSmsProvider implements ChannelProvider {

    private static final Set<Integer> UNREACHABLE = Set.of(21211, 21612, 21614, 21610);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String apiUrl;
    private final String accountSid;
    private final String authToken;
    private final String defaultFrom;

    public TwilioSmsProvider(String apiUrl, String accountSid, String authToken, String defaultFrom) {
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.accountSid = accountSid;
        this.authToken = authToken;
        this.defaultFrom = defaultFrom;
    }

    @Override
    public String channel() {
        return "sms";
    }

    @Override
    public Result send(String key, String phone, Map<String, Object> payload) {
        Result.Failed wrong = SmsNumbers.refusal(phone);
        if (wrong != null) {
            return wrong;
        }
        String from = SmsNumbers.sender(payload, defaultFrom);
        String form = "To=" + enc(phone) + "&From=" + enc(from) + "&Body=" + enc(String.valueOf(payload.getOrDefault("text", "")));
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + "/2010-04-01/Accounts/" + accountSid + "/Messages.json"))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("I-Twilio-Idempotency-Token", key)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return ProviderCalls.call(http, () -> request, r -> {
            JsonNode answer = ProviderCalls.json(r.body()).orElseGet(Json.MAPPER::createObjectNode);
            if (r.statusCode() / 100 == 2) {
                return new Result.Accepted(answer.path("sid").asText(null));
            }
            String message = answer.path("message").asText("HTTP " + r.statusCode());
            int code = answer.path("code").asInt(0);
            if (r.statusCode() == 429 || r.statusCode() >= 500) {
                return new Result.Retry(message, r.headers().firstValue("Retry-After").map(ChannelProvider::retryAfter).orElse(null));
            }
            return new Result.Failed(code == 0 ? message : code + ": " + message, UNREACHABLE.contains(code));
        });
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

}
