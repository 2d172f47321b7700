package org.orbita.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbita.common.Json;
import org.orbita.outbound.AwsSigV4;

/**
 * SNS's Publish against a server on loopback that speaks its Query API: it checks each call's
 * Signature Version 4 (recomputed from the request it got, a wrong secret answered
 * {@code SignatureDoesNotMatch}), and answers as SNS does — {@code PublishResponse} with a
 * MessageId, or an {@code ErrorResponse} whose code says what to do: an SMS and a push accepted,
 * a bad number failed, throttling tried again, a disabled endpoint unreachable.
 */
class SnsPublishTest {

    HttpServer server;
    final List<Map<String, String>> calls = new CopyOnWriteArrayList<>();

    static String error(String code, String message) {
        return "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>"
                + message + "</Message></Error><RequestId>9f1c</RequestId></ErrorResponse>";
    }

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            calls.add(form);
            String date = x.getRequestHeaders().getFirst("X-Amz-Date");
            Instant at = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).parse(date, Instant::from);
            String expected = AwsSigV4.sign("POST", URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
                    Map.of("content-type", x.getRequestHeaders().getFirst("Content-Type")), body, "eu-west-1", "sns",
                    new AwsSigV4.Credentials("AKIDTEST", "secret-key", null), at).get("Authorization");
            int status;
            String answer;
            if (!expected.equals(x.getRequestHeaders().getFirst("Authorization"))) {
                status = 403;
                answer = error("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
            } else if ("+79000000000".equals(form.get("PhoneNumber"))) {
                status = 400;
                answer = error("InvalidParameter", "Invalid parameter: PhoneNumber Reason: +79000000000 is not valid to publish to");
            } else if ("+79000000001".equals(form.get("PhoneNumber"))) {
                status = 400;
                answer = error("Throttling", "Rate exceeded");
            } else if (form.getOrDefault("TargetArn", "").endsWith("/gone")) {
                status = 400;
                answer = error("EndpointDisabled", "Endpoint is disabled");
            } else {
                status = 200;
                answer = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b"
                        + "</MessageId></PublishResult><ResponseMetadata><RequestId>f187a3c1</RequestId></ResponseMetadata></PublishResponse>";
            }
            byte[] b = answer.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/xml");
            x.sendResponseHeaders(status, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private SnsPublish sns(String secret) {
        return new SnsPublish("eu-west-1", "AKIDTEST", secret, "http://127.0.0.1:" + server.getAddress().getPort(), "Transactional", "Shop",
                Clock.systemUTC());
    }

    @Test
    void smsAndPushArePublishedSignedAndSnsAnswersAreMapped() {
        ChannelProvider sms = sns("secret-key").sms();
        assertThat(sms.send("run/p1/sms", "+79001112233", Map.of("text", "Your code is 4242")))
                .isEqualTo(new ChannelProvider.Result.Accepted("94f20ce6-13c5-43a0-9a9e-ca52d816e90b"));
        assertThat(calls.get(0)).containsEntry("Action", "Publish").containsEntry("Version", "2010-03-31").containsEntry("PhoneNumber", "+79001112233")
                .containsEntry("Message", "Your code is 4242").containsEntry("MessageAttributes.entry.1.Value.StringValue", "Transactional")
                .containsEntry("MessageAttributes.entry.2.Name", "AWS.SNS.SMS.SenderID").containsEntry("MessageAttributes.entry.2.Value.StringValue", "Shop");
        assertThat(sms.send("k", "+79000000000", Map.of("text", "x"))).isInstanceOfSatisfying(ChannelProvider.Result.Failed.class, f -> {
            assertThat(f.reason()).startsWith("InvalidParameter: Invalid parameter: PhoneNumber");
            assertThat(f.unreachable()).isFalse();
        });
        assertThat(sms.send("k", "+79000000001", Map.of("text", "x"))).isInstanceOf(ChannelProvider.Result.Retry.class);
        assertThat(sms.send("k", "not a number", Map.of("text", "x"))).isInstanceOf(ChannelProvider.Result.Failed.class);

        PushProvider push = new PushProvider(List.of(sns("secret-key").push()));
        String arn = "arn:aws:sns:eu-west-1:123456789012:endpoint/GCM/shop-app/4a1e8c6b-5ef2-3f7a-9c41-1f2e3d4c5b6a";
        assertThat(push.send("run/p2/push", "sns:" + arn, Map.of("title", "Sale", "body", "-20% today", "link", "https://shop.example/t/c/x")))
                .isInstanceOf(ChannelProvider.Result.Accepted.class);
        Map<String, String> published = calls.get(calls.size() - 1);
        assertThat(published).containsEntry("TargetArn", arn).containsEntry("MessageStructure", "json");
        JsonNode structure = Json.read(published.get("Message"), JsonNode.class);
        assertThat(structure.get("default").asText()).isEqualTo("-20% today");
        JsonNode gcm = Json.read(structure.get("GCM").asText(), JsonNode.class);
        assertThat(gcm.at("/notification/title").asText()).isEqualTo("Sale");
        assertThat(gcm.at("/data/orbita_key").asText()).isEqualTo("run/p2/push");
        assertThat(Json.read(structure.get("APNS").asText(), JsonNode.class).at("/aps/alert/body").asText()).isEqualTo("-20% today");
        assertThat(push.send("k", "sns:" + arn.replace("4a1e8c6b-5ef2-3f7a-9c41-1f2e3d4c5b6a", "gone"), Map.of("title", "t", "body", "b")))
                .isInstanceOfSatisfying(ChannelProvider.Result.Failed.class, f -> {
                    assertThat(f.reason()).isEqualTo("EndpointDisabled: Endpoint is disabled");
                    assertThat(f.unreachable()).isTrue();
                });
        assertThat(push.send("k", "sns:not-an-arn", Map.of())).isInstanceOf(ChannelProvider.Result.Failed.class);
        // a wrong secret: SNS says the signature does not match
        assertThat(sns("wrong").sms().send("k", "+79001112233", Map.of("text", "x")))
                .isInstanceOfSatisfying(ChannelProvider.Result.Failed.class, f -> assertThat(f.reason()).startsWith("SignatureDoesNotMatch"));
        assertThatThrownBy(() -> new SnsPublish("moon-1", "a", "b", null, null, null, Clock.systemUTC())).hasMessageContaining("AWS region");
        assertThatThrownBy(() -> new SnsPublish("eu-west-1", "a", "b", null, "Spam", null, Clock.systemUTC())).hasMessageContaining("smsType");
    }
}
