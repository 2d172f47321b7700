package org.orbita.channels;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SMS through SMS Traffic's HTTP(S) API (its API document, 2016): a form POST to
 * {@code multi.php} with {@code login}, {@code password}, {@code phones} (digits), {@code message},
 * {@code originator}, {@code rus=5} (UTF-8) and {@code want_sms_ids=1}; the XML {@code <reply>}
 * says {@code <result>OK</result>} with the message's {@code <sms_id>}, or {@code ERROR} with a
 * {@code <code>}: 1000 (temporary) is tried on the failover server and then again later, 415 (no
 * funds) later too, 425–432 (the number too short or long, wrong, unsupported, invalid, not
 * subscribed, blocked) make the number unreachable, the rest fail with SMS Traffic's description.
 * Delivery reports come two ways: the status callback SMS Traffic posts ({@code sms_id},
 * {@code status}, {@code delivery_date}; read by {@link #report}) and {@link #poll} — {@code
 * operation=status} for the messages still without a final status, asked in batches of 100.
 * Final statuses: Delivered, Non Delivered, Rejected, Expired, Deleted, Unknown status.
 */
public final class SmsTrafficProvider extends SmsGateway {

    private static final Set<Integer> UNREACHABLE = Set.of(425, 426, 427, 428, 429, 430, 431, 432);
    private static final Set<String> FINAL_FAILURE = Set.of("Non Delivered", "Rejected", "Expired", "Deleted", "Unknown status");
    private static final Pattern RESULT = Pattern.compile("<result>\\s*([^<]*?)\\s*</result>");
    private static final Pattern CODE = Pattern.compile("<code>\\s*([^<]*?)\\s*</code>");
    private static final Pattern DESCRIPTION = Pattern.compile("<description>\\s*([^<]*?)\\s*</description>");
    private static final Pattern SMS_ID = Pattern.compile("<sms_id>\\s*([0-9]+)\\s*</sms_id>");
    private static final Pattern SMS = Pattern.compile("<sms>(.*?)</sms>", Pattern.DOTALL);
    private static final Pattern STATUS = Pattern.compile("<status>\\s*([^<]*?)\\s*</status>");
    private static final int POLL_BATCH = 100;

    private final String apiUrl;
    private final String failoverUrl;
    private final String login;
    private final String password;
    private final String defaultOriginator;

    /**
     * @param apiUrl      {@code https://api.smstraffic.ru/multi.php}
     * @param failoverUrl {@code https://api2.smstraffic.ru/multi.php}, or null for none
     */
    public SmsTrafficProvider(String apiUrl, String failoverUrl, String login, String password, String defaultOriginator) {
        this.apiUrl = apiUrl;
        this.failoverUrl = failoverUrl == null || failoverUrl.isBlank() ? null : failoverUrl;
        this.login = login;
        this.password = password;
        this.defaultOriginator = defaultOriginator;
    }

    @Override
    public Result send(String key, String phone, Map<String, Object> payload) {
        Result.Failed wrong = SmsNumbers.refusal(phone);
        if (wrong != null) {
            return wrong;
        }
        String originator = SmsNumbers.sender(payload, defaultOriginator);
        StringBuilder form = new StringBuilder("login=").append(enc(login)).append("&password=").append(enc(password))
                .append("&phones=").append(phone.substring(1)).append("&message=").append(enc(String.valueOf(payload.getOrDefault("text", ""))))
                .append("&rus=5&want_sms_ids=1");
        if (originator != null && !originator.isBlank()) {
            form.append("&originator=").append(enc(originator));
        }
        Result r = call(apiUrl, form.toString());
        if (r instanceof Result.Retry && failoverUrl != null) {
            r = call(failoverUrl, form.toString()); // the document's advice for a temporary error or an unreachable server
        }
        if (r instanceof Result.Accepted a && a.id() != null) {
            await(a.id(), List.of(a.id()), Instant.now());
        }
        return r;
    }

    private Result call(String url, String form) {
        return ProviderCalls.call(http, () -> HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(), r -> {
                    if (r.statusCode() != 200) {
                        return r.statusCode() >= 500 || r.statusCode() == 429 ? new Result.Retry("HTTP " + r.statusCode(), null)
                                : new Result.Failed("HTTP " + r.statusCode(), false);
                    }
                    String result = first(RESULT, r.body());
                    if ("OK".equals(result)) {
                        return new Result.Accepted(first(SMS_ID, r.body()));
                    }
                    int code;
                    try {
                        code = Integer.parseInt(first(CODE, r.body()));
                    } catch (NumberFormatException | NullPointerException e) {
                        return new Result.Retry("SMS Traffic answered what is not its reply: " + r.body().substring(0, Math.min(200, r.body().length())),
                                null);
                    }
                    String reason = code + ": " + first(DESCRIPTION, r.body());
                    if (code == 1000) {
                        return new Result.Retry(reason, null);
                    }
                    if (code == 415) {
                        return new Result.Retry(reason, Duration.ofMinutes(5));
                    }
                    return new Result.Failed(reason, UNREACHABLE.contains(code));
                });
    }

    /** A status callback's fields: a final status told as a receipt; true when it was one. */
    public boolean report(Map<String, String> fields) {
        String id = fields.get("sms_id");
        String status = fields.get("status");
        if (id == null || status == null) {
            return false;
        }
        return told(id, status.strip());
    }

    /**
     * Asks the status of the messages still without a final one (100 a request) and tells the final
     * ones as receipts; how many were told. A message SMS Traffic no longer knows (kept two days) is forgotten.
     */
    @Override
    public int poll() {
        List<String> ids = awaiting().stream().map(Awaiting::id).toList();
        int told = 0;
        for (int i = 0; i < ids.size(); i += POLL_BATCH) {
            List<String> batch = ids.subList(i, Math.min(ids.size(), i + POLL_BATCH));
            String form = "login=" + enc(login) + "&password=" + enc(password) + "&operation=status&sms_id=" + String.join(",", batch);
            HttpResponse<String> r;
            try {
                r = http.send(HttpRequest.newBuilder(URI.create(apiUrl)).timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                return told; // asked again at the next poll
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return told;
            }
            if (r.statusCode() != 200) {
                return told;
            }
            Matcher each = SMS.matcher(r.body());
            List<String> blocks = new ArrayList<>();
            while (each.find()) {
                blocks.add(each.group(1));
            }
            if (blocks.isEmpty()) {
                blocks.add(r.body()); // one message: its fields straight in <reply>
            }
            for (String b : blocks) {
                String id = first(SMS_ID, b);
                if (id == null) {
                    continue;
                }
                String status = first(STATUS, b);
                if (status == null) {
                    forget(id); // an error instead of a status: no such message (any more) — nothing will come of asking again
                } else if (told(id, status)) {
                    told++;
                }
            }
        }
        return told;
    }

    private boolean told(String id, String status) {
        boolean delivered = status.equals("Delivered");
        if (!delivered && !FINAL_FAILURE.contains(status)) {
            return false; // on its way (Buffered SMSC, or no status yet)
        }
        return tell(id, delivered, status);
    }

    private static String first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
