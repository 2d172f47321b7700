package org.orbita.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.orbita.common.Json;
import org.orbita.outbound.NetworkGuard;

/**
 * What Amazon SNS posts to an HTTP(S) subscription, checked as its developer guide says: the
 * {@code SigningCertURL} is HTTPS on an SNS host ({@code sns.<region>.amazonaws.com}, or
 * {@code .com.cn}) and names a {@code .pem}; the certificate it serves is an X.509 certificate of
 * Amazon's for SNS, current, usable for signatures; the {@code Signature} checks over the string to
 * sign — SignatureVersion 1 with SHA1withRSA, 2 with SHA256withRSA — made of the message's fields in
 * the documented order. A subscription is confirmed by fetching its {@code SubscribeURL}, on an SNS
 * host too. Certificates are kept by URL (SNS signs with few).
 */
public final class SnsMessages {

    /** The hosts SNS serves its certificates and confirmation URLs from. */
    public static final String AWS_HOSTS = "sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?";
    private static final int MAX_CERTIFICATES = 64;

    /** An SNS message's fields (JSON names as SNS writes them); {@code subject}, {@code subscribeUrl}, {@code token} may be null. */
    public record Envelope(String type, String messageId, String topicArn, String subject, String message, String timestamp, String signatureVersion,
                           String signature, String signingCertUrl, String subscribeUrl, String token, JsonNode attributes) {

        public boolean isNotification() {
            return type.equals("Notification");
        }

        public boolean isSubscriptionConfirmation() {
            return type.equals("SubscriptionConfirmation");
        }
    }

    /** A message that does not prove it is SNS's (or is not an SNS message at all); the reason is safe to show. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final Pattern hosts;
    private final HttpClient http;
    private final NetworkGuard guard;
    private final Clock clock;
    private final Map<String, X509Certificate> certificates = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, X509Certificate> eldest) {
            return size() > MAX_CERTIFICATES;
        }
    };

    /**
     * @param hosts the hosts certificates and confirmations may come from ({@link #AWS_HOSTS}; another
     *              only for an SNS-compatible service of one's own)
     * @param http  the client they are fetched with (HTTPS: the server's certificate is checked by it)
     */
    public SnsMessages(String hosts, HttpClient http, NetworkGuard guard, Clock clock) {
        this.hosts = Pattern.compile(hosts);
        this.http = http;
        this.guard = guard;
        this.clock = clock;
    }

    /** The message, parsed and with its signature checked against the certificate its URL serves. */
    public Envelope verified(String body) {
        Envelope e = parse(body);
        verify(e, certificate(e.signingCertUrl()), clock.instant());
        return e;
    }

    /** An SNS message's fields; refused when the body is not one. */
    public static Envelope parse(String body) {
        JsonNode j;
        try {
            j = Json.MAPPER.readTree(body);
        } catch (IOException | RuntimeException e) {
            throw new Refused("not an Amazon SNS message: the body is not JSON");
        }
        if (j == null || !j.isObject()) {
            throw new Refused("not an Amazon SNS message: the body is not a JSON object");
        }
        String type = text(j, "Type");
        if (type == null || !(type.equals("Notification") || type.equals("SubscriptionConfirmation") || type.equals("UnsubscribeConfirmation"))) {
            throw new Refused("not an Amazon SNS message: Type is Notification, SubscriptionConfirmation or UnsubscribeConfirmation");
        }
        Envelope e = new Envelope(type, text(j, "MessageId"), text(j, "TopicArn"), text(j, "Subject"), text(j, "Message"), text(j, "Timestamp"),
                text(j, "SignatureVersion"), text(j, "Signature"), text(j, "SigningCertURL"), text(j, "SubscribeURL"), text(j, "Token"),
                j.get("MessageAttributes"));
        for (String[] f : new String[][] {{"MessageId", e.messageId()}, {"TopicArn", e.topicArn()}, {"Message", e.message()},
                {"Timestamp", e.timestamp()}, {"SignatureVersion", e.signatureVersion()}, {"Signature", e.signature()},
                {"SigningCertURL", e.signingCertUrl()}}) {
            if (f[1] == null) {
                throw new Refused("the SNS message has no " + f[0]);
            }
        }
        if (!e.isNotification() && (e.subscribeUrl() == null || e.token() == null)) {
            throw new Refused("a " + type + " has a SubscribeURL and a Token");
        }
        return e;
    }

