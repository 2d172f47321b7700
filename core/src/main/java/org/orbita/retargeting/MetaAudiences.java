package org.orbita.retargeting;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orbita.common.Json;
import org.orbita.outbound.NetworkGuard;

/**
 * Meta's Custom Audiences (Marketing API): {@code POST /{audience_id}/users} to add and
 * {@code DELETE /{audience_id}/users} to remove, the form's {@code payload} a multi-key schema
 * {@code ["EMAIL_SHA256", "PHONE_SHA256"]} with one row per person (an empty string for a key it
 * lacks), at most 10,000 rows a call; phones as digits with the country code. Graph API errors by
 * code: rate limits (4, 17, 32, 613, 80003) and transient ones (1, 2) tried again, the rest refused
 * with Meta's message.
 */
public final class MetaAudiences implements AudienceDestination {

    private static final Set<Integer> RETRY = Set.of(1, 2, 4, 17, 32, 341, 613, 80003);

    private final PlatformCalls calls;
    private final String apiUrl;
    private final String audienceId;
    private final String accessToken;

    /** @param apiUrl {@code https://graph.facebook.com/v21.0} */
    public MetaAudiences(String apiUrl, String audienceId, String accessToken, NetworkGuard guard) {
        this.apiUrl = apiUrl;
        this.audienceId = audienceId;
        this.accessToken = accessToken;
        this.calls = new PlatformCalls(guard);
    }

    @Override
    public Member member(String profileId, Object email, Object phone) {
        return AudienceDestination.hashed(profileId, email, phone, false);
    }

    @Override
    public int batch() {
        return 10_000;
    }

    @Override
    public int minimumSize() {
        return 100;
    }

    @Override
    public String add(List<Member> members) {
        call("POST", members);
        return null;
    }

    @Override
    public void remove(List<Member> members) {
        call("DELETE", members);
    }

    private void call(String method, List<Member> members) {
        List<List<String>> rows = new ArrayList<>();
        for (Member m : members) {
            rows.add(List.of(m.email() == null ? "" : m.email(), m.phone() == null ? "" : m.phone()));
        }
        String payload = Json.write(Map.of("schema", List.of("EMAIL_SHA256", "PHONE_SHA256"), "data", rows));
        String form = "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8) + "&access_token=" + URLEncoder.encode(accessToken, StandardCharsets.UTF_8);
        HttpResponse<String> r = calls.send(HttpRequest.newBuilder(PlatformCalls.uri(apiUrl, "/" + audienceId + "/users"))
                .header("Content-Type", "application/x-www-form-urlencoded").method(method, HttpRequest.BodyPublishers.ofString(form)), "Meta");
        JsonNode answer = json(r.body());
        if (r.statusCode() / 100 == 2 && !answer.has("error")) {
            return;
        }
        JsonNode error = answer.path("error");
        int code = error.path("code").asInt(-1);
        throw new Refused("Meta " + (code < 0 ? "HTTP " + r.statusCode() : "error " + code) + ": " + error.path("message").asText(r.body()),
                RETRY.contains(code) || r.statusCode() >= 500);
    }

    static JsonNode json(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (java.io.IOException | RuntimeException e) {
            return Json.MAPPER.createObjectNode();
        }
    }
}
