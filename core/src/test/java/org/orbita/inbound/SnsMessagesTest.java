package org.orbita.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.outbound.NetworkGuard;
import org.orbita.testing.SnsOnLoopback;

/**
 * Amazon SNS's messages checked as its developer guide says. Conformance: two messages SNS itself
 * signed (a Notification and a SubscriptionConfirmation, SignatureVersion 1) check with the
 * Amazon certificate they name, and fail once a character changes or after the certificate's
 * time (see {@code resources/org/orbita/inbound/sns/README.md}). Then the whole way, against an
 * HTTPS server on loopback: the certificate fetched once from the message's URL, SignatureVersion 2,
 * a confirmation fetched; and what an attacker would try — a certificate URL elsewhere or over
 * HTTP, a certificate not SNS's, a server not trusted — refused.
 */
class SnsMessagesTest {

    @TempDir
    Path dir;

    static String resource(String name) throws Exception {
        try (InputStream in = SnsMessagesTest.class.getResourceAsStream("/org/orbita/inbound/sns/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static X509Certificate amazonCertificate() throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(
                resource("SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem").getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void messagesSnsSignedCheckWithAmazonsCertificateAndFailOnceChanged() throws Exception {
        X509Certificate amazon = amazonCertificate();
        Instant then = Instant.parse("2021-11-01T08:31:10Z");
        SnsMessages.Envelope bounce = SnsMessages.parse(resource("bounce.signed.json"));
        assertThat(bounce.isNotification()).isTrue();
        assertThat(bounce.subject()).isEqualTo("Amazon SES Email Event Notification");
        SnsMessages.verify(bounce, amazon, then);
        SnsMessages.Envelope confirmation = SnsMessages.parse(resource("subscription.signed.json"));
        assertThat(confirmation.isSubscriptionConfirmation()).isTrue();
        SnsMessages.verify(confirmation, amazon, then);
        SnsMessages.Envelope changed = SnsMessages.parse(resource("bounce.signed.json").replace("Permanent", "Transient"));
        assertThatThrownBy(() -> SnsMessages.verify(changed, amazon, then)).isInstanceOf(SnsMessages.Refused.class)
                .hasMessageContaining("does not check");
        SnsMessages.Envelope otherTopic = SnsMessages.parse(resource("subscription.signed.json").replace("\"TopicArn\": \"arn:aws:sns:eu-central-1:573964052742",
                "\"TopicArn\": \"arn:aws:sns:eu-central-1:111111111111"));
        assertThatThrownBy(() -> SnsMessages.verify(otherTopic, amazon, then)).hasMessageContaining("does not check");
        assertThatThrownBy(() -> SnsMessages.verify(bounce, amazon, Instant.parse("2026-12-07T00:00:00Z")))
                .hasMessageContaining("not valid at 2026-12-07");
        SnsMessages.Envelope v3 = SnsMessages.parse(resource("bounce.signed.json").replace("\"SignatureVersion\": \"1\"", "\"SignatureVersion\": \"3\""));
        assertThatThrownBy(() -> SnsMessages.verify(v3, amazon, then)).hasMessageContaining("SignatureVersion 3");
        assertThatThrownBy(() -> SnsMessages.parse("{\"Type\":\"Notification\"}")).hasMessageContaining("no MessageId");
        assertThatThrownBy(() -> SnsMessages.parse("{\"hello\": 1}")).hasMessageContaining("not an Amazon SNS message");
        assertThatThrownBy(() -> SnsMessages.parse("<xml/>")).hasMessageContaining("not JSON");
    }

    SnsOnLoopback aws;

    @BeforeEach
    void serve() throws Exception {
        aws = new SnsOnLoopback(dir);
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private String base() {
        return aws.base();
    }

    private String signed(String type, String version, String certPath, Map<String, String> extra) throws Exception {
        return aws.signed(type, version, certPath, "arn:aws:sns:us-west-2:123456789012:MyTopic", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
                "{\"email\":\"ann@example.com\",\"plan\":\"pro\"}", extra);
    }

    @Test
    void aMessageIsCheckedWithTheCertificateItsUrlServesOverHttpsFetchedOnce() throws Exception {
        SnsMessages sns = aws.messages();
        List<String> requests = aws.requests;
        SnsMessages.Envelope v2 = sns.verified(signed("Notification", "2", "/SimpleNotificationService-test.pem", Map.of("Subject", "Signed up")));
        assertThat(v2.message()).contains("ann@example.com");
        sns.verified(signed("Notification", "1", "/SimpleNotificationService-test.pem", Map.of()));
        assertThat(requests).containsExactly("/SimpleNotificationService-test.pem");
        String confirmUrl = base() + "/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-west-2:123456789012:MyTopic&Token=2336412f37";
        SnsMessages.Envelope c = sns.verified(signed("SubscriptionConfirmation", "1", "/SimpleNotificationService-test.pem",
                Map.of("Token", "2336412f37", "SubscribeURL", confirmUrl)));
        sns.confirm(c);
        assertThat(requests).last().asString().contains("Action=ConfirmSubscription").contains("Token=2336412f37");
        // refused: a certificate not SNS's, a URL on another host or over HTTP, a changed message
        assertThatThrownBy(() -> sns.verified(signed("Notification", "1", "/stranger.pem", Map.of()))).hasMessageContaining("not SNS's");
        String elsewhere = signed("Notification", "1", "/SimpleNotificationService-test.pem", Map.of())
                .replace(base(), "https://sns.evil.example");
        assertThatThrownBy(() -> sns.verified(elsewhere)).hasMessageContaining("not HTTPS on an Amazon SNS host");
        String plain = signed("Notification", "1", "/SimpleNotificationService-test.pem", Map.of()).replace("https://", "http://");
        assertThatThrownBy(() -> sns.verified(plain)).hasMessageContaining("not HTTPS");
        String notPem = signed("Notification", "1", "/SimpleNotificationService-test.txt", Map.of());
        assertThatThrownBy(() -> sns.verified(notPem)).hasMessageContaining("no .pem");
        String tampered = signed("Notification", "2", "/SimpleNotificationService-test.pem", Map.of()).replace("pro", "max");
        assertThatThrownBy(() -> sns.verified(tampered)).hasMessageContaining("does not check");
        assertThat(requests).hasSize(3);
    }

    @Test
    void aServerWhoseCertificateTheJdkDoesNotTrustGivesNoCertificate() throws Exception {
        SnsMessages sns = new SnsMessages("127\\.0\\.0\\.1", HttpClient.newHttpClient(), new NetworkGuard(false, List.of("127.0.0.1")),
                Clock.systemUTC());
        assertThatThrownBy(() -> sns.verified(signed("Notification", "1", "/SimpleNotificationService-test.pem", Map.of())))
                .isInstanceOf(SnsMessages.Refused.class).hasMessageContaining("could not be fetched");
        SnsMessages.Envelope aws = SnsMessages.parse(resource("bounce.signed.json"));
        SnsMessages real = new SnsMessages(SnsMessages.AWS_HOSTS, HttpClient.newHttpClient(), new NetworkGuard(false, List.of()), Clock.systemUTC());
        assertThat(aws.signingCertUrl()).matches("https://sns\\.eu-central-1\\.amazonaws\\.com/.+\\.pem");
        assertThatThrownBy(() -> real.confirm(aws)).isInstanceOf(IllegalArgumentException.class);
    }
}