    /** The string SNS signed: the fields by name, each name and value on a line, in the documented order. */
    static String stringToSign(Envelope e) {
        StringBuilder s = new StringBuilder();
        line(s, "Message", e.message());
        line(s, "MessageId", e.messageId());
        if (e.isNotification()) {
            if (e.subject() != null) {
                line(s, "Subject", e.subject());
            }
        } else {
            line(s, "SubscribeURL", e.subscribeUrl());
        }
        line(s, "Timestamp", e.timestamp());
        if (!e.isNotification()) {
            line(s, "Token", e.token());
        }
        line(s, "TopicArn", e.topicArn());
        line(s, "Type", e.type());
        return s.toString();
    }

    /** Checks the certificate (current at {@code now}, Amazon's, for signatures) and the message's signature with it. */
    static void verify(Envelope e, X509Certificate certificate, Instant now) {
        check(certificate, now);
        String algorithm = switch (e.signatureVersion()) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> throw new Refused("SignatureVersion " + e.signatureVersion() + " is not one SNS uses (1 or 2)");
        };
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(e.signature());
        } catch (IllegalArgumentException x) {
            throw new Refused("the Signature is not Base64");
        }
        boolean ok;
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initVerify(certificate.getPublicKey());
            s.update(stringToSign(e).getBytes(StandardCharsets.UTF_8));
            ok = s.verify(signature);
        } catch (GeneralSecurityException x) {
            ok = false;
        }
        if (!ok) {
            throw new Refused("the signature does not check with SNS's certificate: the message was changed or is not from SNS");
        }
    }

    private static void check(X509Certificate c, Instant now) {
        try {
            c.checkValidity(Date.from(now));
        } catch (GeneralSecurityException x) {
            throw new Refused("SNS's signing certificate is not valid at " + now + " (" + c.getNotBefore().toInstant() + " to "
                    + c.getNotAfter().toInstant() + ")");
        }
        String subject = c.getSubjectX500Principal().getName().toLowerCase(Locale.ROOT);
        String issuer = c.getIssuerX500Principal().getName().toLowerCase(Locale.ROOT);
        if (!subject.contains("cn=sns.amazonaws.com")) {
            throw new Refused("the signing certificate is not SNS's (subject " + c.getSubjectX500Principal().getName() + ")");
        }
        if (!issuer.contains("amazon")) {
            throw new Refused("the signing certificate is not issued by Amazon (issuer " + c.getIssuerX500Principal().getName() + ")");
        }
        boolean[] usage = c.getKeyUsage();
        if (usage != null && !usage[0]) {
            throw new Refused("the signing certificate may not be used for signatures");
        }
    }

    /** The certificate at an SNS URL (kept once fetched). */
    private X509Certificate certificate(String url) {
        URI uri = snsUri(url, "SigningCertURL");
        if (!uri.getPath().endsWith(".pem")) {
            throw new Refused("SigningCertURL names no .pem certificate");
        }
        synchronized (certificates) {
            X509Certificate known = certificates.get(url);
            if (known != null) {
                return known;
            }
        }
        byte[] pem = get(uri, "SNS's signing certificate");
        X509Certificate c;
        try {
            c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
        } catch (GeneralSecurityException | ClassCastException x) {
            throw new Refused("SigningCertURL does not serve an X.509 certificate");
        }
        synchronized (certificates) {
            certificates.put(url, c);
        }
        return c;
    }

    /**
     * Confirms a subscription: fetches its {@code SubscribeURL}.
     *
     * @throws Refused when SNS could not be reached or refused (SNS sends the confirmation again)
     */
    public void confirm(Envelope e) {
        if (!e.isSubscriptionConfirmation()) {
            throw new IllegalArgumentException("only a SubscriptionConfirmation is confirmed");
        }
        get(snsUri(e.subscribeUrl(), "SubscribeURL"), "the subscription's confirmation");
    }

    private URI snsUri(String url, String field) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException x) {
            throw new Refused(field + " is not a URL");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
                || !hosts.matcher(uri.getHost().toLowerCase(Locale.ROOT)).matches()) {
            throw new Refused(field + " is not HTTPS on an Amazon SNS host (sns.<region>.amazonaws.com)");
        }
        return uri;
    }

    private byte[] get(URI uri, String what) {
        try {
            guard.check(uri.getHost());
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) {
                throw new Refused(what + " answered HTTP " + r.statusCode());
            }
            if (r.body().length > 64 * 1024) {
                throw new Refused(what + " is larger than 64 KB");
            }
            return r.body();
        } catch (IOException x) {
            throw new Refused(what + " could not be fetched: " + x.getClass().getSimpleName());
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new Refused(what + " could not be fetched: interrupted");
        } catch (SecurityException x) {
            throw new Refused(what + ": " + x.getMessage());
        }
    }

    private static void line(StringBuilder s, String name, String value) {
        s.append(name).append('\n').append(value).append('\n');
    }

    private static String text(JsonNode j, String name) {
        JsonNode v = j.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }
}
