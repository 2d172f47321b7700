package org.orbita.channels;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SMS through Devino Telecom's "HTTP API without SessionID" (its documentation, github.com/devinotelecom/docs,
 * {@code httpapiv2.rst}): a form POST to {@code {base}/Sms/Send} with {@code Login}, {@code Password},
 * {@code SourceAddress}, {@code DestinationAddress} (digits) and {@code Data}; the answer is a JSON
 * array of ids, one per part of a long message. Errors come as {@code {Code, Desc}} with the HTTP
 * status of its table 16: 1, 2, 6, 7 (empty or invalid argument, invalid operation, forbidden) fail
 * the message; 4 (unauthorised) and 5 (not enough credits) are tried again in five minutes, 8 and 9
 * (gateway, internal error) again soon. Devino posts no reports: {@link #poll} asks
 * {@code {base}/Sms/State?messageId=} for each part still owed a status (table 17): 0 delivered;
 * 10, 11, 41 (a wrong sender or recipient address, an address not allowed) undeliverable; 42, 46,
 * 47, 48, 69, 99, -98 (rejected, expired, deleted, stopped, unknown) a final failure; -1, -2 and 255
 * (sent, queued, not known yet) on the way. A message is delivered when every part is, failed when
 * one part fails; Devino keeps statuses for 48 hours, so a message still unknown after 49 is forgotten.
 */
public final class DevinoSmsProvider extends SmsGateway {

    private static final Set<Integer> RETRY_LATER = Set.of(4, 5);
    private static final Set<Integer> RETRY_SOON = Set.of(8, 9);
    private static final Set<Integer> UNDELIVERABLE = Set.of(10, 11, 41);
    private static final Set<Integer> FAILED = Set.of(42, 46, 47, 48, 69, 99, -98);
    private static final Duration KEPT = Duration.ofHours(49);
    /** Devino writes {@code {Code: 6, Desc: "…"}} in its documentation and quoted names on the wire: both are read. */
    private static final Pattern CODE = Pattern.compile("\"?Code\"?\\s*:\\s*(-?[0-9]+)");
    private static final Pattern DESC = Pattern.compile("\"?Desc\"?\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String base;
    private final String login;
    private final String password;
    private final String defaultSender;
    private final Clock clock;

    /** @param base {@code https://integrationapi.net/rest/v2} */
    public DevinoSmsProvider(String base, String login, String password, String defaultSender, Clock clock) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.login = login;
        this.password = password;
        this.defaultSender = defaultSender;
        this.clock = clock;
    }

    @Override
    public Result send(String key, String phone, Map<String, Object> payload) {
        Result.Failed wrong = SmsNumbers.refusal(phone);
        if (wrong != null) {
            return wrong;
        }
        String from = SmsNumbers.sender(payload, defaultSender);
        String form = credentials() + "&SourceAddress=" + enc(from) + "&DestinationAddress=" + phone.substring(1) + "&Data="
                + enc(String.valueOf(payload.getOrDefault("text", "")));
        List<String> parts = new ArrayList<>();
        Result r = ProviderCalls.call(http, () -> HttpRequest.newBuilder(URI.create(base + "/Sms/Send")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                answer -> sent(answer, parts));
        if (r instanceof Result.Accepted a) {
            await(a.id(), parts, clock.instant());
        }
        return r;
    }

    /** Devino's answer to a send; the ids of the message's parts added to {@code parts}. */
    private static Result sent(HttpResponse<String> r, List<String> parts) {
        String body = r.body() == null ? "" : r.body().strip();
        if (r.statusCode() == 200) {
            JsonNode ids = ProviderCalls.json(body).orElse(null);
            if (ids == null || !ids.isArray() || ids.isEmpty()) {
                return new Result.Retry("Devino answered what is not its list of ids: " + cut(body), null);
            }
            ids.forEach(id -> parts.add(id.asText()));
            return new Result.Accepted(parts.get(0));
        }
        Matcher code = CODE.matcher(body);
        if (!code.find()) {
            return r.statusCode() >= 500 || r.statusCode() == 429
                    ? new Result.Retry("HTTP " + r.statusCode(), r.headers().firstValue("Retry-After").map(ChannelProvider::retryAfter).orElse(null))
                    : new Result.Failed("HTTP " + r.statusCode() + ": " + cut(body), false);
        }
        int c = Integer.parseInt(code.group(1));
        Matcher desc = DESC.matcher(body);
        String reason = c + ": " + (desc.find() ? desc.group(1) : "HTTP " + r.statusCode());
        if (RETRY_LATER.contains(c)) {
            return new Result.Retry(reason, Duration.ofMinutes(5));
        }
        if (RETRY_SOON.contains(c)) {
            return new Result.Retry(reason, null);
        }
        return new Result.Failed(reason, false);
    }

    /**
     * Asks the status of each part still owed one and tells the messages now final as receipts; how
     * many. A part Devino cannot be asked about now is asked again at the next poll.
     */
    @Override
    public synchronized int poll() {
        int told = 0;
        for (Awaiting a : awaiting()) {
            List<String> left = new ArrayList<>(a.parts());
            String failure = null;
            boolean unanswered = false;
            for (String part : a.parts()) {
                JsonNode state = state(part);
                if (state == null) {
                    unanswered = true;
                    break;
                }
                int s = state.path("State").asInt(255);
                if (s == 0) {
                    left.remove(part);
                } else if (UNDELIVERABLE.contains(s) || FAILED.contains(s)) {
                    failure = "state " + s + ": " + state.path("StateDescription").asText("");
                    break;
                }
            }
            if (failure != null) {
                tell(a.id(), false, failure);
                told++;
            } else if (left.isEmpty()) {
                tell(a.id(), true, "state 0: delivered");
                told++;
            } else if (!unanswered && a.since().plus(KEPT).isBefore(clock.instant())) {
                forget(a.id()); // Devino answers 255 for what is older than 48 hours: nothing more will be known
            } else if (left.size() < a.parts().size()) {
                stillAwaiting(a, left);
            }
        }
        return told;
    }

    /** A part's status, or null when Devino could not be asked now. */
    private JsonNode state(String part) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/Sms/State?" + credentials() + "&messageId=" + enc(part)))
                    .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? ProviderCalls.json(r.body()).filter(j -> j.has("State")).orElse(null) : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String credentials() {
        return "Login=" + enc(login) + "&Password=" + enc(password);
    }

    private static String cut(String body) {
        return body.substring(0, Math.min(200, body.length()));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
