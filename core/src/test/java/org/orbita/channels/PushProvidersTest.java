package org.orbita.channels;

import static org.assertj.core.api.Assertions.assertThat;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.common.Json;
import org.orbita.outbound.NetworkGuard;

/**
 * The push platforms against servers on loopback speaking their APIs: Google's OAuth token
 * endpoint and FCM's v1 send, RuStore's, Huawei's OAuth and Push Kit, APNs over HTTP/2 with TLS
 * (Jetty), and a web push service that decrypts what it is sent with the browser's keys and
 * checks the VAPID signature.
 */
class PushProvidersTest {

    static final Map<String, Object> PAYLOAD = Map.of("title", "Sale", "body", "20% off today", "link", "https://shop.example/sale");

    final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    Server jetty;

    HttpServer http(Map<String, Handler2> routes) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        routes.forEach((path, h) -> s.createContext(path, x -> {
            byte[] in = x.getRequestBody().readAllBytes();
            h.handle(x, in);
        }));
        s.start();
        servers.add(s);
        return s;
    }

    interface Handler2 {
        void handle(HttpExchange x, byte[] body) throws IOException;
    }

    static void answer(HttpExchange x, int status, String body, String... headers) throws IOException {
        ChannelProvidersTest.answer(x, status, body, headers);
    }

    @AfterEach
    void stop() throws Exception {
        servers.forEach(s -> s.stop(0));
        if (jetty != null) {
            jetty.stop();
        }
    }

    static Map<String, String> form(byte[] body) {
        Map<String, String> out = new HashMap<>();
        for (String kv : new String(body, StandardCharsets.UTF_8).split("&")) {
            String[] p = kv.split("=", 2);
            out.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8), p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    /** The claims of a JWT whose signature the key verifies, or null. */
    static JsonNode verified(String jwt, PublicKey key, String algorithm) throws Exception {
        String[] p = jwt.split("\\.");
        Signature s = Signature.getInstance(algorithm);
        s.initVerify(key);
        s.update((p[0] + "." + p[1]).getBytes(StandardCharsets.US_ASCII));
        if (!s.verify(Base64.getUrlDecoder().decode(p[2]))) {
            return null;
        }
        return Json.MAPPER.readTree(Base64.getUrlDecoder().decode(p[1]));
    }

    static String pem(byte[] pkcs8) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n";
    }

    @Test
    void fcmBuysAnAccessTokenWithTheServiceAccountAndReadsGooglesErrors() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair account = g.generateKeyPair();
        AtomicInteger tokens = new AtomicInteger();
        List<JsonNode> sent = new CopyOnWriteArrayList<>();
        int[] port = new int[1];
        HttpServer google = http(Map.of(
                "/token", (x, body) -> {
                    Map<String, String> f = form(body);
                    JsonNode claims;
                    try {
                        claims = verified(f.get("assertion"), account.getPublic(), "SHA256withRSA");
                    } catch (Exception e) {
                        throw new IOException(e);
                    }
                    if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(f.get("grant_type")) || claims == null
                            || !claims.path("scope").asText().equals("https://www.googleapis.com/auth/firebase.messaging")
                            || !claims.path("iss").asText().equals("push@orbita-test.iam.gserviceaccount.com")) {
                        answer(x, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
                        return;
                    }
                    answer(x, 200, "{\"access_token\":\"ya29.t" + tokens.incrementAndGet() + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
                },
                "/v1/projects/orbita-test/messages:send", (x, body) -> {
                    JsonNode m = Json.MAPPER.readTree(body).path("message");
                    sent.add(m);
                    String auth = x.getRequestHeaders().getFirst("Authorization");
                    String token = m.path("token").asText();
                    if (auth.equals("Bearer ya29.t1") && token.equals("revoked-now")) {
                        answer(x, 401, "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials.\",\"status\":\"UNAUTHENTICATED\"}}");
                    } else if (token.equals("gone")) {
                        answer(x, 404, "{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\",\"status\":\"NOT_FOUND\",\"details\":"
                                + "[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\"UNREGISTERED\"}]}}");
                    } else if (token.equals("busy")) {
                        answer(x, 429, "{\"error\":{\"code\":429,\"message\":\"Quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":"
                                + "[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\"QUOTA_EXCEEDED\"}]}}", "Retry-After", "9");
                    } else {
                        answer(x, 200, "{\"name\":\"projects/orbita-test/messages/0:" + sent.size() + "\"}");
                    }
                }));
        port[0] = google.getAddress().getPort();
        String base = "http://127.0.0.1:" + port[0];
        String serviceAccount = Json.write(Map.of("type", "service_account", "project_id", "orbita-test",
                "client_email", "push@orbita-test.iam.gserviceaccount.com", "private_key", pem(account.getPrivate().getEncoded()),
                "token_uri", base + "/token"));
        PushProvider push = new PushProvider(List.of(FcmPush.fcm(serviceAccount, base)));

        ChannelProvider.Result ok = push.send("run/p1/push", "fcm:device-1", PAYLOAD);
        assertThat(ok).isEqualTo(new ChannelProvider.Result.Accepted("projects/orbita-test/messages/0:1"));
        JsonNode m = sent.get(0);
        assertThat(m.at("/notification/title").asText()).isEqualTo("Sale");
        assertThat(m.at("/data/link").asText()).isEqualTo("https://shop.example/sale");
        assertThat(m.at("/data/orbita_key").asText()).isEqualTo("run/p1/push");
        assertThat(push.send("k", "device-2", PAYLOAD)).isInstanceOf(ChannelProvider.Result.Accepted.class); // a bare token is FCM's
        assertThat(tokens.get()).isEqualTo(1); // the access token is kept

        ChannelProvider.Result gone = push.send("k", "fcm:gone", PAYLOAD);
        assertThat(gone).isEqualTo(new ChannelProvider.Result.Failed("UNREGISTERED: Requested entity was not found.", true));
        assertThat(push.send("k", "fcm:busy", PAYLOAD))
                .isEqualTo(new ChannelProvider.Result.Retry("QUOTA_EXCEEDED: Quota exceeded", Duration.ofSeconds(9)));
        // the access token is refused: a new one, then the send goes
        assertThat(push.send("k", "fcm:revoked-now", PAYLOAD)).isInstanceOf(ChannelProvider.Result.Retry.class);
        assertThat(push.send("k", "fcm:revoked-now", PAYLOAD)).isInstanceOf(ChannelProvider.Result.Accepted.class);
        assertThat(tokens.get()).isEqualTo(2);

        assertThat(push.send("k", "apns:abc", PAYLOAD)).isEqualTo(new ChannelProvider.Result.Failed(
                "no apns credentials are configured (orbita.channels.push.apns.*)", false));
        assertThat(((ChannelProvider.Result.Failed) push.send("k", "nokia:abc", PAYLOAD)).unreachable()).isTrue();

        // a service account whose key Google does not know
        KeyPair stranger = g.generateKeyPair();
        String wrong = Json.write(Map.of("project_id", "orbita-test", "client_email", "push@orbita-test.iam.gserviceaccount.com",
                "private_key", pem(stranger.getPrivate().getEncoded()), "token_uri", base + "/token"));
        assertThat(new PushProvider(List.of(FcmPush.fcm(wrong, base))).send("k", "fcm:device-1", PAYLOAD))
                .isEqualTo(new ChannelProvider.Result.Failed("FCM refused the credentials: Invalid JWT Signature.", false));
    }

    @Test
    void ruStoreTakesItsServiceTokenAndFcmShapedAnswers() throws Exception {
        List<String> auths = new CopyOnWriteArrayList<>();
        HttpServer rustore = http(Map.of("/v1/projects/rs-1/messages:send", (x, body) -> {
            auths.add(x.getRequestHeaders().getFirst("Authorization"));
            JsonNode m = Json.MAPPER.readTree(body).path("message");
            if (m.path("token").asText().equals("stale")) {
                answer(x, 400, "{\"error\":{\"code\":400,\"message\":\"invalid push token\",\"status\":\"INVALID_ARGUMENT\"}}");
            } else if (m.path("token").asText().equals("down")) {
                answer(x, 503, "{\"error\":{\"code\":503,\"message\":\"service unavailable\",\"status\":\"UNAVAILABLE\"}}");
            } else {
                answer(x, 200, "{}");
            }
        }));
        PushProvider push = new PushProvider(List.of(FcmPush.rustore("rs-1", "svc-token", "http://127.0.0.1:" + rustore.getAddress().getPort())));
        assertThat(push.send("k", "rustore:t1", PAYLOAD)).isInstanceOf(ChannelProvider.Result.Accepted.class);
        assertThat(auths).containsExactly("Bearer svc-token");
        assertThat(push.send("k", "rustore:stale", PAYLOAD)).isEqualTo(new ChannelProvider.Result.Failed("INVALID_ARGUMENT: invalid push token", true));
        assertThat(push.send("k", "rustore:down", PAYLOAD)).isInstanceOf(ChannelProvider.Result.Retry.class);
    }

    @Test
    void hmsReadsPushKitResultCodes() throws Exception {
        AtomicInteger tokens = new AtomicInteger();
        List<JsonNode> sent = new CopyOnWriteArrayList<>();
        HttpServer huawei = http(Map.of(
                "/oauth2/v3/token", (x, body) -> {
                    Map<String, String> f = form(body);
                    if (!f.get("grant_type").equals("client_credentials") || !f.get("client_secret").equals("s3cret")) {
                        answer(x, 400, "{\"error\":1101,\"error_description\":\"invalid client\"}");
                    } else {
                        answer(x, 200, "{\"access_token\":\"hms" + tokens.incrementAndGet() + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
                    }
                },
                "/v1/104000001/messages:send", (x, body) -> {
                    JsonNode m = Json.MAPPER.readTree(body).path("message");
                    sent.add(m);
                    String t = m.path("token").get(0).asText();
                    if (t.equals("expired-auth") && x.getRequestHeaders().getFirst("Authorization").equals("Bearer hms1")) {
                        answer(x, 200, "{\"code\":\"80200003\",\"msg\":\"OAuth token expired.\",\"requestId\":\"r0\"}");
                    } else if (t.equals("bad")) {
                        answer(x, 200, "{\"code\":\"80300007\",\"msg\":\"All the tokens are invalid\",\"requestId\":\"r1\"}");
                    } else {
                        answer(x, 200, "{\"code\":\"80000000\",\"msg\":\"Success\",\"requestId\":\"r" + sent.size() + "\"}");
                    }
                }));
        String base = "http://127.0.0.1:" + huawei.getAddress().getPort();
        PushProvider push = new PushProvider(List.of(new HmsPush("104000001", "s3cret", base + "/oauth2/v3/token", base)));
        assertThat(push.send("k", "hms:good", PAYLOAD)).isEqualTo(new ChannelProvider.Result.Accepted("r1"));
        assertThat(sent.get(0).at("/android/notification/click_action/intent").asText()).isEqualTo("https://shop.example/sale");
        assertThat(sent.get(0).at("/notification/body").asText()).isEqualTo("20% off today");
        assertThat(push.send("k", "hms:bad", PAYLOAD)).isEqualTo(new ChannelProvider.Result.Failed("80300007: All the tokens are invalid", true));
        assertThat(push.send("k", "hms:expired-auth", PAYLOAD)).isInstanceOf(ChannelProvider.Result.Retry.class);
        assertThat(push.send("k", "hms:expired-auth", PAYLOAD)).isInstanceOf(ChannelProvider.Result.Accepted.class);
        assertThat(tokens.get()).isEqualTo(2);
        assertThat(new PushProvider(List.of(new HmsPush("104000001", "wrong", base + "/oauth2/v3/token", base))).send("k", "hms:good", PAYLOAD))
                .isEqualTo(new ChannelProvider.Result.Failed("HMS refused the credentials: invalid client", false));
    }

    @Test
    void apnsSpeaksHttp2WithAProviderTokenAndReadsApplesReasons(@TempDir Path dir) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair team = g.generateKeyPair();
        List<String> seen = new CopyOnWriteArrayList<>();
        Path store = dir.resolve("apns.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "apns",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit").inheritIO().start();
        assertThat(keytool.waitFor()).isZero();

        jetty = new Server();
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(store.toString());
        tls.setKeyStorePassword("changeit");
        HttpConfiguration config = new HttpConfiguration();
        config.addCustomizer(new SecureRequestCustomizer(false));
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2");
        alpn.setDefaultProtocol("h2");
        ServerConnector connector = new ServerConnector(jetty, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        jetty.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                String path = request.getHttpURI().getPath();
                String auth = request.getHeaders().get("authorization");
                JsonNode claims = verified(auth.substring("bearer ".length()), team.getPublic(), "SHA256withECDSAinP1363Format");
                JsonNode header = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(auth.substring(7).split("\\.")[0]));
                seen.add(request.getConnectionMetaData().getHttpVersion() + " " + path + " " + request.getHeaders().get("apns-topic") + " "
                        + request.getHeaders().get("apns-push-type") + " " + header.path("kid").asText() + " " + (claims == null ? "unsigned" : claims.path("iss").asText())
                        + " " + Json.MAPPER.readTree(body).at("/aps/alert/title").asText());
                int status;
                String reason;
                if (path.endsWith("/0000000000000000000000000000000000000000000000000000000000000410")) {
                    status = 410;
                    reason = "{\"reason\":\"Unregistered\",\"timestamp\":1700000000000}";
                } else if (path.endsWith("/00000000000000000000000000000000000000000000000000000000000429")) {
                    status = 429;
                    reason = "{\"reason\":\"TooManyRequests\"}";
                } else {
                    status = 200;
                    reason = null;
                    response.getHeaders().put("apns-id", request.getHeaders().get("apns-id"));
                }
                response.setStatus(status);
                if (reason == null) {
                    callback.succeeded();
                } else {
                    response.getHeaders().put("content-type", "application/json");
                    Content.Sink.write(response, true, reason, callback);
                }
                return true;
            }
        });
        jetty.start();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);

        String base = "https://127.0.0.1:" + connector.getLocalPort();
        PushProvider push = new PushProvider(List.of(new ApnsPush("TEAM123456", "KEY1234567", pem(team.getPrivate().getEncoded()),
                "com.shop.app", base, ssl)));
        String device = "a1".repeat(32);
        ChannelProvider.Result ok = push.send("run/p1/push", "apns:" + device, PAYLOAD);
        assertThat(ok).isEqualTo(new ChannelProvider.Result.Accepted(UUID.nameUUIDFromBytes("run/p1/push".getBytes(StandardCharsets.UTF_8)).toString()));
        assertThat(seen).containsExactly("HTTP/2.0 /3/device/" + device + " com.shop.app alert KEY1234567 TEAM123456 Sale");
        assertThat(push.send("k", "apns:" + "0".repeat(61) + "410", PAYLOAD)).isEqualTo(new ChannelProvider.Result.Failed("410 Unregistered", true));
        assertThat(push.send("k", "apns:" + "0".repeat(59) + "429", PAYLOAD)).isEqualTo(new ChannelProvider.Result.Retry("429 TooManyRequests", null));
        assertThat(push.send("k", "apns:not-hex!", PAYLOAD)).isInstanceOf(ChannelProvider.Result.Failed.class);
        assertThat(seen).hasSize(3);
    }

    @Test
    void webPushEncryptsAsRfc8291sExample() throws Exception {
        byte[] plaintext = "When I grow up, I want to be a watermelon".getBytes(StandardCharsets.UTF_8);
        ECPublicKey ua = WebPushKeys.publicKey(b64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"), "ua");
        ECPrivateKey asPrivate = WebPushKeys.privateKey("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw", "as");
        ECPublicKey asPublic = WebPushKeys.publicKey(b64("BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"), "as");
        byte[] body = WebPushProvider.encrypt(plaintext, ua, b64("BTBZMqHH6r4Tts7J_aSIgg"), new KeyPair(asPublic, asPrivate), b64("DGv6ra1nlYgDCS1FRnbzlw"));
        assertThat(Jwt.B64.encodeToString(body)).isEqualTo("DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN");
    }

    @Test
    void webPushGoesToTheBrowsersPushServiceEncryptedAndSigned() throws Exception {
        KeyPair browser = WebPushKeys.pair();
        byte[] auth = new byte[16];
        new SecureRandom().nextBytes(auth);
        String[] vapid = WebPushKeys.generate();
        List<JsonNode> delivered = new CopyOnWriteArrayList<>();
        List<String> audiences = new CopyOnWriteArrayList<>();
        HttpServer service = http(Map.of("/push/", (x, body) -> {
            String path = x.getRequestURI().getPath();
            if (path.endsWith("/expired")) {
                answer(x, 410, "");
                return;
            }
            try {
                String authorization = x.getRequestHeaders().getFirst("Authorization");
                String jwt = authorization.replaceAll("^vapid t=([^,]+), k=.*$", "$1");
                String k = authorization.replaceAll("^.*, k=(.+)$", "$1");
                JsonNode claims = verified(jwt, WebPushKeys.publicKey(b64(k), "k"), "SHA256withECDSAinP1363Format");
                if (claims == null || !x.getRequestHeaders().getFirst("Content-Encoding").equals("aes128gcm")) {
                    answer(x, 403, "");
                    return;
                }
                audiences.add(claims.path("aud").asText() + " " + claims.path("sub").asText() + " TTL=" + x.getRequestHeaders().getFirst("TTL"));
                delivered.add(Json.MAPPER.readTree(decrypt(body, browser, auth)));
                answer(x, 201, "", "Location", "http://push.example/m/" + delivered.size());
            } catch (Exception e) {
                answer(x, 400, "{\"reason\":\"" + e.getMessage() + "\"}");
            }
        }));
        String origin = "http://127.0.0.1:" + service.getAddress().getPort();
        String keys = ",\"keys\":{\"p256dh\":\"" + Jwt.B64.encodeToString(WebPushKeys.raw((ECPublicKey) browser.getPublic())) + "\",\"auth\":\""
                + Jwt.B64.encodeToString(auth) + "\"}}";
        WebPushProvider push = new WebPushProvider(vapid[0], vapid[1], "mailto:ops@shop.example", new NetworkGuard(false, List.of("127.0.0.1")),
                Duration.ofHours(24));
        Map<String, Object> payload = Map.of("title", "Привет", "body", "20% off", "link", "https://shop.example/sale",
                "actions", List.of(Map.of("title", "Open", "link", "https://shop.example/sale")));

        ChannelProvider.Result ok = push.send("run/p1/webpush", "{\"endpoint\":\"" + origin + "/push/abc\"" + keys, payload);
        assertThat(ok).isEqualTo(new ChannelProvider.Result.Accepted("http://push.example/m/1"));
        assertThat(delivered.get(0).path("title").asText()).isEqualTo("Привет");
        assertThat(delivered.get(0).at("/actions/0/link").asText()).isEqualTo("https://shop.example/sale");
        assertThat(delivered.get(0).path("key").asText()).isEqualTo("run/p1/webpush");
        assertThat(audiences).containsExactly(origin + " mailto:ops@shop.example TTL=86400");

        ChannelProvider.Result gone = push.send("k", "{\"endpoint\":\"" + origin + "/push/expired\"" + keys, payload);
        assertThat(gone).isEqualTo(new ChannelProvider.Result.Failed("HTTP 410", true));
        assertThat(((ChannelProvider.Result.Failed) push.send("k", "{\"endpoint\":\"" + origin + "/push/x\",\"keys\":{\"p256dh\":\"AAAA\",\"auth\":\"x\"}}",
                payload)).reason()).startsWith("not a push subscription: keys.p256dh is not an uncompressed P-256 point");
        // a subscription pointing into the private network is refused without a call
        WebPushProvider guarded = new WebPushProvider(vapid[0], vapid[1], "mailto:ops@shop.example", new NetworkGuard(false, List.of()), Duration.ofHours(1));
        ChannelProvider.Result refused = guarded.send("k", "{\"endpoint\":\"" + origin + "/push/abc\"" + keys, payload);
        assertThat(((ChannelProvider.Result.Failed) refused).reason()).contains("loopback or private address");
        assertThat(delivered).hasSize(1);
    }

    static byte[] b64(String s) {
        return Base64.getUrlDecoder().decode(s);
    }

    /** The browser's side of RFC 8291, written out here from the RFC to check the sender's. */
    static byte[] decrypt(byte[] body, KeyPair browser, byte[] auth) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(body);
        byte[] salt = new byte[16];
        b.get(salt);
        int rs = b.getInt();
        assertThat(rs).isEqualTo(4096);
        byte[] asRaw = new byte[b.get()];
        b.get(asRaw);
        byte[] sealed = new byte[b.remaining()];
        b.get(sealed);
        ECPublicKey as = WebPushKeys.publicKey(asRaw, "keyid");
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(browser.getPrivate());
        ka.doPhase(as, true);
        byte[] ecdh = ka.generateSecret();
        byte[] uaRaw = WebPushKeys.raw((ECPublicKey) browser.getPublic());
        byte[] prkKey = hmac(auth, ecdh);
        byte[] ikm = Arrays.copyOf(hmac(prkKey, WebPushProvider.concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaRaw, asRaw, new byte[] {1})), 32);
        byte[] prk = hmac(salt, ikm);
        byte[] cek = Arrays.copyOf(hmac(prk, WebPushProvider.concat("Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), new byte[] {1})), 16);
        byte[] nonce = Arrays.copyOf(hmac(prk, WebPushProvider.concat("Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), new byte[] {1})), 12);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        byte[] plain = c.doFinal(sealed);
        assertThat(plain[plain.length - 1]).isEqualTo((byte) 2); // the last record's delimiter
        return Arrays.copyOf(plain, plain.length - 1);
    }

    static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
