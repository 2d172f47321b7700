package org.orbita.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An OpenID Connect provider on loopback speaking the protocol's real shapes (OpenID Connect
 * Core 1.0 and Discovery 1.0): the discovery document, the authorization endpoint (it signs in
 * whoever the test says, at once, and redirects back with a code and the state), the token
 * endpoint (client secret by HTTP Basic, the code once; errors as {@code invalid_client} /
 * {@code invalid_grant}), and the JWKS. The ID token is an RS256 JWT with the nonce, {@code aud},
 * {@code iss}, the email and a {@code groups} claim. The signer can be swapped for a stranger's
 * key, to see a forged token refused.
 */
final class OidcProviderOnLoopback implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final RSAKey key;
    private final String clientId;
    private final String clientSecret;
    private final Map<String, Map<String, Object>> codes = new ConcurrentHashMap<>();
    /** Who signs in next: their claims. */
    volatile Map<String, Object> person = Map.of();
    /** Signs with a key not in the JWKS: a forged token. */
    volatile boolean forge;

    OidcProviderOnLoopback(String clientId, String clientSecret) throws IOException, JOSEException {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.key = new RSAKeyGenerator(2048).keyID("k1").generate();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/.well-known/openid-configuration", e -> json(e, 200, Map.of("issuer", issuer(),
                "authorization_endpoint", issuer() + "/authorize", "token_endpoint", issuer() + "/token", "jwks_uri", issuer() + "/jwks",
                "response_types_supported", new String[] {"code"}, "subject_types_supported", new String[] {"public"},
                "id_token_signing_alg_values_supported", new String[] {"RS256"}, "scopes_supported", new String[] {"openid", "email", "profile"},
                "token_endpoint_auth_methods_supported", new String[] {"client_secret_basic"})));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.createContext("/jwks", e -> {
            byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            e.getResponseHeaders().set("Content-Type", "application/json");
            e.sendResponseHeaders(200, body.length);
            e.getResponseBody().write(body);
            e.close();
        });
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static Map<String, String> query(String q) {
        Map<String, String> out = new LinkedHashMap<>();
        if (q == null) {
            return out;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private void authorize(HttpExchange e) throws IOException {
        Map<String, String> q = query(e.getRequestURI().getRawQuery());
        if (!clientId.equals(q.get("client_id")) || !"code".equals(q.get("response_type")) || !q.getOrDefault("scope", "").contains("openid")) {
            json(e, 400, Map.of("error", "invalid_request"));
            return;
        }
        String code = UUID.randomUUID().toString();
        Map<String, Object> grant = new LinkedHashMap<>(person);
        grant.put("nonce", q.get("nonce"));
        grant.put("redirect_uri", q.get("redirect_uri"));
        codes.put(code, grant);
        e.getResponseHeaders().set("Location", q.get("redirect_uri") + "?code=" + code + "&state=" + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
        e.sendResponseHeaders(302, -1);
        e.close();
    }

    private void token(HttpExchange e) throws IOException {
        String auth = e.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(auth)) {
            json(e, 401, Map.of("error", "invalid_client"));
            return;
        }
        Map<String, String> form = query(new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Map<String, Object> grant = codes.remove(form.getOrDefault("code", ""));
        if (!"authorization_code".equals(form.get("grant_type")) || grant == null || !String.valueOf(grant.get("redirect_uri")).equals(form.get("redirect_uri"))) {
            json(e, 400, Map.of("error", "invalid_grant"));
            return;
        }
        try {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer()).audience(clientId).subject(String.valueOf(grant.get("sub")))
                    .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 300_000));
            grant.forEach((k, v) -> {
                if (!k.equals("redirect_uri") && !k.equals("sub")) {
                    claims.claim(k, v);
                }
            });
            RSAKey signer = forge ? new RSAKeyGenerator(2048).keyID("k1").generate() : key;
            SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims.build());
            token.sign(new RSASSASigner(signer));
            json(e, 200, Map.of("access_token", UUID.randomUUID().toString(), "token_type", "Bearer", "expires_in", 300,
                    "scope", "openid email profile", "id_token", token.serialize()));
        } catch (JOSEException ex) {
            json(e, 500, Map.of("error", "server_error"));
        }
    }

    private static void json(HttpExchange e, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        e.getResponseHeaders().set("Content-Type", "application/json");
        e.sendResponseHeaders(status, bytes.length);
        e.getResponseBody().write(bytes);
        e.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
