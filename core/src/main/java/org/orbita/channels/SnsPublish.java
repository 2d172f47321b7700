package org.orbita.channels;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orbita.common.Json;
import org.orbita.outbound.AwsSigV4;

/**
 * Amazon SNS's {@code Publish} (Query API, {@code Version=2010-03-31}, signed with Signature
 * Version 4 for service {@code sns}): an SMS to a {@code PhoneNumber} (its type — Transactional or
 * Promotional — and sender id as the message attributes {@code AWS.SNS.SMS.*}), or a push to a
 * platform endpoint's {@code TargetArn} (address {@code sns:<endpoint ARN>}) with
 * {@code MessageStructure=json}: the notification for FCM ({@code GCM}), APNs and the default text,
 * each carrying the message's key as {@code orbita_key} as Orbita's other push providers do.
 * The answer's {@code MessageId} is kept; its errors are mapped: throttling and server errors tried
 * again, a disabled or deleted endpoint unreachable, the rest failed with SNS's code and text.
 */
public final class SnsPublish {

    private static final Set<String> RETRY = Set.of("Throttling", "ThrottlingException", "ThrottledException", "InternalError", "InternalFailure",
            "ServiceUnavailable", "KMSThrottling", "RequestThrottled");
    private static final Set<String> UNREACHABLE = Set.of("EndpointDisabled", "NotFound", "PlatformApplicationDisabled");
    private static final Pattern MESSAGE_ID = Pattern.compile("<MessageId>([^<]+)</MessageId>");
    private static final Pattern CODE = Pattern.compile("<Code>([^<]+)</Code>");
    private static final Pattern TEXT = Pattern.compile("<Message>([^<]*)</Message>");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String region;
    private final AwsSigV4.Credentials credentials;
    private final String smsType;
    private final String senderId;
    private final Clock clock;

    /**
     * @param apiUrl   SNS's endpoint, {@code https://sns.<region>.amazonaws.com} when null
     * @param smsType  {@code Transactional} or {@code Promotional} (SMS only)
     * @param senderId the SMS sender id, or null
     */
    public SnsPublish(String region, String accessKeyId, String secretAccessKey, String apiUrl, String smsType, String senderId, Clock clock) {
        if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
            throw new IllegalArgumentException("region is an AWS region such as eu-west-1");
        }
        this.region = region;
        String url = apiUrl == null || apiUrl.isBlank() ? "https://sns." + region + ".amazonaws.com" : apiUrl.strip();
        this.endpoint = URI.create(url.endsWith("/") ? url : url + "/");
        this.credentials = new AwsSigV4.Credentials(accessKeyId, secretAccessKey, null);
        this.smsType = smsType == null || smsType.isBlank() ? "Transactional" : smsType;
        if (!this.smsType.equals("Transactional") && !this.smsType.equals("Promotional")) {
            throw new IllegalArgumentException("smsType is Transactional or Promotional");
        }
        this.senderId = senderId == null || senderId.isBlank() ? null : senderId.strip();
        this.clock = clock;
    }

    /** SMS through SNS. */
    public ChannelProvider sms() {
        return new ChannelProvider() {
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
                Map<String, String> params = new LinkedHashMap<>();
                params.put("PhoneNumber", phone);
                params.put("Message", String.valueOf(payload.getOrDefault("text", "")));
                params.put("MessageAttributes.entry.1.Name", "AWS.SNS.SMS.SMSType");
                params.put("MessageAttributes.entry.1.Value.DataType", "String");
                params.put("MessageAttributes.entry.1.Value.StringValue", smsType);
                String from = SmsNumbers.sender(payload, senderId);
                if (from != null) {
                    params.put("MessageAttributes.entry.2.Name", "AWS.SNS.SMS.SenderID");
                    params.put("MessageAttributes.entry.2.Value.DataType", "String");
                    params.put("MessageAttributes.entry.2.Value.StringValue", from);
                }
                return publish(params);
            }
        };
    }

    /** Push to platform endpoints (addresses {@code sns:<endpoint ARN>}). */
    public PushProvider.Platform push() {
        return new PushProvider.Platform() {
            @Override
            public String name() {
                return "sns";
            }

            @Override
            public ChannelProvider.Result send(String key, String endpointArn, Map<String, Object> payload) {
                if (!endpointArn.matches("arn:aws(-cn|-us-gov)?:sns:[a-z0-9-]+:\\d{12}:endpoint/.+")) {
                    return new ChannelProvider.Result.Failed("an SNS push address is sns:<platform endpoint ARN>", true);
                }
                Map<String, Object> notification = PushProvider.notification(payload);
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("orbita_key", key);
                if (PushProvider.text(payload, "link") != null) {
                    data.put("link", PushProvider.text(payload, "link"));
                }
                Map<String, Object> aps = Map.of("alert", Map.of("title", String.valueOf(notification.get("title")),
                        "body", String.valueOf(notification.get("body"))));
                Map<String, Object> apns = new LinkedHashMap<>(data);
                apns.put("aps", aps);
                Map<String, Object> structure = new LinkedHashMap<>();
                structure.put("default", String.valueOf(notification.get("body")));
                structure.put("GCM", Json.write(Map.of("notification", notification, "data", data)));
                structure.put("APNS", Json.write(apns));
                structure.put("APNS_SANDBOX", Json.write(apns));
                Map<String, String> params = new LinkedHashMap<>();
                params.put("TargetArn", endpointArn);
                params.put("MessageStructure", "json");
                params.put("Message", Json.write(structure));
                return publish(params);
            }
        };
    }

    private ChannelProvider.Result publish(Map<String, String> params) {
        StringBuilder form = new StringBuilder("Action=Publish&Version=2010-03-31");
        params.forEach((k, v) -> form.append('&').append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        byte[] body = form.toString().getBytes(StandardCharsets.UTF_8);
        return ProviderCalls.call(http, () -> {
            String contentType = "application/x-www-form-urlencoded; charset=utf-8";
            HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(20)).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            AwsSigV4.sign("POST", endpoint, Map.of("content-type", contentType), body, region, "sns", credentials, clock.instant()).forEach(b::header);
            return b.build();
        }, r -> {
            if (r.statusCode() / 100 == 2) {
                Matcher id = MESSAGE_ID.matcher(r.body());
                return new ChannelProvider.Result.Accepted(id.find() ? id.group(1) : null);
            }
            Matcher c = CODE.matcher(r.body());
            Matcher t = TEXT.matcher(r.body());
            String code = c.find() ? c.group(1) : "HTTP " + r.statusCode();
            String reason = code + ": " + (t.find() ? t.group(1) : "");
            if (RETRY.contains(code) || r.statusCode() == 429 || r.statusCode() >= 500) {
                return new ChannelProvider.Result.Retry(reason, null);
            }
            return new ChannelProvider.Result.Failed(reason, UNREACHABLE.contains(code));
        });
    }
}
